package dev.rungate.node;

import static dev.rungate.node.NodeStack.OPERATOR_NS;
import static dev.rungate.node.NodeStack.RELEASE;

import dev.rungate.testing.Processes;
import dev.rungate.testing.Repo;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/** The operator's pods and Lease on the node: listed, awaited, exec'd into and their logs kept. */
final class OperatorPods {
  private final LocalNode node;

  OperatorPods(LocalNode node) {
    this.node = node;
  }

  /** kubectl exec -n rungate POD -c operator -- COMMAND... */
  static String[] execArgs(String pod, String... command) {
    List<String> args =
        new ArrayList<>(List.of("exec", "-n", OPERATOR_NS, pod, "-c", "operator", "--"));
    args.addAll(List.of(command));
    return args.toArray(String[]::new);
  }

  static String output(Processes.Result r) {
    return r.stdout() + r.stderr();
  }

  /** The operator pods that are not being deleted. */
  List<Pod> operatorPods() {
    return node
        .client
        .pods()
        .inNamespace(OPERATOR_NS)
        .withLabel("app.kubernetes.io/name", "rungate")
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  static boolean ready(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Two Ready operator pods, one of which (by pod name) holds the Lease. */
  void awaitTwoReadyReplicasAndALeader() {
    Awaitility.await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              var pods = operatorPods();
              return pods.size() == 2
                  && pods.stream().allMatch(OperatorPods::ready)
                  && pods.stream().anyMatch(p -> p.getMetadata().getName().equals(leaseHolder()));
            });
  }

  String leaseHolder() {
    Lease lease =
        node.client.resources(Lease.class).inNamespace(OPERATOR_NS).withName(RELEASE).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  /**
   * Every operator container's log (and its previous run's), kept under operator/target/node-logs
   * for a failed run, with the policies and the emulator's log from the stack's {@code dir}.
   */
  void saveOperatorLogs(Path dir) throws IOException {
    Path out = Repo.path("operator/target/node-logs");
    Files.createDirectories(out);
    for (var p : node.client.pods().inNamespace(OPERATOR_NS).list().getItems()) {
      String name = p.getMetadata().getName();
      Files.writeString(
          out.resolve(name + ".log"), node.kubectl("logs", "-n", OPERATOR_NS, name).stdout());
      Processes.Result previous = node.kubectl("logs", "-n", OPERATOR_NS, name, "--previous");
      if (previous.exitCode() == 0) {
        Files.writeString(out.resolve(name + ".previous.log"), previous.stdout());
      }
    }
    Files.writeString(
        out.resolve("policies.yaml"), node.kubectl("get", "rpol", "-A", "-o", "yaml").stdout());
    Files.copy(
        dir.resolve("emulator.log"),
        out.resolve("emulator.log"),
        StandardCopyOption.REPLACE_EXISTING);
  }
}
