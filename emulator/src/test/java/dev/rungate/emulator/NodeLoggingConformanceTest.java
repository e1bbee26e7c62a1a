package dev.rungate.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.logging.type.LogSeverity;
import dev.rungate.emulator.logging.LogStore;
import dev.rungate.emulator.logging.LoggingConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The emulator's Logging API driven by another language's official client: Google's Node.js
 * @google-cloud/logging (installed by scripts/install-node-clients from the committed lock file), over
 * an insecure local channel. Each check prints one JSON line (emulator/src/test/node/conformance.js).
 */
class NodeLoggingConformanceTest {
  private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

  @Test
  void theNodeClientListsPagesTailsAndMeetsTheQuotaAndRefusals() throws Exception {
    String modules = run(REPO.resolve("scripts/install-node-clients").toString()).trim().lines()
        .reduce((a, b) -> b).orElseThrow() + "/node_modules";
    LoggingConfig config = LoggingConfig.immediate().withListQuotaPerMinute(60).withListScanBudget(2)
        .withTailSessionsPerProject(10);
    try (EmulatorServer server = EmulatorServer.start(0, EmulatorConfig.defaults(), config)) {
      LogStore.Source api = new LogStore.Source("node-demo", "europe-west1", "api", "api-00001-abc");
      LogStore.Source web = new LogStore.Source("node-demo", "europe-west1", "web", "web-00001-xyz");
      LogStore.Source tail = new LogStore.Source("node-demo", "europe-west1", "tail", "tail-00001-t");
      server.logs().stdout(api, "plain line");
      server.logs().system(api, LogSeverity.WARNING, "Container called exit(3).");
      server.logs().system(web, LogSeverity.WARNING, "Container called exit(1).");
      server.logs().system(web, LogSeverity.INFO, "Container called exit(0).");
      server.logs().stdout(api, "{\"severity\":\"ERROR\",\"message\":\"boom AND more\"}");
      Thread writer = new Thread(() -> {
        for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
          server.logs().stdout(tail, "tick " + i);
          try {
            Thread.sleep(300);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      writer.start();
      List<String> out;
      try {
        out = runNode(modules, server.port());
      } finally {
        writer.interrupt();
      }
      assertThat(out).contains(
          "{\"check\":\"query\",\"texts\":[\"Container called exit(3).\",\"Container called exit(1).\"]}",
          "{\"check\":\"emptyPage\",\"entries\":0,\"token\":true}",
          "{\"check\":\"json\",\"texts\":[\"boom AND more\"],\"severity\":[\"ERROR\"]}",
          "{\"check\":\"quota\",\"ok\":60,\"code\":8}");
      assertThat(out).anySatisfy(l -> assertThat(l).startsWith("{\"check\":\"invalid\",\"code\":3,")
          .contains("value lists"));
      assertThat(out).anySatisfy(l -> assertThat(l).startsWith("{\"check\":\"tail\",\"count\":")
          .contains("\"texts\":[\"tick ").endsWith("\"ordered\":true}"));
    }
  }

  private static List<String> runNode(String modules, int port) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("node", REPO.resolve("emulator/src/test/node/conformance.js").toString(),
        "127.0.0.1", Integer.toString(port), "node-demo", "node-quota").redirectErrorStream(true);
    pb.environment().put("NODE_PATH", modules);
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the Node.js conformance script did not finish in 120 s");
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isZero();
    return new ArrayList<>(output.lines().toList());
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue());
    }
    return out;
  }
}
