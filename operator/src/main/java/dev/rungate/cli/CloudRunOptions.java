package dev.rungate.cli;

import com.google.auth.oauth2.GoogleCredentials;
import dev.rungate.cloudrun.GoogleClients;
import dev.rungate.memorystore.LazyMemorystore;
import dev.rungate.probe.net.IdTokens;
import java.io.IOException;
import picocli.CommandLine.Option;

/**
 * Where Cloud Run and Cloud Logging are: Google (default, Application Default Credentials) or a
 * plaintext endpoint.
 */
public class CloudRunOptions {
  @Option(
      names = "--cloud-run-endpoint",
      defaultValue = "${env:RUNGATE_CLOUD_RUN_ENDPOINT}",
      description =
          "host:port of the Cloud Run Admin API v2. Default: Google (or $RUNGATE_CLOUD_RUN_ENDPOINT).")
  String cloudRunEndpoint;

  @Option(
      names = "--logging-endpoint",
      defaultValue = "${env:RUNGATE_LOGGING_ENDPOINT}",
      description =
          "host:port of the Cloud Logging API v2. Default: the Cloud Run endpoint when one is given, else Google.")
  String loggingEndpoint;

  @Option(
      names = "--memorystore-endpoint",
      defaultValue = "${env:RUNGATE_MEMORYSTORE_ENDPOINT}",
      description =
          "host:port of the Memorystore for Redis Admin API v1 (checks naming an instance). Default: the Cloud Run endpoint when one is given, else Google.")
  String memorystoreEndpoint;

  @Option(
      names = "--plaintext",
      description = "Talk to the endpoints without TLS or credentials (the rungate emulator).")
  boolean plaintext;

  /**
   * Null when the clients can be built; else one line saying what is missing and how to fix it.
   * Only Google's endpoints need credentials (Application Default Credentials); the emulator takes
   * none.
   */
  public String missingCredentials() {
    if (cloudRunEndpoint != null && !cloudRunEndpoint.isBlank()) {
      return null;
    }
    try {
      GoogleCredentials.getApplicationDefault();
      return null;
    } catch (IOException e) {
      return "rungate: no Google credentials (Application Default Credentials not found) for the Cloud Run and "
          + "Logging APIs. On GKE set the chart value serviceAccount.gcpServiceAccount (Workload Identity); locally "
          + "run 'gcloud auth application-default login'; for the emulator pass --cloud-run-endpoint HOST:PORT "
          + "--plaintext.";
    }
  }

  /**
   * Where revision probes get ID tokens for private services: Application Default Credentials with
   * Google's endpoints; with the emulator, its metadata server when GCE_METADATA_HOST points at it,
   * else none.
   */
  public IdTokens idTokens() {
    return cloudRunEndpoint == null || cloudRunEndpoint.isBlank()
        ? IdTokens.applicationDefault()
        : IdTokens.metadataServerFromEnvironment();
  }

  public GoogleClients cloudRunClients() {
    return clientsFor(cloudRunEndpoint);
  }

  /** Null when Logging shares the Cloud Run endpoint (use {@link #cloudRunClients()}'s). */
  public GoogleClients separateLoggingClients() {
    if (loggingEndpoint == null
        || loggingEndpoint.isBlank()
        || loggingEndpoint.equals(cloudRunEndpoint)) {
      return null;
    }
    return clientsFor(loggingEndpoint);
  }

  /**
   * The Memorystore Admin API, created on first use (policies without instance checks never need
   * it).
   */
  public LazyMemorystore memorystore() {
    String endpoint =
        memorystoreEndpoint != null && !memorystoreEndpoint.isBlank()
            ? memorystoreEndpoint
            : cloudRunEndpoint;
    if (endpoint != null && !endpoint.isBlank() && !plaintext) {
      throw new IllegalArgumentException(
          "--memorystore-endpoint/--cloud-run-endpoint "
              + endpoint
              + ": only plaintext endpoints (the emulator) are supported; add --plaintext");
    }
    return LazyMemorystore.forEndpoint(endpoint);
  }

  private GoogleClients clientsFor(String endpoint) {
    if (endpoint == null || endpoint.isBlank()) {
      return GoogleClients.google();
    }
    if (!plaintext) {
      throw new IllegalArgumentException(
          "--cloud-run-endpoint/--logging-endpoint "
              + endpoint
              + ": only plaintext endpoints (the emulator) are supported; add --plaintext");
    }
    return GoogleClients.plaintext(endpoint);
  }
}
