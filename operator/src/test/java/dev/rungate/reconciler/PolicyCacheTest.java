package dev.rungate.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.api.spec.ServiceRef;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator's policy cache: trimmed of managedFields, and the same-service conflict read from
 * its index.
 */
class PolicyCacheTest {
  private static final ServiceRef SERVICE = new ServiceRef("p", "europe-west1", "api");

  @Test
  void theCacheDropsManagedFieldsAndKeepsAnnotations() {
    ReadinessPolicy p = policy("a", "2026-11-30T10:00:00Z", "uid-a");
    p.getMetadata()
        .setManagedFields(List.of(new ManagedFieldsEntryBuilder().withManager("kubectl").build()));
    p.getMetadata().setAnnotations(Map.of("rungate.dev/abort", "now"));
    TrimmedPolicyStore store = new TrimmedPolicyStore();

    store.put(store.getKey(p), p);

    ReadinessPolicy cached = store.get("ns/a");
    assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(cached.getMetadata().getAnnotations()).containsEntry("rungate.dev/abort", "now");
    assertThat(cached.getSpec().service.resourceName()).isEqualTo(SERVICE.resourceName());
  }

  @Test
  void theOlderPolicyOnAServiceWinsAndTheNewerOneIsTheConflict() {
    ReadinessPolicy older = policy("b", "2026-11-30T10:00:00Z", "uid-b");
    ReadinessPolicy newer = policy("a", "2026-11-30T11:00:00Z", "uid-a");
    ReadinessPolicy sameAge = policy("c", "2026-11-30T10:00:00Z", "uid-c");
    List<ReadinessPolicy> onService = List.of(newer, sameAge, older);

    assertThat(ReadinessPolicyReconciler.conflictWith(older, onService)).isNull();
    assertThat(ReadinessPolicyReconciler.conflictWith(newer, onService)).isEqualTo("ns/b");
    assertThat(ReadinessPolicyReconciler.conflictWith(sameAge, onService)).isEqualTo("ns/b");
    assertThat(ReadinessPolicyReconciler.conflictWith(newer, List.of(newer))).isNull();
  }

  @Test
  void aDeletedPolicyNoLongerHoldsTheService() {
    ReadinessPolicy older = policy("b", "2026-11-30T10:00:00Z", "uid-b");
    older.getMetadata().setDeletionTimestamp("2026-11-30T12:00:00Z");
    ReadinessPolicy newer = policy("a", "2026-11-30T11:00:00Z", "uid-a");

    assertThat(ReadinessPolicyReconciler.conflictWith(newer, List.of(older, newer))).isNull();
  }

  private static ReadinessPolicy policy(String name, String created, String uid) {
    ReadinessPolicy p = Policies.fast(name, SERVICE, null);
    p.getMetadata().setNamespace("ns");
    p.getMetadata().setCreationTimestamp(created);
    p.getMetadata().setUid(uid);
    return p;
  }
}
