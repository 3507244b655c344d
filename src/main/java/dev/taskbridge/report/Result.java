package dev.taskbridge.report;

import java.time.Instant;
import java.util.Map;

/**
 * One result event: a CloudEvent on {@code task-results}, keyed by the trigger hash so the results
 * of one deployment event stay in order. {@code id} is deterministic, so a record published twice
 * is the same.
 */
public record Result(
    String id,
    String type,
    String subject,
    String key,
    String triggerId,
    String triggerSource,
    Instant time,
    Map<String, Object> data) {

  public static final String PREFIX = "dev.taskbridge.";
  public static final String STARTED = PREFIX + "task.started";
  public static final String RETRYING = PREFIX + "task.retrying";
  public static final String SUCCEEDED = PREFIX + "task.succeeded";
  public static final String FAILED = PREFIX + "task.failed";
  public static final String PHASE_FINISHED = PREFIX + "phase.finished";
  public static final String REJECTED = PREFIX + "event.rejected";

  /**
   * The part of the id after the subject: {@code started}, {@code retrying.2}, {@code finished}...
   */
  public String kind() {
    return id.substring(subject.length() + 1);
  }

  /**
   * The short type for metric tags: {@code task.started}, {@code phase.finished}, {@code
   * cdevents.taskrun.started.0.3.0}...
   */
  public String shortType() {
    return type.startsWith(PREFIX) ? type.substring(PREFIX.length()) : type.substring(4);
  }
}
