package dev.rungate.emulator.admin;

import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import com.google.cloud.run.v2.TrafficTargetStatus;
import dev.rungate.emulator.Names;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/** Validation and resolution of a service's traffic targets, following Cloud Run's rules. */
final class TrafficPlan {
  private static final TrafficTargetAllocationType LATEST =
      TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST;
  private static final TrafficTargetAllocationType REVISION =
      TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION;

  private TrafficPlan() {}

  /** Empty traffic means 100% to the latest ready revision; revision names are kept short. */
  static List<TrafficTarget> normalize(List<TrafficTarget> requested) {
    if (requested.isEmpty()) {
      return List.of(TrafficTarget.newBuilder().setType(LATEST).setPercent(100).build());
    }
    List<TrafficTarget> targets = new ArrayList<>();
    for (TrafficTarget t : requested) {
      TrafficTarget.Builder b = t.toBuilder();
      if (!t.getRevision().isEmpty()) {
        b.setRevision(Names.shortName(t.getRevision()));
      }
      if (t.getType() == TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_UNSPECIFIED) {
        b.setType(t.getRevision().isEmpty() ? LATEST : REVISION);
      }
      targets.add(b.build());
    }
    return targets;
  }

  /**
   * Throws INVALID_ARGUMENT / NOT_FOUND / FAILED_PRECONDITION as Cloud Run does for a bad traffic
   * block. {@code exists} knows the service's revisions (including one this update creates); {@code
   * failed} the failed ones.
   */
  static void validate(
      List<TrafficTarget> targets, Predicate<String> exists, Predicate<String> failed) {
    int sum = 0;
    Set<String> tags = new HashSet<>();
    for (TrafficTarget t : targets) {
      if (t.getPercent() < 0 || t.getPercent() > 100) {
        throw invalid("traffic percent must be between 0 and 100, got " + t.getPercent());
      }
      sum += t.getPercent();
      if (!t.getTag().isEmpty()) {
        if (!t.getTag().matches("[a-z]([-a-z0-9]{0,44}[a-z0-9])?")) {
          throw invalid(
              "tag '"
                  + t.getTag()
                  + "' must be lowercase letters, digits and hyphens, starting with a letter");
        }
        if (!tags.add(t.getTag())) {
          throw invalid(
              "tag '"
                  + t.getTag()
                  + "' is used by more than one traffic target; tags must be unique");
        }
      }
      if (t.getType() == REVISION) {
        if (t.getRevision().isEmpty()) {
          throw invalid("a traffic target of type REVISION needs a revision name");
        }
        if (!exists.test(t.getRevision())) {
          throw Status.NOT_FOUND
              .withDescription("Revision '" + t.getRevision() + "' named in traffic does not exist")
              .asRuntimeException();
        }
        if (t.getPercent() > 0 && failed.test(t.getRevision())) {
          throw Status.FAILED_PRECONDITION
              .withDescription(
                  "Revision '" + t.getRevision() + "' is not ready and cannot serve traffic.")
              .asRuntimeException();
        }
      } else if (!t.getRevision().isEmpty()) {
        throw invalid("a traffic target of type LATEST must not name a revision");
      }
    }
    if (sum != 100) {
      throw invalid("traffic percents must add up to 100, got " + sum);
    }
  }

  /** Revision names this traffic routes to or tags; LATEST resolves to {@code latestReady}. */
  static Set<String> referenced(List<TrafficTarget> targets, String latestReady) {
    Set<String> names = new HashSet<>();
    for (TrafficTarget t : targets) {
      String name = t.getType() == LATEST ? latestReady : t.getRevision();
      if (name != null && (t.getPercent() > 0 || !t.getTag().isEmpty())) {
        names.add(name);
      }
    }
    return names;
  }

  /** What the service reports serving: each target with its resolved revision and its tag URL. */
  static List<TrafficTargetStatus> resolve(
      List<TrafficTarget> targets, String latestReady, Function<String, String> tagUrl) {
    List<TrafficTargetStatus> statuses = new ArrayList<>();
    for (TrafficTarget t : targets) {
      String revision = t.getType() == LATEST ? latestReady : t.getRevision();
      TrafficTargetStatus.Builder s =
          TrafficTargetStatus.newBuilder()
              .setType(t.getType())
              .setPercent(t.getPercent())
              .setTag(t.getTag());
      if (revision != null) {
        s.setRevision(revision);
      }
      if (!t.getTag().isEmpty()) {
        s.setUri(tagUrl.apply(t.getTag()));
      }
      statuses.add(s.build());
    }
    return statuses;
  }

  private static RuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }
}
