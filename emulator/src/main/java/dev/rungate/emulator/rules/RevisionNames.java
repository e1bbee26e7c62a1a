package dev.rungate.emulator.rules;

import io.grpc.Status;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Cloud Run's naming rules (platform-facts.md, "Names"): a tag plus the service name at most 46
 * characters, revision names at most 63 characters, prefixed by the service name, and generated
 * names numbered from the service's generation (SERVICE-NNNNN-abc, as gcloud does).
 */
public final class RevisionNames {
  public static final int MAX_TAG_AND_SERVICE = 46;
  public static final int MAX_REVISION = 63;

  private RevisionNames() {}

  /** SERVICE-NNNNN-xyz where NNNNN is the generation the revision is created at. */
  public static String generated(String service, long generation) {
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      suffix.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
    }
    return String.format("%s-%05d-%s", service, generation, suffix);
  }

  public static void checkServiceId(String serviceId) {
    if (!serviceId.matches("[a-z]([-a-z0-9]{0,47}[a-z0-9])?")) {
      throw invalid(
          "service_id must be at most 49 lowercase letters, digits and hyphens: " + serviceId);
    }
  }

  /** INVALID_ARGUMENT unless the revision name fits Cloud Run's rules for this service. */
  public static void checkRevision(String service, String revision) {
    if (!revision.startsWith(service + "-")) {
      throw invalid(
          "Revision name must be prefixed by the service name '"
              + service
              + "-', got '"
              + revision
              + "'");
    }
    if (revision.length() > MAX_REVISION || !revision.matches("[a-z]([-a-z0-9]*[a-z0-9])?")) {
      throw invalid(
          "Revision name '"
              + revision
              + "' must be at most "
              + MAX_REVISION
              + " lowercase letters, digits "
              + "and hyphens, start with a letter and not end with a hyphen (it has "
              + revision.length()
              + ")");
    }
  }

  /**
   * INVALID_ARGUMENT when the tag and the service name together are longer than Cloud Run allows.
   */
  public static void checkTag(String service, String tag) {
    if (!tag.isEmpty() && tag.length() + service.length() > MAX_TAG_AND_SERVICE) {
      throw invalid(
          "Tag '"
              + tag
              + "' and service name '"
              + service
              + "' together have "
              + (tag.length() + service.length())
              + " characters; Cloud Run allows at most "
              + MAX_TAG_AND_SERVICE
              + ": use a shorter tag");
    }
  }

  private static RuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }
}
