package dev.taskbridge.run;

import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.TaskKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bridge's latest write of each task, so a reconcile never acts on an informer copy older than
 * what the bridge itself wrote. resourceVersions are opaque: compared for equality only.
 */
final class OwnWrites {
  /** The write, and the resourceVersion of the informer's copy the bridge's writes started from. */
  private record Own(String basedOn, KeptnTask task) {}

  private final Map<TaskKey, Own> fresh = new ConcurrentHashMap<>();

  /** Remembers {@code after}, the server's answer to a write of {@code before}; returns it. */
  KeptnTask written(KeptnTask before, KeptnTask after) {
    if (after == null) {
      return before;
    }
    TaskKey key = TaskKey.of(after);
    Own earlier = fresh.get(key);
    // what the informer showed before the bridge's writes began: while it still shows that, the
    // bridge's own copy is the newer one
    String basedOn =
        earlier != null ? earlier.basedOn() : before.getMetadata().getResourceVersion();
    fresh.put(key, new Own(basedOn, after));
    return after;
  }

  /** The informer's copy, or the bridge's own later write while the informer has not caught up. */
  KeptnTask fresher(TaskKey key, KeptnTask cached) {
    Own own = fresh.get(key);
    if (own == null) {
      return cached;
    }
    String seen = cached.getMetadata().getResourceVersion();
    if (seen == null || !seen.equals(own.basedOn())) {
      fresh.remove(key); // the informer moved on: to the bridge's write or past it
      return cached;
    }
    return own.task();
  }

  void forget(TaskKey key) {
    fresh.remove(key);
  }
}
