package dev.taskbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.testing.ApiServerResource;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Ce;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.InCluster;
import dev.taskbridge.testing.KafkaResource;
import dev.taskbridge.testing.TestInfra;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One event through everything real: the broker, the service, the API server and the Job simulator.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(ApiServerResource.class)
class SmokeTest {
  @Inject KubernetesClient client;

  /**
   * The test world's Kubernetes client has no token (as a client-certificate kubeconfig has none):
   * it is given an empty token source, so it does not re-read its configuration before each request
   * ({@link dev.taskbridge.kube.NoTokenRefresh}).
   */
  @Test
  void theBridgesClientWithoutATokenIsNotReconfiguredBeforeEachRequest() {
    assertThat(client.getConfiguration().getOauthTokenProvider()).isNotNull();
    assertThat(client.getConfiguration().getOauthTokenProvider().getToken()).isNull();
  }

  @Test
  void eventOnKafkaRunsItsTaskAndPublishesTheResults() {
    Defs.apply(Defs.container("team-a", "smoke-check"));
    Events event = Events.pre("team-a", "shop", "1.2.3").tasks("smoke-check");

    Bus.send(event.binary(Bus.EVENTS));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(Bus.results().forTrigger(event.trigger()))
                    .extracting(Ce::kind)
                    .containsExactly("task.started", "task.succeeded", "phase.finished"));
    List<KeptnTask> tasks =
        TestInfra.client()
            .resources(KeptnTask.class)
            .inNamespace("team-a")
            .withLabel("taskbridge.dev/trigger", event.trigger())
            .list()
            .getItems();
    assertThat(tasks).hasSize(1);
    KeptnTask task = tasks.get(0);
    assertThat(task.getStatus().status).isEqualTo("Succeeded");
    Job job =
        TestInfra.client()
            .batch()
            .v1()
            .jobs()
            .inNamespace("team-a")
            .withName(task.getMetadata().getName())
            .get();
    assertThat(job).isNotNull();
    assertThat(job.getMetadata().getOwnerReferences().get(0).getName())
        .isEqualTo(task.getMetadata().getName());
    Ce phase = Bus.results().forTrigger(event.trigger()).get(2);
    assertThat(phase.data().get("result").asText()).isEqualTo("pass");
  }

  /**
   * What was acknowledged is recorded on the tasks (one write for a single-task event: its terminal
   * and phase results together), and a finished task is labelled done, so the sweep's selector
   * ({@code !taskbridge.dev/done}) no longer returns it.
   */
  @Test
  void finishedTasksAreRecordedAndLeaveTheSweepsSelection() {
    Defs.apply(Defs.container("team-a", "done-a"));
    Defs.apply(Defs.container("team-a", "done-b"));
    Events single = Events.pre("team-a", "done-app", "1.0.0").tasks("done-a");
    Events pair = Events.pre("team-a", "done-app", "2.0.0").tasks("done-a", "done-b");

    Bus.send(single.binary(Bus.EVENTS));
    Bus.send(pair.binary(Bus.EVENTS));

    for (Events e : List.of(single, pair)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                List<KeptnTask> tasks = InCluster.tasksOf("team-a", e.trigger());
                assertThat(tasks).isNotEmpty();
                for (KeptnTask t : tasks) {
                  assertThat(t.getMetadata().getAnnotations())
                      .containsEntry("taskbridge.dev/published", "started,succeeded")
                      .containsEntry("taskbridge.dev/phase-published", "true");
                  assertThat(t.getMetadata().getLabels())
                      .containsEntry("taskbridge.dev/done", "true");
                }
              });
      assertThat(Bus.results().forTrigger(e.trigger()))
          .extracting(Ce::kind)
          .filteredOn("phase.finished"::equals)
          .hasSize(1);
    }
    assertThat(
            TestInfra.client()
                .resources(KeptnTask.class)
                .inNamespace("team-a")
                .withLabel("taskbridge.dev/trigger", pair.trigger())
                .withoutLabel("taskbridge.dev/done")
                .list()
                .getItems())
        .isEmpty();
  }
}
