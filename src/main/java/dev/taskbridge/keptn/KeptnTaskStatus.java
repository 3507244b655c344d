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
}
