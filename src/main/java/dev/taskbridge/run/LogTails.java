package dev.taskbridge.run;

import dev.taskbridge.config.RestartPolicy;
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

  private final Watchers cache;
  private final Cluster cluster;
  private final int lines;
  private final RestartPolicy policy;

  LogTails(Watchers cache, Cluster cluster, int lines, RestartPolicy policy) {
    this.cache = cache;
    this.cluster = cluster;
    this.lines = lines;
    this.policy = policy;
  }

  private static java.time.Instant instant(String s) {
    try {
      return java.time.Instant.parse(s);
    } catch (RuntimeException e) {
      return java.time.Instant.EPOCH;
    }
  }

  @Override
  public String tail(TaskFacts task, int attempt) {
    if (lines == 0 || task.status().jobName == null) {
      return "";
    }
    var job = cache.job(task.namespace(), task.status().jobName);
    if (job == null) {
      return "";
    }
    List<Pod> pods = new ArrayList<>(cache.podsOf(job));
    // creation order; pods created in the same second (timestamps have second precision) by name
    pods.sort(
        Comparator.comparing((Pod p) -> instant(p.getMetadata().getCreationTimestamp()))
            .thenComparing(p -> p.getMetadata().getName()));
    String log;
    if (policy == RestartPolicy.Never) {
      List<Pod> failed =
          pods.stream()
              .filter(p -> p.getStatus() != null && "Failed".equals(p.getStatus().getPhase()))
              .toList();
      if (attempt < 1 || attempt > failed.size()) {
        return "";
      }
      log =
          cluster.podLogTail(
              task.namespace(), failed.get(attempt - 1).getMetadata().getName(), lines, false);
    } else {
      if (pods.isEmpty()) {
        return "";
      }
      log =
          cluster.podLogTail(
              task.namespace(), pods.get(pods.size() - 1).getMetadata().getName(), lines, true);
    }
    if (log == null) {
      return "";
    }
    return log.length() > MAX_CHARS ? log.substring(log.length() - MAX_CHARS) : log;
  }
}
