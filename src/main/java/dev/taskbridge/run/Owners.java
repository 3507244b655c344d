package dev.taskbridge.run;

import dev.taskbridge.keptn.Keys;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * Which task a Job or a pod belongs to, read from its metadata (the bridge's and Keptn's), and the
 * one way the run stage reads a label or an annotation.
 */
final class Owners {
  private Owners() {}

  /** The task a Job runs: its owner, else its labels (Keptn's annotation), else its name. */
  static String taskOfJob(Job job) {
    if (job.getMetadata().getOwnerReferences() != null) {
      for (var o : job.getMetadata().getOwnerReferences()) {
        if ("KeptnTask".equals(o.getKind())) {
          return o.getName();
        }
      }
    }
    String t = label(job, Keys.TASK);
    if (t == null && job.getMetadata().getAnnotations() != null) {
      t = job.getMetadata().getAnnotations().get(Keys.KEPTN_TASK_NAME);
    }
    return t != null ? t : job.getMetadata().getName();
  }

  /** The Job a pod belongs to (the label Kubernetes sets, old or new, else the task's). */
  static String jobOf(Pod p) {
    String j = label(p, "batch.kubernetes.io/job-name");
    j = j != null ? j : label(p, "job-name");
    return j != null ? j : String.valueOf(label(p, Keys.TASK));
  }

  static String label(HasMetadata o, String key) {
    var l = o.getMetadata().getLabels();
    return l == null ? null : l.get(key);
  }

  static String annotation(HasMetadata o, String key) {
    var a = o.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }
}
