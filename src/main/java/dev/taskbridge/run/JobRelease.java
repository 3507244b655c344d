package dev.taskbridge.run;

import dev.taskbridge.keptn.KeptnState;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.keptn.TaskKey;
import dev.taskbridge.kube.Cluster;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Takes the bridge's finalizer ({@link Keys#JOB_FINALIZER}) off its Jobs: once a task's outcome is
 * written, or when nothing waits for the Job any more. Standalone mode only (Keptn's Jobs have
 * none).
 */
final class JobRelease {
  private final Cluster cluster;
  private final TaskCache cache;
  private final Set<TaskKey> released = ConcurrentHashMap.newKeySet();

  JobRelease(Cluster cluster, TaskCache cache) {
    this.cluster = cluster;
    this.cache = cache;
  }

  /**
   * Lets a Job go once its task's outcome is on the KeptnTask. Once per Job: the informer's copy
   * shows the finalizer until the patch comes back on the watch.
   */
  void release(Job job) {
    if (job != null && JobView.holdsFinalizer(job) && released.add(TaskKey.of(job))) {
      cluster.releaseJob(job);
    }
  }

  /**
   * A Job of the bridge's being deleted whose task is not in the cache: done (its outcome is
   * recorded) or gone (deleted while the bridge did not run). Either way nothing waits for the Job:
   * it is let go instead of staying in deletion forever.
   */
  void releaseOrphan(TaskKey key) {
    Job job = cache.job(key.namespace(), key.name());
    if (job == null
        || job.getMetadata().getDeletionTimestamp() == null
        || !JobView.holdsFinalizer(job)) {
      return;
    }
    KeptnTask task = cluster.task(key.namespace(), job.getMetadata().getName()).orElse(null);
    if (task == null || KeptnState.of(task).isTerminal()) {
      cluster.releaseJob(job); // not remembered: nothing forgets this task again
    }
  }

  /** A standalone Job has its task's name. */
  void forget(TaskKey key) {
    released.remove(key);
  }
}
