package dev.rungate.probe;

import dev.rungate.api.SecretKeyRef;
import java.util.Optional;

/** Reads a Secret key for a check, turning every problem into a SECRET step failure that names Secret and key. */
final class SecretValues {
  private SecretValues() {}

  static String require(SecretReader reader, String namespace, SecretKeyRef ref, String field) {
    if (ref.name == null || ref.name.isBlank() || ref.key == null || ref.key.isBlank()) {
      throw new StepFailure("SECRET", "SECRET failed: " + field + " needs both name and key (invalid spec)");
    }
    String where = "Secret " + namespace + "/" + ref.name + " key '" + ref.key + "' (" + field + ")";
    Optional<String> value;
    try {
      value = reader.read(namespace, ref);
    } catch (SecretReader.SecretReadException e) {
      throw new StepFailure("SECRET", "SECRET failed: " + where + ": " + e.getMessage() + " (SecretReadException)");
    }
    if (value.isEmpty()) {
      throw new StepFailure("SECRET", "SECRET failed: " + where + " not found (the Secret or the key does not exist;"
          + " invalid spec)");
    }
    if (value.get().isBlank()) {
      throw new StepFailure("SECRET", "SECRET failed: " + where + " is empty or only whitespace (invalid spec)");
    }
    return value.get();
  }
}
