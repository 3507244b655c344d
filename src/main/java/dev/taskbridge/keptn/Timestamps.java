package dev.taskbridge.keptn;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Keptn's and Kubernetes' timestamps (RFC 3339 strings in status and metadata), read leniently: a
 * missing or unparsable one is absent, never an exception. Pure.
 */
public final class Timestamps {
  private Timestamps() {}

  /** The instant of {@code s} ({@code Z} or an offset); empty when null or unparsable. */
  public static Optional<Instant> parse(String s) {
    if (s == null || s.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(s));
    } catch (RuntimeException e) {
      try {
        return Optional.of(OffsetDateTime.parse(s).toInstant());
      } catch (RuntimeException e2) {
        return Optional.empty();
      }
    }
  }

  /** The instant of {@code s}, or the epoch when it has none (sorts first). */
  public static Instant orEpoch(String s) {
    return parse(s).orElse(Instant.EPOCH);
  }

  /** The earlier of two timestamps (the other when one is null; unparsable ones sort first). */
  public static String earliest(String a, String b) {
    return a == null ? b : b == null ? a : orEpoch(b).isBefore(orEpoch(a)) ? b : a;
  }

  /** The later of two timestamps (the other when one is null; unparsable ones sort first). */
  public static String latest(String a, String b) {
    return a == null ? b : b == null ? a : orEpoch(b).isAfter(orEpoch(a)) ? b : a;
  }
}
