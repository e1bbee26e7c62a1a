package dev.rungate.memorystore;

import dev.rungate.domain.MemorystoreInstance;
import java.util.Optional;

/**
 * The Memorystore for Redis Admin API v1, as far as the gate needs it. Implementations never log
 * the AUTH string and never put it into an exception message.
 */
public interface MemorystoreInstances {
  /**
   * GetInstance; empty when it does not exist.
   *
   * @throws LookupException when the API refuses or cannot be reached (the message names the
   *     instance and the cause)
   */
  Optional<MemorystoreInstance> get(String name);

  /**
   * GetInstanceAuthString; empty when the instance has AUTH disabled.
   *
   * @throws LookupException as above
   */
  Optional<String> authString(String name);

  /** No Memorystore Admin API configured: every lookup fails with a message saying so. */
  MemorystoreInstances NONE =
      new MemorystoreInstances() {
        @Override
        public Optional<MemorystoreInstance> get(String name) {
          throw new LookupException(
              "UNAVAILABLE", "no Memorystore Admin API is configured to read " + name);
        }

        @Override
        public Optional<String> authString(String name) {
          throw new LookupException(
              "UNAVAILABLE", "no Memorystore Admin API is configured to read " + name);
        }
      };

  /**
   * The API call failed: {@code code} is the gRPC status code name (PERMISSION_DENIED, UNAVAILABLE,
   * ...).
   */
  final class LookupException extends RuntimeException {
    private final String code;

    public LookupException(String code, String message) {
      super(message);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }
}
