package dev.rungate.api.checks;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

public class MemorystoreCheck {
  public static final String INSTANCE_PATTERN = "^projects/[^/]+/locations/[^/]+/instances/[^/]+$";

  @Required
  @Pattern(Durations.NAME_PATTERN)
  @JsonPropertyDescription("Name of this check, unique within the policy.")
  public String name;

  /** Where the AUTH string comes from when it is not in a Secret. */
  public enum Auth {
    FromInstance
  }

  @Pattern(INSTANCE_PATTERN)
  @JsonPropertyDescription(
      "Memorystore for Redis instance, projects/P/locations/R/instances/I: host, port, TLS and CA"
          + " certificates are read from it (Memorystore Admin API v1). Set exactly one of instance or host.")
  public String instance;

  @JsonPropertyDescription(
      "Instance host: the IP Memorystore reports (host field) or a DNS name. Set exactly one of"
          + " instance or host.")
  public String host;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription(
      "Instance port with host. 6379 plain; 6378 with in-transit encryption. Default 6379."
          + " Not allowed with instance (its port is read from the instance).")
  public Integer port;

  @JsonPropertyDescription(
      "FromInstance: read the AUTH string with GetInstanceAuthString (needs instance and the"
          + " permission redis.instances.getAuthString). Omit to use authSecretRef, or no AUTH.")
  public Auth auth;

  @JsonPropertyDescription(
      "The candidate's environment variables that must point at this instance; a difference"
          + " blocks the rollout before any traffic moves (reason ConfigDrift).")
  public RevisionEnv revisionEnv;

  @JsonPropertyDescription(
      "TLS settings; omit for a plaintext instance. With instance, TLS follows the instance's"
          + " in-transit encryption and every CA it lists is trusted; mode may ask for VerifyFull.")
  public TlsSpec tls;

  @JsonPropertyDescription(
      "Secret key holding the AUTH string. Omit when AUTH is disabled or with auth: FromInstance.")
  public SecretKeyRef authSecretRef;

  @JsonPropertyDescription(
      "When true, SET/GET/DEL a short-lived canary key (fails on a read replica).")
  public Boolean write;

  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription("Bound on the whole probe, e.g. 2s. Default 2s.")
  public String timeout;

  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription("Slowest acceptable PING round trip, e.g. 100ms. Omit for no bound.")
  public String maxLatency;
}
