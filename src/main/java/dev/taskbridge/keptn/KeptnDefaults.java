package dev.taskbridge.keptn;

import java.time.Duration;

/**
 * What Keptn assumes where a KeptnTask or its definition says nothing, in one place: 10 retries and
 * a 5-minute timeout (Keptn's CRD defaults), and the one rule that turns a task's timeout into the
 * time it may run.
 */
public final class KeptnDefaults {
  public static final int RETRIES = 10;
  public static final Duration TIMEOUT = Duration.ofMinutes(5);

  private KeptnDefaults() {}

  /** The retries given, else Keptn's. */
  public static int retries(Integer given) {
    return given == null ? RETRIES : given;
  }

  /**
   * The time a task may run: its Go duration ({@code 90s}, {@code 5m}), else Keptn's 5m, in whole
   * seconds and at least one (a Job's {@code activeDeadlineSeconds} cannot be 0).
   */
  public static Duration timeout(String goDuration) {
    Duration t = GoDuration.parse(goDuration).orElse(TIMEOUT);
    return Duration.ofSeconds(Math.max(1, t.getSeconds()));
  }
}
