package dev.rungate.reconciler;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.spec.CandidateSpec;
import dev.rungate.api.spec.RevisionSpec;
import dev.rungate.api.spec.RolloutSpec;
import dev.rungate.api.spec.RolloutStep;
import dev.rungate.api.spec.ServiceRef;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;

/** Policies for integration tests: short pauses so a rollout takes seconds. */
final class Policies {
  private Policies() {}

  static ReadinessPolicy fast(String name, ServiceRef service, String candidate) {
    ReadinessPolicySpec spec = new ReadinessPolicySpec();
    spec.service = service;
    spec.candidate = new CandidateSpec();
    spec.candidate.revision = candidate;
    spec.candidate.tag = "candidate";
    spec.revision = new RevisionSpec();
    spec.revision.observeFor = "1s";
    spec.rollout = new RolloutSpec();
    spec.rollout.steps =
        new ArrayList<>(
            List.of(
                new RolloutStep(10, "1s"), new RolloutStep(50, "1s"), new RolloutStep(100, null)));
    spec.rollout.progressDeadline = "2m";
    ReadinessPolicy policy = new ReadinessPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(name).build());
    policy.setSpec(spec);
    return policy;
  }
}
