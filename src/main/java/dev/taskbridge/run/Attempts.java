package dev.taskbridge.run;

import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.kube.Cluster;
import dev.taskbridge.metrics.BridgeMetrics;
import dev.taskbridge.report.TaskFacts;
import java.util.Map;

/**
 * Records a Job's failed attempts on its task ({@link Keys#ATTEMPTS}): a retrying metric and a
 * Kubernetes Event per attempt not counted before, then the count itself, which the reporter turns
 * into {@code retrying} results.
 */
final class Attempts {
  private final Cluster cluster;
  private final BridgeMetrics metrics;
  private final TaskEvents events;

  Attempts(Cluster cluster, BridgeMetrics metrics, TaskEvents events) {
    this.cluster = cluster;
    this.metrics = metrics;
    this.events = events;
  }

  /** The task as written with {@code failed} of {@code max} attempts counted. */
  KeptnTask count(KeptnTask task, int failed, int max) {
    int before = TaskFacts.of(task).failedAttempts();
    int retried = Math.min(failed, max - 1) - Math.min(before, max - 1);
    if (retried > 0) {
      metrics.taskRetried(task.getSpec().checkType, retried);
    }
    for (int a = before + 1; a <= failed && a < max; a++) {
      events.attemptFailed(task, a, max);
    }
    return cluster.annotate(
        task.getMetadata().getNamespace(),
        task.getMetadata().getName(),
        Map.of(Keys.ATTEMPTS, Integer.toString(failed)));
  }
}
