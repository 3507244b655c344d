package dev.taskbridge.run;

import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.contract.TaskReason;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskDefinition;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.keptn.TaskKey;
import dev.taskbridge.keptn.Timestamps;
import dev.taskbridge.kube.ApiErrors;
import dev.taskbridge.kube.Cluster;
import dev.taskbridge.metrics.BridgeMetrics;
import dev.taskbridge.plan.FoundDefinition;
import dev.taskbridge.security.Glob;
import io.fabric8.kubernetes.api.model.Container;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Carries out {@link Step.CreateJob}: finds the task's KeptnTaskDefinition (the task's namespace,
 * then Keptn's), turns it into a Job, checks its images and creates it (with its inline code's
 * ConfigMap). A definition that cannot run throws {@link DefinitionProblem}; the API server's
 * refusals throw {@link ApiErrors}.
 */
final class JobStarter {
  private final Cluster cluster;
  private final JobFactory jobs;
  private final BridgeMetrics metrics;
  private final TaskEvents events;
  private final Clock clock;
  private final String keptnNamespace;
  private final List<Glob> allowedImages;
  private final Map<TaskKey, Instant> createdAt = new ConcurrentHashMap<>();
  private final Map<TaskKey, String> failing = new ConcurrentHashMap<>();

  JobStarter(
      Cluster cluster,
      JobFactory jobs,
      BridgeMetrics metrics,
      TaskEvents events,
      Clock clock,
      BridgeConfig config) {
    this.cluster = cluster;
    this.jobs = jobs;
    this.metrics = metrics;
    this.events = events;
    this.clock = clock;
    this.keptnNamespace = config.keptnNamespace();
    this.allowedImages = config.runner().allowedImages().stream().map(Glob::of).toList();
  }

  private static final Logger LOG = Logger.getLogger(JobStarter.class);

  /** What came of creating a task's Job. */
  sealed interface Outcome {
    /**
     * The Job exists: created by this call ({@code now}), or before by this or another replica (the
     * API server answered 409).
     */
    record Created(String jobName, boolean now) implements Outcome {}

    /** It cannot be created, ever: the task fails with {@code reason}. */
    record Refused(TaskReason reason, String message) implements Outcome {}

    /**
     * Not now (the API server did not answer, or asked to wait): try again {@code after}; {@code
     * hold}: not before, whatever wakes the task (429 Retry-After).
     */
    record Later(String why, Duration after, boolean hold) implements Outcome {}
  }

  /** Creates the task's Job, or says why not (and remembers why while it fails). */
  Outcome start(TaskKey key, KeptnTask task) {
    Outcome outcome = attempt(key, task);
    if (outcome instanceof Outcome.Later later) {
      failing.put(key, later.why());
    } else {
      failing.remove(key);
    }
    return outcome;
  }

  private Outcome attempt(TaskKey key, KeptnTask task) {
    try {
      return create(key, task);
    } catch (DefinitionProblem p) {
      return new Outcome.Refused(p.reason(), p.getMessage());
    } catch (ApiErrors.Permanent e) {
      return new Outcome.Refused(TaskReason.JOB_CREATE_FAILED, e.getMessage());
    } catch (ApiErrors.Throttled t) {
      LOG.debugf("Job for %s not created yet: %s", key, t.getMessage());
      return new Outcome.Later(t.getMessage(), Duration.ofSeconds(t.retryAfterSeconds()), true);
    } catch (ApiErrors.Transient e) {
      LOG.warnf("Job for %s not created yet: %s", key, e.getMessage());
      return new Outcome.Later(e.getMessage(), Duration.ofSeconds(5), false);
    }
  }

  /** Creates the task's Job (nothing when it exists already). */
  private Outcome.Created create(TaskKey key, KeptnTask task) throws DefinitionProblem {
    String defName = task.getSpec().taskDefinition;
    FoundDefinition def = definition(task).orElseThrow(() -> notFound(key, defName));
    DesiredRun run = desired(task, def);
    imagesAllowed(defName, run);
    if (run.codeConfigMap() != null) {
      cluster.createConfigMap(run.codeConfigMap());
    }
    boolean now = cluster.createJob(run.job());
    if (now) {
      createdAt.put(key, clock.instant());
      metrics.taskStarted(task.getSpec().checkType);
      events.started(task, run.job().getMetadata().getName());
      Timestamps.parse(Owners.annotation(task, Keys.RECEIVED_AT))
          .ifPresent(received -> metrics.eventToJob(Duration.between(received, clock.instant())));
    }
    return new Outcome.Created(run.job().getMetadata().getName(), now);
  }

  /** When this bridge created the task's Job; null when it did not (or forgot). */
  Instant createdAt(TaskKey key) {
    return createdAt.get(key);
  }

  /** Why the last try to create the task's Job failed, while it fails; else null. */
  String failing(TaskKey key) {
    return failing.get(key);
  }

  void forget(TaskKey key) {
    createdAt.remove(key);
    failing.remove(key);
  }

  /** Where ingest found the definition, else the task's namespace, then Keptn's. */
  private Optional<FoundDefinition> definition(KeptnTask task) {
    String ns = task.getMetadata().getNamespace();
    String name = task.getSpec().taskDefinition;
    String defNs = Owners.annotation(task, Keys.DEFINITION_NAMESPACE);
    Optional<FoundDefinition> def =
        cluster.definition(defNs != null ? defNs : ns, defNs != null ? null : keptnNamespace, name);
    return def.isEmpty() && defNs != null ? cluster.definition(ns, keptnNamespace, name) : def;
  }

  private DefinitionProblem notFound(TaskKey key, String defName) {
    return new DefinitionProblem(
        TaskReason.DEFINITION_NOT_FOUND,
        "KeptnTaskDefinition "
            + defName
            + " not found in "
            + key.namespace()
            + " or "
            + keptnNamespace);
  }

  private DesiredRun desired(KeptnTask task, FoundDefinition def) throws DefinitionProblem {
    var spec = def.definition().getSpec();
    var ref =
        spec == null
            ? null
            : spec.deno != null && spec.deno.functionRef != null
                ? spec.deno.functionRef
                : spec.python != null && spec.python.functionRef != null
                    ? spec.python.functionRef
                    : null;
    KeptnTaskDefinition parent =
        ref == null || ref.name == null
            ? null
            : cluster
                .definition(def.namespace(), keptnNamespace, ref.name)
                .map(FoundDefinition::definition)
                .orElse(null);
    try {
      return jobs.desired(task, def.definition(), parent);
    } catch (DefinitionProblem p) {
      throw p;
    } catch (RuntimeException e) {
      // a definition the CRD schema allows but nobody foresaw: the task fails, nothing loops
      throw new DefinitionProblem(
          TaskReason.INVALID_DEFINITION,
          "KeptnTaskDefinition "
              + task.getSpec().taskDefinition
              + " cannot be turned into a Job: "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }

  /** Every image of the Job must match {@code bridge.runner.allowed-images}. */
  private void imagesAllowed(String definition, DesiredRun run) throws DefinitionProblem {
    var pod = run.job().getSpec().getTemplate().getSpec();
    List<Container> all = new ArrayList<>(pod.getContainers());
    if (pod.getInitContainers() != null) {
      all.addAll(pod.getInitContainers());
    }
    for (Container c : all) {
      if (!Glob.anyMatches(allowedImages, c.getImage())) {
        throw new DefinitionProblem(
            TaskReason.IMAGE_NOT_ALLOWED,
            "KeptnTaskDefinition "
                + definition
                + " runs image "
                + c.getImage()
                + ", which bridge.runner.allowed-images does not allow");
      }
    }
  }
}
