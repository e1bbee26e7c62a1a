package dev.rungate.api.checks;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A key in a Secret in the policy's namespace. */
public class SecretKeyRef {
  @Required
  @JsonPropertyDescription("Secret name, in the policy's namespace.")
  public String name;

  @Required
  @JsonPropertyDescription("Key within the Secret.")
  public String key;

  public SecretKeyRef() {}

  public SecretKeyRef(String name, String key) {
    this.name = name;
    this.key = key;
  }
}
