package dev.rungate.gate.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.Phase;
import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.checks.HttpCheck;
import dev.rungate.api.checks.NetworkCheck;
import dev.rungate.api.checks.SecretKeyRef;
import dev.rungate.api.checks.TcpCheck;
import dev.rungate.api.checks.WebSocketCheck;
import dev.rungate.api.spec.CandidateSpec;
import dev.rungate.api.spec.RolloutStep;
import dev.rungate.api.spec.VerificationSpec;
import dev.rungate.api.status.CheckResult;
import dev.rungate.api.status.CheckStep;
import dev.rungate.gate.Fixtures;
import dev.rungate.gate.Simulation;
import dev.rungate.gate.status.Conditions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule the schema cannot express: the error names the field and the fix, and no traffic moves.
 */
class SpecValidatorTest {

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        bad(
            "tag and service name over 46 characters",
            s -> {
              s.service.name = "a-rather-long-cloud-run-service-name";
              s.candidate = new CandidateSpec();
              s.candidate.tag = "candidate-1";
            },
            "spec.candidate.tag",
            "use a tag of at most 10 characters"),
        bad(
            "steps not increasing",
            s -> s.rollout.steps = steps(10, 10, 100),
            "spec.rollout.steps[1].percent",
            "strictly increase"),
        bad(
            "steps not ending at 100",
            s -> s.rollout.steps = steps(10, 50),
            "spec.rollout.steps[1].percent",
            "add {percent: 100}"),
        bad(
            "malformed pause",
            s -> s.rollout.steps.get(0).pause = "1 minute",
            "spec.rollout.steps[0].pause",
            "30s"),
        bad(
            "malformed deadline",
            s -> s.rollout.progressDeadline = "10",
            "spec.rollout.progressDeadline",
            "2m"),
        bad(
            "bad cron",
            s -> {
              s.verification = new VerificationSpec();
              s.verification.schedule = "every 5 minutes";
            },
            "spec.verification.schedule",
            "0 */5 * * * ?"),
        bad(
            "exit code out of range",
            s -> s.revision.failOnExitCodes = List.of(3, 300),
            "spec.revision.failOnExitCodes[1]",
            "1-255"),
        bad(
            "probe without path",
            s -> s.revision.probes.get(0).http.path = "health",
            "spec.revision.probes[0].http.path",
            "start with '/'"),
        bad(
            "probe with two kinds",
            s -> s.revision.probes.get(0).websocket = new WebSocketCheck(),
            "spec.revision.probes[0]",
            "exactly one of http or websocket"),
        bad(
            "network check with no kind",
            s -> s.dependencies.network = List.of(named("pg")),
            "spec.dependencies.network[0]",
            "exactly one of tcp, http, dns or websocket"),
        bad(
            "duplicate names",
            s -> {
              NetworkCheck n = named("session-store");
              n.tcp = new TcpCheck();
              n.tcp.host = "h";
              n.tcp.port = 1;
              s.dependencies.network = List.of(n);
            },
            "session-store",
            "used twice"),
        bad(
            "http url not absolute",
            s -> {
              NetworkCheck n = named("auth");
              n.http = new HttpCheck();
              n.http.url = "auth/health";
              s.dependencies.network = List.of(n);
            },
            "spec.dependencies.network[0].http.url",
            "absolute http"),
        bad(
            "auth secret without key",
            s ->
                s.dependencies.memorystore.get(0).authSecretRef =
                    new SecretKeyRef("memorystore-auth", null),
            "spec.dependencies.memorystore[0].authSecretRef",
            "name and key"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void rejectsWithTheFieldAndTheFix(
      String title, Consumer<ReadinessPolicySpec> breakIt, String field, String fix) {
    ReadinessPolicySpec spec = Fixtures.spec();
    breakIt.accept(spec);
    assertThat(SpecValidator.validate(spec))
        .anySatisfy(e -> assertThat(e).contains(field).contains(fix));
    Simulation sim = new Simulation(spec, Fixtures.split(0));
    for (int i = 0; i < 5; i++) {
      assertThat(sim.round().trafficMoves()).isEmpty();
    }
    assertThat(sim.status.phase).isEqualTo(Phase.Invalid);
    assertThat(sim.condition(Conditions.READY)).isEqualTo("False/InvalidSpec");
    assertThat(sim.condition(Conditions.STALLED)).isEqualTo("True/InvalidSpec");
  }

  @Test
  void theSampleSpecIsValid() {
    assertThat(SpecValidator.validate(Fixtures.spec())).isEmpty();
  }

  @Test
  void aMissingSecretReportedByTheProbesIsAnInvalidSpec() {
    Simulation sim = new Simulation(Fixtures.spec(), Fixtures.split(0));
    sim.dependencies =
        List.of(
            CheckResult.failed(
                "session-store",
                "memorystore",
                "10.0.0.3:6379",
                CheckStep.SECRET.name(),
                0,
                "Secret memorystore-auth has no key 'auth'"));
    sim.round();
    assertThat(sim.status.phase).isEqualTo(Phase.Invalid);
    assertThat(Conditions.find(sim.status.conditions, Conditions.READY).orElseThrow().getMessage())
        .contains("memorystore-auth", "'auth'");
  }

  private static Arguments bad(
      String title, Consumer<ReadinessPolicySpec> change, String field, String fix) {
    return Arguments.of(title, change, field, fix);
  }

  private static List<RolloutStep> steps(int... percents) {
    List<RolloutStep> steps = new ArrayList<>();
    for (int p : percents) {
      steps.add(new RolloutStep(p, "10s"));
    }
    return steps;
  }

  private static NetworkCheck named(String name) {
    NetworkCheck n = new NetworkCheck();
    n.name = name;
    return n;
  }
}
