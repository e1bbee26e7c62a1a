package dev.rungate.gate.status;

/** Condition reasons: CamelCase constants, as Kubernetes conventions ask. */
public final class Reasons {
  public static final String IDLE = "Idle";
  public static final String VERIFYING = "Verifying";
  public static final String PROGRESSING = "Progressing";
  public static final String TRAFFIC_MOVING = "TrafficMoving";
  public static final String PROMOTED = "Promoted";
  public static final String NOT_PROMOTED = "NotPromoted";
  public static final String PROMOTED_BY_HAND = "PromotedByHand";
  public static final String REVERTED = "Reverted";
  public static final String SERVICE_CHANGED = "ServiceChanged";
  public static final String COMMAND_IGNORED = "CommandIgnored";
  public static final String NO_TRAFFIC_TO_SHIFT = "NoTrafficToShift";
  public static final String NOT_ROLLED_BACK = "NotRolledBack";
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String PAUSED_BY_USER = "PausedByUser";
  public static final String TRAFFIC_CHANGED_OUTSIDE_GATE = "TrafficChangedOutsideGate";
  public static final String CLOUD_RUN_API_ERROR = "CloudRunApiError";
  public static final String SERVICE_NOT_FOUND = "ServiceNotFound";
  public static final String CANDIDATE_NOT_FOUND = "CandidateNotFound";
  public static final String REVISION_NOT_READY = "RevisionNotReady";
  public static final String VPC_ACCESS_MISMATCH = "VpcAccessMismatch";
  public static final String DEPENDENCY_UNREACHABLE = "DependencyUnreachable";
  public static final String DEPENDENCIES_REACHABLE = "DependenciesReachable";
  public static final String NOT_CHECKED = "NotChecked";
  public static final String PROBES_PASSING = "ProbesPassing";
  public static final String PROBE_FAILED = "ProbeFailed";
  public static final String WORKER_BOOT_ERROR = "WorkerBootError";
  public static final String APP_LOAD_ERROR = "AppLoadError";
  public static final String CONTAINER_EXITED = "ContainerExited";
  public static final String CONTAINER_FAILED_TO_START = "ContainerFailedToStart";
  public static final String REVISION_FAILED = "RevisionFailed";
  public static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";
  public static final String MANUAL_ABORT = "ManualAbort";
  public static final String OUTSIDE_DEPLOY_WINDOW = "OutsideDeployWindow";
  public static final String DEPENDENCIES_VERIFIED = "DependenciesVerified";
  public static final String CONFIG_DRIFT = "ConfigDrift";
  public static final String DEPENDENCY_MAINTENANCE = "DependencyMaintenance";

  public static final String ROLLING_BACK = "RollingBack";
  public static final String ROLLBACK_FAILED = "RollbackFailed";
  public static final String TRAFFIC_UPDATE_FAILED = "TrafficUpdateFailed";
  public static final String CONFLICT = "Conflict";
  public static final String EXIT_SIGNALS_READ = "ExitSignalsRead";
  public static final String EXIT_SIGNALS_UNAVAILABLE = "ExitSignalsUnavailable";
  public static final String RECONCILE_ERROR = "ReconcileError";

  private Reasons() {}
}
