package dev.taskbridge.report;

import dev.taskbridge.contract.ResultType;
import java.time.Instant;
import java.util.Map;

/**
 * One result event: a CloudEvent on {@code task-results}, keyed by the trigger hash so the results
 * of one deployment event stay in order. {@code id} is deterministic, so a record published twice
 * is the same.
 */
public record Result(
    String id,
    ResultType type,
    String subject,
    String key,
    String triggerId,
    String triggerSource,
    Instant time,
    Map<String, Object> data) {

  /**
   * The part of the id after the subject: {@code started}, {@code retrying.2}, {@code finished}...
   */
  public String kind() {
    return id.substring(subject.length() + 1);
  }
}
