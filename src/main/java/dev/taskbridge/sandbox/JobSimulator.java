package dev.taskbridge.sandbox;

import dev.taskbridge.keptn.Keys;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
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
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Plays the Kubernetes Job controller and kubelet, since none runs here: for each new Job it
 * creates one pod per attempt and drives the Job's status as the Job controller does ({@code
 * active}, {@code failed} per attempt, {@code startTime}; as Kubernetes 1.31+ does, {@code
 * SuccessCriteriaMet} / {@code FailureTarget} first and {@code Complete} / {@code Failed} (with the
 * final counts) once the pods have terminated, reason {@code BackoffLimitExceeded} / {@code
 * DeadlineExceeded}), honouring {@code backoffLimit} as the controller counts it for each restart
 * policy ({@code OnFailure}: the pod's restarts reaching it), {@code activeDeadlineSeconds} and
 * {@code ttlSecondsAfterFinished} (the Job is deleted, any finalizer on it holding it). What
 * happens is scripted per task definition. Test and sandbox code only: the packaged application
 * never starts it.
 */
public final class JobSimulator implements AutoCloseable {
  private final KubernetesClient client;
  private final ApiServer api;
  private final Map<String, Script> scripts = new ConcurrentHashMap<>();
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Set<String> done = ConcurrentHashMap.newKeySet();
  private volatile Consumer<Job> jobAdded = j -> {};
  private volatile Consumer<Job> jobFinished = j -> {};
  private final Map<String, Set<String>> uids = new ConcurrentHashMap<>();
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

  /** Called with each new Job as the simulator first sees it (for latency measurements). */
  public JobSimulator onJobAdded(Consumer<Job> listener) {
    this.jobAdded = listener;
    return this;
  }

  /** Called with each Job the simulator has just marked terminal. */
  public JobSimulator onJobFinished(Consumer<Job> listener) {
    this.jobFinished = listener;
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
                    if (action == Action.ADDED) {
                      uids.computeIfAbsent(
                              job.getMetadata().getNamespace() + "/" + job.getMetadata().getName(),
                              k -> ConcurrentHashMap.newKeySet())
                          .add(String.valueOf(job.getMetadata().getUid()));
                      jobAdded.accept(job);
                    }
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

  /** Names of Jobs that were created more than once (a task run twice); empty when none was. */
  public Set<String> jobsCreatedTwice() {
    Set<String> twice = new TreeSet<>();
    uids.forEach(
        (name, ids) -> {
          if (ids.size() > 1) {
            twice.add(name);
          }
        });
    return twice;
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
    String start = Instant.now().toString();
    Long deadline = job.getSpec().getActiveDeadlineSeconds();
    if (deadline != null) {
      timer.schedule(() -> deadline(job, start), deadline, TimeUnit.SECONDS);
    }
    if (script.hangs() || !script.starts()) {
      patchStatus(job, Map.of("startTime", start, "active", script.starts() ? 1 : 0));
    }
    if (script.starts()) {
      attempt(job, script, 1, start);
    }
  }

  private void attempt(Job job, Script script, int attempt, String start) {
    if (script.hangs()) {
      boolean never = "Never".equals(job.getSpec().getTemplate().getSpec().getRestartPolicy());
      createPod(job, podName(job, never ? attempt : 1), "Running", 0);
      return;
    }
    timer.schedule(
        () -> endAttempt(job, script, attempt, start),
        script.attemptTime().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static String podName(Job job, int n) {
    return job.getMetadata().getName() + String.format("-%03d", n);
  }

  /**
   * One write per attempt: a failed attempt's pod (with its log), then the Job's
   * counters/conditions.
   */
  private void endAttempt(Job job, Script script, int attempt, String start) {
    String key = key(job);
    if (done.contains(key)) {
      return;
    }
    boolean never = "Never".equals(job.getSpec().getTemplate().getSpec().getRestartPolicy());
    int backoffLimit =
        job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
    String ns = job.getMetadata().getNamespace();
    if (attempt > script.failures()) {
      if (script.output() != null) {
        String pod = podName(job, never ? attempt : 1);
        api.podLog(ns, pod, "attempt " + attempt + "\n" + script.log());
        if (never) {
          createPod(job, pod, "Succeeded", 0, 0, script.output());
        } else {
          patchPod(job, pod, "Succeeded", attempt - 1, 0, script.output());
        }
      }
      if (done.add(key)) {
        Map<String, Object> s = new HashMap<>();
        s.put("startTime", start);
        s.put("active", 0);
        s.put("succeeded", 1);
        end(
            job,
            s,
            "SuccessCriteriaMet",
            "Complete",
            "CompletionsReached",
            "Reached expected number of succeeded pods");
      }
      return;
    }
    String pod = podName(job, never ? attempt : 1);
    api.podLog(ns, pod, "attempt " + attempt + "\n" + script.log());
    if (never) {
      createPod(job, pod, "Failed", 0, 1, script.output());
    } else if (attempt == 1) {
      createPod(job, pod, "Running", 1);
    } else {
      patchPodRestarts(job, pod, attempt);
    }
    Map<String, Object> s = new HashMap<>();
    s.put("startTime", start);
    if (never) {
      s.put("failed", attempt);
    }
    // The Job controller's backoff rule: with Never, failed pods beyond backoffLimit; with
    // OnFailure, the pod's restarts reaching it (or any restart when it is 0), when the controller
    // kills the running pod and counts it failed
    boolean pastLimit =
        never ? attempt > backoffLimit : backoffLimit == 0 || attempt >= backoffLimit;
    if (pastLimit && done.add(key)) {
      s.put("active", 0);
      if (!never) {
        s.put("failed", 1);
      }
      end(
          job,
          s,
          "FailureTarget",
          "Failed",
          "BackoffLimitExceeded",
          "Job has reached the specified backoff limit");
      return;
    }
    s.put("active", 1);
    patchStatus(job, s);
    attempt(job, script, attempt + 1, start);
  }

  private void deadline(Job job, String start) {
    if (!done.add(key(job))) {
      return;
    }
    Job now = current(job);
    if (now == null) {
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
    Map<String, Object> s = new HashMap<>();
    s.put("startTime", start);
    s.put("active", 0);
    s.put("failed", failed + active);
    end(
        job,
        s,
        "FailureTarget",
        "Failed",
        "DeadlineExceeded",
        "Job was active longer than specified deadline");
  }

  /**
   * How the Job controller of Kubernetes 1.31+ ends a Job: first the interim condition ({@code
   * SuccessCriteriaMet} / {@code FailureTarget}) while its pods terminate, then, {@link
   * #TERMINATING} later, the terminal one ({@code Complete} / {@code Failed}) with {@code
   * completionTime}. The TTL controller deletes the Job {@code ttlSecondsAfterFinished} after that
   * (foreground: its pods first; the Job itself waits for any finalizer on it).
   */
  private void end(
      Job job,
      Map<String, Object> status,
      String interim,
      String terminal,
      String reason,
      String message) {
    String t = Instant.now().toString();
    // the interim condition alone: the pods' counts are final with the terminal one
    Map<String, Object> first = new HashMap<>();
    first.put("conditions", List.of(condition(interim, reason, message, t)));
    patchStatus(job, first);
    timer.schedule(
        () -> {
          String now = Instant.now().toString();
          Map<String, Object> last = new HashMap<>(status);
          List<JobCondition> c = new ArrayList<>();
          c.add(condition(interim, reason, message, t));
          c.add(condition(terminal, reason, message, now));
          last.put("conditions", c);
          if ("Complete".equals(terminal)) {
            last.put("completionTime", now);
          }
          patchStatus(job, last);
          jobFinished.accept(job);
          Integer ttl = job.getSpec().getTtlSecondsAfterFinished();
          if (ttl != null) {
            timer.schedule(() -> expire(job), ttl, TimeUnit.SECONDS);
          }
        },
        TERMINATING.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** How long a finished Job's pods take to terminate before its terminal condition. */
  static final Duration TERMINATING = Duration.ofMillis(150);

  /** The TTL controller: the Job's pods, then the Job (which a finalizer may hold). */
  private void expire(Job job) {
    String ns = job.getMetadata().getNamespace();
    try {
      client
          .pods()
          .inNamespace(ns)
          .withLabel("batch.kubernetes.io/job-name", job.getMetadata().getName())
          .delete();
      client.batch().v1().jobs().inNamespace(ns).withName(job.getMetadata().getName()).delete();
    } catch (KubernetesClientException e) {
      // the API server did not answer: a real TTL controller tries again
      timer.schedule(() -> expire(job), 1, TimeUnit.SECONDS);
    }
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

  private static String key(Job job) {
    return job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
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

  /** A JSON merge patch of the Job's status: one request, as the Job controller's status update. */
  private void patchStatus(Job job, Map<String, Object> status) {
    String patch = Serialization.asJson(Map.of("status", status));
    for (int i = 0; i < 5; i++) {
      try {
        // given the object, Fabric8 sends the PATCH alone (withName(..) would GET it first)
        client
            .batch()
            .v1()
            .jobs()
            .resource(job)
            .subresource("status")
            .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return;
        }
      }
    }
  }

  private void createPod(Job job, String name, String phase, int restarts) {
    createPod(job, name, phase, restarts, null, null);
  }

  /** The container's state: terminated with {@code exitCode} and message, when exitCode is set. */
  private static ContainerState terminated(Integer exitCode, String message) {
    if (exitCode == null) {
      return null;
    }
    return new ContainerStateBuilder()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withReason(exitCode == 0 ? "Completed" : "Error")
        .withMessage(message)
        .withFinishedAt(Instant.now().toString())
        .endTerminated()
        .build();
  }

  private void patchPod(
      Job job, String name, String phase, int restarts, int exitCode, String message) {
    Map<String, Object> cs = new HashMap<>();
    cs.put("name", "keptn-function-runner");
    cs.put("restartCount", restarts);
    cs.put("state", terminated(exitCode, message));
    String patch =
        Serialization.asJson(
            Map.of("status", Map.of("phase", phase, "containerStatuses", List.of(cs))));
    try {
      client
          .pods()
          .inNamespace(job.getMetadata().getNamespace())
          .withName(name)
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    } catch (KubernetesClientException e) {
      // the pod is gone with its Job
    }
  }

  private void createPod(
      Job job, String name, String phase, int restarts, Integer exitCode, String message) {
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
                    .withState(terminated(exitCode, message))
                    .build())
            .endStatus()
            .build();
    try {
      client.pods().resource(pod).create();
    } catch (KubernetesClientException e) {
      // already there
    }
  }

  private void patchPodRestarts(Job job, String name, int restarts) {
    String patch =
        "{\"status\":{\"containerStatuses\":[{\"name\":\"keptn-function-runner\",\"restartCount\":"
            + restarts
            + "}]}}";
    try {
      client
          .pods()
          .inNamespace(job.getMetadata().getNamespace())
          .withName(name)
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
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
}
