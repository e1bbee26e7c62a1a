package dev.rungate.emulator;

import static dev.rungate.emulator.EmulatorFixture.PARENT;
import static dev.rungate.emulator.EmulatorFixture.pinned;
import static dev.rungate.emulator.EmulatorFixture.serviceName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.core.ApiFuture;
import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.CreateServiceRequest;
import com.google.cloud.run.v2.Probe;
import com.google.cloud.run.v2.Revision;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TCPSocketAction;
import com.google.cloud.run.v2.TrafficTargetStatus;
import com.google.cloud.run.v2.UpdateServiceRequest;
import com.google.logging.type.LogSeverity;
import com.google.logging.v2.LogEntry;
import com.google.longrunning.Operation;
import dev.rungate.emulator.runtime.StartupMessages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Builtin revisions (a benchmark aid): served by the emulator itself, through the same Admin API
 * and router.
 */
@Tag("real")
class BuiltinRevisionTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @RegisterExtension static final EmulatorFixture emulator = new EmulatorFixture();

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void okAndStatusRevisionsBecomeReadyThroughTheOperationAndAnswerThroughTheRouter()
      throws Exception {
    ApiFuture<Operation> create =
        emulator
            .clients
            .services()
            .createServiceCallable()
            .futureCall(
                CreateServiceRequest.newBuilder()
                    .setParent(PARENT)
                    .setServiceId("bench")
                    .setService(
                        Service.newBuilder()
                            .setTemplate(
                                BuiltinRevisions.template("bench-ok", BuiltinRevisions.ok())))
                    .build());
    assertThat(create.get().getDone()).isFalse();
    assertThat(emulator.clients.services().getService(serviceName("bench")).getReconciling())
        .as("still the update's long-running operation")
        .isTrue();
    Service ready = emulator.finish(create);
    assertThat(ready.getLatestReadyRevision()).endsWith("/revisions/bench-ok");
    Revision revision =
        emulator.clients.revisions().getRevision(serviceName("bench") + "/revisions/bench-ok");
    assertThat(revision.getConditions(0).getState()).isEqualTo(Condition.State.CONDITION_SUCCEEDED);
    assertThat(get(ready.getUri() + "/any/path").statusCode())
        .as("private until made public")
        .isEqualTo(403);
    emulator.makePublic("bench");
    HttpResponse<String> ok = get(ready.getUri() + "/any/path?q=1");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("bench-ok");

    Operation deploy =
        emulator.server.deploy(
            serviceName("bench"),
            BuiltinRevisions.template("bench-teapot", BuiltinRevisions.answering(418)),
            "cand");
    Service after = emulator.finish(deploy);
    assertThat(after.getTrafficStatusesList())
        .extracting(
            TrafficTargetStatus::getRevision,
            TrafficTargetStatus::getPercent,
            TrafficTargetStatus::getTag)
        .containsExactly(Tuple.tuple("bench-ok", 100, ""), Tuple.tuple("bench-teapot", 0, "cand"));
    String tagUrl = after.getTrafficStatusesList().get(1).getUri();
    assertThat(get(tagUrl + "/").statusCode()).isEqualTo(418);
    assertThat(get(tagUrl + "/healthz").body()).isEqualTo("bench-teapot");
    assertThat(get(after.getUri()).body()).isEqualTo("bench-ok");
    assertThat(emulator.server.processIds()).as("no process serves a builtin revision").isEmpty();
    assertThat(
            emulator
                .server
                .logs()
                .matching(
                    e ->
                        e.getTextPayload().equals(StartupMessages.STARTING)
                            && e.getResource()
                                .getLabelsOrDefault("revision_name", "")
                                .equals("bench-ok")))
        .hasSize(1);
  }

  @Test
  void anExitRevisionCrashLoopsWithCloudRunsEntriesAndFailsLikeARealWorker() throws Exception {
    Service stable =
        emulator.finish(
            emulator.server.deploy(
                serviceName("crash"),
                BuiltinRevisions.template("crash-ok", BuiltinRevisions.ok()),
                null));
    RevisionTemplate exiting =
        BuiltinRevisions.template(
            "crash-bad",
            BuiltinRevisions.exitingOnStartup(3).toBuilder()
                .setStartupProbe(
                    Probe.newBuilder()
                        .setTcpSocket(TCPSocketAction.getDefaultInstance())
                        .setPeriodSeconds(1)
                        .setFailureThreshold(3))
                .build());
    Operation deploy =
        emulator
            .clients
            .services()
            .updateServiceCallable()
            .call(
                UpdateServiceRequest.newBuilder()
                    .setService(
                        stable.toBuilder()
                            .setTemplate(exiting)
                            .clearTraffic()
                            .addTraffic(pinned("crash-ok", 100, ""))
                            .addTraffic(pinned("crash-bad", 0, "candidate")))
                    .build());

    assertThatThrownBy(() -> emulator.result(deploy))
        .as("fails when its startup window (real time) is spent")
        .hasMessageContaining(
            "Revision 'crash-bad' is not ready and cannot serve "
                + "traffic. The user-provided container failed to start and listen on the port defined provided by the "
                + "PORT=8080 environment variable");
    Revision failed =
        emulator.clients.revisions().getRevision(serviceName("crash") + "/revisions/crash-bad");
    assertThat(failed.getConditions(0).getState()).isEqualTo(Condition.State.CONDITION_FAILED);
    assertThat(failed.getConditions(0).getRevisionReason())
        .isEqualTo(Condition.RevisionReason.HEALTH_CHECK_CONTAINER_ERROR);
    Service service = emulator.clients.services().getService(serviceName("crash"));
    assertThat(service.getLatestReadyRevision()).endsWith("/revisions/crash-ok");
    assertThat(service.getTrafficStatusesList())
        .extracting(TrafficTargetStatus::getRevision)
        .containsExactly("crash-ok");

    List<LogEntry> system =
        emulator
            .server
            .logs()
            .matching(
                e -> e.getResource().getLabelsOrDefault("revision_name", "").equals("crash-bad"));
    String probe =
        "STARTUP TCP probe failed 1 time consecutively for container \"app\" on port 8080. The instance "
            + "was not started.";
    assertThat(system)
        .extracting(LogEntry::getTextPayload)
        .as("each start of the crash loop, in Cloud Run's words")
        .containsSubsequence(
            StartupMessages.STARTING,
            "Container called exit(3).",
            probe,
            StartupMessages.STARTING,
            "Container called exit(3).",
            probe);
    assertThat(system)
        .filteredOn(e -> e.getTextPayload().equals("Container called exit(3)."))
        .isNotEmpty()
        .allSatisfy(
            e -> {
              assertThat(e.getSeverity()).isEqualTo(LogSeverity.WARNING);
              assertThat(e.getLogName())
                  .isEqualTo("projects/demo/logs/run.googleapis.com%2Fvarlog%2Fsystem");
              assertThat(e.getResource().getType()).isEqualTo("cloud_run_revision");
            });
    int exits = system.size();
    Thread.sleep(2000);
    assertThat(
            emulator
                .server
                .logs()
                .matching(
                    e ->
                        e.getResource()
                            .getLabelsOrDefault("revision_name", "")
                            .equals("crash-bad")))
        .as("the loop ends with the startup window")
        .hasSize(exits);
  }

  @Test
  void anUnknownBuiltinIsRefusedNamingTheFieldAndTheChoices() {
    assertThatThrownBy(
            () ->
                emulator.create(
                    "odd",
                    BuiltinRevisions.template(
                        "odd-1",
                        BuiltinRevisions.ok().toBuilder().setCommand(0, "builtin:nope").build())))
        .hasMessageContaining("containers[0].command \"builtin:nope\"")
        .hasMessageContaining("builtin:exit=CODE");
  }
}
