package dev.taskbridge.run;

import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.TaskKey;
import dev.taskbridge.keptn.TriggerKey;
import dev.taskbridge.kube.Cluster;
import dev.taskbridge.report.TaskNotes;
import dev.taskbridge.report.Wakeups;
import java.time.Duration;
import java.util.Map;

/** What the {@link dev.taskbridge.report.Reporter} needs of the run stage, made of its parts. */
final class ReporterPorts {
  private ReporterPorts() {}

  /** The reporter records on the tasks through the cluster. */
  static TaskNotes notes(Cluster cluster) {
    return new TaskNotes() {
      @Override
      public KeptnTask annotate(String namespace, String name, Map<String, String> annotations) {
        return cluster.annotate(namespace, name, annotations);
      }

      @Override
      public KeptnTask markDone(String namespace, String name, Map<String, String> annotations) {
        return cluster.markDone(namespace, name, annotations);
      }
    };
  }

  /** The reporter asks to be called again through the work queue. */
  static Wakeups wakeups(WorkQueue<Work> queue) {
    return new Wakeups() {
      @Override
      public void task(TaskKey key, Duration after) {
        later(new Work.Reconcile(key), after);
      }

      @Override
      public void phase(TriggerKey trigger, Duration after) {
        later(new Work.SettlePhase(trigger), after);
      }

      private void later(Work work, Duration after) {
        if (after.isZero()) {
          queue.enqueue(work);
        } else {
          queue.enqueueAfter(work, after);
        }
      }
    };
  }
}
