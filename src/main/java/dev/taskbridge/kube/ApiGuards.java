package dev.taskbridge.kube;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The retry policies of Kubernetes API calls, named once ({@code @ApplyGuard} on {@link Cluster}'s
 * methods). Each retries only what did not get an answer now ({@link ApiErrors.Transient}: no
 * answer, 5xx, 429) with exponential backoff and jitter; a server that says when to ask again
 * ({@link ApiErrors.Throttled}) is not asked sooner: the caller holds the work that long instead.
 * Singletons, not client proxies: Fault Tolerance applies only a Guard it built itself.
 */
@ApplicationScoped
public class ApiGuards {
  /** Ingest's calls: bounded to about 6 s, so an HTTP caller gets its 503 in time. */
  public static final String INGEST = "kube-ingest";

  /** The reconciler's reads and creates: a few quick retries, then the work queue's backoff. */
  public static final String RUN = "kube-run";

  /** Annotation and label writes: a few more, slower retries. */
  public static final String WRITE = "kube-write";

  /** Status writes: as {@link #WRITE}, but a refused precondition is final (a stale copy). */
  public static final String STATUS = "kube-status";

  private static Guard retrying(
      int maxRetries, long maxDelaySeconds, long maxDurationSeconds, boolean conflictIsFinal) {
    return Guard.create()
        .withRetry()
        .maxRetries(maxRetries)
        .delay(100, ChronoUnit.MILLIS)
        .jitter(50, ChronoUnit.MILLIS)
        .maxDuration(maxDurationSeconds, ChronoUnit.SECONDS)
        .retryOn(ApiErrors.Transient.class)
        .abortOn(
            conflictIsFinal
                ? List.of(ApiErrors.Throttled.class, ApiErrors.Conflict.class)
                : List.of(ApiErrors.Throttled.class))
        .withExponentialBackoff()
        .maxDelay(maxDelaySeconds, ChronoUnit.SECONDS)
        .done()
        .done()
        .build();
  }

  @Produces
  @Identifier(INGEST)
  @Singleton
  Guard ingest() {
    return retrying(6, 2, 6, false);
  }

  @Produces
  @Identifier(RUN)
  @Singleton
  Guard run() {
    return retrying(4, 2, 180, false);
  }

  @Produces
  @Identifier(WRITE)
  @Singleton
  Guard write() {
    return retrying(6, 5, 180, false);
  }

  @Produces
  @Identifier(STATUS)
  @Singleton
  Guard status() {
    return retrying(6, 5, 180, true);
  }
}
