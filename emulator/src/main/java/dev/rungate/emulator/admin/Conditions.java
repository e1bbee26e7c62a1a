package dev.rungate.emulator.admin;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Condition.CommonReason;
import com.google.cloud.run.v2.Condition.RevisionReason;
import com.google.cloud.run.v2.Condition.State;
import com.google.protobuf.Timestamp;
import java.time.Clock;
import java.time.Instant;

/** Cloud Run conditions as the v2 API reports them, stamped with the emulator's clock. */
public final class Conditions {
  private Conditions() {}

  /** The clock's now as a protobuf timestamp (create, update, delete and transition times). */
  public static Timestamp now(Clock clock) {
    Instant now = clock.instant();
    return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
  }

  static Condition of(String type, State state, Timestamp at) {
    return Condition.newBuilder().setType(type).setState(state).setLastTransitionTime(at).build();
  }

  static Condition failed(String type, RevisionReason reason, String message, Timestamp at) {
    return of(type, State.CONDITION_FAILED, at).toBuilder()
        .setRevisionReason(reason)
        .setMessage(message)
        .setSeverity(Condition.Severity.ERROR)
        .build();
  }

  static Condition failed(String type, CommonReason reason, String message, Timestamp at) {
    return of(type, State.CONDITION_FAILED, at).toBuilder()
        .setReason(reason)
        .setMessage(message)
        .setSeverity(Condition.Severity.ERROR)
        .build();
  }

  static Condition pending(String type, String message, Timestamp at) {
    return of(type, State.CONDITION_RECONCILING, at).toBuilder().setMessage(message).build();
  }
}
