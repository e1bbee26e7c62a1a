package dev.rungate.probe.step;

/**
 * A probe step that failed for a reason we understand: carries the step name and a message that
 * already names the error class. Never carries a secret value.
 */
public final class StepFailure extends RuntimeException {
  public final String step;

  public StepFailure(String step, String message) {
    super(message, null, false, false);
    this.step = step;
  }
}
