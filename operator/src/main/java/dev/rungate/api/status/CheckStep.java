package dev.rungate.api.status;

/**
 * Names of the steps a check reports as {@link CheckResult#failedStep} that the gate and the CLI
 * act on. The status keeps the name as a string ({@code name()}).
 */
public enum CheckStep {
  /**
   * A Secret or key named in the spec is missing or unusable: a spec error, not a failing
   * dependency.
   */
  SECRET,
  /** The check's own spec is invalid. */
  SPEC
}
