package dev.rungate.emulator;

import static dev.rungate.emulator.EmulatorFixture.pinned;
import static dev.rungate.emulator.EmulatorFixture.serviceName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.run.v2.Probe;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TCPSocketAction;
import com.google.cloud.run.v2.UpdateServiceRequest;
import com.google.logging.v2.LogEntry;
import com.google.longrunning.Operation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A crash-looping candidate with a long startup window stops looping when its revision is deleted.
 */
@Tag("real")
class CrashLoopTest {
  @RegisterExtension static final EmulatorFixture emulator = new EmulatorFixture();

  private static List<LogEntry> exits(String revision) {
    return emulator
        .server
        .logs()
        .matching(
            e ->
                e.getResource().getLabelsMap().getOrDefault("revision_name", "").equals(revision)
                    && e.getTextPayload().equals("Container called exit(3)."));
  }

  @Test
  void deletingTheRevisionEndsTheLoopAndFailsTheDeploy() throws Exception {
    Service stable = emulator.createReady("loop", "loop-good");
    RevisionTemplate crashing =
        EmulatorFixture.template("loop-bad", "sh", "-c", "sleep 0.2; exit 3");
    crashing =
        crashing.toBuilder()
            .setContainers(
                0,
                crashing.getContainers(0).toBuilder()
                    .setStartupProbe(
                        Probe.newBuilder()
                            .setTcpSocket(TCPSocketAction.getDefaultInstance())
                            .setPeriodSeconds(10)
                            .setFailureThreshold(6)))
            .build();
    Operation deploy =
        emulator
            .clients
            .services()
            .updateServiceCallable()
            .call(
                UpdateServiceRequest.newBuilder()
                    .setService(
                        stable.toBuilder()
                            .setTemplate(crashing)
                            .clearTraffic()
                            .addTraffic(pinned("loop-good", 100, ""))
                            .addTraffic(pinned("loop-bad", 0, "candidate")))
                    .build());

    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (exits("loop-bad").size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(exits("loop-bad")).hasSizeGreaterThanOrEqualTo(2);
    assertThat(emulator.clients.services().getService(serviceName("loop")).getReconciling())
        .as("the deploy waits while the container crash-loops in its 60 s startup window")
        .isTrue();
    emulator
        .clients
        .revisions()
        .deleteRevisionAsync(serviceName("loop") + "/revisions/loop-bad")
        .get();

    assertThatThrownBy(() -> emulator.result(deploy))
        .hasMessageContaining("Revision 'loop-bad' does not exist or is deleted");
    int seen = exits("loop-bad").size();
    Thread.sleep(3000);
    assertThat(exits("loop-bad")).as("no restart after the delete").hasSize(seen);
    assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse("")))
        .noneMatch(cmd -> cmd.contains("sleep 0.2; exit 3"));
  }
}
