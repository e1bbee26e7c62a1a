package dev.rungate.api.checks;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public class TlsSpec {
  public enum Mode {
    Disabled,
    VerifyCA,
    VerifyFull
  }

  @JsonPropertyDescription(
      "Disabled: plaintext. VerifyCA: TLS, trust the CA only (usual for Memorystore). VerifyFull: also check the host name.")
  public Mode mode;

  @JsonPropertyDescription(
      "Secret key holding the PEM CA certificate(s); Memorystore publishes several, include all.")
  public SecretKeyRef caSecretRef;
}
