package dev.rungate.signals;

/**
 * Exit signals cannot be read right now (Cloud Logging refused or is unreachable). The message is
 * one line naming Cloud Logging, the cause and the fix; the reconciler keeps deciding from the
 * other signals.
 */
public class SignalsUnavailableException extends RuntimeException {
  public SignalsUnavailableException(String message) {
    super(message);
  }
}
