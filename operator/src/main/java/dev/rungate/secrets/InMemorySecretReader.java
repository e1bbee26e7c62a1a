package dev.rungate.secrets;

import dev.rungate.api.checks.SecretKeyRef;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Secrets held in memory, for tests and for the CLI without a cluster. */
public final class InMemorySecretReader implements SecretReader {
  private final Map<String, String> values = new ConcurrentHashMap<>();

  /** Stores {@code value} under namespace/name/key and returns this reader. */
  public InMemorySecretReader put(String namespace, String name, String key, String value) {
    values.put(id(namespace, name, key), value);
    return this;
  }

  @Override
  public Optional<String> read(String namespace, SecretKeyRef ref) {
    return Optional.ofNullable(values.get(id(namespace, ref.name, ref.key)));
  }

  private static String id(String namespace, String name, String key) {
    return namespace + "/" + name + "/" + key;
  }
}
