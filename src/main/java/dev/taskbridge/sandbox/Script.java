package dev.taskbridge.sandbox;

import java.time.Duration;

/**
 * What the Job simulator makes of a Job: {@code failures} failed attempts, then success (or, with
 * {@code hangs}, an attempt that never ends, so only the deadline stops it). {@code starts} = false
 * models a pod that never starts (image pull failure, missing Secret): nothing runs and the
 * deadline ends the Job.
 */
public record Script(
    int failures, boolean hangs, boolean starts, Duration attemptTime, String log, String output) {
  public static final Duration DEFAULT_ATTEMPT = Duration.ofMillis(30);

  public static Script succeed() {
    return new Script(0, false, true, DEFAULT_ATTEMPT, "done\n", null);
  }

  public static Script failTimesThenSucceed(int failures) {
    return new Script(failures, false, true, DEFAULT_ATTEMPT, "attempt failed\n", null);
  }

  public static Script failAlways() {
    return new Script(Integer.MAX_VALUE, false, true, DEFAULT_ATTEMPT, "attempt failed\n", null);
  }

  public static Script hang() {
    return new Script(0, true, true, DEFAULT_ATTEMPT, "working...\n", null);
  }

  public static Script neverStarts() {
    return new Script(0, true, false, DEFAULT_ATTEMPT, "", null);
  }

  public Script taking(Duration d) {
    return new Script(failures, hangs, starts, d, log, output);
  }

  public Script logging(String text) {
    return new Script(failures, hangs, starts, attemptTime, text, output);
  }

  /**
   * Every attempt's container ends with this termination message ({@code /dev/termination-log}); a
   * succeeding attempt then leaves its terminated pod too, as on a real cluster.
   */
  public Script terminationMessage(String message) {
    return new Script(failures, hangs, starts, attemptTime, log, message);
  }
}
