package dev.taskbridge.run;

import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.TaskKey;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;

/**
 * What the informers hold, read-only: the reconciler and the log reader depend on this, not on the
 * informers' wiring ({@link Watchers}), so nothing that decides can start, stop or enqueue them.
 */
public interface TaskCache {
  /** The unfinished task as cached (or the sweep's listed copy, once), or null. */
  KeptnTask task(TaskKey key);

  /** A Job of the bridge's (or Keptn's) as cached, or null. */
  Job job(String namespace, String name);

  /** The cached pods of a Job. */
  List<Pod> podsOf(Job job);
}
