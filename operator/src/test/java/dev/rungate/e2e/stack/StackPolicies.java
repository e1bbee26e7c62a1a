package dev.rungate.e2e.stack;

import static dev.rungate.e2e.stack.Stack.PROJECT;
import static dev.rungate.e2e.stack.Stack.REGION;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.testing.Processes;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.Optional;
import org.awaitility.Awaitility;

/** A Stack's ReadinessPolicies in the cluster: built, applied, read and waited on. */
final class StackPolicies {
  private final Stack stack;

  StackPolicies(Stack stack) {
    this.stack = stack;
  }

  /** The policy without its WebSocket probe (for builtin revisions, which answer HTTP only). */
  static ReadinessPolicy withoutWebSocketProbe(ReadinessPolicy policy) {
    policy.getSpec().revision.probes.removeIf(p -> p.websocket != null);
    return policy;
  }

  /** Waits until the operator reports the candidate at this percent of traffic. */
  void awaitCandidateAt(int percent) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () -> {
              ReadinessPolicy p = get();
              return p != null
                  && p.getStatus() != null
                  && stack.candidate.equals(p.getStatus().candidateRevision)
                  && Integer.valueOf(percent).equals(p.getStatus().candidatePercent);
            });
  }

  /** kubectl wait --for=condition=Promoted, as a pipeline would. */
  Processes.Result kubectlWaitPromoted() {
    return stack.kubectl(
        "wait", "-n", stack.namespace, "--for=condition=Promoted", "--timeout=120s", "rpol/gate");
  }

  /**
   * The e2e policy: the real Redis with AUTH from a Secret, HTTP and WebSocket probes on the tag
   * URL.
   */
  ReadinessPolicy policy(String candidate, String firstPause) {
    return policyFor("gate", stack.service, candidate, firstPause);
  }

  /**
   * The e2e policy named {@code name} for another service of this stack's project. Its timeouts (5
   * s, and the worker's own Redis timeout, 4 s) leave room for a starved machine: with twenty
   * workers booting on a 2-core CI machine a loopback Redis write once took over 1 s and a good
   * candidate was rolled back (DependencyUnreachable). What the tests break still fails at once: a
   * Redis that is gone or a closed port refuses the connection.
   */
  ReadinessPolicy policyFor(String name, String service, String candidate, String firstPause) {
    String yaml =
        """
        apiVersion: rungate.dev/v1alpha1
        kind: ReadinessPolicy
        metadata: {name: %s}
        spec:
          service: {project: %s, region: %s, name: %s}
          candidate: {revision: %s, tag: candidate}
          dependencies:
            memorystore:
              - {name: session-store, host: 127.0.0.1, port: %d, authSecretRef: {name: redis-auth, key: auth},
                 write: true, timeout: 5s}
          revision:
            probes:
              - {name: ready, http: {path: /health/ready, expectStatus: [200]}, timeout: 5s}
              - name: golden-path
                websocket: {path: /ws, send: '{"type":"chat","text":"hello"}',
                            expectEvents: [agent_started, agent_thinking, tool_executing, tool_completed, agent_completed]}
                timeout: 5s
            failOnExitCodes: [3, 4]
            observeFor: 2s
          rollout:
            steps: [{percent: 10, pause: %s}, {percent: 50, pause: 2s}, {percent: 100}]
            progressDeadline: 2m
        """
            .formatted(name, PROJECT, REGION, service, candidate, stack.redis.port, firstPause);
    return stack.client.getKubernetesSerialization().unmarshal(yaml, ReadinessPolicy.class);
  }

  ReadinessPolicy apply(ReadinessPolicy policy) {
    return stack.client.resource(policy).inNamespace(stack.namespace).serverSideApply();
  }

  ReadinessPolicy get() {
    return get("gate");
  }

  ReadinessPolicy get(String name) {
    return stack
        .client
        .resources(ReadinessPolicy.class)
        .inNamespace(stack.namespace)
        .withName(name)
        .get();
  }

  Optional<Condition> condition(String type) {
    ReadinessPolicy p = get();
    return p == null || p.getStatus() == null
        ? Optional.empty()
        : p.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  boolean is(String type, String status) {
    return condition(type).map(c -> status.equals(c.getStatus())).orElse(false);
  }
}
