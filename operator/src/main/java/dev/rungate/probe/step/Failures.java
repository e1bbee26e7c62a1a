package dev.rungate.probe.step;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Small helpers to walk exception chains; shared by the failure mappers. */
public final class Failures {
  private Failures() {}

  /** The first exception of type {@code type} in the cause chain, or null. */
  public static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  /** The first exception in the chain whose class name is {@code simpleName}, or null. */
  public static Throwable findNamed(Throwable t, String simpleName) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c.getClass().getSimpleName().equals(simpleName)) {
        return c;
      }
    }
    return null;
  }

  /** Strips ExecutionException/CompletionException wrappers. */
  public static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof ExecutionException || c instanceof CompletionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /** True when some message in the chain contains {@code text} (case-insensitive). */
  public static boolean mentions(Throwable t, String text) {
    String needle = text.toLowerCase();
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c.getMessage() != null && c.getMessage().toLowerCase().contains(needle)) {
        return true;
      }
    }
    return false;
  }

  /** "ClassName: message" of one exception, message cut to 300 characters. */
  public static String describe(Throwable t) {
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      return t.getClass().getSimpleName();
    }
    m = m.strip().replaceAll("\\s+", " ");
    return t.getClass().getSimpleName()
        + ": "
        + (m.length() > 300 ? m.substring(0, 300) + "..." : m);
  }

  /** The innermost cause of the chain. */
  public static Throwable root(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }
}
