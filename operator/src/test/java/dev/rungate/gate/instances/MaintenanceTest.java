package dev.rungate.gate.instances;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.domain.MemorystoreInstance;
import dev.rungate.gate.Fixtures;
import dev.rungate.gate.spec.GateSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The maintenance decision, table-style: instance state and scheduled window against now and the
 * rollout's duration.
 */
class MaintenanceTest {
  static final Instant NOW = Fixtures.T0;
  static final Duration ROLLOUT = Duration.ofMinutes(10);

  static Stream<Arguments> cases() {
    return Stream.of(
        // instance, expected fragments (none = no hold), expected recheck
        Arguments.of(Instances.ready("10.0.0.3", 6379, false), List.of(), null),
        Arguments.of(
            Instances.inState("MAINTENANCE", null),
            List.of("is MAINTENANCE, not READY"),
            NOW.plusSeconds(5)),
        Arguments.of(
            Instances.inState("FAILING_OVER", "failover in progress"),
            List.of("FAILING_OVER (failover in progress)"),
            NOW.plusSeconds(5)),
        Arguments.of(Instances.inState("UPDATING", null), List.of("UPDATING"), NOW.plusSeconds(5)),
        // window open now: hold until it ends
        Arguments.of(
            Instances.withMaintenance(NOW.minusSeconds(60), NOW.plusSeconds(600)),
            List.of("is in its scheduled maintenance window " + NOW.minusSeconds(60)),
            NOW.plusSeconds(600)),
        // window starting within the rollout's remaining 10 minutes: hold, naming it
        Arguments.of(
            Instances.withMaintenance(NOW.plusSeconds(300), NOW.plusSeconds(3900)),
            List.of(
                "has maintenance scheduled " + NOW.plusSeconds(300),
                "remaining expected duration 10m"),
            NOW.plusSeconds(300)),
        // window after the rollout would end, or already over: no hold
        Arguments.of(
            Instances.withMaintenance(NOW.plusSeconds(900), NOW.plusSeconds(4500)),
            List.of(),
            null),
        Arguments.of(
            Instances.withMaintenance(NOW.minusSeconds(7200), NOW.minusSeconds(3600)),
            List.of(),
            null));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("cases")
  void holds(MemorystoreInstance instance, List<String> expected, Instant recheck) {
    var hold =
        Maintenance.hold(
            List.of(Instances.check("REDIS_HOST", null, null, null)),
            Map.of("session-store", instance),
            NOW,
            ROLLOUT);
    if (expected.isEmpty()) {
      assertThat(hold).isEmpty();
      return;
    }
    assertThat(hold)
        .hasValueSatisfying(
            h -> {
              assertThat(h.block().reason()).isEqualTo("DependencyMaintenance");
              assertThat(h.block().message())
                  .contains(Instances.NAME)
                  .contains(expected)
                  .contains("rollbacks are never held");
              assertThat(h.recheckAt()).isEqualTo(recheck);
            });
  }

  @Test
  void warnsOfAMaintenanceWithinADayButNotBeyond() {
    var check = List.of(Instances.check("REDIS_HOST", null, null, null));
    assertThat(
            Maintenance.upcoming(
                check,
                Map.of(
                    "session-store",
                    Instances.withMaintenance(
                        NOW.plus(Duration.ofHours(20)), NOW.plus(Duration.ofHours(21)))),
                NOW))
        .hasValueSatisfying(
            m -> assertThat(m).contains(Instances.NAME, NOW.plus(Duration.ofHours(20)).toString()));
    assertThat(
            Maintenance.upcoming(
                check,
                Map.of(
                    "session-store",
                    Instances.withMaintenance(
                        NOW.plus(Duration.ofHours(30)), NOW.plus(Duration.ofHours(31)))),
                NOW))
        .isEmpty();
  }

  @Test
  void expectedRemainingIsTheRestOfThisHoldPlusEveryLaterPause() {
    GateSettings s = GateSettings.of(Fixtures.spec()); // observe 30s, then pauses 60s, 120s, 0s
    assertThat(Maintenance.expectedRemaining(s, 0, Duration.ZERO))
        .isEqualTo(Duration.ofSeconds(210));
    assertThat(Maintenance.expectedRemaining(s, 1, Duration.ofSeconds(20)))
        .isEqualTo(Duration.ofSeconds(160));
    assertThat(Maintenance.expectedRemaining(s, 3, Duration.ZERO)).isEqualTo(Duration.ZERO);
  }
}
