package dev.taskbridge.testing;

import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.config.ContentMode;
import dev.taskbridge.config.OnTaskFailure;
import dev.taskbridge.config.RestartPolicy;
import dev.taskbridge.config.ResultFormat;
import dev.taskbridge.config.RunnerMode;
import dev.taskbridge.contract.CheckType;
import dev.taskbridge.plan.DeploymentEvent;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Plain-Java stand-ins for configuration and events, for unit tests of the pure code. */
public final class Samples {
  private Samples() {}

  public static DeploymentEvent appEvent(CheckType type, List<String> tasks) {
    return AnEvent.of(type)
        .identity("ci/jenkins", "build-42")
        .app("shop", "1.2.3")
        .tasks(tasks)
        .build();
  }

  public static DeploymentEvent workloadEvent(CheckType type, List<String> tasks) {
    return AnEvent.of(type)
        .identity("ci/jenkins", "build-43")
        .traceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        .app("shop", "1.2.3")
        .workload("cart", "0.9.1")
        .tasks(tasks)
        .parameters(Map.of("url", "http://cart<&>", "mode", "smoke"))
        .secureParameters("cart-secrets")
        .retries(3)
        .timeout(Duration.ofSeconds(90))
        .metadata(Map.of("commit", "abc123"))
        .build();
  }

  /** A configuration with every default of CONTRACT.md, adjustable where tests need it. */
  public static Config config() {
    return new Config();
  }

  /**
   * A hand-written {@link BridgeConfig}. Its groups are dynamic proxies: plain classes implementing
   * the mapping would carry its validation constraints and be taken for CDI beans by the Quarkus
   * tests that share this source tree.
   */
  public static final class Config {
    public List<String> namespaces = List.of("default", "team-a");
    public Optional<String> defaultNamespace = Optional.empty();
    public boolean allowExplicit = true;
    public boolean allowSecureParameters = true;
    public int maxRetries = 20;
    public Duration maxTimeout = Duration.ofHours(1);
    public int maxTasks = 20;
    public int maxParameters = 64;
    public int maxEventBytes = 65536;
    public List<BridgeConfig.Rule> rules = List.of();
    public OnTaskFailure onTaskFailure = OnTaskFailure.fail;
    public Map<String, String> cdEventsEnvironments = Map.of();

    /** The configuration as the code sees it, reflecting the fields at call time. */
    public BridgeConfig get() {
      return group(
          BridgeConfig.class,
          name ->
              switch (name) {
                case "namespaces" -> namespaces;
                case "defaultNamespace" -> defaultNamespace;
                case "keptnNamespace" -> "keptn-system";
                case "source" -> "keptn-task-bridge";
                case "runner" -> runner();
                case "tasks" -> tasks();
                case "results" ->
                    group(
                        BridgeConfig.Results.class,
                        n ->
                            switch (n) {
                              case "logTailLines" -> 20;
                              case "onTaskFailure" -> onTaskFailure;
                              case "logUrl" -> Optional.empty();
                              case "format" -> ResultFormat.taskbridge;
                              default -> ContentMode.binary;
                            });
                case "limits" ->
                    group(
                        BridgeConfig.Limits.class,
                        n ->
                            switch (n) {
                              case "maxEventBytes" -> maxEventBytes;
                              case "maxTasks" -> maxTasks;
                              default -> maxParameters;
                            });
                case "sweep" -> group(BridgeConfig.Sweep.class, n -> Duration.ofSeconds(30));
                case "rules" -> rules;
                case "cdevents" -> group(BridgeConfig.CdEvents.class, n -> cdEventsEnvironments);
                default -> throw new UnsupportedOperationException(name);
              });
    }

    public BridgeConfig.Runner runner() {
      return group(
          BridgeConfig.Runner.class,
          n ->
              switch (n) {
                case "mode" -> RunnerMode.standalone;
                case "restartPolicy" -> RestartPolicy.Never;
                case "denoImage" -> "ghcr.io/keptn/deno-runtime:v3.0.1";
                case "allowedImages" -> List.of("*");
                default -> "ghcr.io/keptn/python-runtime:v1.0.8";
              });
    }

    public BridgeConfig.Tasks tasks() {
      return group(
          BridgeConfig.Tasks.class,
          n ->
              switch (n) {
                case "allowExplicit" -> allowExplicit;
                case "maxRetries" -> maxRetries;
                case "allowSecureParameters" -> allowSecureParameters;
                default -> maxTimeout;
              });
    }

    public List<BridgeConfig.Rule> rules() {
      return rules;
    }
  }

  /** A rule for {@code bridge.rules}. */
  public static BridgeConfig.Rule rule(
      String namespace, String app, String workload, String type, List<String> tasks) {
    return group(
        BridgeConfig.Rule.class,
        n ->
            switch (n) {
              case "namespace" -> Optional.ofNullable(namespace);
              case "app" -> Optional.ofNullable(app);
              case "workload" -> Optional.ofNullable(workload);
              case "type" -> Optional.ofNullable(type).map(CheckType::valueOf);
              default -> tasks;
            });
  }

  @SuppressWarnings("unchecked")
  static <T> T group(Class<T> type, Function<String, Object> values) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) ->
                method.getName().equals("toString")
                    ? type.getSimpleName()
                    : values.apply(method.getName()));
  }
}
