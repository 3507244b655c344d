package dev.taskbridge.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskDefinition;
import dev.taskbridge.sandbox.Script;
import dev.taskbridge.testing.ApiServerResource;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.CdEventsSchemas;
import dev.taskbridge.testing.Ce;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.InCluster;
import dev.taskbridge.testing.KafkaResource;
import dev.taskbridge.testing.TestInfra;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * CDEvents in (service.deployed / upgraded over Kafka and HTTP) and out ({@code
 * bridge.results.format=both}): every CDEvent record is valid against the official schemas and says
 * what our own results say.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(ApiServerResource.class)
@TestProfile(CdEventsTest.Both.class)
class CdEventsTest {
  static final String NS = "team-a";

  public static class Both implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "bridge.results.format", "both",
          "bridge.cdevents.environments.\"prod/eu-1\"", NS,
          "bridge.leader-election.lease-name", "cdevents");
    }
  }

  /** An app whose KeptnAppContext names one post-deployment task running {@code script}. */
  static String app(Script script, Integer retries) {
    String name = "cd-" + UUID.randomUUID().toString().substring(0, 8);
    KeptnTaskDefinition def = Defs.container(NS, name);
    def.getSpec().retries = retries;
    Defs.apply(def);
    TestInfra.simulator().script(name, script);
    Defs.appContext(NS, name, name);
    return name;
  }

  static Map<String, Ce> byKind(Events e) {
    Map<String, Ce> m = new LinkedHashMap<>();
    for (Ce c : Bus.results().forTrigger(e.trigger())) {
      m.put(c.kind(), c);
    }
    return m;
  }

  static JsonNode valid(Ce c) {
    assertThat(CdEventsSchemas.problems(c.data())).as(c.id()).isEmpty();
    assertThat(c.data().path("context").path("id").asText()).isEqualTo(c.id());
    return c.data().path("subject");
  }

  @Test
  void aServiceDeployedCdEventRunsTheAppsPostTasksAndTheRunIsReportedInBothVocabularies() {
    String app = app(Script.succeed(), null);
    Events e =
        Events.cdEvent(
            "dev.cdevents.service.deployed.0.3.0",
            "prod/eu-1",
            app,
            "pkg:oci/" + app + "@sha256%3A0b31b1c0");
    Bus.send(e.binary(Bus.EVENTS));
    Bus.awaitPhase(e.trigger(), Duration.ofSeconds(60));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> byKind(e).containsKey("cdevents.pipelinerun.finished.0.3.0"));
    Map<String, Ce> r = byKind(e);
    assertThat(r.keySet())
        .containsExactly(
            "task.started",
            "cdevents.taskrun.started.0.3.0",
            "task.succeeded",
            "cdevents.taskrun.finished.0.3.0",
            "phase.finished",
            "cdevents.pipelinerun.finished.0.3.0");
    KeptnTask task = InCluster.tasksOf(NS, e.trigger()).get(0);
    assertThat(task.getSpec().checkType).isEqualTo("post");
    assertThat(task.getSpec().context.appName).isEqualTo(app);
    assertThat(task.getSpec().context.appVersion).isEqualTo("sha256:0b31b1c0");
    assertThat(valid(r.get("cdevents.taskrun.started.0.3.0")).path("id").asText())
        .isEqualTo(task.getMetadata().getName());
    assertThat(
            valid(r.get("cdevents.taskrun.finished.0.3.0"))
                .path("content")
                .path("outcome")
                .asText())
        .isEqualTo("success");
    JsonNode pipeline = valid(r.get("cdevents.pipelinerun.finished.0.3.0"));
    assertThat(r.get("phase.finished").data().path("result").asText()).isEqualTo("pass");
    assertThat(pipeline.path("content").path("outcome").asText()).isEqualTo("success");
    assertThat(pipeline.path("content").path("pipelineName").asText())
        .isEqualTo("post-deployment/" + app);
    Ce finished = r.get("cdevents.pipelinerun.finished.0.3.0");
    assertThat(finished.key()).isEqualTo(e.trigger());
    assertThat(finished.triggerId()).isEqualTo(e.id());
  }

  @Test
  void aServiceUpgradedCdEventOverHttpIsAcceptedOnceAndItsFailureIsAFailureInBoth() {
    String app = app(Script.failAlways(), 0);
    Events e =
        Events.cdEvent("dev.cdevents.service.upgraded.0.1.0", NS, app, "pkg:oci/" + app + "@2.0");
    for (int i = 0; i < 2; i++) {
      given()
          .contentType("application/cloudevents+json")
          .body(e.structuredJson())
          .post("/events")
          .then()
          .statusCode(202)
          .body("triggerId", equalTo(e.trigger()))
          .body("tasks[0].taskDefinition", equalTo(app))
          .body("duplicate", equalTo(i == 1));
    }
    // our own post event under the CDEvent's (source, id) is another event: refused
    given()
        .contentType("application/cloudevents+json")
        .body(Events.post(NS, app, "2.0").source(e.source()).id(e.id()).structuredJson())
        .post("/events")
        .then()
        .statusCode(409)
        .body("errors[0].code", equalTo("IdConflict"));
    Bus.awaitPhase(e.trigger(), Duration.ofSeconds(60));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> byKind(e).containsKey("cdevents.pipelinerun.finished.0.3.0"));
    assertThat(InCluster.tasksOf(NS, e.trigger())).hasSize(1);
    Map<String, Ce> r = byKind(e);
    assertThat(r.get("task.failed").data().path("reason").asText())
        .isEqualTo("BackoffLimitExceeded");
    JsonNode taskRun = valid(r.get("cdevents.taskrun.finished.0.3.0")).path("content");
    assertThat(taskRun.path("outcome").asText()).isEqualTo("failure");
    assertThat(taskRun.path("errors").asText()).startsWith("BackoffLimitExceeded: ");
    assertThat(r.get("phase.finished").data().path("result").asText()).isEqualTo("fail");
    assertThat(
            valid(r.get("cdevents.pipelinerun.finished.0.3.0"))
                .path("content")
                .path("outcome")
                .asText())
        .isEqualTo("failure");
  }

  @Test
  void aCdEventOfAVersionNotReadIsRejectedOnceNamingTheType() {
    Events e = Events.cdEvent("dev.cdevents.service.deployed.0.4.0", NS, "shop", "pkg:oci/shop@1");
    given()
        .contentType("application/cloudevents+json")
        .body(e.structuredJson())
        .post("/events")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("type"))
        .body("errors[0].code", equalTo("UnsupportedVersion"));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> byKind(e).containsKey("event.rejected"));
    assertThat(Bus.results().forTrigger(e.trigger()))
        .extracting(Ce::kind)
        .as("rejections stay ours, once")
        .containsExactly("event.rejected");
    assertThat(InCluster.tasksOf(NS, e.trigger())).isEmpty();
  }
}
