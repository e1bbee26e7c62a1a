package dev.rungate.emulator.admin;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Revision;
import com.google.cloud.run.v2.Service;
import com.google.iam.v1.Policy;
import dev.rungate.emulator.Names;
import dev.rungate.emulator.runtime.RevisionInstance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One service's state in the emulator: the proto as served, its revisions and the reconciliation in
 * flight.
 */
public final class ServiceRecord {
  /** A revision with what serves it (a process, or the emulator itself for a builtin revision). */
  public static final class RevisionRecord {
    public Revision revision;
    public final RevisionInstance runner;
    public Instant idleSince;

    RevisionRecord(Revision revision, RevisionInstance runner) {
      this.revision = revision;
      this.runner = runner;
    }

    public String shortName() {
      return Names.shortName(revision.getName());
    }

    Condition.State readyState() {
      return revision.getConditionsList().stream()
          .filter(c -> c.getType().equals("Ready"))
          .map(Condition::getState)
          .findFirst()
          .orElse(Condition.State.CONDITION_PENDING);
    }

    boolean isReady() {
      return readyState() == Condition.State.CONDITION_SUCCEEDED;
    }

    boolean isFailed() {
      return readyState() == Condition.State.CONDITION_FAILED;
    }
  }

  final String uid = UUID.randomUUID().toString();
  public Service service;
  public final Map<String, RevisionRecord> revisions = new LinkedHashMap<>();
  int revisionCounter;
  long version;

  /** Revisions (short names) the update in flight waits for; empty when nothing is reconciling. */
  public final Set<String> awaited = new HashSet<>();

  final List<String> pendingOperations = new ArrayList<>();

  /** The update in flight settles no earlier than this. */
  Instant settleAt = Instant.MIN;

  /**
   * The service's IAM policy (SetIamPolicy); without allUsers as run.invoker its URLs need an ID
   * token.
   */
  public Policy iamPolicy = Policy.getDefaultInstance();

  ServiceRecord(Service service) {
    this.service = service;
  }

  public String name() {
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
