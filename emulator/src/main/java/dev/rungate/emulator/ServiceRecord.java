package dev.rungate.emulator;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Revision;
import com.google.cloud.run.v2.Service;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** One service's state in the emulator: the proto as served, its revisions and the reconciliation in flight. */
final class ServiceRecord {
  /** A revision with the process that serves it. */
  static final class RevisionRecord {
    Revision revision;
    final RevisionRunner runner;
    Instant idleSince;

    RevisionRecord(Revision revision, RevisionRunner runner) {
      this.revision = revision;
      this.runner = runner;
    }

    String shortName() {
      return Names.shortName(revision.getName());
    }

    Condition.State readyState() {
      return revision.getConditionsList().stream().filter(c -> c.getType().equals("Ready"))
          .map(Condition::getState).findFirst().orElse(Condition.State.CONDITION_PENDING);
    }

    boolean isReady() {
      return readyState() == Condition.State.CONDITION_SUCCEEDED;
    }

    boolean isFailed() {
      return readyState() == Condition.State.CONDITION_FAILED;
    }
  }

  final String uid = UUID.randomUUID().toString();
  Service service;
  final Map<String, RevisionRecord> revisions = new LinkedHashMap<>();
  int revisionCounter;
  long version;
  /** Revisions (short names) the update in flight waits for; empty when nothing is reconciling. */
  final Set<String> awaited = new HashSet<>();
  final List<String> pendingOperations = new ArrayList<>();
  /** The update in flight settles no earlier than this. */
  Instant settleAt = Instant.MIN;
  /** The service's IAM policy (SetIamPolicy); without allUsers as run.invoker its URLs need an ID token. */
  com.google.iam.v1.Policy iamPolicy = com.google.iam.v1.Policy.getDefaultInstance();

  ServiceRecord(Service service) {
    this.service = service;
  }

  String name() {
    return service.getName();
  }

  String nextEtag() {
    version++;
    return "\"" + uid.substring(0, 8) + "-" + version + "\"";
  }

  /** The latest ready revision's short name, or null. */
  String latestReady() {
    String latest = null;
    for (RevisionRecord r : revisions.values()) {
      if (r.isReady()) {
        latest = r.shortName();
      }
    }
    return latest;
  }
}
