package dev.rungate.probe;

/**
 * A probe step that failed for a reason we understand: carries the step name and a message that
 * already names the error class. Never carries a secret value.
 */
final class StepFailure extends RuntimeException {
  final String step;

  StepFailure(String step, String message) {
    super(message, null, false, false);
    this.step = step;
  }
}
