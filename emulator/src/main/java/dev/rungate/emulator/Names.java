package dev.rungate.emulator;

import io.grpc.Status;

/** Cloud Run resource names: projects/P/locations/L/services/S[/revisions/R]. */
public final class Names {
  private Names() {}

  public static String service(String parent, String serviceId) {
    return parent + "/services/" + serviceId;
  }

  public static String revision(String serviceName, String revisionId) {
    return serviceName + "/revisions/" + revisionId;
  }

  /** The last path segment: the short id of a service or revision. */
  public static String shortName(String name) {
    return name.substring(name.lastIndexOf('/') + 1);
  }

  /** projects/P/locations/L/services/S for a revision name; the name itself for a service. */
  public static String serviceOf(String name) {
    int at = name.indexOf("/revisions/");
    return at < 0 ? name : name.substring(0, at);
  }

  public static String parentOf(String serviceName) {
    int at = serviceName.indexOf("/services/");
    if (at < 0) {
      throw Status.INVALID_ARGUMENT
          .withDescription("not a service name: " + serviceName)
          .asRuntimeException();
    }
    return serviceName.substring(0, at);
  }

  public static String project(String name) {
    String[] parts = name.split("/");
    return parts.length > 1 && parts[0].equals("projects") ? parts[1] : "";
  }

  public static String location(String name) {
    String[] parts = name.split("/");
    return parts.length > 3 && parts[2].equals("locations") ? parts[3] : "";
  }

  public static void requireParent(String parent) {
    if (!parent.matches("projects/[^/]+/locations/[^/]+")) {
      throw Status.INVALID_ARGUMENT
          .withDescription("parent must be projects/P/locations/L, got: " + parent)
          .asRuntimeException();
    }
  }
}
