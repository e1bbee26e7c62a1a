package dev.rungate.node;

import dev.rungate.testing.Processes;
import dev.rungate.testing.Repo;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real kubelet node of scripts/local-node, started once per test JVM with the project's image
 * imported, stopped when the JVM exits. Everything runs in the node's own network namespace; the
 * tests reach the apiserver through its relay on 127.0.0.1 and run commands in the namespace.
 */
public final class LocalNode {
  public static final String NODE_IP = "10.200.0.1";
  public static final String IMAGE_REPOSITORY = "ghcr.io/rungate/rungate";
  private static LocalNode instance;

  public final Path dir;
  public final Path kubeconfig;
  public final KubernetesClient client;
  public final String imageTag;
  public final String startLine;

  private LocalNode(Path dir, String imageTag, String startLine) throws IOException {
    this.dir = dir;
    this.kubeconfig = dir.resolve("kubeconfig");
    this.imageTag = imageTag;
    this.startLine = startLine;
    this.client =
        new KubernetesClientBuilder()
            .withConfig(
                Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString()))
            .build();
  }

  /**
   * The node, started on first use. Where the kernel cannot make one the test is skipped, unless
   * the node tests were asked for ({@code -Pnode}, which sets {@code rungate.node.required}): then
   * it fails, so a runner without CAP_SYS_ADMIN never passes them green.
   */
  public static synchronized LocalNode get() {
    if (instance == null) {
      if (!canMakeNamespaces()) {
        String why =
            "this kernel or user cannot create network and mount namespaces (needs root with CAP_SYS_ADMIN"
                + " and CAP_NET_ADMIN)";
        if (Boolean.getBoolean("rungate.node.required")) {
          throw new IllegalStateException(
              "node tests asked for (-Pnode, rungate.node.required) but " + why);
        }
        Assumptions.assumeTrue(false, "node tests skipped: " + why);
      }
      Path image = Repo.path("operator/target/jib-image.tar");
      if (!Files.isRegularFile(image)) {
        throw new IllegalStateException(
            "no image at "
                + image
                + ": run with -Pimage (scripts/test does) or scripts/build-image");
      }
      Path dir = Path.of("/tmp/rungate-node-it-" + ProcessHandle.current().pid());
      Processes.Result r = script(dir, "start", "--image", image.toString());
      if (r.exitCode() != 0) {
        script(dir, "stop");
        throw new IllegalStateException(
            "scripts/local-node start failed:\n" + r.stdout() + r.stderr());
      }
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> script(dir, "stop"), "local-node-stop"));
      String version = System.getProperty("rungate.version", "0.1.0-SNAPSHOT");
      try {
        instance = new LocalNode(dir, version, r.stdout().lines().findFirst().orElse(""));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      System.out.println(instance.startLine);
    }
    return instance;
  }

  static boolean canMakeNamespaces() {
    try {
      return Processes.exec("unshare", "--net", "--mount", "--", "true").exitCode() == 0;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** Runs a command inside the node's namespaces to completion. */
  public Processes.Result exec(String... command) {
    List<String> cmd = new ArrayList<>(List.of("exec"));
    cmd.addAll(List.of(command));
    return script(dir, cmd.toArray(String[]::new));
  }

  /**
   * Starts a long-running command inside the node's namespaces (its output appended to {@code
   * log}).
   */
  public Process spawn(Path log, String... command) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Repo.path("scripts/local-node").toString(), "exec"));
    cmd.addAll(List.of(command));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("RUNGATE_NODE_DIR", dir.toString());
    return pb.start();
  }

  /**
   * Starts {@code kubectl ARGS} in the background (e.g. {@code logs -f POD}), its output appended
   * to {@code log}.
   */
  public Process kubectlInBackground(Path log, String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(List.of(Repo.path("scripts/local-node").toString(), "kubectl"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("RUNGATE_NODE_DIR", dir.toString());
    return pb.start();
  }

  public Processes.Result kubectl(String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl"));
    cmd.addAll(List.of(args));
    return script(dir, cmd.toArray(String[]::new));
  }

  /** Stops a spawned process and waits for it (SIGTERM, then SIGKILL after 10 s). */
  public static void stop(Process p) throws InterruptedException {
    if (p != null && p.isAlive()) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static Processes.Result script(Path dir, String... args) {
    List<String> cmd = new ArrayList<>(List.of(Repo.path("scripts/local-node").toString()));
    cmd.addAll(List.of(args));
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().putAll(Map.of("RUNGATE_NODE_DIR", dir.toString()));
      Process p = pb.start();
      var out = new CompletableFuture<String>();
      var err = new CompletableFuture<String>();
      new Thread(() -> out.complete(read(p.getInputStream()))).start();
      new Thread(() -> err.complete(read(p.getErrorStream()))).start();
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + cmd);
      }
      return new Processes.Result(p.exitValue(), out.get(), err.get());
    } catch (IOException | InterruptedException | ExecutionException e) {
      throw new IllegalStateException("could not run " + cmd + ": " + e, e);
    }
  }

  private static String read(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
