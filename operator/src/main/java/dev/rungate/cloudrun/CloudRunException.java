package dev.rungate.cloudrun;

/**
 * A Cloud Run API call failed; {@code code} is the gRPC status code name, e.g. NOT_FOUND, ABORTED,
 * UNAVAILABLE.
 */
public class CloudRunException extends RuntimeException {
  private final String code;

  public CloudRunException(String code, String message, Throwable cause) {
    super(code + ": " + message, cause);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
