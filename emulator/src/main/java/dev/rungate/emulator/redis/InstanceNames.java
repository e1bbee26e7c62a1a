package dev.rungate.emulator.redis;

import io.grpc.Status;

/** projects/P/locations/R/instances/I. */
final class InstanceNames {
  private static final String PATTERN =
      "projects/[a-z][-a-z0-9]{0,62}/locations/[a-z][-a-z0-9]*/instances/[a-z][-a-z0-9]{0,39}";

  private InstanceNames() {}

  static void require(String name) {
    if (name == null || !name.matches(PATTERN)) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "instance name must be projects/P/locations/R/instances/I"
                  + " (I: lowercase letters, digits and hyphens, starting with a letter), got "
                  + name)
          .asRuntimeException();
    }
  }

  static String project(String name) {
    return name.split("/")[1];
  }

  static String region(String name) {
    return name.split("/")[3];
  }

  static String id(String name) {
    return name.substring(name.lastIndexOf('/') + 1);
  }
}
