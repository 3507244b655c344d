package dev.taskbridge.keptn;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code secureParameters}: the name of a Secret whose key {@code SECURE_DATA} the task receives.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class SecureParameters {
  public String secret;

  public SecureParameters() {}

  public SecureParameters(String secret) {
    this.secret = secret;
  }
}
