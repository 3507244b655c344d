package dev.taskbridge.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.taskbridge.contract.CheckType;
import dev.taskbridge.keptn.KeptnAppContext;
import dev.taskbridge.keptn.KeptnAppContextSpec;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.plan.Names;
import dev.taskbridge.sandbox.ApiServer;
import dev.taskbridge.testing.ApiServerResource;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Ce;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.InCluster;
import dev.taskbridge.testing.KafkaResource;
import dev.taskbridge.testing.TestInfra;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The contract's fault rules on data: ids used again with other content, poison data. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(ApiServerResource.class)
class FaultRulesTest {
  static final String NS = "team-a";

  static List<String> kinds(Events e) {
    return Bus.results().forTrigger(e.trigger()).stream().map(Ce::kind).toList();
  }

  static long count(Events e, String kind) {
    return kinds(e).stream().filter(kind::equals).count();
  }

  static boolean deadLettered(Events e) {
    return Bus.deadLetters().all().stream().anyMatch(r -> e.id().equals(r.header("ce_id")));
  }

  @Test
  void anIdUsedAgainForAnotherTypeOrAnotherTaskSetIsRefusedAndTheFirstEventStandsUntouched() {
    Defs.apply(Defs.container(NS, "reuse-a"));
    Defs.apply(Defs.container(NS, "reuse-b"));
    String buildTag = "build-" + UUID.randomUUID();
    Events first = Events.pre(NS, "shop", "7").id(buildTag).tasks("reuse-a");
    Bus.send(first.binary(Bus.EVENTS));
    Bus.awaitPhase(first.trigger(), Duration.ofSeconds(30));
    var task = InCluster.tasksOf(NS, first.trigger()).get(0);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                InCluster.task(NS, task.getMetadata().getName())
                    .getMetadata()
                    .getLabels()
                    .containsKey("taskbridge.dev/done"));
    String versionBefore =
        InCluster.task(NS, task.getMetadata().getName()).getMetadata().getResourceVersion();

    // the same (source, id) as a post event: what a pipeline sends that uses its build tag twice
    Events asPost = Events.post(NS, "shop", "7").id(buildTag).tasks("reuse-a");
    given()
        .contentType("application/cloudevents+json")
        .body(asPost.structuredJson())
        .post("/events")
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("errors[0].code", equalTo("IdConflict"))
        .body("errors[0].field", equalTo("id"));
    // ... and over Kafka with another set of tasks: one rejection, and its DLQ copy
    Events otherTasks = Events.pre(NS, "shop", "7").id(buildTag).tasks("reuse-a", "reuse-b");
    Bus.send(otherTasks.binary(Bus.EVENTS));
    await().atMost(Duration.ofSeconds(30)).until(() -> count(first, "event.rejected") == 2);
    await().atMost(Duration.ofSeconds(30)).until(() -> deadLettered(first));
    // the same content again is still a duplicate, with the same answer
    given()
        .contentType("application/cloudevents+json")
        .body(first.structuredJson())
        .post("/events")
        .then()
        .statusCode(202)
        .body("duplicate", equalTo(true));

