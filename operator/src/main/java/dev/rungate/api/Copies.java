package dev.rungate.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Deep copies of the API objects as the apiserver would hand them back: through their JSON form,
 * with the Kubernetes client's mapper, but as Jackson tokens instead of text (the same result as
 * KubernetesSerialization.clone, without writing and parsing characters: the status is copied every
 * round).
 */
public final class Copies {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static {
    new KubernetesSerialization(MAPPER, true); // configures MAPPER as the client configures its own
  }

  private Copies() {}

  /** A deep copy of {@code value} through its JSON form (null stays null). */
  @SuppressWarnings("unchecked")
  public static <T> T of(T value) {
    if (value == null) {
      return null;
    }
    try (TokenBuffer tokens = new TokenBuffer(MAPPER, false)) {
      MAPPER.writeValue(tokens, value);
      return (T) MAPPER.readValue(tokens.asParser(), value.getClass());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
