package dev.taskbridge.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import org.junit.jupiter.api.Test;

class SlimStoreTest {

  @Test
  void cachedJobsKeepMetadataAndStatusButNotTheirPodTemplate() {
    Job job =
        new JobBuilder()
            .withNewMetadata()
            .withName("pre-check-0123456789")
            .withNamespace("team-a")
            .addToLabels("app.kubernetes.io/managed-by", "keptn-task-bridge")
            .addNewOwnerReference()
            .withKind("KeptnTask")
            .withName("pre-check-0123456789")
            .endOwnerReference()
            .withManagedFields(new ManagedFieldsEntry())
            .endMetadata()
            .withNewSpec()
            .withBackoffLimit(2)
            .withNewTemplate()
            .withNewSpec()
            .addNewContainer()
            .withName("keptn-function-runner")
            .addNewEnv()
            .withName("DATA")
            .withValue("{\"big\":\"payload\"}")
            .endEnv()
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .withNewStatus()
            .withFailed(1)
            .withActive(1)
            .endStatus()
            .build();

    SlimStore<Job> store = new SlimStore<>();
    store.put("team-a/pre-check-0123456789", job);
    Job cached = store.get("team-a/pre-check-0123456789");

    assertThat(cached.getSpec().getTemplate()).isNull();
    assertThat(cached.getSpec().getBackoffLimit()).isEqualTo(2);
    assertThat(cached.getMetadata().getManagedFields()).isNull();
    assertThat(cached.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "keptn-task-bridge");
    assertThat(cached.getMetadata().getOwnerReferences().get(0).getName())
        .isEqualTo("pre-check-0123456789");
    assertThat(cached.getStatus().getFailed()).isEqualTo(1);
  }

  @Test
  void cachedPodsKeepMetadataAndStatusButNotTheirSpec() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("pre-check-0123456789-001")
            .addToLabels("job-name", "pre-check-0123456789")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("keptn-function-runner")
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase("Failed")
            .endStatus()
            .build();

    SlimStore<Pod> store = new SlimStore<>();
    store.put("default/pre-check-0123456789-001", pod);
    Pod cached = store.get("default/pre-check-0123456789-001");

    assertThat(cached.getSpec()).isNull();
    assertThat(cached.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(cached.getMetadata().getLabels()).containsEntry("job-name", "pre-check-0123456789");
  }
}
