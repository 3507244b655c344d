package dev.taskbridge.report;

import dev.taskbridge.keptn.KeptnTask;
import java.util.Map;

/**
 * Where the {@link Reporter} records what Kafka acknowledged: annotations on the KeptnTask. The run
 * stage's Kubernetes access implements it, so reporting depends on no stage above it.
 */
public interface TaskNotes {
  /** Merges {@code annotations} into the task's; returns the task as written. */
  KeptnTask annotate(String namespace, String name, Map<String, String> annotations);

  /** The same, and labels the task done (it leaves the informers' cache). */
  KeptnTask markDone(String namespace, String name, Map<String, String> annotations);
}
