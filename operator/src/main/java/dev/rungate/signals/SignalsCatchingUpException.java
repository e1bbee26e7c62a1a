package dev.rungate.signals;

/**
 * Exit signals are not known yet although Cloud Logging answers: some of the revision's entries are
 * still being read (what it logged before it was first asked about, or what a lost stream missed).
 * Unknown, never "no exits"; it passes without anyone acting, so a caller may treat it more quietly
 * than a failure.
 */
public class SignalsCatchingUpException extends SignalsUnavailableException {
  public SignalsCatchingUpException(String message) {
    super(message);
  }
}
