package dev.rungate.e2e.stack;

import dev.rungate.api.ReadinessPolicy;
import java.util.HashMap;
import java.util.Map;

/**
 * The manual commands the end-to-end tests give a policy through its annotations, as rungate does.
 */
public final class PolicyAnnotations {
  private PolicyAnnotations() {}

  public static void abort(Stack s) {
    s.client
        .resources(ReadinessPolicy.class)
        .inNamespace(s.namespace)
        .withName("gate")
        .edit(
            p -> {
              var annotations =
                  new HashMap<String, String>(
                      p.getMetadata().getAnnotations() == null
                          ? Map.of()
                          : p.getMetadata().getAnnotations());
              annotations.put("rungate.dev/abort", "e2e-" + System.nanoTime());
              p.getMetadata().setAnnotations(annotations);
              return p;
            });
  }
}
