package dev.rungate.emulator.admin;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Condition.CommonReason;
import com.google.cloud.run.v2.Condition.RevisionReason;
import com.google.cloud.run.v2.Condition.State;
import com.google.protobuf.Timestamp;
import java.time.Instant;

/** Cloud Run conditions as the v2 API reports them. */
public final class Conditions {
  private Conditions() {}

  public static Timestamp now() {
    Instant now = Instant.now();
    return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
  }

  static Condition of(String type, State state) {
    return Condition.newBuilder().setType(type).setState(state).setLastTransitionTime(now()).build();
  }

  static Condition failed(String type, RevisionReason reason, String message) {
    return of(type, State.CONDITION_FAILED).toBuilder().setRevisionReason(reason).setMessage(message)
        .setSeverity(Condition.Severity.ERROR).build();
  }

  static Condition failed(String type, CommonReason reason, String message) {
    return of(type, State.CONDITION_FAILED).toBuilder().setReason(reason).setMessage(message)
        .setSeverity(Condition.Severity.ERROR).build();
  }

  static Condition pending(String type, String message) {
    return of(type, State.CONDITION_RECONCILING).toBuilder().setMessage(message).build();
  }
}
