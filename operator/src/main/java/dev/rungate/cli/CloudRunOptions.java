package dev.rungate.cli;

import dev.rungate.cloudrun.GoogleClients;
import picocli.CommandLine.Option;

/** Where Cloud Run and Cloud Logging are: Google (default, Application Default Credentials) or a plaintext endpoint. */
public class CloudRunOptions {
  @Option(names = "--cloud-run-endpoint", defaultValue = "${env:RUNGATE_CLOUD_RUN_ENDPOINT}",
      description = "host:port of the Cloud Run Admin API v2. Default: Google (or $RUNGATE_CLOUD_RUN_ENDPOINT).")
  String cloudRunEndpoint;

  @Option(names = "--logging-endpoint", defaultValue = "${env:RUNGATE_LOGGING_ENDPOINT}",
      description = "host:port of the Cloud Logging API v2. Default: the Cloud Run endpoint when one is given, else Google.")
  String loggingEndpoint;

  @Option(names = "--memorystore-endpoint", defaultValue = "${env:RUNGATE_MEMORYSTORE_ENDPOINT}",
      description = "host:port of the Memorystore for Redis Admin API v1 (checks naming an instance). Default: the Cloud Run endpoint when one is given, else Google.")
  String memorystoreEndpoint;

  @Option(names = "--plaintext", description = "Talk to the endpoints without TLS or credentials (the rungate emulator).")
  boolean plaintext;

  public GoogleClients cloudRunClients() {
    return clientsFor(cloudRunEndpoint);
  }

  /** Null when Logging shares the Cloud Run endpoint (use {@link #cloudRunClients()}'s). */
  public GoogleClients separateLoggingClients() {
    if (loggingEndpoint == null || loggingEndpoint.isBlank() || loggingEndpoint.equals(cloudRunEndpoint)) {
      return null;
    }
    return clientsFor(loggingEndpoint);
  }

  /** The Memorystore Admin API, created on first use (policies without instance checks never need it). */
  public dev.rungate.memorystore.LazyMemorystore memorystore() {
    String endpoint = memorystoreEndpoint != null && !memorystoreEndpoint.isBlank() ? memorystoreEndpoint : cloudRunEndpoint;
    if (endpoint != null && !endpoint.isBlank() && !plaintext) {
      throw new IllegalArgumentException("--memorystore-endpoint/--cloud-run-endpoint " + endpoint
          + ": only plaintext endpoints (the emulator) are supported; add --plaintext");
    }
    return dev.rungate.memorystore.LazyMemorystore.forEndpoint(endpoint);
  }

  private GoogleClients clientsFor(String endpoint) {
    if (endpoint == null || endpoint.isBlank()) {
      return GoogleClients.google();
    }
    if (!plaintext) {
      throw new IllegalArgumentException("--cloud-run-endpoint/--logging-endpoint " + endpoint
          + ": only plaintext endpoints (the emulator) are supported; add --plaintext");
    }
    return GoogleClients.plaintext(endpoint);
  }
}
