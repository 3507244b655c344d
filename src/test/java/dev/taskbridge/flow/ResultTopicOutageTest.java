package dev.taskbridge.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.sandbox.Script;
import dev.taskbridge.testing.ApiServerResource;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Ce;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.FaultProxy;
import dev.taskbridge.testing.InCluster;
import dev.taskbridge.testing.KafkaResource;
import dev.taskbridge.testing.TestInfra;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The result topic alone is out for two minutes while the input topic works: the app's result
 * producer reaches the broker through a proxy of its own (a side listener advertised at the proxy's
 * port), which swallows every byte — what a producer sees when the result topic's leader is
 * unreachable (no answer, then its delivery timeout). Nothing is lost, the process is never
 * restarted (liveness stays UP), readiness is DOWN during the outage and UP after it.
 *
 * <p>(Tried first: the topic's {@code max.message.bytes} lowered, so every write failed with
 * MESSAGE_TOO_LARGE. Kafka's idempotent producer then split batches for a minute and, in the full
 * suite, never sent that partition again after the limit was restored. A partition without an
 * in-sync replica cannot be made on one broker: Kafka 4.1 caps min.insync.replicas at the
 * replication factor.)
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(ApiServerResource.class)
class ResultTopicOutageTest {
  static final String NS = "team-a";

  static void resultTopicTakesWrites(boolean yes) {
    TestInfra.resultsProxy().set(yes ? FaultProxy.Mode.PASS : FaultProxy.Mode.BLACKHOLE);
  }

  static int ready() {
    return given().get("/q/health/ready").statusCode();
  }

  static int live() {
    return given().get("/q/health/live").statusCode();
  }

  static List<String> kinds(Events e) {
    return Bus.results().forTrigger(e.trigger()).stream().map(Ce::kind).toList();
  }

  @AfterEach
  void topicBack() {
    resultTopicTakesWrites(true);
  }

  @Test
  void aTwoMinuteOutageOfTheResultTopicLosesNothingAndNeedsNoRestart() throws Exception {
    Defs.apply(Defs.container(NS, "topic-outage"));
    // the result topic exists and the app is ready before the outage
    Events warm = Events.pre(NS, "shop", "0").tasks("topic-outage");
    Bus.send(warm.binary(Bus.EVENTS));
    Bus.awaitPhase(warm.trigger(), Duration.ofSeconds(60));
    await().atMost(Duration.ofSeconds(30)).until(() -> ready() == 200);

    resultTopicTakesWrites(false);
    Events before = Events.pre(NS, "shop", "1").tasks("topic-outage");
    Bus.send(before.binary(Bus.EVENTS));
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                assertThat(
                        given()
                            .get("/q/health/ready")
                            .jsonPath()
                            .getString("checks.find { it.name == 'results' }.status"))
                    .as("results so far: %s", kinds(before))
                    .isEqualTo("DOWN"));
    assertThat(ready()).isEqualTo(503);

    // the input topic still works: an event sent during the outage gets its task and its Job
    Events during = Events.pre(NS, "shop", "2").tasks("topic-outage");
    Bus.send(during.binary(Bus.EVENTS));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !InCluster.jobsOf(NS, during.trigger()).isEmpty());

    // a task that fails once, then succeeds, and whose Job and pods its TTL (0) removes while
    // its results cannot be delivered: they still carry the failed attempt's log once delivered
    var ttl0 = Defs.container(NS, "topic-outage-ttl0");
    ttl0.getSpec().ttlSecondsAfterFinished = 0;
    Defs.apply(ttl0);
    TestInfra.simulator()
        .script(
            "topic-outage-ttl0", Script.failTimesThenSucceed(1).logging("the reason it failed\n"));
    Events gone = Events.pre(NS, "shop", "4").tasks("topic-outage-ttl0").retries(1);
    Bus.send(gone.binary(Bus.EVENTS));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                !InCluster.tasksOf(NS, gone.trigger()).isEmpty()
                    && "Succeeded"
                        .equals(
                            String.valueOf(
                                InCluster.tasksOf(NS, gone.trigger()).get(0).getStatus().status))
                    && InCluster.jobsOf(NS, gone.trigger()).isEmpty());

    // a running task deleted during the outage: its Job is stopped at once, and its cancel result
    // (and the phase) arrive once the topic is back
    Defs.apply(Defs.container(NS, "topic-outage-hang"));
    TestInfra.simulator().script("topic-outage-hang", Script.hang());
    Events cancelled = Events.pre(NS, "shop", "3").tasks("topic-outage-hang");
    Bus.send(cancelled.binary(Bus.EVENTS));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !InCluster.jobsOf(NS, cancelled.trigger()).isEmpty());
    String task = InCluster.tasksOf(NS, cancelled.trigger()).get(0).getMetadata().getName();
    TestInfra.client().resources(KeptnTask.class).inNamespace(NS).withName(task).delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(InCluster.job(NS, task)).as("the Job is stopped").isNull());

    // two minutes in all: never restarted (liveness UP), not ready, nothing delivered
    await()
        .during(Duration.ofMinutes(2))
        .atMost(Duration.ofMinutes(2).plusSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                live() == 200
                    && ready() == 503
                    && kinds(before).isEmpty()
                    && kinds(cancelled).isEmpty()
                    && kinds(during).isEmpty());

    resultTopicTakesWrites(true);
    for (Events e : List.of(before, during)) {
      await()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () ->
                  assertThat(kinds(e))
                      .contains("task.started", "task.succeeded", "phase.finished"));
      assertThat(InCluster.jobsOf(NS, e.trigger())).hasSize(1);
      assertThat(kinds(e).stream().filter("phase.finished"::equals).distinct()).hasSize(1);
    }
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(() -> assertThat(kinds(gone)).contains("task.retrying", "task.succeeded"));
    assertThat(Bus.results().forTrigger(gone.trigger()))
        .filteredOn(c -> c.kind().equals("task.retrying"))
        .allSatisfy(
            c -> assertThat(c.data().get("logTail").asText()).contains("the reason it failed"));
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> assertThat(kinds(cancelled)).contains("task.failed", "phase.finished"));
    List<Ce> ofCancelled = Bus.results().forTrigger(cancelled.trigger());
    assertThat(ofCancelled)
        .filteredOn(c -> c.kind().equals("task.failed"))
        .allSatisfy(c -> assertThat(c.data().get("reason").asText()).isEqualTo("Cancelled"));
    assertThat(ofCancelled)
        .filteredOn(c -> c.kind().equals("phase.finished"))
        .allSatisfy(c -> assertThat(c.data().get("result").asText()).isEqualTo("fail"));
    await().atMost(Duration.ofSeconds(60)).until(() -> ready() == 200);
    assertThat(live()).isEqualTo(200);
  }
}
