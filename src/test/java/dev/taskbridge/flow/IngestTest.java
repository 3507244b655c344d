package dev.taskbridge.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.taskbridge.contract.CheckType;
import dev.taskbridge.keptn.CrdSchema;
import dev.taskbridge.keptn.KeptnAppContext;
import dev.taskbridge.keptn.KeptnAppContextSpec;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.plan.Names;
import dev.taskbridge.testing.ApiServerResource;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Ce;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.InCluster;
import dev.taskbridge.testing.KafkaResource;
import dev.taskbridge.testing.TestInfra;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** Events in: both content modes, both transports, duplicates, task resolution, API faults. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(ApiServerResource.class)
class IngestTest {
  static final String NS = "team-a";

  @Test
  void preAndPostEventsForAnAppAndAWorkloadCreateValidKeptnTasks() {
    Defs.apply(Defs.container(NS, "ingest-check"));
    List<Events> events =
        List.of(
            Events.pre(NS, "shop", "1.0.0").tasks("ingest-check"),
            Events.post(NS, "shop", "1.0.0").tasks("ingest-check"),
            Events.pre(NS, "shop", "1.0.0")
                .workload("cart", "0.1")
                .tasks("ingest-check")
                .param("k", "v"),
            Events.post(NS, "shop", "1.0.0")
                .workload("cart", "0.1")
                .tasks("ingest-check")
                .attribute(
                    "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
    Bus.send(events.get(0).binary(Bus.EVENTS));
    Bus.send(events.get(1).structured(Bus.EVENTS));
    Bus.send(events.get(2).binary(Bus.EVENTS));
    Bus.send(events.get(3).structured(Bus.EVENTS));
    CrdSchema schema = CrdSchema.keptnTask();
    for (Events e : events) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> InCluster.tasksOf(NS, e.trigger()).size() == 1);
      KeptnTask t = InCluster.tasksOf(NS, e.trigger()).get(0);
      assertThat(schema.violations(t)).isEmpty();
      assertThat(t.getMetadata().getAnnotations())
          .containsEntry(Keys.TRIGGER_ID, e.id())
          .containsEntry(Keys.TRIGGER_SOURCE, e.source());
    }
    KeptnTask workloadPost = InCluster.tasksOf(NS, events.get(3).trigger()).get(0);
    assertThat(workloadPost.getSpec().checkType).isEqualTo("post");
    assertThat(workloadPost.getSpec().context.objectType).isEqualTo("Workload");
    assertThat(workloadPost.getSpec().context.metadata).containsKey("traceparent");
    assertThat(InCluster.tasksOf(NS, events.get(2).trigger()).get(0).getSpec().parameters.map)
        .containsEntry("k", "v");
    assertThat(InCluster.tasksOf(NS, events.get(0).trigger()).get(0).getSpec().context.objectType)
        .isEqualTo("App");
  }

  @Test
  void sameEventThreeTimesOnKafkaAndOnceOverHttpCreatesEachTaskOnce() {
    Defs.apply(Defs.container(NS, "dup-a"));
    Defs.apply(Defs.container(NS, "dup-b"));
    Events e = Events.pre(NS, "shop", "3").tasks("dup-a", "dup-b");
    for (int i = 0; i < 3; i++) {
      Bus.send(e.binary(Bus.EVENTS));
    }
    Bus.awaitPhase(e.trigger(), Duration.ofSeconds(30));
    given()
        .contentType("application/cloudevents+json")
        .body(e.structuredJson())
        .post("/events")
        .then()
        .statusCode(202)
        .body("triggerId", equalTo(e.trigger()))
        .body("duplicate", equalTo(true))
        .body("tasks", hasSize(2))
        .body("tasks[0].taskDefinition", equalTo("dup-a"));
    assertThat(InCluster.tasksOf(NS, e.trigger())).hasSize(2);
    assertThat(InCluster.jobsOf(NS, e.trigger())).hasSize(2);
    List<Ce> results = Bus.results().forTrigger(e.trigger());
    assertThat(results).extracting(Ce::id).doesNotHaveDuplicates();
    assertThat(results.stream().filter(c -> c.kind().equals("phase.finished"))).hasSize(1);
  }

  @Test
  void theSameEventArrivingTwiceAtOnceIsOneNewEventAndOneDuplicate() throws Exception {
    Defs.apply(Defs.container(NS, "race-a"));
    Defs.apply(Defs.container(NS, "race-b"));
    Events e = Events.pre(NS, "shop", "race").tasks("race-a", "race-b");
    int copies = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(copies);
    try {
      List<Future<Boolean>> answers = new ArrayList<>();
      for (int i = 0; i < copies; i++) {
        answers.add(
            pool.submit(
                () -> {
                  go.await();
                  return given()
                      .contentType("application/cloudevents+json")
                      .body(e.structuredJson())
                      .post("/events")
                      .then()
                      .statusCode(202)
                      .extract()
                      .<Boolean>path("duplicate");
                }));
      }
      go.countDown();
      List<Boolean> duplicate = new ArrayList<>();
      for (Future<Boolean> a : answers) {
        duplicate.add(a.get(60, TimeUnit.SECONDS));
      }
      assertThat(duplicate)
          .as("one delivery created the tasks; every other one is answered as a duplicate")
          .containsOnlyOnce(false)
          .hasSize(copies);
    } finally {
      pool.shutdownNow();
    }
    Bus.awaitPhase(e.trigger(), Duration.ofSeconds(30));
    assertThat(InCluster.tasksOf(NS, e.trigger())).hasSize(2);
    assertThat(InCluster.jobsOf(NS, e.trigger())).hasSize(2);
  }

