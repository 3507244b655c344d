package dev.taskbridge.run;

import dev.taskbridge.config.RunnerMode;
import dev.taskbridge.contract.TaskReason;
import dev.taskbridge.keptn.KeptnState;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskStatus;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.keptn.TaskKey;
import dev.taskbridge.keptn.TriggerKey;
import dev.taskbridge.kube.Cluster;
import dev.taskbridge.metrics.BridgeMetrics;
import dev.taskbridge.report.Reporter;
import dev.taskbridge.report.TaskFacts;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tasks that left the informer's cache ({@link Work.Cancel}). The API server says what happened:
 * still there without a {@code deletionTimestamp}, the task only left the selector (done, or a
 * relist's stale view) and what memory holds about it is released once it is done; gone (or being
 * deleted) before it ended, it is cancelled: its Job stopped, its result {@code Failed/Cancelled}.
 * A failure on the way keeps the last copy and the work is tried again: a cancel is never lost.
 */
final class Departures {
  private final Cluster cluster;
  private final Reporter reporter;
  private final TaskReconciler reconciler;
  private final BridgeMetrics metrics;
  private final WorkQueue<Work> queue;
  private final Clock clock;
  private final RunnerMode mode;
  private final Map<TaskKey, KeptnTask> deleted = new ConcurrentHashMap<>();
  private final Set<TaskKey> cancelCounted = ConcurrentHashMap.newKeySet();

  Departures(
      Cluster cluster,
      Reporter reporter,
      TaskReconciler reconciler,
      BridgeMetrics metrics,
      WorkQueue<Work> queue,
      Clock clock,
      RunnerMode mode) {
    this.cluster = cluster;
    this.reporter = reporter;
    this.reconciler = reconciler;
    this.metrics = metrics;
    this.queue = queue;
    this.clock = clock;
    this.mode = mode;
  }

  /** The informer's last copy of a task that left its cache; the cancel work follows. */
  void left(KeptnTask task) {
    TaskKey key = TaskKey.of(task);
    deleted.put(key, task);
    queue.enqueue(new Work.Cancel(key));
  }

  /** Another replica leads: it handles the departure. */
  void notLeading(TaskKey key) {
    deleted.remove(key);
  }

  void gone(TaskKey key) {
    KeptnTask last = deleted.get(key);
    if (last == null) {
      return;
    }
    String ns = last.getMetadata().getNamespace();
    String name = last.getMetadata().getName();
    KeptnTask now = cluster.task(ns, name).orElse(null);
    if (now != null && now.getMetadata().getDeletionTimestamp() == null) {
      deleted.remove(key);
      if ("true".equals(Owners.label(now, Keys.DONE))) {
        release(key, now);
      } else {
        queue.enqueue(new Work.Reconcile(key)); // listed again by the informer; nothing happened
      }
      return;
    }
    KeptnTask known = now != null ? now : last;
    KeptnTaskStatus s = KeptnTaskStatus.copyOf(known.getStatus());
    if (KeptnState.of(s.status).isTerminal() && TaskFacts.of(known).phasePublished()) {
      deleted.remove(key);
      release(key, known);
      return;
    }
    if (mode == RunnerMode.standalone) {
      cluster.deleteRun(ns, name); // throws while the API does not answer: tried again
    }
    if (!KeptnState.of(s.status).isTerminal()) {
      s.status = KeptnState.Failed.name();
      s.reason = TaskReason.CANCELLED.text();
      s.message = "the KeptnTask was deleted before it finished";
      s.endTime = clock.instant().toString();
      if (cancelCounted.add(key)) {
        metrics.taskFinished(
            known.getSpec().checkType, KeptnState.Failed, TaskReason.CANCELLED.text(), null);
      }
    }
    reporter.cancelled(
        key,
        TaskFacts.of(known).withStatus(s),
        () -> {
          deleted.remove(key);
          cancelCounted.remove(key);
          reconciler.forget(key);
        },
        () -> queue.enqueueAfter(new Work.Cancel(key), Duration.ofSeconds(2)));
  }

  /** Drops what memory holds about a task that owes nothing any more. */
  private void release(TaskKey key, KeptnTask task) {
    reconciler.forget(key);
    reporter.forget(key);
    reporter.forgetPhase(TriggerKey.of(task));
  }
}
