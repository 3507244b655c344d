package dev.taskbridge.keptn;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Kubernetes writes them ({@code metav1.Duration}: Go syntax such as {@code 30s},
 * {@code 5m}, {@code 1h30m}, {@code 1.5h}, {@code 5m0s}), parsed and written.
 */
public final class GoDuration {
  private static final Pattern WHOLE =
      Pattern.compile("(?:[0-9]+(?:\\.[0-9]+)?(?:ns|us|µs|ms|s|m|h))+");
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)");
  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

  private GoDuration() {}

  /** Parses a Go duration; empty when the text is not one or is absurdly long. */
  public static Optional<Duration> parse(String text) {
    if (text == null || text.length() > 64) {
      return Optional.empty();
    }
    if (text.equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    if (!WHOLE.matcher(text).matches()) {
      return Optional.empty();
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      nanos =
          nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
      if (nanos.compareTo(MAX_NANOS) > 0) {
        return Optional.empty();
      }
    }
    return Optional.of(Duration.ofNanos(nanos.longValue()));
  }

  /**
   * Writes whole seconds compactly ({@code 30s}, {@code 5m}, {@code 1h30m}); sub-second values as
   * ms.
   */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.toNanosPart() % 1_000_000 == 0 && d.getSeconds() == 0) {
      return d.toMillis() + "ms";
    }
    long s = d.getSeconds();
    StringBuilder b = new StringBuilder();
    if (s >= 3600) {
      b.append(s / 3600).append('h');
      s %= 3600;
    }
    if (s >= 60) {
      b.append(s / 60).append('m');
      s %= 60;
    }
    if (s > 0 || b.length() == 0) {
      b.append(s).append('s');
    }
    return b.toString();
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      default -> 3_600_000_000_000L;
    };
  }
}
