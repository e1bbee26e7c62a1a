package dev.rungate.reconciler;

import dev.rungate.api.ReadinessPolicy;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * The policy informer's cache without metadata.managedFields, which the operator never reads: the
 * server keeps them (an update without managedFields leaves them as they are), and with thousands
 * of policies they are a good part of each cached object. Annotations stay: the manual commands and
 * kubectl's last-applied-configuration live there, and JOSDK's finalizer updates send them back.
 */
public final class TrimmedPolicyStore extends BasicItemStore<ReadinessPolicy> {
  public TrimmedPolicyStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public ReadinessPolicy put(String key, ReadinessPolicy policy) {
    if (policy.getMetadata() != null) {
      policy.getMetadata().setManagedFields(null);
    }
    return super.put(key, policy);
  }
}
