package dev.taskbridge.run;

import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.config.RunnerMode;
import dev.taskbridge.keptn.KeptnState;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskStatus;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.keptn.TaskKey;
import dev.taskbridge.metrics.BridgeMetrics;
import dev.taskbridge.plan.FoundDefinition;
import dev.taskbridge.plan.GoDuration;
import dev.taskbridge.plan.Planner;
import dev.taskbridge.report.Reporter;
import dev.taskbridge.report.TaskFacts;
import dev.taskbridge.security.Glob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Moves one KeptnTask along: creates its Job (standalone mode), mirrors the Job's state into the
 * task's status, counts attempts, and hands the task to the {@link Reporter}. A terminal task is
 * never run again.
 */
public final class TaskReconciler {
  private static final Logger LOG = Logger.getLogger(TaskReconciler.class);

  private final Cluster cluster;
  private final JobFactory jobs;
  private final TaskCache cache;
  private final Reporter reporter;
  private final BridgeMetrics metrics;
  private final WorkQueue<Work> queue;
  private final Clock clock;
  private final BridgeConfig config;
  private final Map<TaskKey, String> lastCreateError = new ConcurrentHashMap<>();
  private final Map<TaskKey, Own> fresh = new ConcurrentHashMap<>();
  private final java.util.Set<TaskKey> released = ConcurrentHashMap.newKeySet();
  private final java.util.List<Glob> allowedImages;
  private final TaskEvents events;
  private final boolean restartsInPod;

  public TaskReconciler(
      Cluster cluster,
      JobFactory jobs,
      TaskCache cache,
      Reporter reporter,
      BridgeMetrics metrics,
      WorkQueue<Work> queue,
      Clock clock,
      BridgeConfig config,
      TaskEvents events) {
    this.events = events;
    this.cluster = cluster;
    this.jobs = jobs;
    this.cache = cache;
    this.reporter = reporter;
    this.metrics = metrics;
    this.queue = queue;
    this.clock = clock;
    this.config = config;
    this.allowedImages = config.runner().allowedImages().stream().map(Glob::of).toList();
    this.restartsInPod =
        config.runner().mode() == RunnerMode.keptn
            || config.runner().restartPolicy() == dev.taskbridge.config.RestartPolicy.OnFailure;
  }

  /** Drops what is kept about a task that is done and left the cache. */
  public void forget(TaskKey key) {
    fresh.remove(key);
    lastCreateError.remove(key);
    released.remove(key); // a standalone Job has its task's name
  }

