package dev.taskbridge.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The API server's "come back later": after a 429 with {@code Retry-After}, no request is sent
 * until that time has passed. A call made before then fails at once with {@link
 * ApiErrors.Throttled} for the time that is left, and its caller (the work queue, ingest) waits
 * that long: a storm of 429s costs no request and ties up no thread.
 */
final class Throttle {
  private final Clock clock;
  private volatile Instant notBefore = Instant.MIN;

  Throttle(Clock clock) {
    this.clock = clock;
  }

  /** Throws {@link ApiErrors.Throttled} while the server's wait is not over. */
  void check(String what) {
    Instant now = clock.instant();
    Instant until = notBefore;
    if (now.isBefore(until)) {
      long left = Math.max(1, (Duration.between(now, until).toMillis() + 999) / 1000);
      throw new ApiErrors.Throttled(what + ": the API server asked to wait", null, (int) left);
    }
  }

  /** Remembers the wait a classified failure carries; returns the failure. */
  RuntimeException seen(RuntimeException failure) {
    if (failure instanceof ApiErrors.Throttled t) {
      Instant until = clock.instant().plusSeconds(t.retryAfterSeconds());
      if (until.isAfter(notBefore)) {
        notBefore = until;
      }
    }
    return failure;
  }
}
