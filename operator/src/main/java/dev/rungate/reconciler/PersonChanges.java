package dev.rungate.reconciler;

import dev.rungate.api.ReadinessPolicy;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Reconciles on what a person or pipeline changed (spec, annotations with the manual commands,
 * labels, finalizers, deletion), not on the operator's own status writes: a status write would
 * otherwise start the next round at once, and holds, backoff and idle intervals would never apply.
 */
public class PersonChanges implements OnUpdateFilter<ReadinessPolicy> {
  @Override
  public boolean accept(ReadinessPolicy updated, ReadinessPolicy old) {
    var now = updated.getMetadata();
    var before = old.getMetadata();
    return !Objects.equals(now.getGeneration(), before.getGeneration())
        || !Objects.equals(now.getAnnotations(), before.getAnnotations())
        || !Objects.equals(now.getLabels(), before.getLabels())
        || !Objects.equals(now.getFinalizers(), before.getFinalizers())
        || !Objects.equals(now.getDeletionTimestamp(), before.getDeletionTimestamp());
  }
}