  public void reconcile(TaskKey key) {
    KeptnTask cached = cache.task(key);
    if (cached == null) {
      fresh.remove(key);
      releaseOrphan(key);
      return;
    }
    KeptnTask task = fresher(key, cached);
    if (task.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    try {
      step(key, task);
    } catch (ApiErrors.Conflict c) {
      // somebody wrote the task since this copy was read: read again, decide again
      fresh.remove(key);
      LOG.debugf("%s changed under a decision (%s); deciding again", key, c.getMessage());
      queue.enqueueAfter(new Work.Reconcile(key), Duration.ofMillis(200));
    }
  }

  private void step(TaskKey key, KeptnTask task) {
    if (!KeptnState.of(status(task).status).isTerminal()) {
      task =
          config.runner().mode() == RunnerMode.standalone ? advance(key, task) : follow(key, task);
    } else {
      reporter.terminalSeen(key);
      if (config.runner().mode() == RunnerMode.keptn) {
        // Keptn may write the terminal status before the bridge saw the failed attempts
        task = countKeptnAttempts(task);
      } else {
        release(cache.job(task.getMetadata().getNamespace(), task.getMetadata().getName()));
      }
    }
    reporter.settle(key, task);
  }

  private KeptnTask countKeptnAttempts(KeptnTask task) {
    String jobName = status(task).jobName;
    Job job = jobName == null ? null : cache.job(task.getMetadata().getNamespace(), jobName);
    return job == null ? task : countAttempts(task, job);
  }

  /** Standalone mode: the bridge runs the Job. */
  private KeptnTask advance(TaskKey key, KeptnTask task) {
    String name = task.getMetadata().getName();
    Job job = cache.job(task.getMetadata().getNamespace(), name);
    if (job == null && status(task).jobName != null) {
      job = cluster.job(task.getMetadata().getNamespace(), name).orElse(null);
      if (job == null) {
        return finish(
            key,
            task,
            KeptnState.Failed,
            Reasons.JOB_DELETED,
            "the Job was deleted before it finished; the task is not run again");
      }
    }
    if (job != null
        && job.getMetadata().getDeletionTimestamp() != null
        && !JobView.of(job).state().isTerminal()) {
      KeptnTask ended =
          finish(
              key,
              task,
              KeptnState.Failed,
              Reasons.JOB_DELETED,
              "the Job was deleted before it finished; the task is not run again");
      release(job);
      return ended;
    }
    return job == null ? start(key, task) : observe(key, task, job);
  }

  /**
   * Lets a Job go once its task's outcome is on the KeptnTask (its finalizer, standalone mode).
   * Once per Job: the informer's copy shows the finalizer until the patch comes back on the watch.
   */
  private void release(Job job) {
    if (job != null
        && job.getMetadata().getFinalizers() != null
        && job.getMetadata().getFinalizers().contains(Keys.JOB_FINALIZER)
        && !released.contains(TaskKey.of(job))) {
      cluster.releaseJob(job);
      released.add(TaskKey.of(job));
    }
  }

  /**
   * A Job of the bridge's being deleted whose task is not in the cache: done (its outcome is
   * recorded) or gone (deleted while the bridge did not run). Either way nothing waits for the Job:
   * it is let go instead of staying in deletion forever.
   */
  private void releaseOrphan(TaskKey key) {
    if (config.runner().mode() != RunnerMode.standalone) {
      return;
    }
    String ns = key.namespace();
    Job job = cache.job(ns, key.name());
    if (job == null
        || job.getMetadata().getDeletionTimestamp() == null
        || job.getMetadata().getFinalizers() == null
        || !job.getMetadata().getFinalizers().contains(Keys.JOB_FINALIZER)) {
      return;
    }
    KeptnTask task = cluster.task(ns, job.getMetadata().getName()).orElse(null);
    if (task == null || KeptnState.of(status(task).status).isTerminal()) {
      cluster.releaseJob(job); // not remembered: nothing forgets this task again
    }
  }

  private KeptnTask start(TaskKey key, KeptnTask task) {
    String ns = task.getMetadata().getNamespace();
    String defName = task.getSpec().taskDefinition;
    Instant createdAt = created(task);
    Duration timeout =
        GoDuration.parse(task.getSpec().timeout).orElse(Planner.KEPTN_DEFAULT_TIMEOUT);
    if (lastCreateError.containsKey(key) && clock.instant().isAfter(createdAt.plus(timeout))) {
      return finish(
          key,
          task,
          KeptnState.Failed,
          Reasons.JOB_CREATE_FAILED,
          "no Job could be created within the timeout: " + lastCreateError.remove(key));
    }
    String defNs = annotation(task, Keys.DEFINITION_NAMESPACE);
    Optional<FoundDefinition> def =
        cluster.definition(
            defNs != null ? defNs : ns, defNs != null ? null : config.keptnNamespace(), defName);
    if (def.isEmpty() && defNs != null) {
      def = cluster.definition(ns, config.keptnNamespace(), defName);
    }
    if (def.isEmpty()) {
      return finish(
          key,
          task,
          KeptnState.Failed,
          Reasons.DEFINITION_NOT_FOUND,
          "KeptnTaskDefinition "
              + defName
              + " not found in "
              + ns
              + " or "
              + config.keptnNamespace());
    }
    try {
      var spec = def.get().definition().getSpec();
      var ref =
          spec == null
              ? null
              : spec.deno != null && spec.deno.functionRef != null
                  ? spec.deno.functionRef
                  : spec.python != null && spec.python.functionRef != null
                      ? spec.python.functionRef
                      : null;
      var parent =
          ref == null || ref.name == null
              ? null
              : cluster
                  .definition(def.get().namespace(), config.keptnNamespace(), ref.name)
                  .map(FoundDefinition::definition)
                  .orElse(null);
      DesiredRun run;
      try {
        run = jobs.desired(task, def.get().definition(), parent);
      } catch (DefinitionProblem p) {
        throw p;
      } catch (RuntimeException e) {
        // a definition the CRD schema allows but nobody foresaw: the task fails, nothing loops
        throw new DefinitionProblem(
            Reasons.INVALID_DEFINITION,
            "KeptnTaskDefinition "
                + defName
                + " cannot be turned into a Job: "
                + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      }
      imagesAllowed(defName, run);
      if (run.codeConfigMap() != null) {
        cluster.createConfigMap(run.codeConfigMap());
      }
      boolean created = cluster.createJob(run.job());
      lastCreateError.remove(key);
      if (created) {
        metrics.taskStarted(task.getSpec().checkType);
        events.started(task, run.job().getMetadata().getName());
        Instant received = instant(annotation(task, Keys.RECEIVED_AT));
        if (received != null) {
          metrics.eventToJob(Duration.between(received, clock.instant()));
        }
      }
    } catch (DefinitionProblem p) {
      return finish(key, task, KeptnState.Failed, p.reason(), p.getMessage());
    } catch (ApiErrors.Permanent e) {
      return finish(key, task, KeptnState.Failed, Reasons.JOB_CREATE_FAILED, e.getMessage());
    } catch (ApiErrors.Transient e) {
      lastCreateError.put(key, e.getMessage());
      if (e instanceof ApiErrors.Throttled) {
        LOG.debugf("Job for %s not created yet: %s", key, e.getMessage());
      } else {
        LOG.warnf("Job for %s not created yet: %s", key, e.getMessage());
      }
      if (e instanceof ApiErrors.Throttled t) {
        // the server said when to come back (429 Retry-After): not before, whatever wakes the key
        queue.holdFor(new Work.Reconcile(key), Duration.ofSeconds(t.retryAfterSeconds()));
      } else {
        queue.enqueueAfter(new Work.Reconcile(key), Duration.ofSeconds(5));
      }
      return task;
    }
    KeptnTaskStatus s = status(task);
    s.jobName = task.getMetadata().getName();
    s.status = KeptnState.Progressing.name();
    s.startTime = s.startTime != null ? s.startTime : now();
    return written(task, cluster.writeStatus(task, s));
  }

  /** Every image of the Job must match {@code bridge.runner.allowed-images}. */
  private void imagesAllowed(String definition, DesiredRun run) throws DefinitionProblem {
    var pod = run.job().getSpec().getTemplate().getSpec();
    java.util.List<io.fabric8.kubernetes.api.model.Container> all =
        new java.util.ArrayList<>(pod.getContainers());
    if (pod.getInitContainers() != null) {
      all.addAll(pod.getInitContainers());
    }
    for (var c : all) {
      if (!Glob.anyMatches(allowedImages, c.getImage())) {
        throw new DefinitionProblem(
            Reasons.IMAGE_NOT_ALLOWED,
            "KeptnTaskDefinition "
                + definition
                + " runs image "
                + c.getImage()
                + ", which bridge.runner.allowed-images does not allow");
      }
    }
  }

  private KeptnTask observe(TaskKey key, KeptnTask task, Job job) {
    JobView view = JobView.of(job);
    task = countAttempts(task, job);
    if (KeptnState.of(status(task).status).isTerminal()) {
      // the annotation write answered with a copy that has ended meanwhile (another leader, an
      // overlapping term): this Job view is older than that; nothing to write
      return task;
    }
    if (view.state().isTerminal()) {
      return finish(
          key, task, job.getMetadata().getName(), view.state(), view.reason(), view.message());
    }
    KeptnTaskStatus s = status(task);
    if (!KeptnState.Progressing.name().equals(s.status) || s.jobName == null) {
      s.jobName = job.getMetadata().getName();
      s.status = KeptnState.Progressing.name();
      s.startTime = s.startTime != null ? s.startTime : now();
      return written(task, cluster.writeStatus(task, s));
    }
    return task;
  }

  /**
   * Keptn mode: Keptn's operator runs the Job and writes the status; the bridge counts attempts.
   */
  private KeptnTask follow(TaskKey key, KeptnTask task) {
    KeptnTaskStatus s = status(task);
    if (s.jobName == null || s.jobName.isEmpty()) {
      String ns = task.getMetadata().getNamespace();
      if (cluster
          .definition(ns, config.keptnNamespace(), task.getSpec().taskDefinition)
          .isEmpty()) {
        return finish(
            key,
            task,
            KeptnState.Failed,
            Reasons.DEFINITION_NOT_FOUND,
            "KeptnTaskDefinition " + task.getSpec().taskDefinition + " not found");
      }
      return task;
    }
    return countKeptnAttempts(task);
  }

  private KeptnTask countAttempts(KeptnTask task, Job job) {
    TaskFacts facts = TaskFacts.of(task);
    int max = facts.maxAttempts(restartsInPod);
    int failed = JobView.of(job).failedAttempts(cache.podRestarts(job), max);
    if (failed <= facts.failedAttempts()) {
      return task;
    }
    int retried = Math.min(failed, max - 1) - Math.min(facts.failedAttempts(), max - 1);
    if (retried > 0) {
      metrics.taskRetried(facts.checkType(), retried);
    }
    for (int a = facts.failedAttempts() + 1; a <= failed; a++) {
      if (a < max) {
        events.attemptFailed(task, a, max);
      }
    }
    return written(
        task,
        cluster.annotate(
            facts.namespace(), facts.name(), Map.of(Keys.ATTEMPTS, Integer.toString(failed))));
  }

  private KeptnTask finish(
      TaskKey key, KeptnTask task, KeptnState state, String reason, String message) {
    return finish(key, task, null, state, reason, message);
  }

  private KeptnTask finish(
      TaskKey key,
      KeptnTask task,
      String jobName,
      KeptnState state,
      String reason,
      String message) {
    if (jobName != null) {
      task = recordOutput(task, jobName);
    }
    KeptnTaskStatus s = status(task);
    if (jobName != null) {
      s.jobName = jobName;
      s.startTime = s.startTime != null ? s.startTime : now();
    }
    s.status = state.name();
    s.reason = state == KeptnState.Succeeded ? null : reason;
    s.message = state == KeptnState.Succeeded ? null : message;
    s.endTime = now();
    KeptnTask updated = written(task, cluster.writeStatus(task, s));
    if (jobName != null) {
      release(cache.job(task.getMetadata().getNamespace(), jobName));
    }
    events.finished(task, state == KeptnState.Succeeded, reason, message);
    reporter.terminalSeen(key);
    Instant start = instant(s.startTime);
    metrics.taskFinished(
        task.getSpec().checkType,
        state.name(),
        reason,
        start == null ? null : Duration.between(start, clock.instant()));
    return updated;
  }

  /**
   * Records the output of the task's last attempt (its termination message, when a JSON object) on
   * the KeptnTask before the terminal status: it survives restarts and TTL-deleted pods.
   */
  private KeptnTask recordOutput(KeptnTask task, String jobName) {
    Job job = cache.job(task.getMetadata().getNamespace(), jobName);
    if (job == null) {
      return task;
    }
    var output =
        dev.taskbridge.report.Outputs.fromTerminationMessage(
            LogTails.terminationMessage(cache.podsOf(job)));
    if (output.isEmpty() || output.get().equals(annotation(task, Keys.OUTPUT))) {
      return task;
    }
    return written(
        task,
        cluster.annotate(
            task.getMetadata().getNamespace(),
            task.getMetadata().getName(),
            Map.of(Keys.OUTPUT, output.get())));
  }

  /**
   * Remembers what the bridge itself wrote, so a reconcile never acts on a cache older than that.
   */
  private KeptnTask written(KeptnTask before, KeptnTask after) {
    if (after == null) {
      return before;
    }
    TaskKey key = TaskKey.of(after);
    Own earlier = fresh.get(key);
    // what the informer showed before the bridge's writes began: while it still shows that, the
    // bridge's own copy is the newer one
    String basedOn =
        earlier != null ? earlier.basedOn() : before.getMetadata().getResourceVersion();
    fresh.put(key, new Own(basedOn, after));
    return after;
  }

  /**
   * The bridge's latest write of a task, and the resourceVersion of the informer's copy it started
   * from. resourceVersions are opaque (compared for equality only, never as numbers).
   */
  private record Own(String basedOn, KeptnTask task) {}

  /** The informer's copy, or the bridge's own later write while the informer has not caught up. */
  private KeptnTask fresher(TaskKey key, KeptnTask cached) {
    Own own = fresh.get(key);
    if (own == null) {
      return cached;
    }
    String seen = cached.getMetadata().getResourceVersion();
    if (seen == null || !seen.equals(own.basedOn())) {
      fresh.remove(key); // the informer moved on: to the bridge's write or past it
      return cached;
    }
    return own.task();
  }

  static KeptnTaskStatus status(KeptnTask task) {
    KeptnTaskStatus s = task.getStatus();
    KeptnTaskStatus copy = new KeptnTaskStatus();
    if (s != null) {
      copy.jobName = s.jobName;
      copy.status = s.status;
      copy.message = s.message;
      copy.reason = s.reason;
      copy.startTime = s.startTime;
      copy.endTime = s.endTime;
    }
    return copy;
  }

  private String now() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
  }

  private static Instant created(KeptnTask task) {
    Instant i = instant(task.getMetadata().getCreationTimestamp());
    return i == null ? Instant.EPOCH : i;
  }

  static String annotation(KeptnTask task, String key) {
    var a = task.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }

  static Instant instant(String s) {
    return dev.taskbridge.keptn.Timestamps.parse(s).orElse(null);
  }
}
