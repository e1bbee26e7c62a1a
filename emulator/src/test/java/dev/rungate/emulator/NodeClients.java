package dev.rungate.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Google's official Node.js clients (installed by scripts/install-node-clients from the committed
 * lock file) and the conformance scripts in emulator/src/test/node that drive the emulator with
 * them.
 */
final class NodeClients {
  static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

  private NodeClients() {}

  /**
   * Runs one script to its end with the installed clients; returns its lines (one JSON object per
   * check).
   */
  static List<String> run(String script, String... args) throws Exception {
    String modules = install() + "/node_modules";
    List<String> command =
        new ArrayList<>(
            List.of("node", REPO.resolve("emulator/src/test/node/" + script).toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("NODE_PATH", modules);
    // no metadata server lookups off loopback (google-auth-library would try 169.254.169.254)
    pb.environment().put("METADATA_SERVER_DETECTION", "none");
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the Node.js script " + script + " did not finish in 120 s");
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isZero();
    return new ArrayList<>(output.lines().toList());
  }

  private static String install() throws IOException, InterruptedException {
    String[] command = {REPO.resolve("scripts/install-node-clients").toString()};
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("scripts/install-node-clients exited " + p.exitValue());
    }
    return out.trim().lines().reduce((a, b) -> b).orElseThrow();
  }
}
