package dev.rungate.emulator;

import static dev.rungate.emulator.EmulatorFixture.pinned;
import static dev.rungate.emulator.EmulatorFixture.serviceName;
import static dev.rungate.emulator.EmulatorFixture.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FailedPreconditionException;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.logging.v2.LoggingClient;
import com.google.cloud.logging.v2.LoggingSettings;
import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.CreateServiceRequest;
import com.google.cloud.run.v2.Probe;
import com.google.cloud.run.v2.Revision;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TCPSocketAction;
import com.google.cloud.run.v2.TrafficTargetStatus;
import com.google.logging.type.LogSeverity;
import com.google.logging.v2.ListLogEntriesRequest;
import com.google.logging.v2.LogEntry;
import dev.rungate.emulator.logging.LoggingConfig;
import dev.rungate.emulator.runtime.StartupMessages;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A revision whose container exits 3 before it is ready, seen through the Run and Logging APIs. */
@Tag("real")
class FailedRevisionTest {
  private static EmulatorFixture emulator;
  private static LoggingClient logging;

  @BeforeAll
  static void start() throws Exception {
    emulator = new EmulatorFixture();
    logging =
        LoggingClient.create(
            LoggingSettings.newBuilder()
                .setTransportChannelProvider(
                    FixedTransportChannelProvider.create(
                        GrpcTransportChannel.create(emulator.clients.channel())))
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build());
  }

  @AfterAll
  static void stop() {
    logging.close();
    emulator.close();
  }

