package dev.rungate.api;

/** The one-word summary shown by kubectl get rpol; derived from the conditions. */
public enum Phase {
  Idle,
  Verifying,
  Progressing,
  Paused,
  Promoted,
  RollingBack,
  RolledBack,
  Blocked,
  Invalid
}
