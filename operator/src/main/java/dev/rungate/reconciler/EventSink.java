package dev.rungate.reconciler;

import dev.rungate.api.ReadinessPolicy;

/**
 * Where the gate's Events go: Kubernetes Events in the operator ({@link EventRecorder}), a list in
 * tests.
 */
public interface EventSink {
  void record(ReadinessPolicy policy, String type, String reason, String message);
}