    assertThat(InCluster.tasksOf(NS, first.trigger()))
        .extracting(t -> t.getMetadata().getName())
        .containsExactly(task.getMetadata().getName());
    assertThat(InCluster.task(NS, task.getMetadata().getName()).getMetadata().getResourceVersion())
        .as("nothing of the first event's task changed")
        .isEqualTo(versionBefore);
    assertThat(count(first, "phase.finished")).isEqualTo(1);
    assertThat(count(first, "task.succeeded")).isEqualTo(1);
    assertThat(
            Bus.results().forTrigger(first.trigger()).stream()
                .filter(c -> c.kind().equals("event.rejected"))
                .map(c -> c.data().path("errors").path(0).path("code").asText()))
        .containsOnly("IdConflict");
    Ce phase =
        Bus.results().forTrigger(first.trigger()).stream()
            .filter(c -> c.kind().equals("phase.finished"))
            .findFirst()
            .orElseThrow();
    assertThat(phase.data().path("result").asText()).isEqualTo("pass");
  }

  static void post(Events e, int status, boolean duplicate) {
    given()
        .contentType("application/cloudevents+json")
        .body(e.structuredJson())
        .post("/events")
        .then()
        .statusCode(status)
        .body("duplicate", equalTo(duplicate));
  }

  static void postRefused(Events e) {
    given()
        .contentType("application/cloudevents+json")
        .body(e.structuredJson())
        .post("/events")
        .then()
        .statusCode(409)
        .body("errors[0].code", equalTo("IdConflict"));
  }

  static boolean listsTasksByTrigger(ApiServer.Request r) {
    String path = URLDecoder.decode(r.path(), StandardCharsets.UTF_8);
    return r.method().equals("GET")
        && path.contains("/keptntasks?")
        && path.contains("taskbridge.dev/trigger=");
  }

  /**
   * Admission tells a new event, a duplicate and a conflict apart by the trigger's record, read by
   * name, never by listing the namespace's KeptnTasks by label (a list the API server answers by
   * matching every KeptnTask of the namespace, finished ones included: a cost that grows with the
   * namespace's history). The record is owned by the event's tasks, so it goes with them.
   */
  @Test
  void admissionFindsAnIdByItsRecordNotByListingTheNamespacesTasks() {
    Defs.apply(Defs.container(NS, "indexed-a"));
    Defs.apply(Defs.container(NS, "indexed-b"));
    Events first = Events.pre(NS, "shop", "8").tasks("indexed-a", "indexed-b");
    String a = Names.taskName(CheckType.pre, "indexed-a", first.source(), first.id());
    String b = Names.taskName(CheckType.pre, "indexed-b", first.source(), first.id());
    Instant from = Instant.now();
    TestInfra.api().record(true);
    List<ApiServer.Request> seen;
    try {
      post(first, 202, false);
      post(first, 202, true);
      Events other = Events.pre(NS, "shop", "8").id(first.id()).tasks("indexed-a");
      postRefused(other);
      Bus.awaitPhase(first.trigger(), Duration.ofSeconds(30));
      seen = TestInfra.api().recorded();
    } finally {
      TestInfra.api().record(false);
    }
    assertThat(seen).as("requests recorded").isNotEmpty();
    assertThat(
            seen.stream()
                .filter(r -> !r.at().isBefore(from))
                .filter(FaultRulesTest::listsTasksByTrigger)
                .map(r -> r.path()))
        .as("KeptnTasks listed by trigger label")
        .isEmpty();

    ConfigMap record =
        TestInfra.client()
            .configMaps()
            .inNamespace(NS)
            .withName("taskbridge-trigger-" + first.trigger())
            .get();
    assertThat(record).as("the trigger's record").isNotNull();
    assertThat(record.getData())
        .containsEntry("type", "dev.taskbridge.deployment.pre")
        .containsEntry("taskDefinitions", "indexed-a\nindexed-b")
        .containsEntry("count", "2");
    assertThat(record.getMetadata().getOwnerReferences())
        .extracting(o -> o.getName() + "/" + o.getUid())
        .containsExactlyInAnyOrder(
            a + "/" + InCluster.task(NS, a).getMetadata().getUid(),
            b + "/" + InCluster.task(NS, b).getMetadata().getUid());
    assertThat(count(first, "task.started")).isEqualTo(2);
    assertThat(count(first, "event.rejected")).isEqualTo(1);
  }

  static ConfigMap record(String ns, String trigger) {
    return TestInfra.client()
        .configMaps()
        .inNamespace(ns)
        .withName("taskbridge-trigger-" + trigger)
        .get();
  }

  /**
   * A redelivery creates nothing while the record stands: a task deleted since (one of two) is not
   * created and run again. Once the last task is deleted, the record goes with it (its owner) and
   * the id is new again, as it was before records: another set of tasks under it is accepted.
   */
  @Test
  void aRecordLivesAsLongAsItsTasksAndADeletedTaskIsNotRunAgain() {
    Defs.apply(Defs.container(NS, "owned-a"));
    Defs.apply(Defs.container(NS, "owned-b"));
    Defs.apply(Defs.container(NS, "owned-c"));
    Events first = Events.pre(NS, "shop", "11").tasks("owned-a", "owned-b");
    String a = Names.taskName(CheckType.pre, "owned-a", first.source(), first.id());
    String b = Names.taskName(CheckType.pre, "owned-b", first.source(), first.id());
    post(first, 202, false);
    Bus.awaitPhase(first.trigger(), Duration.ofSeconds(30));
    assertThat(record(NS, first.trigger())).isNotNull();

    TestInfra.client().resources(KeptnTask.class).inNamespace(NS).withName(a).delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> InCluster.task(NS, a) == null);
    post(first, 202, true);
    assertThat(InCluster.task(NS, a)).as("the deleted task, after a redelivery").isNull();
    assertThat(record(NS, first.trigger())).as("still owned by the other task").isNotNull();

    TestInfra.client().resources(KeptnTask.class).inNamespace(NS).withName(b).delete();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(record(NS, first.trigger())).as("collected").isNull());
    Events again = Events.pre(NS, "shop", "11").id(first.id()).tasks("owned-c");
    post(again, 202, false);
    await().atMost(Duration.ofSeconds(30)).until(() -> count(first, "phase.finished") == 2);
    assertThat(InCluster.tasksOf(NS, first.trigger()))
        .extracting(t -> t.getSpec().taskDefinition)
        .containsExactly("owned-c");
    assertThat(count(first, "task.started")).as("owned-a, owned-b, then owned-c").isEqualTo(3);
  }

  /**
   * Where the bridge may not read ConfigMaps (an upgrade that kept the old ClusterRole), admission
   * lists the trigger's KeptnTasks as before: events still run, and an id used again with other
   * content is still refused.
   */
  @Test
  void withoutLeaveToReadRecordsAnIdUsedAgainIsStillRefused() {
    Defs.apply(Defs.container(NS, "unindexed-a"));
    Defs.apply(Defs.container(NS, "unindexed-b"));
    Events first = Events.pre(NS, "shop", "9").tasks("unindexed-a");
    TestInfra.api()
        .failWhere(
            (m, p) -> p.contains("/configmaps/taskbridge-trigger-" + first.trigger()),
            403,
            1.0,
            Integer.MAX_VALUE);
    try {
      post(first, 202, false);
      Bus.awaitPhase(first.trigger(), Duration.ofSeconds(30));
      post(first, 202, true);
      Events other = Events.pre(NS, "shop", "9").id(first.id()).tasks("unindexed-a", "unindexed-b");
      postRefused(other);
    } finally {
      TestInfra.api().clearFaults();
    }
    assertThat(InCluster.tasksOf(NS, first.trigger()))
        .extracting(t -> t.getSpec().taskDefinition)
        .containsExactly("unindexed-a");
    assertThat(count(first, "task.succeeded")).isEqualTo(1);
    assertThat(count(first, "phase.finished")).isEqualTo(1);
  }

  /**
   * Where the cluster refuses to create a trigger record (a quota on ConfigMaps, RBAC without
   * create), the event still runs, and the namespace is admitted by listing from then on: the id
   * used again with other content is refused, though the first event has no record. Namespace
   * {@code default}, which stays listed for the rest of this JVM's app (correct, only slower).
   */
  @Test
  void whereRecordsCannotBeWrittenAnIdUsedAgainIsStillRefused() {
    String ns = "default";
    Defs.apply(Defs.container(ns, "unrecorded-a"));
    Defs.apply(Defs.container(ns, "unrecorded-b"));
    Events first = Events.pre(ns, "shop", "10").tasks("unrecorded-a");
    TestInfra.api()
        .failWhere(
            (m, p) -> m.equals("POST") && p.startsWith("/api/v1/namespaces/" + ns + "/configmaps"),
            403,
            1.0,
            Integer.MAX_VALUE);
    try {
      post(first, 202, false);
      Bus.awaitPhase(first.trigger(), Duration.ofSeconds(30));
    } finally {
      TestInfra.api().clearFaults();
    }
    assertThat(
            TestInfra.client()
                .configMaps()
                .inNamespace(ns)
                .withName("taskbridge-trigger-" + first.trigger())
                .get())
        .as("no record was written")
        .isNull();
    Events other = Events.pre(ns, "shop", "10").id(first.id()).tasks("unrecorded-b");
    postRefused(other);
    assertThat(InCluster.tasksOf(ns, first.trigger()))
        .extracting(t -> t.getSpec().taskDefinition)
        .containsExactly("unrecorded-a");
    assertThat(count(first, "task.succeeded")).isEqualTo(1);
  }

  /**
   * A 429 with {@code Retry-After: 3} on every Job create for 7 s: the bridge asks again only when
   * told (not 5 quick retries each time), and the task runs once the server lets it.
   */
  @Test
  void aThrottlingApiServerIsAskedAgainOnlyWhenItSaysSo() {
    Defs.apply(Defs.container(NS, "throttled"));
    Events e = Events.pre(NS, "shop", "1").tasks("throttled");
    String task = Names.taskName(CheckType.pre, "throttled", e.source(), e.id());
    Instant from = Instant.now();
    TestInfra.api().record(true);
    TestInfra.api()
        .throttleUntil(
            (m, p) -> m.equals("POST") && p.startsWith("/apis/batch/v1/namespaces/" + NS + "/jobs"),
            3,
            from.plusSeconds(7));
    try {
      Bus.send(e.binary(Bus.EVENTS));
      Bus.awaitPhase(e.trigger(), Duration.ofSeconds(60));
    } finally {
      TestInfra.api().clearFaults();
    }
    List<ApiServer.Request> seen = TestInfra.api().recorded();
    TestInfra.api().record(false);
    List<Instant> throttled =
        seen.stream()
            .filter(r -> r.at().isAfter(from) && r.answered() == 429)
            .filter(r -> r.method().equals("POST") && r.path().contains("/jobs"))
            .map(ApiServer.Request::at)
            .sorted()
            .toList();
    assertThat(throttled).as("the create was throttled").isNotEmpty().hasSizeLessThanOrEqualTo(3);
    for (int i = 1; i < throttled.size(); i++) {
      assertThat(Duration.between(throttled.get(i - 1), throttled.get(i)))
          .as("asked again only after Retry-After")
          .isGreaterThanOrEqualTo(Duration.ofMillis(2900));
    }
    assertThat(kinds(e)).contains("task.started", "task.succeeded", "phase.finished");
    assertThat(TestInfra.client().batch().v1().jobs().inNamespace(NS).withName(task).get())
        .isNotNull();
  }

  @Test
  void anAppContextWithTaskNamesThatCannotBeObjectNamesRejectsTheEventAndTheNextOneRuns() {
    KeptnAppContext ctx = new KeptnAppContext();
    ctx.setMetadata(new ObjectMetaBuilder().withName("poison-app").withNamespace(NS).build());
    ctx.setSpec(new KeptnAppContextSpec());
    ctx.getSpec().postDeploymentTasks = Arrays.asList("", "Not_A/Name");
    TestInfra.client().resources(KeptnAppContext.class).resource(ctx).create();
    Events poison = Events.post(NS, "poison-app", "1");
    Defs.apply(Defs.container(NS, "after-poison"));
    Events next = Events.post(NS, "shop", "1").tasks("after-poison");
    Bus.send(poison.binary(Bus.EVENTS));
    Bus.send(next.binary(Bus.EVENTS));
    Bus.awaitPhase(next.trigger(), Duration.ofSeconds(30));
    await().atMost(Duration.ofSeconds(30)).until(() -> count(poison, "event.rejected") == 1);
    Ce rejected =
        Bus.results().forTrigger(poison.trigger()).stream()
            .filter(c -> c.kind().equals("event.rejected"))
            .findFirst()
            .orElseThrow();
    assertThat(rejected.data().path("errors").path(0).path("code").asText())
        .isEqualTo("InvalidName");
    assertThat(rejected.data().path("errors").path(0).path("field").asText())
        .startsWith("KeptnAppContext poison-app spec.postDeploymentTasks[");
    assertThat(InCluster.tasksOf(NS, poison.trigger())).isEmpty();
    await().atMost(Duration.ofSeconds(30)).until(() -> deadLettered(poison));
  }

  @Test
  void anEventWhoseSecondTaskTheClusterRefusesIsRejectedAndItsPhaseStillEndsAsFail() {
    Defs.apply(Defs.container(NS, "half-ok"));
    Defs.apply(Defs.container(NS, "half-denied"));
    // a quota or an admission webhook lets the first KeptnTask in and refuses the second for good
    AtomicInteger creates = new AtomicInteger();
    TestInfra.api()
        .failWhere(
            (m, p) ->
                m.equals("POST")
                    && p.equals("/apis/lifecycle.keptn.sh/v1/namespaces/" + NS + "/keptntasks")
                    && creates.incrementAndGet() >= 2,
            403,
            1.0,
            Integer.MAX_VALUE);
    Events e = Events.pre(NS, "shop", "half").tasks("half-ok", "half-denied");
    try {
      Bus.send(e.binary(Bus.EVENTS));
      await().atMost(Duration.ofSeconds(30)).until(() -> count(e, "event.rejected") == 1);
    } finally {
      TestInfra.api().clearFaults();
    }
    Ce rejected =
        Bus.results().forTrigger(e.trigger()).stream()
            .filter(c -> c.kind().equals("event.rejected"))
            .findFirst()
            .orElseThrow();
    assertThat(rejected.data().path("errors").path(0).path("code").asText())
        .isEqualTo("RefusedByCluster");
    // the task that exists runs to its end, and the phase counts the refused one as failed
    Bus.awaitPhase(e.trigger(), Duration.ofSeconds(30));
    assertThat(InCluster.tasksOf(NS, e.trigger())).hasSize(1);
    Ce phase =
        Bus.results().forTrigger(e.trigger()).stream()
            .filter(c -> c.kind().equals("phase.finished"))
            .findFirst()
            .orElseThrow();
    assertThat(phase.data().get("result").asText()).isEqualTo("fail");
    assertThat(phase.data().get("tasks")).hasSize(2);
    assertThat(phase.data().get("tasks").findValuesAsText("reason")).contains("CreateRefused");
    assertThat(count(e, "phase.finished")).isEqualTo(1);
    given()
        .get("/triggers/" + e.trigger())
        .then()
        .statusCode(200)
        .body("result", equalTo("fail"))
        .body("tasks.size()", equalTo(2));
  }

  @Test
  void aDefinitionWithAMalformedSpecFailsItsTaskAndTheNextEventRuns() {
    // valid under Keptn's CRD (inline.code is not required there), but there is nothing to run
    Defs.apply(Defs.deno(NS, "poison-def", null));
    Defs.apply(Defs.container(NS, "after-bad-def"));
    Events poison = Events.pre(NS, "shop", "2").tasks("poison-def");
    Events next = Events.pre(NS, "shop", "2").tasks("after-bad-def");
    Bus.send(poison.binary(Bus.EVENTS));
    Bus.send(next.binary(Bus.EVENTS));
    Bus.awaitPhase(poison.trigger(), Duration.ofSeconds(60));
    Bus.awaitPhase(next.trigger(), Duration.ofSeconds(60));
    assertThat(kinds(poison)).contains("task.failed").doesNotContain("task.succeeded");
    assertThat(InCluster.tasksOf(NS, poison.trigger()).get(0).getStatus().reason)
        .isEqualTo("InvalidDefinition");
    assertThat(kinds(next)).contains("task.succeeded");
  }
}
