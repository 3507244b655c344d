package dev.taskbridge.config;

import dev.taskbridge.contract.CheckType;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
   * Objects per answer when the bridge lists from the API server (the informers' lists and relists,
   * the sweep): {@code limit} and {@code continue}, so that a page is in memory at a time, not
   * every task in flight in one answer.
   */
  @WithDefault("500")
  @Min(1)
  int listPageSize();

  /**
   * Rules that choose task definitions for events that name none and whose app has no
   * KeptnAppContext. The first matching rule wins.
   */
  List<Rule> rules();

  /** Leader election: only the leader watches, publishes results and sweeps. */
  LeaderElection leaderElection();

  /** Who may use {@code POST /events} and {@code GET /triggers/...}. */
  Auth auth();

  /** HTTP settings. */
  Http http();

  /** CDEvents input. */
  CdEvents cdevents();

  /** CDEvents input. */
  interface CdEvents {
    /**
     * Namespaces for CDEvents environment ids that are not namespace names ({@code
     * bridge.cdevents.environments."prod/eu-1"=shop-prod}); an id not listed is the namespace.
     */
    Map<String, @Pattern(regexp = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?") String> environments();
  }

  /** Authentication of HTTP callers. */
  interface Auth {
    /**
     * {@code token} (bearer tokens from the tokens file), {@code oidc} (JWTs verified by
     * quarkus-oidc) or {@code none} (nobody is asked; logged as a warning at every start).
     */
    @WithDefault("token")
    AuthMode mode();

    /**
     * The clients of {@code token} mode: a YAML list of name, sha256, namespaces, definitions,
     * sources; re-read when it changes, no restart. Missing or unreadable: every request is
     * refused.
     */
    @WithDefault("/etc/keptn-task-bridge/tokens.yaml")
    String tokensFile();

    /** How the claims of an OIDC token map to a scope. */
    Oidc oidc();

    /** Claim names of {@code oidc} mode. */
    interface Oidc {
      /** Claim with the namespaces the caller may target (a list or a space-separated string). */
      @WithDefault("taskbridge_namespaces")
      String namespacesClaim();

      /** Claim with the definition globs the caller may run; absent = any. */
      @WithDefault("taskbridge_definitions")
      String definitionsClaim();

      /** Claim with the source globs the caller may send; absent = any. */
      @WithDefault("taskbridge_sources")
      String sourcesClaim();
    }
  }

  /** HTTP settings. */
  interface Http {
    /** Longest {@code ?wait=} a caller may ask of the verdict; longer waits are capped. */
    @WithDefault("10m")
    Duration maxWait();
  }

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

    /**
     * Globs of the container images a task may run ({@code *} = any, logged as a warning); a task
     * whose image is not allowed fails with {@code ImageNotAllowed} and gets no Job.
     */
    @WithDefault("*")
    @NotEmpty
    List<String> allowedImages();
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

    /**
     * Whether events may name a Secret in {@code secureParameters}; off, such an event is rejected
     * ({@code SecureParametersNotAllowed}). A definition's own Secret is always used.
     */
    @WithDefault("false")
    boolean allowSecureParameters();
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

    /**
     * A link to an attempt's log, with {@code {namespace}}, {@code {pod}}, {@code {job}}, {@code
     * {task}}; when set, retrying, succeeded and failed results carry it as {@code logUrl}.
     */
    Optional<String> logUrl();

    /**
     * Which results are published: {@code taskbridge} (ours), {@code cdevents} (CDEvents taskrun
     * and pipelinerun events; rejections stay ours) or {@code both}.
     */
    @WithDefault("taskbridge")
    ResultFormat format();
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

    /**
     * Check type to match ({@code pre} or {@code post}); absent matches both. Another value stops
     * the start (a typo would otherwise never match).
     */
    Optional<CheckType> type();

    /** KeptnTaskDefinition names to run; a rule without any stops the start. */
    @NotEmpty
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
