package dev.rungate.emulator;

import static dev.rungate.emulator.EmulatorFixture.PYTHON;
import static dev.rungate.emulator.EmulatorFixture.app;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTargetStatus;
import dev.rungate.emulator.cli.EmulatorCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** The gcloud-like client commands against a running emulator. */
@Tag("real")
class EmulatorCliTest {
  @RegisterExtension static final EmulatorFixture emulator = EmulatorFixture.onSystemClock();

  @Test
  void deployCandidateWithoutTrafficShiftItAndReadTheHistory() throws Exception {
    Run first =
        run(
            "deploy",
            "--service",
            "cli",
            "--revision",
            "cli-one",
            "--",
            PYTHON,
            app("revision_app.py"));
    assertThat(first.code).isZero();
    assertThat(first.out).startsWith("cli-one").contains("is ready");

    Run second =
        run(
            "deploy",
            "--service",
            "cli",
            "--no-traffic",
            "--tag",
            "cand",
            "--env",
            "MODE=canary",
            "--",
            PYTHON,
            app("revision_app.py"));
    assertThat(second.code).isZero();
    String candidate = second.out.lines().findFirst().orElseThrow();
    assertThat(candidate).matches("cli-00002-[a-z]{3}");
    Service afterDeploy =
        emulator.clients.services().getService(EmulatorFixture.serviceName("cli"));
    assertThat(afterDeploy.getTrafficStatusesList())
        .extracting(
            TrafficTargetStatus::getRevision,
            TrafficTargetStatus::getPercent,
            TrafficTargetStatus::getTag)
        .containsExactly(Tuple.tuple("cli-one", 100, ""), Tuple.tuple(candidate, 0, "cand"));

    Run fault =
        run(
            "fault",
            "--method",
            "google.cloud.run.v2.Services/UpdateService",
            "--code",
            "UNAVAILABLE",
            "--times",
            "1");
    assertThat(fault.code).isZero();
    Run refused =
        run("traffic", "--service", "cli", "--to-revisions", "cli-one=50," + candidate + "=50");
    assertThat(refused.code).isNotZero();

    Run split =
        run(
            "traffic",
            "--service",
            "cli",
            "--to-revisions",
            "cli-one=50," + candidate + "=50",
            "--tags",
            "cand=" + candidate);
    assertThat(split.code).isZero();
    assertThat(split.out)
        .contains("50% cli-one")
        .contains("50% " + candidate + " tag cand http://127.0.0.1:");

    Run describe = run("describe", "--service", "cli");
    assertThat(describe.out).contains("\"latestReadyRevision\"").contains("\"trafficStatuses\"");
    Run history = run("history", "--service", "cli");
    assertThat(history.out).contains("CreateService").contains("\"percent\": 50.0");
    assertThat(emulator.server.history().of("cli"))
        .extracting(UpdateHistory.Change::method)
        .containsExactly("CreateService", "UpdateService", "UpdateService");
    // log entries are visible a few seconds after they are written (ingestion delay)
    LoggingTestSupport.eventually(
        Duration.ofSeconds(15),
        () ->
            assertThat(run("logs", "--revision", "cli-one").out)
                .contains("serving cli-one on port"));
  }

  private record Run(int code, String out) {}

  private static Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        1,
        List.of(
            "--endpoint",
            emulator.server.endpoint(),
            "--project",
            "demo",
            "--region",
            "europe-west1"));
    StringWriter captured = new StringWriter();
    int code =
        new CommandLine(new EmulatorCli())
            .setOut(new PrintWriter(captured, true))
            .execute(all.toArray(String[]::new));
    return new Run(code, captured.toString());
  }
}
