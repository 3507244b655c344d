package dev.taskbridge.keptn;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** A KeptnTask's identity in the work queue and in memory: its namespace and name. */
public record TaskKey(String namespace, String name) {
  public static TaskKey of(HasMetadata task) {
    return new TaskKey(task.getMetadata().getNamespace(), task.getMetadata().getName());
  }

  /** The informers' key of the object, {@code namespace/name}. */
  public String cacheKey() {
    return namespace + "/" + name;
  }

  @Override
  public String toString() {
    return cacheKey();
  }
}
