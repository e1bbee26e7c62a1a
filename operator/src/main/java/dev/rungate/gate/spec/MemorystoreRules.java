package dev.rungate.gate.spec;

import dev.rungate.api.checks.MemorystoreCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * The Memorystore check rules the CRD schema cannot express: host or instance, and what goes with
 * each.
 */
final class MemorystoreRules {
  private MemorystoreRules() {}

  static List<String> validate(String field, MemorystoreCheck m) {
    List<String> errors = new ArrayList<>();
    boolean host = m.host != null && !m.host.isBlank();
    boolean instance = m.instance != null && !m.instance.isBlank();
    if (host == instance) {
      errors.add(
          field
              + ": set exactly one of instance (projects/P/locations/R/instances/I) or host"
              + (host ? "; remove host and port to read them from the instance" : ""));
    }
    if (instance && !m.instance.matches(MemorystoreCheck.INSTANCE_PATTERN)) {
      errors.add(
          field + ".instance: '" + m.instance + "' is not projects/P/locations/R/instances/I");
    }
    if (instance && m.port != null) {
      errors.add(
          field
              + ".port: not allowed with instance (the port is read from the instance); remove it");
    }
    if (m.auth == MemorystoreCheck.Auth.FromInstance && !instance) {
      errors.add(field + ".auth: FromInstance needs instance; with host use authSecretRef");
    }
    if (m.auth != null && m.authSecretRef != null) {
      errors.add(field + ": set at most one of auth: FromInstance or authSecretRef");
    }
    if (instance && m.tls != null && m.tls.caSecretRef != null) {
      errors.add(
          field
              + ".tls.caSecretRef: not needed with instance (its server_ca_certs are trusted); remove it");
    }
    var env = m.revisionEnv;
    if (env != null && env.host == null && env.port == null && env.tls == null && env.url == null) {
      errors.add(
          field
              + ".revisionEnv: name at least one variable, e.g. {host: REDIS_HOST, port: REDIS_PORT}");
    }
    return errors;
  }
}
