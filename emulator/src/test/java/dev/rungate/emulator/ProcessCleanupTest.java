package dev.rungate.emulator;

import static dev.rungate.emulator.EmulatorFixture.PYTHON;
import static dev.rungate.emulator.EmulatorFixture.app;
import static dev.rungate.emulator.EmulatorFixture.template;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.run.v2.Condition;
import com.google.logging.v2.LogEntry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Revision processes and everything they start end with the emulator; crashes after ready restart.
 */
@Tag("real")
class ProcessCleanupTest {
  @Test
  void closingTheEmulatorEndsEveryRevisionProcessTree() throws Exception {
    List<Long> pids;
    try (EmulatorFixture emulator = new EmulatorFixture()) {
      emulator.create(
          "tree",
          template(
              "tree-1", "sh", "-c", "sleep 300 & exec " + PYTHON + " " + app("revision_app.py")));
      pids = emulator.server.processIds();
      assertThat(pids).as("python and its sleeping child").hasSizeGreaterThanOrEqualTo(2);
      assertThat(pids)
          .allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }
    assertThat(pids)
        .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
  }

  @Test
  void containerExitingAfterReadyIsLoggedAndRestarted() throws Exception {
    try (EmulatorFixture emulator = new EmulatorFixture()) {
      String script = "timeout 1 " + PYTHON + " " + app("revision_app.py") + "; exit 7";
      emulator.create("flaky", template("flaky-1", "sh", "-c", script));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      List<LogEntry> exits = List.of();
      while (exits.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(200);
        exits =
            emulator
                .server
                .logs()
                .matching(e -> e.getTextPayload().equals("Container called exit(7)."));
      }
      assertThat(exits).as("two crashes mean one restart").hasSizeGreaterThanOrEqualTo(2);
      Optional<Condition> ready =
          emulator
              .clients
              .revisions()
              .getRevision(EmulatorFixture.serviceName("flaky") + "/revisions/flaky-1")
              .getConditionsList()
              .stream()
              .filter(c -> c.getType().equals("Ready"))
              .findFirst();
      assertThat(ready)
          .hasValueSatisfying(
              c -> assertThat(c.getState()).isEqualTo(Condition.State.CONDITION_SUCCEEDED));
    }
  }
}
