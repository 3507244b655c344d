package dev.taskbridge.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskbridge.sandbox.Script;
import dev.taskbridge.testing.ApiServerResource;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.KafkaResource;
import dev.taskbridge.testing.Scrape;
import dev.taskbridge.testing.TestInfra;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * After a run of real events, /q/metrics has every metric of the contract with the expected values.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(ApiServerResource.class)
class MetricsTest {
  static final String NS = "team-a";

  static Scrape scrape() {
    return new Scrape(given().get("/q/metrics").then().statusCode(200).extract().asString());
  }

  @Test
  void everyContractMetricCountsWhatHappened() {
    Defs.apply(Defs.container(NS, "m-ok"));
    Defs.apply(Defs.container(NS, "m-flaky"));
    Defs.apply(Defs.container(NS, "m-bad"));
    TestInfra.simulator()
        .script("m-ok", Script.succeed())
        .script("m-flaky", Script.failTimesThenSucceed(1))
        .script("m-bad", Script.failAlways());
    Scrape before = scrape();

    Events pre = Events.pre(NS, "shop", "1").tasks("m-ok", "m-flaky").retries(2);
    Events post = Events.post(NS, "shop", "1").tasks("m-bad", "m-missing").retries(0);
    Bus.send(pre.binary(Bus.EVENTS));
    Bus.send(post.binary(Bus.EVENTS));
    Bus.send(pre.binary(Bus.EVENTS)); // a duplicate
    Bus.send(new ProducerRecord<>(Bus.EVENTS, "not a cloudevent".getBytes(StandardCharsets.UTF_8)));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                Set.of(pre.trigger(), post.trigger()).stream()
                    .allMatch(
                        t ->
                            Bus.results().forTrigger(t).stream()
                                .anyMatch(c -> c.kind().equals("phase.finished"))));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                scrape().sum("taskbridge_events_rejected_total")
                        - before.sum("taskbridge_events_rejected_total")
                    >= 1);

    Scrape after = scrape();
    assertThat(delta(before, after, "taskbridge_events_received_total", "checktype", "pre"))
        .isEqualTo(2);
    assertThat(delta(before, after, "taskbridge_events_received_total", "checktype", "post"))
        .isEqualTo(1);
    assertThat(delta(before, after, "taskbridge_events_received_total", "checktype", "unknown"))
        .isEqualTo(1);
    assertThat(delta(before, after, "taskbridge_events_rejected_total", "reason", "NotJson"))
        .isEqualTo(1);
    assertThat(delta(before, after, "taskbridge_events_duplicate_total")).isEqualTo(1);
    assertThat(delta(before, after, "taskbridge_tasks_started_total", "checktype", "pre"))
        .isEqualTo(2);
    assertThat(delta(before, after, "taskbridge_tasks_started_total", "checktype", "post"))
        .isEqualTo(1);
    assertThat(
            delta(
                before,
                after,
                "taskbridge_tasks_finished_total",
                "checktype",
                "pre",
                "status",
                "Succeeded",
                "reason",
                "none"))
        .isEqualTo(2);
    assertThat(
            delta(
                before,
                after,
                "taskbridge_tasks_finished_total",
                "checktype",
                "post",
                "status",
                "Failed",
                "reason",
                "BackoffLimitExceeded"))
        .isEqualTo(1);
    assertThat(
            delta(
                before,
                after,
                "taskbridge_tasks_finished_total",
                "checktype",
                "post",
                "status",
                "Failed",
                "reason",
                "DefinitionNotFound"))
        .isEqualTo(1);
    assertThat(delta(before, after, "taskbridge_task_retries_total", "checktype", "pre"))
        .isEqualTo(1);
    assertThat(after.all("taskbridge_tasks_active"))
        .extracting(s -> s.labels().get("checktype"))
        .containsExactlyInAnyOrder("pre", "post");
    assertThat(
            delta(
                before,
                after,
                "taskbridge_task_duration_seconds_count",
                "checktype",
                "pre",
                "status",
                "Succeeded"))
        .isEqualTo(2);
    assertThat(after.sum("taskbridge_task_duration_seconds_bucket", "le", "3600.0")).isPositive();
    assertThat(delta(before, after, "taskbridge_event_to_job_seconds_count")).isEqualTo(3);
    assertThat(delta(before, after, "taskbridge_result_latency_seconds_count")).isEqualTo(4);
    assertThat(delta(before, after, "taskbridge_results_published_total", "type", "task.started"))
        .isEqualTo(3);
    assertThat(delta(before, after, "taskbridge_results_published_total", "type", "task.retrying"))
        .isEqualTo(1);
    assertThat(delta(before, after, "taskbridge_results_published_total", "type", "task.succeeded"))
        .isEqualTo(2);
    assertThat(delta(before, after, "taskbridge_results_published_total", "type", "task.failed"))
        .isEqualTo(2);
    assertThat(delta(before, after, "taskbridge_results_published_total", "type", "phase.finished"))
        .isEqualTo(2);
    assertThat(delta(before, after, "taskbridge_results_published_total", "type", "event.rejected"))
        .isEqualTo(1);
    for (String name :
        List.of(
            "taskbridge_events_received_total",
            "taskbridge_tasks_finished_total",
            "taskbridge_results_published_total",
            "taskbridge_task_duration_seconds_count")) {
      assertThat(after.all(name))
          .allSatisfy(
              s ->
                  assertThat(s.labels().keySet())
                      .allMatch(k -> Set.of("checktype", "status", "reason", "type").contains(k)));
    }
  }

  static double delta(Scrape before, Scrape after, String name, String... labels) {
    return after.sum(name, labels) - before.sum(name, labels);
  }
}
