package dev.rungate.emulator.router;

/**
 * Where the router sends a request for a revision: a loopback port where its instance listens, or
 * an answer the emulator gives itself (a builtin revision, which has no process).
 */
public record Upstream(int port, int status, String body) {
  public static Upstream port(int port) {
    return new Upstream(port, 0, "");
  }

  public static Upstream answer(int status, String body) {
    return new Upstream(0, status, body);
  }

  public boolean isAnswer() {
    return status > 0;
  }
}
