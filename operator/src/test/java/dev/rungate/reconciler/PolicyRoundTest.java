package dev.rungate.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.status.TrafficEntry;
import dev.rungate.cloudrun.CloudRun;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.domain.VpcSettings;
import dev.rungate.gate.status.Conditions;
import dev.rungate.probe.InMemoryProbes;
import dev.rungate.reconciler.model.ModelWorld;
import dev.rungate.signals.ExitSignals;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

/** One round's interactions with the ports, where a fake would be clumsier than a mock. */
@ExtendWith(MockitoExtension.class)
class PolicyRoundTest {
  private static final String STABLE = "svc-00001-a";
  private static final String CANDIDATE = "svc-00002-b";
  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

  @Mock CloudRun cloudRun;
  @Mock ExitSignals exits;

  private PolicyRound round() {
    return new PolicyRound(
        new PolicyObserver(cloudRun, exits, new InMemoryProbes(), CheckRunner.direct()),
        cloudRun,
        (p, type, reason, message) -> {},
        GateMetrics.none(),
        Clock.fixed(NOW, ZoneOffset.UTC),
        PollIntervals.DEFAULT);
  }

  private ReadinessPolicy policyAtTenPercent(boolean paused) {
    ReadinessPolicy p = Policies.fast("gate", ModelWorld.SERVICE, CANDIDATE);
    p.setMetadata(
        new ObjectMetaBuilder()
            .withName("gate")
            .withNamespace("ns")
            .withUid("u")
            .withGeneration(1L)
            .build());
    p.getSpec().paused = paused;
    ReadinessPolicyStatus st = new ReadinessPolicyStatus();
    st.candidateRevision = CANDIDATE;
    st.stableRevision = STABLE;
    st.candidateTag = "candidate";
    st.step = 1;
    st.stepPercent = 10;
    st.reachedPercent = 10;
    st.stepStartedAt = NOW.minusSeconds(5).toString();
    st.lastProgressAt = NOW.minusSeconds(5).toString();
    p.setStatus(st);
    List<TrafficEntry> traffic =
        List.of(new TrafficEntry(STABLE, 90, null), new TrafficEntry(CANDIDATE, 10, "candidate"));
    when(cloudRun.getService(any(), any()))
        .thenReturn(
            new ServiceSnapshot(
                "e1",
                traffic,
                Map.of("candidate", "http://c"),
                CANDIDATE,
                STABLE,
                false,
                "http://s"));
    return p;
  }

  @Test
  void aRollbackIsSentEvenWhenExitSignalsThrow() {
    ReadinessPolicy policy = policyAtTenPercent(false);
    when(cloudRun.getRevision(any(), eq(CANDIDATE)))
        .thenReturn(
            Optional.of(
                new RevisionSnapshot(
                    CANDIDATE,
                    RevisionSnapshot.ReadyState.FAILED,
                    "HEALTH_CHECK_CONTAINER_ERROR",
                    "failed to start",
                    VpcSettings.NONE,
                    NOW)));
    when(exits.exitsOf(any(), anyString(), any()))
        .thenThrow(new IllegalStateException("PERMISSION_DENIED: logging"));
    ReadinessPolicyStatus[] written = new ReadinessPolicyStatus[1];

    round().run(policy, null, (p, status) -> written[0] = status);

    verify(cloudRun)
        .updateTraffic(
            any(),
            eq(
                List.of(
                    new TrafficEntry(STABLE, 100, null),
                    new TrafficEntry(CANDIDATE, 0, "candidate"))),
            eq("e1"));
    assertThat(Conditions.reason(written[0].conditions, Conditions.EXIT_SIGNALS_AVAILABLE))
        .isEqualTo("ExitSignalsUnavailable");
    assertThat(written[0].rollback.reason).isEqualTo("ContainerFailedToStart");
  }

  @Test
  void aPausedPolicyNeverCallsUpdateTrafficNotEvenToRollBack() {
    ReadinessPolicy policy = policyAtTenPercent(true);
    when(cloudRun.getRevision(any(), eq(CANDIDATE)))
        .thenReturn(
            Optional.of(
                new RevisionSnapshot(
                    CANDIDATE,
                    RevisionSnapshot.ReadyState.FAILED,
                    "HEALTH_CHECK_CONTAINER_ERROR",
                    "failed to start",
                    VpcSettings.NONE,
                    NOW)));
    when(exits.exitsOf(any(), anyString(), any())).thenReturn(List.of());
    ReadinessPolicyStatus[] written = new ReadinessPolicyStatus[1];

    round().run(policy, null, (p, status) -> written[0] = status);

    verify(cloudRun, never()).updateTraffic(any(), anyList(), any());
    assertThat(Conditions.reason(written[0].conditions, Conditions.READY))
        .isEqualTo("PausedByUser");
    assertThat(written[0].rollback)
        .as("the rollback is decided and waits for the pause to end")
        .isNotNull();
  }
}
