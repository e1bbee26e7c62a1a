package dev.rungate.emulator.cli;

import dev.rungate.emulator.EmulatorConfig;
import dev.rungate.emulator.EmulatorServer;
import dev.rungate.emulator.logging.LoggingConfig;
import dev.rungate.emulator.rules.AdminSettings;
import java.io.File;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    description = "Serve Cloud Run Admin API v2, Operations and Logging v2 on one gRPC port.")
final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      defaultValue = "8089",
      description = "gRPC port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description =
          "Address the gRPC port and the service and tag URLs listen on (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--project", defaultValue = "local", description = "Project shown in the banner.")
  String project;

  @Option(
      names = "--region",
      defaultValue = "us-central1",
      description = "Region shown in the banner.")
  String region;

  @Option(names = "--workdir", description = "Default working directory of revision processes.")
  File workdir;

  @Option(
      names = "--startup-timeout",
      defaultValue = "30",
      description =
          "Seconds a container without a startup "
              + "probe gets to listen on PORT (default ${DEFAULT-VALUE}).")
  long startupSeconds;

  @Option(
      names = "--idle-stop",
      defaultValue = "60",
      description =
          "Seconds before a revision without traffic or "
              + "tag is stopped (default ${DEFAULT-VALUE}).")
  long idleSeconds;

  @Option(
      names = "--logging-read-quota",
      defaultValue = "60",
      description =
          "ListLogEntries calls per project per "
              + "minute before RESOURCE_EXHAUSTED; 0 = no limit (default ${DEFAULT-VALUE}, as Cloud Logging).")
  int readQuota;

  @Option(
      names = "--logging-tail-sessions",
      defaultValue = "10",
      description =
          "Concurrent TailLogEntries sessions "
              + "per project; 0 = no limit (default ${DEFAULT-VALUE}, as Cloud Logging).")
  int tailSessions;

  @Option(
      names = "--ingestion-delay-min-ms",
      defaultValue = "1000",
      description =
          "Shortest delay before a log "
              + "entry is visible to list/tail (default ${DEFAULT-VALUE}).")
  long minDelayMillis;

  @Option(
      names = "--ingestion-delay-max-ms",
      defaultValue = "5000",
      description =
          "Longest such delay; each entry "
              + "draws its own, so entries arrive out of order (default ${DEFAULT-VALUE}).")
  long maxDelayMillis;

  @Option(
      names = "--logging-scan-budget",
      defaultValue = "10000",
      description =
          "Entries one ListLogEntries call "
              + "looks at before answering, possibly with an empty page and a next_page_token (default ${DEFAULT-VALUE}).")
  int scanBudget;

  @Option(
      names = "--logging-tail-max-duration",
      defaultValue = "0",
      description =
          "Seconds a TailLogEntries session "
              + "lasts before it ends with OUT_OF_RANGE, as Cloud Logging ends sessions at a maximum duration whose length is "
              + "not documented; 0 = none (default ${DEFAULT-VALUE}).")
  long tailMaxSeconds;

  @Option(
      names = "--reconcile-time",
      defaultValue = "3",
      description =
          "Seconds an accepted UpdateService keeps "
              + "the service reconciling before it settles, at least (Cloud Run: a few seconds; default ${DEFAULT-VALUE}).")
  double reconcileSeconds;

  @Option(
      names = "--metadata-port",
      defaultValue = "0",
      description =
          "Port of the emulated metadata server "
              + "(ID tokens for GCE_METADATA_HOST); 0 picks a free one (default ${DEFAULT-VALUE}).")
  int metadataPort;

  @Override
  public Integer call() throws Exception {
    LoggingConfig logging;
    try {
      logging =
          new LoggingConfig(
              readQuota,
              tailSessions,
              Duration.ofMillis(minDelayMillis),
              Duration.ofMillis(maxDelayMillis),
              scanBudget,
              Duration.ofSeconds(tailMaxSeconds),
              LoggingConfig.QUOTA_WINDOW);
    } catch (IllegalArgumentException e) {
      System.err.println("rungate-emulator serve: " + e.getMessage());
      return 2;
    }
    EmulatorConfig config =
        EmulatorConfig.defaults()
            .withDefaultStartup(Duration.ofSeconds(startupSeconds))
            .withIdleStop(Duration.ofSeconds(idleSeconds));
    if (workdir != null) {
      config = config.withWorkdir(workdir);
    }
    AdminSettings admin =
        AdminSettings.defaults()
            .withProject(project)
            .withMetadataPort(metadataPort)
            .withReconcile(Duration.ofMillis((long) (reconcileSeconds * 1000)));
    EmulatorServer server = EmulatorServer.start(host, port, config, admin, logging);
    System.out.println(
        "rungate-emulator serving on "
            + host
            + ":"
            + server.port()
            + " (parent projects/"
            + project
            + "/locations/"
            + region
            + "); metadata server on "
            + server.metadataHost()
            + " (GCE_METADATA_HOST)");
    System.out.flush();
    server.awaitTermination();
    return 0;
  }
}
