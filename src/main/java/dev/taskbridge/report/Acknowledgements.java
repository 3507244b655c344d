package dev.taskbridge.report;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What Kafka has not acknowledged yet: the sends in flight (oldest first) and whether the last
 * outcome was a failure. Readiness reads it: results that cannot be delivered make the replica not
 * ready, and it is ready again with the first acknowledgement.
 */
public final class Acknowledgements {
  private final ConcurrentSkipListMap<Long, Instant> inFlight = new ConcurrentSkipListMap<>();
  private final AtomicLong next = new AtomicLong();
  private volatile Instant failingSince;
  private volatile String lastFailure;

  /** A send begins; the returned ticket ends it. */
  public long sent(Instant now) {
    long ticket = next.incrementAndGet();
    inFlight.put(ticket, now);
    return ticket;
  }

  public void acknowledged(long ticket) {
    inFlight.remove(ticket);
    failingSince = null;
    lastFailure = null;
  }

  public void failed(long ticket, Instant now, String why) {
    inFlight.remove(ticket);
    if (failingSince == null) {
      failingSince = now;
    }
    lastFailure = why;
  }

  public int inFlight() {
    return inFlight.size();
  }

  /** How long the oldest unacknowledged send has waited. */
  public Duration oldest(Instant now) {
    var first = inFlight.firstEntry();
    return first == null ? Duration.ZERO : Duration.between(first.getValue(), now);
  }

  /** Since when sends have failed with no acknowledgement in between. */
  public Optional<Instant> failingSince() {
    return Optional.ofNullable(failingSince);
  }

  public Optional<String> lastFailure() {
    return Optional.ofNullable(lastFailure);
  }

  /**
   * Delivering: nothing failed since the last acknowledgement, nothing waits longer than {@code
   * max}.
   */
  public boolean delivering(Instant now, Duration max) {
    return failingSince == null && oldest(now).compareTo(max) <= 0;
  }
}
