package dev.rungate.secrets;

import dev.rungate.api.checks.SecretKeyRef;
import java.util.Optional;

/**
 * Reads one key of one Secret. Implementations never log values and never put a value into an
 * exception message.
 */
public interface SecretReader {
  /**
   * The value of {@code ref.key} in Secret {@code ref.name} of {@code namespace}; empty when the
   * Secret or the key does not exist.
   *
   * @throws SecretReadException when the Secret cannot be read (no access, API unreachable)
   */
  Optional<String> read(String namespace, SecretKeyRef ref);

  /** A Secret that exists or not, but cannot be read; the message never holds a value. */
  final class SecretReadException extends RuntimeException {
    public SecretReadException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A reader for policies without secret refs: every read finds nothing. */
  SecretReader NONE = (namespace, ref) -> Optional.empty();
}
