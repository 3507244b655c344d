package dev.taskbridge.run;

import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.config.RestartPolicy;
import dev.taskbridge.config.RunnerMode;
import dev.taskbridge.keptn.KeptnState;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskStatus;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.keptn.TaskKey;
import dev.taskbridge.keptn.Timestamps;
import dev.taskbridge.kube.ApiErrors;
import dev.taskbridge.kube.Cluster;
import dev.taskbridge.metrics.BridgeMetrics;
import dev.taskbridge.report.Reporter;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Moves one KeptnTask along: reads it and its Job, lets {@link NextStep} decide, carries the step
 * out and hands the task to the {@link Reporter}. A terminal task is never run again.
 */
public final class TaskReconciler {
  private static final Logger LOG = Logger.getLogger(TaskReconciler.class);

  /** Steps in one pass at most: attempts counted, then the end (a bound, not a loop). */
  private static final int MAX_STEPS = 3;

  private final Cluster cluster;
  private final TaskCache cache;
  private final Reporter reporter;
  private final BridgeMetrics metrics;
  private final WorkQueue<Work> queue;
  private final Clock clock;
  private final TaskEvents events;
  private final JobStarter starter;
  private final NextStep next;
  private final boolean keptnMode;
  private final String keptnNamespace;
  private final OwnWrites own = new OwnWrites();
  private final JobRelease jobs;
  private final Attempts attempts;

  public TaskReconciler(
      Cluster cluster,
      JobFactory factory,
      TaskCache cache,
      Reporter reporter,
      BridgeMetrics metrics,
      WorkQueue<Work> queue,
      Clock clock,
      BridgeConfig config,
      TaskEvents events) {
    this.cluster = cluster;
    this.cache = cache;
    this.reporter = reporter;
    this.metrics = metrics;
    this.queue = queue;
    this.clock = clock;
    this.events = events;
    this.starter = new JobStarter(cluster, factory, metrics, events, clock, config);
    this.jobs = new JobRelease(cluster, cache);
    this.attempts = new Attempts(cluster, metrics, events);
    this.keptnMode = config.runner().mode() == RunnerMode.keptn;
    this.keptnNamespace = config.keptnNamespace();
    this.next =
        NextStep.of(
            config.runner().mode(),
            keptnMode || config.runner().restartPolicy() == RestartPolicy.OnFailure);
  }

  /** Drops what is kept about a task that is done and left the cache. */
  public void forget(TaskKey key) {
    own.forget(key);
    starter.forget(key);
    jobs.forget(key);
  }

