package dev.rungate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

public class MemorystoreCheck {
  @Required
  @Pattern(Durations.NAME_PATTERN)
  @JsonPropertyDescription("Name of this check, unique within the policy.")
  public String name;

  @Required
  @JsonPropertyDescription("Instance host: the IP Memorystore reports (host field) or a DNS name.")
  public String host;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Instance port. 6379 plain; 6378 with in-transit encryption. Default 6379.")
  public Integer port;

  @JsonPropertyDescription("TLS settings; omit for a plaintext instance.")
  public TlsSpec tls;

  @JsonPropertyDescription("Secret key holding the AUTH string. Omit when AUTH is disabled.")
  public SecretKeyRef authSecretRef;

  @JsonPropertyDescription("When true, SET/GET/DEL a short-lived canary key (fails on a read replica).")
  public Boolean write;

  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription("Bound on the whole probe, e.g. 2s. Default 2s.")
  public String timeout;

  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription("Slowest acceptable PING round trip, e.g. 100ms. Omit for no bound.")
  public String maxLatency;
}
