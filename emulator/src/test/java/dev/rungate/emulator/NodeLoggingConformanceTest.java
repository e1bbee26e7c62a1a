package dev.rungate.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.logging.type.LogSeverity;
import dev.rungate.emulator.logging.LogStore;
import dev.rungate.emulator.logging.LoggingConfig;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The emulator's Logging API driven by another language's official client: Google's Node.js
 *
 * @google-cloud/logging (installed by scripts/install-node-clients from the committed lock file),
 *     over an insecure local channel. Each check prints one JSON line
 *     (emulator/src/test/node/conformance.js).
 */
@Tag("real")
class NodeLoggingConformanceTest {
  @Test
  void theNodeClientListsPagesTailsAndMeetsTheQuotaAndRefusals() throws Exception {
    LoggingConfig config =
        LoggingConfig.immediate()
            .withListQuotaPerMinute(60)
            .withListScanBudget(2)
            .withTailSessionsPerProject(10);
    try (EmulatorServer server = EmulatorServer.start(0, EmulatorConfig.defaults(), config)) {
      LogStore.Source api =
          new LogStore.Source("node-demo", "europe-west1", "api", "api-00001-abc");
      LogStore.Source web =
          new LogStore.Source("node-demo", "europe-west1", "web", "web-00001-xyz");
      LogStore.Source tail =
          new LogStore.Source("node-demo", "europe-west1", "tail", "tail-00001-t");
      server.logs().stdout(api, "plain line");
      server.logs().system(api, LogSeverity.WARNING, "Container called exit(3).");
      server.logs().system(web, LogSeverity.WARNING, "Container called exit(1).");
      server.logs().system(web, LogSeverity.INFO, "Container called exit(0).");
      server.logs().stdout(api, "{\"severity\":\"ERROR\",\"message\":\"boom AND more\"}");
      Thread writer =
          new Thread(
              () -> {
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
        out =
            NodeClients.run(
                "conformance.js",
                "127.0.0.1",
                Integer.toString(server.port()),
                "node-demo",
                "node-quota");
      } finally {
        writer.interrupt();
      }
      assertThat(out)
          .contains(
              "{\"check\":\"query\",\"texts\":[\"Container called exit(3).\",\"Container called exit(1).\"]}",
              "{\"check\":\"emptyPage\",\"entries\":0,\"token\":true}",
              "{\"check\":\"json\",\"texts\":[\"boom AND more\"],\"severity\":[\"ERROR\"]}",
              "{\"check\":\"quota\",\"ok\":60,\"code\":8}");
      assertThat(out)
          .anySatisfy(
              l ->
                  assertThat(l)
                      .startsWith("{\"check\":\"invalid\",\"code\":3,")
                      .contains("value lists"));
      assertThat(out)
          .anySatisfy(
              l ->
                  assertThat(l)
                      .startsWith("{\"check\":\"tail\",\"count\":")
                      .contains("\"texts\":[\"tick ")
                      .endsWith("\"ordered\":true}"));
    }
  }
}
