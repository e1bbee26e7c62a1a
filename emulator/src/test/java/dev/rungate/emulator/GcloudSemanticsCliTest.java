package dev.rungate.emulator;

import static dev.rungate.emulator.EmulatorFixture.PYTHON;
import static dev.rungate.emulator.EmulatorFixture.app;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.google.cloud.run.v2.Service;
import dev.rungate.emulator.cli.EmulatorCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * The emulator CLI follows gcloud run deploy / update-traffic semantics (platform-facts.md, "gcloud
 * semantics").
 */
@Tag("real")
class GcloudSemanticsCliTest {
  @RegisterExtension static final EmulatorFixture emulator = EmulatorFixture.onSystemClock();

  private static List<Tuple> traffic(String id) {
    Service s = emulator.clients.services().getService(EmulatorFixture.serviceName(id));
    return s.getTrafficStatusesList().stream()
        .map(t -> tuple(t.getRevision(), t.getPercent(), t.getTag()))
        .toList();
  }

  @Test
  void trafficKeepsTagsTakesAPartialAssignmentAndDeployKeepsAPinnedSplit() {
    assertThat(
            run(
                    "deploy",
                    "--service",
                    "gc",
                    "--revision",
                    "gc-one",
                    "--allow-unauthenticated",
                    "--",
                    PYTHON,
                    app("revision_app.py"))
                .code)
        .isZero();
    Run candidate =
        run(
            "deploy",
            "--service",
            "gc",
            "--no-traffic",
            "--tag",
            "cand",
            "--",
            PYTHON,
            app("revision_app.py"));
    String cand = candidate.out.lines().findFirst().orElseThrow();
    assertThat(cand).as("numbered from the generation it creates").matches("gc-00002-[a-z]{3}");
    assertThat(traffic("gc")).containsExactly(tuple("gc-one", 100, ""), tuple(cand, 0, "cand"));

    assertThat(run("traffic", "--service", "gc", "--to-revisions", cand + "=10").code).isZero();
    assertThat(traffic("gc"))
        .as("the rest comes from what served; the tag stays")
        .containsExactlyInAnyOrder(tuple(cand, 10, "cand"), tuple("gc-one", 90, ""));

    Run third = run("deploy", "--service", "gc", "--", PYTHON, app("revision_app.py"));
    assertThat(third.code).isZero();
    assertThat(traffic("gc"))
        .as("a plain deploy keeps the pinned split")
        .containsExactlyInAnyOrder(tuple(cand, 10, "cand"), tuple("gc-one", 90, ""));

    assertThat(run("traffic", "--service", "gc", "--to-revisions", "LATEST=20").code).isZero();
    String latest = third.out.lines().findFirst().orElseThrow();
    assertThat(traffic("gc"))
        .extracting(t -> t.toList().get(1))
        .containsExactlyInAnyOrder(20, 72, 8);
    assertThat(traffic("gc")).contains(tuple(latest, 20, ""), tuple(cand, 8, "cand"));

    Run over = run("traffic", "--service", "gc", "--to-revisions", "gc-one=70," + cand + "=40");
    assertThat(over.code).isEqualTo(2);
    assertThat(over.err).contains("more than 100%");
  }

  @Test
  void namesAreCheckedAndAFailedDeploySaysWhy() {
    String service = "a-service-with-a-rather-long-name-x";
    assertThat(
            run(
                    "deploy",
                    "--service",
                    service,
                    "--revision",
                    service + "-1",
                    "--",
                    PYTHON,
                    app("revision_app.py"))
                .code)
        .isZero();
    Run longTag =
        run(
            "deploy",
            "--service",
            service,
            "--no-traffic",
            "--tag",
            "candidate-tag",
            "--",
            PYTHON,
            app("revision_app.py"));
    assertThat(longTag.code).isEqualTo(1);
    assertThat(longTag.err).contains("together have 48 characters").contains("at most 46");

    Run longName =
        run(
            "deploy",
            "--service",
            "nm",
            "--revision",
            "nm-" + "x".repeat(61),
            "--",
            PYTHON,
            app("revision_app.py"));
    assertThat(longName.code).isEqualTo(1);
    assertThat(longName.err).contains("at most 63");

    Run crash =
        run("deploy", "--service", "boom", "--startup-timeout", "2", "--", "sh", "-c", "exit 3");
    assertThat(crash.code).isEqualTo(1);
    assertThat(crash.err)
        .contains("is not ready and cannot serve traffic")
        .contains("The user-provided container failed to start and listen on the port");
  }

  @Test
  void everySubcommandAnswersHelp() {
    for (String sub : CommandLine.class.cast(EmulatorCli.commandLine()).getSubcommands().keySet()) {
      Run help = runRaw(sub, "--help");
      assertThat(help.code).as(sub + " --help").isZero();
      assertThat(help.out).contains("Usage: rungate-emulator " + sub);
      assertThat(help.err).as(sub + " --help warns nothing").isEmpty();
    }
  }

  private record Run(int code, String out, String err) {}

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
    return runRaw(all.toArray(String[]::new));
  }

  private static Run runRaw(String... args) {
    StringWriter captured = new StringWriter();
    StringWriter errors = new StringWriter();
    int code =
        EmulatorCli.commandLine()
            .setOut(new PrintWriter(captured, true))
            .setErr(new PrintWriter(errors, true))
            .execute(args);
    return new Run(code, captured.toString(), errors.toString());
  }
}
