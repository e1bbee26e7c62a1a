package dev.rungate.emulator.cli;

import picocli.CommandLine.Option;

/** Where the client commands find the emulator and which project/region they address. */
final class ClientOptions extends EndpointOption {
  @Option(names = "--project", defaultValue = "local")
  String project;

  @Option(names = "--region", defaultValue = "us-central1")
  String region;

  String parent() {
    return "projects/" + project + "/locations/" + region;
  }

  String service(String id) {
    return id.contains("/") ? id : parent() + "/services/" + id;
  }

  String revision(String service, String id) {
    return id.contains("/") ? id : service(service) + "/revisions/" + id;
  }
}
