package dev.rungate.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.spec.ServiceRef;
import dev.rungate.api.spec.VerificationSpec;
import dev.rungate.gate.spec.Schedules;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each policy's re-verification is due at the cron's fire time plus a stable per-policy offset. */
class VerificationJitterTest {
  private static final Instant FIRE =
      Instant.parse("2026-11-27T10:05:00Z"); // a fire of every schedule below

  @ParameterizedTest(name = "{0} spreads over {1} ms")
  @CsvSource(
      delimiter = '|',
      value = {
        "0 0/5 * * * ?   | 60000", // 5 min / 4 = 75 s, capped at 60 s
        "0 0/1 * * * ?   | 15000", // 1 min / 4
        "*/2 * * * * ?   | 500",
        "0 5 10 * * ?    | 60000"
      }) // daily
  void offsetsStayWithinTheSpreadAndAreStable(String cron, long spreadMillis) {
    for (int i = 0; i < 500; i++) {
      Duration offset = Schedules.verificationOffset(cron.trim(), "policy-" + i, FIRE);
      assertThat(offset).isBetween(Duration.ZERO, Duration.ofMillis(spreadMillis - 1));
      assertThat(Schedules.verificationOffset(cron.trim(), "policy-" + i, FIRE)).isEqualTo(offset);
    }
  }

  @Test
  void twoThousandPoliciesSpreadRoughlyEvenlyOverTheMinute() {
    int[] buckets = new int[6];
    IntStream.range(0, 2000)
        .forEach(
            i ->
                buckets[
                    (int)
                        (Schedules.verificationOffset("0 0/5 * * * ?", service("svc-" + i), FIRE)
                                .toMillis()
                            / 10_000)]++);
    for (int count : buckets) {
      assertThat(count).as("policies per 10 s of the 60 s spread").isBetween(200, 500);
    }
  }

  @Test
  void notDueBeforeTheFirePlusOffsetAndDueAfterIt() {
    var spec = Fixtures.spec();
    spec.verification = new VerificationSpec();
    spec.verification.schedule = "0 0/5 * * * ?";
    var status = new ReadinessPolicyStatus();
    status.lastVerifiedAt = "2026-11-27T10:01:00Z";
    for (int i = 0; i < 50; i++) {
      spec.service = new ServiceRef("p", "us-central1", "svc-" + i);
      Duration offset =
          Schedules.verificationOffset("0 0/5 * * * ?", Schedules.policyIdentity(spec), FIRE);
      Instant due = FIRE.plus(offset);
      assertThat(Schedules.verificationDue(spec, status, FIRE.minusMillis(1))).isFalse();
      assertThat(Schedules.verificationDue(spec, status, due.minusMillis(1)))
          .as("before its offset")
          .isFalse();
      assertThat(Schedules.verificationDue(spec, status, due)).isTrue();
      assertThat(Schedules.verificationFiredAt(spec, status, due.plusSeconds(30)))
          .as("results checked at or after the fire time count")
          .contains(FIRE);
    }
  }

  @Test
  void aPolicyNeverVerifiedIsDueAtOnce() {
    var spec = Fixtures.spec();
    spec.verification = new VerificationSpec();
    spec.verification.schedule = "0 0/5 * * * ?";
    assertThat(Schedules.verificationDue(spec, new ReadinessPolicyStatus(), FIRE.minusSeconds(100)))
        .isTrue();
  }

  private static String service(String name) {
    return new ServiceRef("netra-staging", "us-central1", name).resourceName();
  }
}
