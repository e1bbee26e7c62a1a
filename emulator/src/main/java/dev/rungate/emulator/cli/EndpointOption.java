package dev.rungate.emulator.cli;

import picocli.CommandLine.Option;

/**
 * Where a client command finds the emulator: the part of {@link ClientOptions} that commands naming
 * full resource names (redis) use alone.
 */
class EndpointOption {
  @Option(
      names = "--endpoint",
      defaultValue = "127.0.0.1:8089",
      description = "Emulator host:port.")
  String endpoint;
}