  /** Read, decide, apply (until a step ends the pass), then report what the task owes. */
  public void reconcile(TaskKey key) {
    KeptnTask cached = cache.task(key);
    if (cached == null) {
      own.forget(key);
      if (!keptnMode) {
        jobs.releaseOrphan(key);
      }
      return;
    }
    KeptnTask task = own.fresher(key, cached);
    if (task.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    try {
      Seen seen = read(key, task);
      for (int i = 0; i < MAX_STEPS; i++) {
        Step step = next.decide(seen, clock.instant());
        task = apply(key, step, seen);
        if (!(step instanceof Step.CountAttempts)) {
          break;
        }
        seen = seen.withTask(task);
      }
      if (KeptnState.of(task).isTerminal()) {
        reporter.terminalSeen(key);
      }
      reporter.settle(key, task);
    } catch (ApiErrors.Conflict c) {
      // somebody wrote the task since this copy was read: read again, decide again
      own.forget(key);
      LOG.debugf("%s changed under a decision (%s); deciding again", key, c.getMessage());
      queue.enqueueAfter(new Work.Reconcile(key), Duration.ofMillis(200));
    }
  }

  /** What the decision needs: the task's Job from the cache, the API server only when missing. */
  private Seen read(TaskKey key, KeptnTask task) {
    String ns = key.namespace();
    KeptnTaskStatus s = status(task);
    boolean noJob = s.jobName == null || s.jobName.isEmpty();
    boolean terminal = KeptnState.of(s.status).isTerminal();
    Job job;
    boolean gone = false;
    boolean definitionMissing = false;
    if (keptnMode) {
      job = noJob ? null : cache.job(ns, s.jobName);
      definitionMissing =
          !terminal
              && noJob
              && cluster.definition(ns, keptnNamespace, task.getSpec().taskDefinition).isEmpty();
    } else {
      job = cache.job(ns, key.name());
      if (job == null && !noJob && !terminal) {
        job = cluster.job(ns, key.name()).orElse(null);
        gone = job == null;
      }
    }
    List<Pod> pods = job == null ? List.of() : cache.podsOf(job);
    return new Seen(task, job, gone, pods, starter.failing(key), definitionMissing);
  }

  private KeptnTask apply(TaskKey key, Step step, Seen seen) {
    KeptnTask task = seen.task();
    if (step instanceof Step.CreateJob) {
      return create(key, task);
    } else if (step instanceof Step.MarkProgressing p) {
      return progressing(key, task, p.jobName(), seen.job());
    } else if (step instanceof Step.CountAttempts c) {
      return own.written(task, attempts.count(task, c.failed(), c.max()));
    } else if (step instanceof Step.Finish f) {
      return finish(key, task, f);
    } else if (step instanceof Step.ReleaseJob r) {
      jobs.release(r.job());
    }
    return task;
  }

  private KeptnTask create(TaskKey key, KeptnTask task) {
    JobStarter.Outcome outcome = starter.start(key, task);
    if (outcome instanceof JobStarter.Outcome.Created c) {
      Step after = NextStep.afterJobCreated(c.jobName(), c.now());
      return after instanceof Step.MarkProgressing p
          ? progressing(key, task, p.jobName(), null)
          : task;
    } else if (outcome instanceof JobStarter.Outcome.Refused r) {
      return finish(key, task, new Step.Finish(KeptnState.Failed, r.reason(), r.message()));
    }
    JobStarter.Outcome.Later later = (JobStarter.Outcome.Later) outcome;
    if (later.hold()) {
      queue.holdFor(new Work.Reconcile(key), later.after());
    } else {
      queue.enqueueAfter(new Work.Reconcile(key), later.after());
    }
    return task;
  }

  private KeptnTask progressing(TaskKey key, KeptnTask task, String jobName, Job job) {
    KeptnTaskStatus s = status(task);
    s.jobName = jobName;
    s.status = KeptnState.Progressing.name();
    s.startTime = s.startTime != null ? s.startTime : startTime(key, job);
    return own.written(task, cluster.writeStatus(task, s));
  }

  private KeptnTask finish(TaskKey key, KeptnTask task, Step.Finish f) {
    Job job = f.job();
    if (f.output() != null) {
      // before the terminal status: it survives restarts and TTL-deleted pods
      task =
          own.written(
              task, cluster.annotate(key.namespace(), key.name(), Map.of(Keys.OUTPUT, f.output())));
    }
    KeptnTaskStatus s = status(task);
    if (job != null) {
      s.jobName = job.getMetadata().getName();
      s.startTime = s.startTime != null ? s.startTime : startTime(key, job);
    }
    boolean succeeded = f.state() == KeptnState.Succeeded;
    s.status = f.state().name();
    s.reason = succeeded ? null : f.reason();
    s.message = succeeded ? null : f.message();
    s.endTime = now();
    KeptnTask updated = own.written(task, cluster.writeStatus(task, s));
    if (job != null) {
      Job latest = cache.job(job.getMetadata().getNamespace(), job.getMetadata().getName());
      jobs.release(latest != null ? latest : job);
    }
    starter.forget(key);
    events.finished(task, succeeded, f.reason(), f.message());
    var start = Timestamps.parse(s.startTime);
    metrics.taskFinished(
        task.getSpec().checkType,
        f.state(),
        f.reason(),
        start.map(t -> Duration.between(t, clock.instant())).orElse(null));
    return updated;
  }

  private String startTime(TaskKey key, Job job) {
    return JobView.taskStart(starter.createdAt(key), job, clock.instant());
  }

  /** A copy to change: the cached task is shared. */
  private static KeptnTaskStatus status(KeptnTask task) {
    return KeptnTaskStatus.copyOf(task.getStatus());
  }

  private String now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
