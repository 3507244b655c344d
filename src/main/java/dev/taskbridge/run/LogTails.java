package dev.taskbridge.run;

import dev.taskbridge.config.RestartPolicy;
import dev.taskbridge.keptn.Timestamps;
import dev.taskbridge.kube.Cluster;
import dev.taskbridge.report.ResultFactory;
import dev.taskbridge.report.TaskFacts;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The last lines of a failed attempt's log. With {@code restartPolicy: Never} every attempt is its
 * own pod, so attempt N is the N-th failed pod; with {@code OnFailure} only the previous
 * container's log is left.
 */
final class LogTails implements ResultFactory.LogTails {
  static final int MAX_CHARS = 8192;

  private final TaskCache cache;
  private final Cluster cluster;
  private final int lines;
  private final RestartPolicy policy;

  LogTails(TaskCache cache, Cluster cluster, int lines, RestartPolicy policy) {
    this.cache = cache;
    this.cluster = cluster;
    this.lines = lines;
    this.policy = policy;
  }

  /** Pods in creation order (same-second timestamps: by name). */
  static List<Pod> byCreation(List<Pod> pods) {
    List<Pod> sorted = new ArrayList<>(pods);
    sorted.sort(
        Comparator.comparing((Pod p) -> Timestamps.orEpoch(p.getMetadata().getCreationTimestamp()))
            .thenComparing(p -> p.getMetadata().getName()));
    return sorted;
  }

  /** The Job's pods in creation order (same-second timestamps: by name). */
  private List<Pod> pods(TaskFacts task) {
    if (task.status().jobName == null) {
      return List.of();
    }
    var job = cache.job(task.namespace(), task.status().jobName);
    if (job == null) {
      return List.of();
    }
    return byCreation(cache.podsOf(job));
  }

  /**
   * The pod of attempt {@code attempt}: with {@code Never} the attempt-th pod (each attempt is a
   * pod), with {@code OnFailure} the one pod that runs every attempt.
   */
  @Override
  public String pod(TaskFacts task, int attempt) {
    List<Pod> pods = pods(task);
    if (pods.isEmpty() || attempt < 1) {
      return "";
    }
    if (policy == RestartPolicy.OnFailure) {
      return pods.get(pods.size() - 1).getMetadata().getName();
    }
    return attempt <= pods.size() ? pods.get(attempt - 1).getMetadata().getName() : "";
  }

  /**
   * The log tail of attempt {@code attempt}; empty when there is none to read (tails turned off,
   * the Job or its pod gone); {@code null} while it cannot be read yet: the Job counts the failed
   * attempt but this replica's pod cache does not show its pod yet, or the API server did not
   * answer the read. The caller asks again a little later rather than publish a result that another
   * replica, or a later look, would publish with the log.
   */
  @Override
  public String tail(TaskFacts task, int attempt) {
    if (attempt < 1 || task.status().jobName == null) {
      return "";
    }
    var job = cache.job(task.namespace(), task.status().jobName);
    if (job == null) {
      return "";
    }
    List<Pod> pods = pods(task);
    Pod pod;
    if (policy == RestartPolicy.Never) {
      List<Pod> failed =
          pods.stream()
              .filter(p -> p.getStatus() != null && "Failed".equals(p.getStatus().getPhase()))
              .toList();
      if (attempt > failed.size()) {
        return JobView.of(job).failed() >= attempt ? null : "";
      }
      pod = failed.get(attempt - 1);
    } else {
      if (pods.isEmpty()) {
        return JobView.of(job).failed() >= attempt ? null : "";
      }
      pod = pods.get(pods.size() - 1);
    }
    if (lines == 0) {
      return "";
    }
    String log =
        cluster.podLogTail(
            task.namespace(),
            pod.getMetadata().getName(),
            lines,
            policy == RestartPolicy.OnFailure);
    if (log == null) {
      return null;
    }
    return log.length() > MAX_CHARS ? log.substring(log.length() - MAX_CHARS) : log;
  }

  /**
   * The termination message of the task's last attempt: the newest pod's container that terminated
   * (its current state, else its last one, as after an {@code OnFailure} restart).
   */
  static String terminationMessage(List<Pod> jobPods) {
    List<Pod> pods = byCreation(jobPods);
    for (int i = pods.size() - 1; i >= 0; i--) {
      var st = pods.get(i).getStatus();
      if (st == null || st.getContainerStatuses() == null) {
        continue;
      }
      for (var cs : st.getContainerStatuses()) {
        var t = cs.getState() != null ? cs.getState().getTerminated() : null;
        if (t == null && cs.getLastState() != null) {
          t = cs.getLastState().getTerminated();
        }
        if (t != null) {
          return t.getMessage();
        }
      }
    }
    return null;
  }
}
