package dev.taskbridge.run;

import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.keptn.TaskKey;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Copies of unfinished tasks that the sweep listed and the informer never delivered (a watch that
 * missed an event): each stands in for the cache's, once. A listed copy can be stale by the time
 * its work runs: the task may have been labelled done right after the listing, left the cache and
 * had what memory held about its results released. So the API server is asked first, on the task's
 * worker (where the done label is written): the task as it is now stands in, and only while it is
 * there, not being deleted and not done.
 */
final class StandIns {
  private final Map<TaskKey, KeptnTask> listed = new ConcurrentHashMap<>();

  void offer(KeptnTask copy) {
    listed.put(TaskKey.of(copy), copy);
  }

  /** The waiting copy, used once (null when none). */
  KeptnTask take(TaskKey key) {
    return listed.remove(key);
  }

  /**
   * Replaces a waiting copy by the server's current one, or drops it when the server has the task
   * no more, deleting or done. An API failure leaves the copy waiting (the work is tried again).
   */
  void confirm(TaskKey key, Function<TaskKey, Optional<KeptnTask>> server) {
    if (!listed.containsKey(key)) {
      return;
    }
    Optional<KeptnTask> now =
        server
            .apply(key)
            .filter(t -> t.getMetadata().getDeletionTimestamp() == null)
            .filter(t -> !"true".equals(Owners.label(t, Keys.DONE)));
    if (now.isPresent()) {
      listed.replace(key, now.get());
    } else {
      listed.remove(key);
    }
  }
}
