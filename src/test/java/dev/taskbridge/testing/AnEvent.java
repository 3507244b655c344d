package dev.taskbridge.testing;

import dev.taskbridge.contract.CheckType;
import dev.taskbridge.plan.DeploymentEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A {@link DeploymentEvent} for unit tests, by name instead of by position: {@code
 * AnEvent.pre().app("shop", "1").tasks("a").build()}. Starts as an app event of {@code team-a} from
 * {@code ci/jenkins}; every optional field is absent until set.
 */
public final class AnEvent {
  private String source = "ci/jenkins";
  private String id = "build-1";
  private CheckType checkType;
  private String traceparent;
  private String namespace = "team-a";
  private String appName = "shop";
  private String appVersion = "1";
  private String workloadName;
  private String workloadVersion;
  private List<String> tasks;
  private Map<String, String> parameters;
  private String secureParameters;
  private Integer retries;
  private Duration timeout;
  private Map<String, String> metadata;
  private String type;

  private AnEvent(CheckType checkType) {
    this.checkType = checkType;
  }

  public static AnEvent of(CheckType checkType) {
    return new AnEvent(checkType);
  }

  public static AnEvent pre() {
    return of(CheckType.pre);
  }

  public static AnEvent post() {
    return of(CheckType.post);
  }

  public AnEvent identity(String source, String id) {
    this.source = source;
    this.id = id;
    return this;
  }

  public AnEvent namespace(String namespace) {
    this.namespace = namespace;
    return this;
  }

  public AnEvent app(String name, String version) {
    this.appName = name;
    this.appVersion = version;
    return this;
  }

  public AnEvent workload(String name, String version) {
    this.workloadName = name;
    this.workloadVersion = version;
    return this;
  }

  public AnEvent traceparent(String traceparent) {
    this.traceparent = traceparent;
    return this;
  }

  /** The tasks it names; {@code null} (the default) means it names none. */
  public AnEvent tasks(List<String> tasks) {
    this.tasks = tasks;
    return this;
  }

  public AnEvent tasks(String... tasks) {
    return tasks(List.of(tasks));
  }

  public AnEvent parameters(Map<String, String> parameters) {
    this.parameters = parameters;
    return this;
  }

  public AnEvent secureParameters(String secret) {
    this.secureParameters = secret;
    return this;
  }

  public AnEvent retries(Integer retries) {
    this.retries = retries;
    return this;
  }

  public AnEvent timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  public AnEvent metadata(Map<String, String> metadata) {
    this.metadata = metadata;
    return this;
  }

  /** Its CloudEvents type when not ours (e.g. a CDEvents type); ours by default. */
  public AnEvent type(String type) {
    this.type = type;
    return this;
  }

  public DeploymentEvent build() {
    return new DeploymentEvent(
        source,
        id,
        checkType,
        traceparent,
        namespace,
        appName,
        appVersion,
        workloadName,
        workloadVersion,
        tasks,
        parameters,
        secureParameters,
        retries,
        timeout,
        metadata,
        type == null ? checkType.eventType() : type);
  }
}
