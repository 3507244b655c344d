package dev.taskbridge.keptn;

/**
 * A deployment event's identity in the work queue and in memory: the namespace of its tasks and its
 * trigger hash (label {@code taskbridge.dev/trigger}).
 */
public record TriggerKey(String namespace, String trigger) {
  /** The trigger of a task, from its label. */
  public static TriggerKey of(KeptnTask task) {
    var labels = task.getMetadata().getLabels();
    return new TriggerKey(
        task.getMetadata().getNamespace(), labels == null ? null : labels.get(Keys.TRIGGER));
  }

  /** The informers' index key of the trigger's tasks, {@code namespace/trigger}. */
  public String indexKey() {
    return namespace + "/" + trigger;
  }

  @Override
  public String toString() {
    return indexKey();
  }
}