  @Test
  void exitBeforeReadyFailsTheRevisionKeepsTrafficAndLogsTheExit() throws Exception {
    Service stable = emulator.createReady("api", "api-good");
    Service candidate =
        stable.toBuilder()
            .setTemplate(
                template(
                    "api-bad",
                    "sh",
                    "-c",
                    "echo 'Application startup failed. Exiting.'; echo 'Reason: Worker failed to boot.' >&2; exit 3"))
            .clearTraffic()
            .addTraffic(pinned("api-good", 100, ""))
            .addTraffic(pinned("api-bad", 0, "candidate"))
            .build();

    assertThatThrownBy(() -> emulator.update(candidate))
        .hasCauseInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining("api-bad");

    Revision bad =
        emulator.clients.revisions().getRevision(serviceName("api") + "/revisions/api-bad");
    Condition ready =
        bad.getConditionsList().stream()
            .filter(c -> c.getType().equals("Ready"))
            .findFirst()
            .orElseThrow();
    assertThat(ready.getState()).isEqualTo(Condition.State.CONDITION_FAILED);
    assertThat(ready.getRevisionReason())
        .isEqualTo(Condition.RevisionReason.HEALTH_CHECK_CONTAINER_ERROR);
    assertThat(ready.getMessage())
        .startsWith(
            "The user-provided container failed to start and listen on the "
                + "port defined provided by the PORT=8080 environment variable within the allocated timeout");

    Service after = emulator.clients.services().getService(serviceName("api"));
    assertThat(after.getTerminalCondition().getState()).isEqualTo(Condition.State.CONDITION_FAILED);
    assertThat(after.getLatestCreatedRevision()).endsWith("/api-bad");
    assertThat(after.getLatestReadyRevision()).endsWith("/api-good");
    assertThat(after.getObservedGeneration()).isEqualTo(1);
    assertThat(after.getTrafficStatusesList())
        .extracting(TrafficTargetStatus::getRevision)
        .containsExactly("api-good");

    // entries become visible a few seconds after they are written (Cloud Logging's ingestion
    // delay): once that has
    // passed, every line of the crash loop, which ended when the update failed, can be listed
    String exitFilter =
        "resource.type=\"cloud_run_revision\" AND resource.labels.revision_name=\"api-bad\""
            + " AND textPayload:\"Container called exit\"";
    assertThat(list(exitFilter)).as("not yet visible").isEmpty();
    emulator.clock.advance(LoggingConfig.defaults().maxIngestionDelay());

    List<LogEntry> exits = list(exitFilter);
    assertThat(exits)
        .as("restarted within its startup window, exiting each time")
        .hasSizeGreaterThan(1)
        .allSatisfy(
            e -> {
              assertThat(e.getTextPayload()).isEqualTo("Container called exit(3).");
              assertThat(e.getSeverity()).isEqualTo(LogSeverity.WARNING);
              assertThat(e.getLogName())
                  .isEqualTo("projects/demo/logs/run.googleapis.com%2Fvarlog%2Fsystem");
              assertThat(e.getResource().getType()).isEqualTo("cloud_run_revision");
              assertThat(e.getResource().getLabelsMap())
                  .containsEntry("service_name", "api")
                  .containsEntry("location", "europe-west1")
                  .containsEntry("configuration_name", "api")
                  .containsEntry("project_id", "demo")
                  .containsEntry("revision_name", "api-bad");
            });
    List<LogEntry> output = list("resource.labels.revision_name=\"api-bad\" AND severity>=DEFAULT");
    assertThat(output)
        .extracting(LogEntry::getTextPayload)
        .containsSubsequence("Application startup failed. Exiting.", "Container called exit(3).");
    assertThat(output)
        .filteredOn(e -> e.getTextPayload().startsWith("Reason:"))
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.getLogName()).endsWith("run.googleapis.com%2Fstderr"));
    assertThat(list("resource.labels.revision_name=\"api-bad\" AND severity>=ERROR"))
        .extracting(LogEntry::getTextPayload)
        .contains("Reason: Worker failed to boot.")
        .anyMatch(
            t ->
                t.startsWith(
                    "STARTUP TCP probe failed 1 time consecutively for container \"app\""));
    List<String> system =
        list("resource.labels.revision_name=\"api-bad\" AND logName:\"varlog%2Fsystem\"").stream()
            .map(LogEntry::getTextPayload)
            .toList();
    assertThat(system)
        .as("each start of the crash loop, in Cloud Run's words")
        .containsSubsequence(
            StartupMessages.STARTING,
            "Container called exit(3).",
            "STARTUP TCP probe failed 1 time consecutively for "
                + "container \"app\" on port 8080. The instance was not started.",
            StartupMessages.STARTING,
            "Container called exit(3).");
    Thread.sleep(
        2500); // the crash loop restarts within 1 s (real time: the container is a real process)
    emulator.clock.advance(LoggingConfig.defaults().maxIngestionDelay());
    assertThat(list(exitFilter))
        .as("the crash loop ends with the startup window")
        .hasSameSizeAs(exits);
  }

  @Test
  void containerThatNeverListensFailsWhenTheStartupProbeGivesUp() throws Exception {
    Service created =
        emulator
            .clients
            .services()
            .createServiceCallable()
            .futureCall(
                CreateServiceRequest.newBuilder()
                    .setParent(EmulatorFixture.PARENT)
                    .setServiceId("mute")
                    .setService(
                        Service.newBuilder()
                            .setTemplate(
                                template("mute-1", "sleep", "59.123").toBuilder()
                                    .setContainers(
                                        0,
                                        template("mute-1", "sleep", "59.123")
                                            .getContainers(0)
                                            .toBuilder()
                                            .setStartupProbe(
                                                Probe.newBuilder()
                                                    .setTcpSocket(
                                                        TCPSocketAction.getDefaultInstance())
                                                    .setPeriodSeconds(1)
                                                    .setFailureThreshold(2)))))
                    .build())
            .get()
            .getMetadata()
            .unpack(Service.class);
    assertThat(created.getReconciling()).isTrue();

    long start = System.nanoTime();
    Revision revision;
    do {
      Thread.sleep(200);
      revision =
          emulator.clients.revisions().getRevision(serviceName("mute") + "/revisions/mute-1");
    } while (revision.getReconciling() && System.nanoTime() - start < 10_000_000_000L);
    assertThat(revision.getConditions(0).getRevisionReason())
        .isEqualTo(Condition.RevisionReason.HEALTH_CHECK_CONTAINER_ERROR);
    assertThat((System.nanoTime() - start) / 1_000_000).isBetween(1000L, 6000L);
    assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse("")))
        .as("the container that never listened is killed")
        .noneMatch(cmd -> cmd.contains("59.123"));
  }

  private static List<LogEntry> list(String filter) {
    List<LogEntry> entries = new ArrayList<>();
    logging
        .listLogEntries(
            ListLogEntriesRequest.newBuilder()
                .addResourceNames("projects/demo")
                .setFilter(filter)
                .setOrderBy("timestamp asc")
                .build())
        .iterateAll()
        .forEach(entries::add);
    return entries;
  }
}
