package dev.taskbridge.keptn;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import java.util.List;

/** {@code KeptnTaskDefinition.spec}: every field of the v1 schema. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class KeptnTaskDefinitionSpec {
  public RuntimeSpec deno;
  public RuntimeSpec python;
  public Container container;
  public Integer retries;
  public String timeout;
  public NameRef serviceAccount;
  public AutomountToken automountServiceAccountToken;
  public Integer ttlSecondsAfterFinished;
  public List<LocalObjectReference> imagePullSecrets;

  /** {@code automountServiceAccountToken}: Keptn wraps the boolean in an object. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class AutomountToken {
    public Boolean type;

    public AutomountToken() {}

    public AutomountToken(Boolean type) {
      this.type = type;
    }
  }
}
