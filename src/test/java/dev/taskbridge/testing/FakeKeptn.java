package dev.taskbridge.testing;

import dev.taskbridge.keptn.KeptnState;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskDefinition;
import dev.taskbridge.keptn.KeptnTaskStatus;
import dev.taskbridge.keptn.Keys;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Plays Keptn's lifecycle operator for keptn-mode tests: makes a Job for each new KeptnTask
 * (random-suffix name, {@code restartPolicy: OnFailure}, the task's labels) and mirrors the Job's
 * conditions into the task's status, as Keptn does.
 */
public final class FakeKeptn implements AutoCloseable {
  private final SharedIndexInformer<KeptnTask> tasks;
  private final SharedIndexInformer<Job> jobs;

  public FakeKeptn(String namespace) {
    var client = TestInfra.client();
    tasks =
        client
            .resources(KeptnTask.class)
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(KeptnTask t) {
                    if (t.getStatus() == null || t.getStatus().jobName == null) {
                      start(t);
                    }
                  }

                  @Override
                  public void onUpdate(KeptnTask o, KeptnTask n) {}

                  @Override
                  public void onDelete(KeptnTask t, boolean unknown) {}
                });
    jobs =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Job j) {}

                  @Override
                  public void onUpdate(Job o, Job j) {
                    mirror(j);
                  }

                  @Override
                  public void onDelete(Job j, boolean unknown) {}
                });
  }

  private void start(KeptnTask t) {
    var defs = TestInfra.client().resources(KeptnTaskDefinition.class);
    if (defs.inNamespace(t.getMetadata().getNamespace()).withName(t.getSpec().taskDefinition).get()
            == null
        && defs.inNamespace("keptn-system").withName(t.getSpec().taskDefinition).get() == null) {
      return; // as Keptn: no definition, no Job (Keptn leaves such a task Pending; the bridge fails
      // it)
    }
    String jobName = t.getMetadata().getName() + "-" + (10000 + (int) (Math.random() * 89999));
    Map<String, String> labels = new HashMap<>(t.getMetadata().getLabels());
    Job job =
        new JobBuilder()
            .withNewMetadata()
            .withName(jobName)
            .withNamespace(t.getMetadata().getNamespace())
            .withLabels(labels)
            .addToAnnotations(Keys.KEPTN_TASK_NAME, t.getMetadata().getName())
            .addToAnnotations(Keys.TASK_DEFINITION, t.getSpec().taskDefinition)
            .endMetadata()
            .withNewSpec()
            .withBackoffLimit(t.getSpec().retries)
            .withActiveDeadlineSeconds(300L)
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("OnFailure")
            .addNewContainer()
            .withName("keptn-function-runner")
            .withImage("busybox")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    TestInfra.client().batch().v1().jobs().resource(job).create();
    write(
        t.getMetadata().getNamespace(),
        t.getMetadata().getName(),
        s -> {
          s.jobName = jobName;
          s.status = KeptnState.Progressing.name();
          s.startTime = Instant.now().toString();
        });
  }

  private void mirror(Job j) {
    if (j.getStatus() == null || j.getStatus().getConditions() == null) {
      return;
    }
    String task = j.getMetadata().getAnnotations().get(Keys.KEPTN_TASK_NAME);
    for (var c : j.getStatus().getConditions()) {
      if (c.getType().equals("Complete") || c.getType().equals("Failed")) {
        write(
            j.getMetadata().getNamespace(),
            task,
            s -> {
              s.status = c.getType().equals("Complete") ? "Succeeded" : "Failed";
              s.reason = c.getType().equals("Complete") ? null : c.getReason();
              s.message = c.getType().equals("Complete") ? null : c.getMessage();
              s.endTime = Instant.now().toString();
            });
        return;
      }
    }
  }

  /**
   * Writes the task's status as Keptn's controller does: read, change, write; a conflict (the
   * bridge annotated the task meanwhile) is read and written again, as controller-runtime requeues
   * it.
   */
  private static void write(String ns, String name, Consumer<KeptnTaskStatus> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        TestInfra.client()
            .resources(KeptnTask.class)
            .inNamespace(ns)
            .withName(name)
            .editStatus(
                t -> {
                  if (t.getStatus() == null) {
                    t.setStatus(new KeptnTaskStatus());
                  }
                  change.accept(t.getStatus());
                  return t;
                });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  @Override
  public void close() {
    tasks.close();
    jobs.close();
  }
}
