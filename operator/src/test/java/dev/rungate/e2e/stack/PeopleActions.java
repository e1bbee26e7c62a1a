package dev.rungate.e2e.stack;

import com.google.cloud.run.v2.TrafficTargetStatus;
import dev.rungate.api.ReadinessPolicy;
import dev.rungate.emulator.EmulatorClients;
import dev.rungate.testing.Processes;
import dev.rungate.testing.RungateJar;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What people do and see in the end-to-end tests: the rungate CLI, a traffic update by hand through
 * the emulator's CLI, the traffic the service serves, the policy's Events.
 */
public final class PeopleActions {
  private PeopleActions() {}

  /**
   * The e2e policy for {@code candidate}: step 10% passes after 2 s, step 50% holds for 10 minutes.
   */
  public static ReadinessPolicy heldAtFifty(Stack s, String candidate) {
    ReadinessPolicy p = s.policy(candidate, "2s");
    p.getSpec().rollout.steps.get(1).pause = "10m";
    return p;
  }

  /**
   * What the service serves now, as Cloud Run reports it (revision to percent, percents above 0
   * only).
   */
  public static Map<String, Integer> served(Stack s, String service) {
    try (EmulatorClients c = new EmulatorClients(s.emulator.endpoint())) {
      Map<String, Integer> out = new TreeMap<>();
      for (TrafficTargetStatus t :
          c.services()
              .getService(
                  "projects/"
                      + Stack.PROJECT
                      + "/locations/"
                      + Stack.REGION
                      + "/services/"
                      + service)
              .getTrafficStatusesList()) {
        if (t.getPercent() > 0) {
          out.merge(t.getRevision(), t.getPercent(), Integer::sum);
        }
      }
      return out;
    }
  }

  /**
   * gcloud run services update-traffic SERVICE --to-revisions ..., through the emulator's CLI (tags
   * kept).
   */
  public static Processes.Result updateTraffic(Stack s, String service, String toRevisions) {
    return Stack.emulatorCli(
        "traffic",
        "--endpoint",
        s.emulator.endpoint(),
        "--project",
        Stack.PROJECT,
        "--region",
        Stack.REGION,
        "--service",
        service,
        "--to-revisions",
        toRevisions);
  }

  /** The rungate CLI, as a person runs it: {@code rungate COMMAND gate -n NS}. */
  public static Processes.Result rungate(Stack s, String command) {
    List<String> cmd = new ArrayList<>(RungateJar.cli());
    cmd.addAll(
        List.of(
            command, "gate", "-n", s.namespace, "--kubeconfig", s.cluster.kubeconfig().toString()));
    return Processes.exec(cmd.toArray(String[]::new));
  }

  /** The messages of the policy's Events with this reason. */
  public static List<String> events(Stack s, String reason) {
    return s.client.v1().events().inNamespace(s.namespace).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .map(e -> e.getMessage())
        .toList();
  }
}
