package dev.taskbridge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the bridge, under {@code bridge.}. Invalid values stop start-up with a message
 * that names the key (Hibernate Validator checks the constraints, SmallRye Config the types and
 * enum values).
 */
@ConfigMapping(prefix = "bridge")
public interface BridgeConfig {

  /** Namespaces that events may target; {@code *} allows every namespace (logged as a warning). */
  @WithDefault("default")
  @NotEmpty
  List<@Pattern(regexp = "\\*|[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?") String> namespaces();

  /** Namespace used when an event names none; without it, {@code data.namespace} is required. */
  Optional<@Pattern(regexp = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?") String> defaultNamespace();

  /** Second place to look up a KeptnTaskDefinition (Keptn's own namespace). */
  @WithDefault("keptn-system")
  @Pattern(regexp = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
  String keptnNamespace();

  /** {@code source} attribute of every result event. */
  @WithDefault("keptn-task-bridge")
  @NotEmpty
  String source();

  /** How tasks are executed. */
  Runner runner();

  /** What events may ask of tasks. */
  Tasks tasks();

  /** What results carry. */
  Results results();

  /** Input limits. */
  Limits limits();

  /** The scheduled reconciliation. */
  Sweep sweep();

  /**
   * Rules that choose task definitions for events that name none and whose app has no
   * KeptnAppContext. The first matching rule wins.
   */
  List<Rule> rules();

  /** Leader election: only the leader watches, publishes results and sweeps. */
  LeaderElection leaderElection();

  /**
   * Dev-mode sandbox (embedded broker, API server and Job simulator); never active in a packaged
   * app.
   */
  Sandbox sandbox();

  /** Runner settings. */
  interface Runner {
    /**
     * {@code standalone}: the bridge creates and watches Jobs; {@code keptn}: Keptn's operator runs
     * them.
     */
    @WithDefault("standalone")
    RunnerMode mode();

    /** {@code Never} (each attempt is its own pod, logs survive) or {@code OnFailure} (Keptn's). */
    @WithDefault("Never")
    RestartPolicy restartPolicy();

    /** Image that runs deno task definitions. */
    @WithDefault("ghcr.io/keptn/deno-runtime:v3.0.1")
    @NotEmpty
    String denoImage();

    /** Image that runs python task definitions. */
    @WithDefault("ghcr.io/keptn/python-runtime:v1.0.8")
    @NotEmpty
    String pythonImage();
  }

  /** Task settings. */
  interface Tasks {
    /** Whether events may name their tasks in {@code data.tasks}. */
    @WithDefault("true")
    boolean allowExplicit();

    /** Highest {@code retries} an event may ask for; larger values are capped. */
    @WithDefault("20")
    @Min(0)
    @Max(1000)
    int maxRetries();

    /** Longest {@code timeout} an event may ask for; longer values are capped. */
    @WithDefault("1h")
    Duration maxTimeout();
  }

  /** Result settings. */
  interface Results {
    /** Lines of a failed attempt's log carried in results; 0 turns log tails off. */
    @WithDefault("20")
    @Min(0)
    @Max(1000)
    int logTailLines();

    /** Phase result when a task fails: {@code fail} or {@code warning}. */
    @WithDefault("fail")
    OnTaskFailure onTaskFailure();

    /** CloudEvents content mode of results: {@code binary} (ce_ headers) or {@code structured}. */
    @WithDefault("binary")
    ContentMode contentMode();
  }

  /** Input limits. */
  interface Limits {
    /** Largest accepted event, in bytes (Kafka record value or HTTP body). */
    @WithDefault("65536")
    @Min(1024)
    int maxEventBytes();

    /** Most tasks one event may name. */
    @WithDefault("20")
    @Min(1)
    int maxTasks();

    /** Most parameters one event may carry. */
    @WithDefault("64")
    @Min(0)
    int maxParameters();
  }

  /** Sweep settings. */
  interface Sweep {
    /** Reconciliation interval. */
    @WithDefault("30s")
    Duration every();
  }

  /** One task-selection rule; every key that is set must match. */
  interface Rule {
    /** Namespace to match; absent matches all. */
    Optional<String> namespace();

    /** App name to match; absent matches all. */
    Optional<String> app();

    /** Workload name to match; absent matches all. */
    Optional<String> workload();

    /** Check type to match ({@code pre} or {@code post}); absent matches both. */
    Optional<String> type();

    /** KeptnTaskDefinition names to run. */
    List<String> tasks();
  }

  /** Leader election through a Kubernetes Lease. */
  interface LeaderElection {
    /** Elect a leader among replicas; off means this replica always leads. */
    @WithDefault("true")
    boolean enabled();

    /** Name of the Lease. */
    @WithDefault("keptn-task-bridge")
    String leaseName();

    /** Namespace of the Lease; default: the namespace the Kubernetes client runs in. */
    Optional<String> leaseNamespace();

    /** How long a leader holds the Lease without renewing it. */
    @WithDefault("15s")
    Duration leaseDuration();

    /** How long a leader tries to renew before it gives up leading. */
    @WithDefault("10s")
    Duration renewDeadline();

    /** How often candidates try to take the Lease. */
    @WithDefault("2s")
    Duration retryPeriod();
  }

  /** Sandbox settings (dev mode only). */
  interface Sandbox {
    /** Start the embedded broker, API server and Job simulator in dev mode. */
    @WithDefault("false")
    boolean enabled();

    /** Port of the embedded Kafka broker. */
    @WithDefault("19092")
    int kafkaPort();

    /** Port of the embedded Kubernetes API server. */
    @WithDefault("18443")
    int apiServerPort();
  }
}
