package dev.taskbridge.keptn;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * {@code KeptnTask.spec.context}. Property order is Keptn's, because the same JSON becomes the
 * Job's {@code KEPTN_CONTEXT}: the six strings always present, {@code metadata} only when
 * non-empty.
 */
@JsonPropertyOrder({
  "workloadName",
  "appName",
  "appVersion",
  "workloadVersion",
  "taskType",
  "objectType",
  "metadata"
})
@JsonIgnoreProperties(ignoreUnknown = true)
public class TaskContext {
  public String workloadName = "";
  public String appName = "";
  public String appVersion = "";
  public String workloadVersion = "";
  public String taskType = "";
  public String objectType = "";

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public Map<String, String> metadata;
}
