package dev.taskbridge.keptn;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code spec.deno} / {@code spec.python} of a KeptnTaskDefinition. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class RuntimeSpec {
  public NameRef functionRef;
  public Inline inline;
  public HttpRef httpRef;
  public NameRef configMapRef;
  public ParameterMap parameters;
  public SecureParameters secureParameters;
  public String cmdParameters;

  /** Inline source code. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class Inline {
    public String code;

    public Inline() {}

    public Inline(String code) {
      this.code = code;
    }
  }

  /** Script fetched by the runtime at run time. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class HttpRef {
    public String url;

    public HttpRef() {}

    public HttpRef(String url) {
      this.url = url;
    }
  }
}
