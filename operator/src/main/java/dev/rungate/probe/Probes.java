package dev.rungate.probe;

import dev.rungate.api.checks.DependenciesSpec;
import dev.rungate.api.spec.RevisionProbe;
import dev.rungate.api.status.CheckResult;
import dev.rungate.domain.MemorystoreInstance;
import java.util.List;
import java.util.Map;

/**
 * Runs checks. Every result names the failed step and the error class; a check never hangs past its
 * timeout, and all checks of one call run in parallel.
 */
public interface Probes {
  /** Dependency checks of a policy; Secrets are read from {@code namespace}. */
  List<CheckResult> checkDependencies(String namespace, DependenciesSpec dependencies);

  /**
   * The Memorystore instances the checks name (GetInstance), by check name; instances that cannot
   * be read are left out (their checks fail with the reason). Empty for checks with host/port.
   */
  default Map<String, MemorystoreInstance> instances(DependenciesSpec dependencies) {
    return Map.of();
  }

  /**
   * Revision probes against the candidate's tag URL, e.g. https://candidate---svc-abc-uc.a.run.app.
   */
  List<CheckResult> probeRevision(String tagUrl, List<RevisionProbe> probes);

  /**
   * As above, for a service whose URL is {@code serviceUrl}: the audience of the ID token a private
   * service requires (probes with auth IdToken, the default when the operator has Google
   * credentials).
   */
  default List<CheckResult> probeRevision(
      String tagUrl, String serviceUrl, List<RevisionProbe> probes) {
    return probeRevision(tagUrl, probes);
  }
}
