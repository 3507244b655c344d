package dev.taskbridge.testing;

import dev.taskbridge.keptn.KeptnTask;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;

/** Reads what the service wrote to the test API server. */
public final class InCluster {
  private InCluster() {}

  public static List<KeptnTask> tasksOf(String namespace, String trigger) {
    return TestInfra.client()
        .resources(KeptnTask.class)
        .inNamespace(namespace)
        .withLabel("taskbridge.dev/trigger", trigger)
        .list()
        .getItems();
  }

  public static KeptnTask task(String namespace, String name) {
    return TestInfra.client()
        .resources(KeptnTask.class)
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  public static Job job(String namespace, String name) {
    return TestInfra.client().batch().v1().jobs().inNamespace(namespace).withName(name).get();
  }

  public static List<Job> jobsOf(String namespace, String trigger) {
    return TestInfra.client()
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withLabel("taskbridge.dev/trigger", trigger)
        .list()
        .getItems();
  }
}
