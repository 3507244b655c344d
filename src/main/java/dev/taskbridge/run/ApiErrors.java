package dev.taskbridge.run;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** Sorts API failures into "try again" and "will never work". */
public final class ApiErrors {
  private ApiErrors() {}

  /** An API call that may succeed when retried: no answer, 5xx, 429, or a conflict on update. */
  public static class Transient extends RuntimeException {
    public Transient(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** An API call the server refused for good (4xx other than 409/429). */
  public static class Permanent extends RuntimeException {
    private final int code;

    public Permanent(int code, String message, Throwable cause) {
      super(message, cause);
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  public static boolean isConflict(KubernetesClientException e) {
    return e.getCode() == 409;
  }

  public static boolean isNotFound(KubernetesClientException e) {
    return e.getCode() == 404;
  }

  /** Classifies anything but 404/409, which callers handle themselves. */
  public static RuntimeException classify(String what, KubernetesClientException e) {
    int code = e.getCode();
    String message =
        what
            + ": "
            + (e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : String.valueOf(e.getMessage()));
    if (code == 0 || code == 429 || code >= 500 || code == 409 || code == 408) {
      return new Transient(message, e);
    }
    return new Permanent(code, message, e);
  }
}
