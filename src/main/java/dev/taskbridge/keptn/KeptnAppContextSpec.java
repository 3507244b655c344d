package dev.taskbridge.keptn;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** {@code KeptnAppContext.spec}: every field of the v1 schema. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class KeptnAppContextSpec {
  public Map<String, String> metadata;
  public List<String> preDeploymentTasks;
  public List<String> postDeploymentTasks;
  public List<String> preDeploymentEvaluations;
  public List<String> postDeploymentEvaluations;
  public List<String> promotionTasks;
  public List<String> spanLinks;
}
