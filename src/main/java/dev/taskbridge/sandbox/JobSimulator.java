package dev.taskbridge.sandbox;

import dev.taskbridge.keptn.Keys;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Plays the Kubernetes Job controller and kubelet, since none runs here: for each new Job it
 * creates one pod per attempt and drives the Job's status as the Job controller does ({@code
 * active}, {@code failed} per attempt, {@code startTime}; {@code SuccessCriteriaMet} + {@code
 * Complete}, or {@code FailureTarget} + {@code Failed} with {@code BackoffLimitExceeded} / {@code
 * DeadlineExceeded}), honouring {@code backoffLimit}, {@code activeDeadlineSeconds} and the restart
 * policy. What happens is scripted per task definition. Test and sandbox code only: the packaged
 * application never starts it.
 */
public final class JobSimulator implements AutoCloseable {
  private final KubernetesClient client;
  private final ApiServer api;
  private final Map<String, Script> scripts = new ConcurrentHashMap<>();
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "job-simulator");
            t.setDaemon(true);
            return t;
          });
  private volatile Script defaultScript = Script.succeed();
  private volatile Function<Job, Script> chooser;
  private Watch watch;

  public JobSimulator(ApiServer api) {
    this.api = api;
    this.client = api.client();
  }

  /** Runs Jobs of {@code definition} with {@code script}. */
  public JobSimulator script(String definition, Script script) {
    scripts.put(definition, script);
    return this;
  }

  public JobSimulator defaultScript(Script script) {
    this.defaultScript = script;
    return this;
  }

  /** Chooses scripts by any property of the Job (overrides per-definition scripts). */
  public JobSimulator chooser(Function<Job, Script> chooser) {
    this.chooser = chooser;
    return this;
  }

  public JobSimulator start() {
    watch =
        client
            .batch()
            .v1()
            .jobs()
            .inAnyNamespace()
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Job job) {
                    if (action == Action.ADDED
                        && seen.add(
                            job.getMetadata().getNamespace() + "/" + job.getMetadata().getName())) {
                      timer.execute(() -> begin(job));
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    if (!timer.isShutdown()) {
                      timer.schedule(JobSimulator.this::start, 1, TimeUnit.SECONDS);
                    }
                  }
                });
    return this;
  }

  /** Jobs the simulator has started (each Job once). */
  public int jobsSeen() {
    return seen.size();
  }

  private Script scriptFor(Job job) {
    if (chooser != null) {
      Script s = chooser.apply(job);
      if (s != null) {
        return s;
      }
    }
    var a = job.getMetadata().getAnnotations();
    String def = a == null ? null : a.get(Keys.TASK_DEFINITION);
    return def != null && scripts.containsKey(def) ? scripts.get(def) : defaultScript;
  }

  private void begin(Job job) {
    Script script = scriptFor(job);
    Instant start = Instant.now();
    Long deadline = job.getSpec().getActiveDeadlineSeconds();
    if (deadline != null) {
      timer.schedule(() -> deadline(job), deadline, TimeUnit.SECONDS);
    }
    status(
        job,
        s -> {
          s.setStartTime(start.toString());
          s.setActive(script.starts() ? 1 : 0);
        });
    if (script.starts()) {
      attempt(job, script, 1);
    }
  }

  private void attempt(Job job, Script script, int attempt) {
    boolean never = "Never".equals(job.getSpec().getTemplate().getSpec().getRestartPolicy());
    String pod = job.getMetadata().getName() + String.format("-%03d", never ? attempt : 1);
    if (never || attempt == 1) {
      createPod(job, pod, "Running", 0);
    }
    if (script.hangs()) {
      return;
    }
    timer.schedule(
        () -> endAttempt(job, script, attempt, pod, never),
        script.attemptTime().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void endAttempt(Job job, Script script, int attempt, String pod, boolean never) {
    Job now = current(job);
    if (now == null || finished(now)) {
      return;
    }
    api.podLog(job.getMetadata().getNamespace(), pod, "attempt " + attempt + "\n" + script.log());
    int backoffLimit =
        job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
    if (attempt > script.failures()) {
      setPodPhase(job, pod, "Succeeded", never ? 0 : attempt - 1);
      finish(
          job,
          "SuccessCriteriaMet",
          "Complete",
          "CompletionsReached",
          "Reached expected number of succeeded pods",
          s -> {
            s.setSucceeded(1);
            s.setCompletionTime(Instant.now().toString());
          });
      return;
    }
    setPodPhase(job, pod, never ? "Failed" : "Running", never ? 0 : attempt);
    if (never) {
      status(job, s -> s.setFailed(attempt));
    }
    if (attempt > backoffLimit) {
      finish(
          job,
          "FailureTarget",
          "Failed",
          "BackoffLimitExceeded",
          "Job has reached the specified backoff limit",
          s -> {});
      return;
    }
    attempt(job, script, attempt + 1);
  }

  private void deadline(Job job) {
    Job now = current(job);
    if (now == null || finished(now)) {
      return;
    }
    int active =
        now.getStatus() == null || now.getStatus().getActive() == null
            ? 0
            : now.getStatus().getActive();
    int failed =
        now.getStatus() == null || now.getStatus().getFailed() == null
            ? 0
            : now.getStatus().getFailed();
    finish(
        job,
        "FailureTarget",
        "Failed",
        "DeadlineExceeded",
        "Job was active longer than specified deadline",
        s -> s.setFailed(failed + active));
  }

  private void finish(
      Job job,
      String first,
      String second,
      String reason,
      String message,
      java.util.function.Consumer<io.fabric8.kubernetes.api.model.batch.v1.JobStatus> more) {
    String t = Instant.now().toString();
    status(
        job,
        s -> {
          more.accept(s);
          s.setActive(0);
          List<JobCondition> conditions = new ArrayList<>();
          conditions.add(condition(first, reason, message, t));
          conditions.add(condition(second, reason, message, t));
          s.setConditions(conditions);
        });
  }

  private static JobCondition condition(String type, String reason, String message, String t) {
    return new JobConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withMessage(message)
        .withLastProbeTime(t)
        .withLastTransitionTime(t)
        .build();
  }

  private static boolean finished(Job job) {
    return job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> "Complete".equals(c.getType()) || "Failed".equals(c.getType()));
  }

  private Job current(Job job) {
    try {
      return client
          .batch()
          .v1()
          .jobs()
          .inNamespace(job.getMetadata().getNamespace())
          .withName(job.getMetadata().getName())
          .get();
    } catch (KubernetesClientException e) {
      return null;
    }
  }

  private synchronized void status(
      Job job,
      java.util.function.Consumer<io.fabric8.kubernetes.api.model.batch.v1.JobStatus> change) {
    for (int i = 0; i < 5; i++) {
      try {
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(job.getMetadata().getNamespace())
            .withName(job.getMetadata().getName())
            .editStatus(
                j -> {
                  if (j.getStatus() == null) {
                    j.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatus());
                  }
                  change.accept(j.getStatus());
                  return j;
                });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return;
        }
      }
    }
  }

  private void createPod(Job job, String name, String phase, int restarts) {
    Map<String, String> labels = new HashMap<>();
    if (job.getSpec().getTemplate().getMetadata() != null
        && job.getSpec().getTemplate().getMetadata().getLabels() != null) {
      labels.putAll(job.getSpec().getTemplate().getMetadata().getLabels());
    }
    labels.put("batch.kubernetes.io/job-name", job.getMetadata().getName());
    labels.put("job-name", job.getMetadata().getName());
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(job.getMetadata().getNamespace())
            .withLabels(labels)
            .withCreationTimestamp(Instant.now().toString())
            .endMetadata()
            .withSpec(job.getSpec().getTemplate().getSpec())
            .withNewStatus()
            .withPhase(phase)
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName("keptn-function-runner")
                    .withRestartCount(restarts)
                    .build())
            .endStatus()
            .build();
    try {
      client.pods().resource(pod).create();
    } catch (KubernetesClientException e) {
      // already there (a restart of the same pod)
    }
  }

  private void setPodPhase(Job job, String name, String phase, int restarts) {
    try {
      client
          .pods()
          .inNamespace(job.getMetadata().getNamespace())
          .withName(name)
          .editStatus(
              p -> {
                p.getStatus().setPhase(phase);
                p.getStatus().getContainerStatuses().get(0).setRestartCount(restarts);
                return p;
              });
    } catch (KubernetesClientException e) {
      // the pod is gone with its Job
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    if (watch != null) {
      watch.close();
    }
    client.close();
  }

  static Duration seconds(long s) {
    return Duration.ofSeconds(s);
  }
}
