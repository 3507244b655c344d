package dev.taskbridge.keptn;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** {@code parameters}: Keptn's wrapper object around a string map (JSON key {@code map}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ParameterMap {
  public Map<String, String> map;

  public ParameterMap() {}

  public ParameterMap(Map<String, String> map) {
    this.map = map;
  }
}
