package dev.taskbridge.run;

import static dev.taskbridge.run.JobFactoryTest.CONTEXT;
import static dev.taskbridge.run.JobFactoryTest.container;
import static dev.taskbridge.run.JobFactoryTest.def;
import static dev.taskbridge.run.JobFactoryTest.env;
import static dev.taskbridge.run.JobFactoryTest.roundTrip;
import static dev.taskbridge.run.JobFactoryTest.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskbridge.config.RestartPolicy;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

/** The Job of a container-runtime definition: its container used as given, its mounts backed. */
class ContainerJobTest {
  final JobFactory factory =
      new JobFactory(new RunnerSettings(RestartPolicy.Never, "deno:1", "python:1"));

  @Test
  void containerIsUsedAsGivenWithKeptnContextReplacedAndItsFirstMountBacked() throws Exception {
    Job job =
        roundTrip(
            factory
                .desired(
                    task(),
                    def(
                        "c",
                        s ->
                            s.container =
                                new ContainerBuilder()
                                    .withName("mine")
                                    .withImage("busybox")
                                    .withArgs("hi")
                                    .addNewEnv()
                                    .withName("KEPTN_CONTEXT")
                                    .withValue("stale")
                                    .endEnv()
                                    .addNewEnv()
                                    .withName("MINE")
                                    .withValue("1")
                                    .endEnv()
                                    .addNewVolumeMount()
                                    .withName("scratch")
                                    .withMountPath("/s")
                                    .endVolumeMount()
                                    .withNewResources()
                                    .addToLimits("memory", new Quantity("64Mi"))
                                    .endResources()
                                    .build()),
                    null)
                .job());
    assertThat(container(job).getName()).isEqualTo("mine");
    assertThat(container(job).getArgs()).containsExactly("hi");
    assertThat(env(job).keySet()).containsExactly("MINE", "KEPTN_CONTEXT");
    assertThat(env(job).get("KEPTN_CONTEXT").getValue()).isEqualTo(CONTEXT);
    var volume = job.getSpec().getTemplate().getSpec().getVolumes().get(0);
    assertThat(volume.getName()).isEqualTo("scratch");
    assertThat(volume.getEmptyDir().getMedium()).isEqualTo("Memory");
    assertThat(volume.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("64Mi"));
  }

  @Test
  void emptyDirWithoutMemoryLimitIsOneGibibyteNotKeptnsOneByte() {
    var c =
        new ContainerBuilder()
            .withName("c")
            .withImage("i")
            .addNewVolumeMount()
            .withName("v")
            .withMountPath("/v")
            .endVolumeMount()
            .build();
    assertThat(Containers.emptyDirFor(c).getEmptyDir().getSizeLimit())
        .isEqualTo(new Quantity("1Gi"));
  }
}
