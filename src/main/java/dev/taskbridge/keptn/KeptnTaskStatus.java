package dev.taskbridge.keptn;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code KeptnTask.status}, exactly Keptn's fields. Anything else the bridge needs to remember
 * lives in annotations, because a real API server prunes undeclared status fields.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class KeptnTaskStatus {
  public String jobName;
  public String status;
  public String message;
  public String reason;
  public String startTime;
  public String endTime;

  /** A copy of a task's status to change and write (never the cached object itself). */
  public static KeptnTaskStatus copyOf(KeptnTaskStatus s) {
    KeptnTaskStatus copy = new KeptnTaskStatus();
    if (s != null) {
      copy.jobName = s.jobName;
      copy.status = s.status;
      copy.message = s.message;
      copy.reason = s.reason;
      copy.startTime = s.startTime;
      copy.endTime = s.endTime;
    }
    return copy;
  }
}