  @Test
  void httpBinaryModeAcceptsAndAnswersWithThePlannedTasks() {
    Defs.apply(Defs.container(NS, "http-check"));
    Events e = Events.post(NS, "shop", "4").tasks("http-check");
    given()
        .header("ce-specversion", "1.0")
        .header("ce-id", e.id())
        .header("ce-source", e.source())
        .header("ce-type", "dev.taskbridge.deployment.post")
        .contentType("application/json")
        .body(e.dataJson())
        .post("/events")
        .then()
        .statusCode(202)
        .body("duplicate", equalTo(false))
        .body(
            "tasks[0].name",
            equalTo(Names.taskName(CheckType.post, "http-check", e.source(), e.id())));
    // asserted, not polled for "== 3": a failure shows which results came (and any twice)
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(Bus.results().forTrigger(e.trigger()))
                    .extracting(Ce::kind)
                    .containsExactly("task.started", "task.succeeded", "phase.finished"));
  }

  @Test
  void tasksComeFromTheAppContextWithDefinitionsFoundInTheKeptnNamespace() {
    Defs.apply(Defs.container("keptn-system", "ctx-shared"));
    Defs.apply(Defs.container(NS, "ctx-local"));
    KeptnAppContext ctx = new KeptnAppContext();
    ctx.setMetadata(new ObjectMetaBuilder().withName("ctx-app").withNamespace(NS).build());
    ctx.setSpec(new KeptnAppContextSpec());
    ctx.getSpec().preDeploymentTasks = List.of("ctx-local", "ctx-shared");
    ctx.getSpec().postDeploymentTasks = List.of("never");
    TestInfra.client().resources(KeptnAppContext.class).resource(ctx).create();
    Events e = Events.pre(NS, "ctx-app", "1");
    Bus.send(e.binary(Bus.EVENTS));
    Bus.awaitPhase(e.trigger(), Duration.ofSeconds(30));
    List<KeptnTask> tasks = InCluster.tasksOf(NS, e.trigger());
    assertThat(tasks)
        .extracting(t -> t.getSpec().taskDefinition)
        .containsExactlyInAnyOrder("ctx-local", "ctx-shared");
    KeptnTask shared =
        tasks.stream()
            .filter(t -> t.getSpec().taskDefinition.equals("ctx-shared"))
            .findFirst()
            .orElseThrow();
    assertThat(shared.getMetadata().getAnnotations())
        .containsEntry(Keys.DEFINITION_NAMESPACE, "keptn-system");
    assertThat(shared.getStatus().status).isEqualTo("Succeeded");
    Ce phase =
        Bus.results().forTrigger(e.trigger()).stream()
            .filter(c -> c.kind().equals("phase.finished"))
            .findFirst()
            .orElseThrow();
    assertThat(phase.data().get("result").asText()).isEqualTo("pass");
  }

  @Test
  void tasksComeFromAConfiguredRuleWhenThereIsNoAppContext() {
    Defs.apply(Defs.container(NS, "rule-check"));
    Events e = Events.post(NS, "ruled-app", "1");
    Bus.send(e.binary(Bus.EVENTS));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> InCluster.tasksOf(NS, e.trigger()).size() == 1);
    assertThat(InCluster.tasksOf(NS, e.trigger()).get(0).getSpec().taskDefinition)
        .isEqualTo("rule-check");
    Events pre = Events.pre(NS, "ruled-app", "1");
    Bus.send(pre.binary(Bus.EVENTS));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !Bus.results().forTrigger(pre.trigger()).isEmpty());
    assertThat(Bus.results().forTrigger(pre.trigger()).get(0).data().get("tasks")).isEmpty();
  }

  @Test
  void apiErrorsOnTheFirstAttemptsAreRetriedAndTheOffsetIsCommittedOnlyAfter() throws Exception {
    Defs.apply(Defs.container(NS, "faulty-check"));
    Events e = Events.pre(NS, "faulty-app", "1").tasks("faulty-check");
    TestInfra.api().failNext("POST", "/namespaces/" + NS + "/keptntasks", 500, 3);
    TestInfra.api().failNext("POST", "/namespaces/" + NS + "/keptntasks", 429, 3);
    RecordMetadata sent =
        Bus.companion()
            .produce(Serdes.ByteArray(), Serdes.ByteArray())
            .fromRecords(e.binary(Bus.EVENTS))
            .awaitCompletion(Duration.ofSeconds(30))
            .getFirstRecord();
    TopicPartition tp = new TopicPartition(Bus.EVENTS, sent.partition());
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfra.kafka().bootstrapServers()))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  InCluster.tasksOf(NS, e.trigger()).size() == 1
                      || committed(admin, tp) > sent.offset());
      assertThat(InCluster.tasksOf(NS, e.trigger())).hasSize(1);
      await().atMost(Duration.ofSeconds(30)).until(() -> committed(admin, tp) > sent.offset());
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Bus.results().forTrigger(e.trigger()).size() == 3);
    assertThat(InCluster.jobsOf(NS, e.trigger())).hasSize(1);
  }

  static long committed(Admin admin, TopicPartition tp) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin
            .listConsumerGroupOffsets("keptn-task-bridge")
            .partitionsToOffsetAndMetadata()
            .get(10, TimeUnit.SECONDS);
    OffsetAndMetadata o = offsets.get(tp);
    return o == null ? -1 : o.offset();
  }
}
