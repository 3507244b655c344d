package dev.taskbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskbridge.sandbox.Script;
import dev.taskbridge.testing.ApiServerResource;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.InCluster;
import dev.taskbridge.testing.KafkaResource;
import dev.taskbridge.testing.TestInfra;
import io.fabric8.kubernetes.api.model.Event;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kubectl describe keptntask tells the story: one Kubernetes Event per transition. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(ApiServerResource.class)
class KubernetesEventsTest {
  static final String NS = "team-a";

  static List<Event> eventsOf(String task) {
    return TestInfra.client().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> task.equals(e.getInvolvedObject().getName()))
        .sorted(Comparator.comparing(e -> e.getMetadata().getName()))
        .toList();
  }

  @Test
  void everyTransitionOfATaskIsAnEventOnItsKeptnTask() {
    Defs.apply(Defs.container(NS, "events-flaky"));
    TestInfra.simulator().script("events-flaky", Script.failTimesThenSucceed(2));
    Defs.apply(Defs.container(NS, "events-failing"));
    TestInfra.simulator().script("events-failing", Script.failAlways());
    Events ok = Events.pre(NS, "shop", "1").tasks("events-flaky").retries(3);
    Events bad = Events.pre(NS, "shop", "1").tasks("events-failing").retries(0);
    Bus.send(ok.binary(Bus.EVENTS));
    Bus.send(bad.binary(Bus.EVENTS));
    Bus.awaitPhase(ok.trigger(), Duration.ofSeconds(30));
    Bus.awaitPhase(bad.trigger(), Duration.ofSeconds(30));
    var task = InCluster.tasksOf(NS, ok.trigger()).get(0);
    String name = task.getMetadata().getName();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(eventsOf(name))
                    .extracting(Event::getReason)
                    .containsExactlyInAnyOrder(
                        "Started", "AttemptFailed", "AttemptFailed", "Succeeded"));
    Event first = eventsOf(name).get(0);
    assertThat(first.getInvolvedObject().getKind()).isEqualTo("KeptnTask");
    assertThat(first.getInvolvedObject().getApiVersion()).isEqualTo("lifecycle.keptn.sh/v1");
    assertThat(first.getInvolvedObject().getUid()).isEqualTo(task.getMetadata().getUid());
    String failing = InCluster.tasksOf(NS, bad.trigger()).get(0).getMetadata().getName();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(eventsOf(failing))
                    .extracting(Event::getReason, Event::getType)
                    .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("Started", "Normal"),
                        org.assertj.core.groups.Tuple.tuple("Failed", "Warning")));
    assertThat(
            eventsOf(failing).stream()
                .filter(e -> e.getReason().equals("Failed"))
                .findFirst()
                .orElseThrow()
                .getMessage())
        .startsWith("BackoffLimitExceeded");
  }
}
