package dev.taskbridge.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeoutException;

/**
 * Sorts API failures into "try again" (the world: no answer, 5xx, 429) and "will never work" (the
 * request). Only a permanent refusal may ever become a rejected event or a failed task.
 */
public final class ApiErrors {
  private ApiErrors() {}

  /**
   * An API call that may succeed when retried: no answer (connection refused or reset, timeout,
   * code ≤ 0), 5xx, 429, 408, or a conflict on update.
   */
  public static class Transient extends RuntimeException {
    private final int retryAfterSeconds;

    public Transient(String message, Throwable cause) {
      this(message, cause, 0);
    }

    public Transient(String message, Throwable cause, int retryAfterSeconds) {
      super(message, cause);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    /** What the server asked for (a 429's {@code Retry-After}), 0 when it said nothing. */
    public int retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }

  /**
   * The server asked to be left alone for {@link #retryAfterSeconds()} (a 429 of API Priority and
   * Fairness, with {@code Retry-After}). Never retried on the spot: the work is held until then
   * ({@link WorkQueue#holdFor}), an HTTP caller gets 503 with that Retry-After, the Kafka consumer
   * pauses that long; so a storm of 429s ties up no thread.
   */
  public static class Throttled extends Transient {
    public Throttled(String message, Throwable cause, int retryAfterSeconds) {
      super(message, cause, retryAfterSeconds);
    }
  }

  /**
   * A write whose {@code resourceVersion} precondition failed: somebody wrote the object since it
   * was read. Not worth retrying as it was: read again and decide again.
   */
  public static class Conflict extends Transient {
    public Conflict(String message, Throwable cause) {
      super(message, cause, 0);
    }
  }

  /** An API call the server refused for good (4xx other than 408/409/429). */
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

  /**
   * Whether the server never answered: Fabric8 reports connection refused or reset, DNS failures
   * and client timeouts with code -1 (or 0) and the I/O failure as the cause.
   */
  public static boolean noAnswer(KubernetesClientException e) {
    return e.getCode() <= 0 || e.getStatus() == null && hasIoCause(e);
  }

  private static boolean hasIoCause(Throwable e) {
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c instanceof IOException
          || c instanceof TimeoutException
          || c instanceof UncheckedIOException) {
        return true;
      }
    }
    return false;
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
    int retryAfter = retryAfter(e);
    if ((code == 429 || code >= 500) && retryAfter > 0) {
      return new Throttled(message, e, retryAfter);
    }
    if (noAnswer(e) || code == 429 || code >= 500 || code == 409 || code == 408) {
      return new Transient(message, e, retryAfter);
    }
    return new Permanent(code, message, e);
  }

  private static int retryAfter(KubernetesClientException e) {
    var s = e.getStatus();
    if (s == null || s.getDetails() == null || s.getDetails().getRetryAfterSeconds() == null) {
      return 0;
    }
    return Math.max(0, Math.min(60, s.getDetails().getRetryAfterSeconds()));
  }
}
