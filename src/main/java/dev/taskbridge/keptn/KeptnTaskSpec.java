package dev.taskbridge.keptn;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code KeptnTask.spec}: every field of the v1 schema. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class KeptnTaskSpec {
  public String taskDefinition;
  public TaskContext context;
  public ParameterMap parameters;
  public SecureParameters secureParameters;
  public String checkType;
  public Integer retries;
  public String timeout;
}
