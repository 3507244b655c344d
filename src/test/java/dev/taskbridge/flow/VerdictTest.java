package dev.taskbridge.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.taskbridge.sandbox.Script;
import dev.taskbridge.testing.ApiServerResource;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.InCluster;
import dev.taskbridge.testing.KafkaResource;
import dev.taskbridge.testing.TestInfra;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The deployer's answer over HTTP: GET /triggers/{id}[?wait=] and POST /events?wait=. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(ApiServerResource.class)
class VerdictTest {
  static final String NS = "team-a";

  static String definition(Script script) {
    String name = "verdict-" + UUID.randomUUID().toString().substring(0, 8);
    Defs.apply(Defs.container(NS, name));
    TestInfra.simulator().script(name, script);
    return name;
  }

  static Response post(Events e, String wait) {
    return given()
        .contentType("application/cloudevents+json")
        .body(e.structuredJson())
        .queryParam("wait", wait)
        .post("/events");
  }

  @Test
  void aPassingEventIsAnswered200WithItsVerdict() {
    String def = definition(Script.succeed());
    Events e = Events.post(NS, "shop", "1").tasks(def);
    post(e, "30s")
        .then()
        .statusCode(200)
        .body("triggerId", equalTo(e.trigger()))
        .body("source", equalTo(e.source()))
        .body("id", equalTo(e.id()))
        .body("type", equalTo("dev.taskbridge.deployment.post"))
        .body("namespace", equalTo(NS))
        .body("checkType", equalTo("post"))
        .body("result", equalTo("pass"))
        .body("tasks", hasSize(1))
        .body("tasks[0].taskDefinition", equalTo(def))
        .body("tasks[0].status", equalTo("Succeeded"))
        .body("tasks[0].attempts", equalTo(1));
    // asked again, any time later, the same answer from the cluster's KeptnTasks
    given().get("/triggers/" + e.trigger()).then().statusCode(200).body("result", equalTo("pass"));
    // the same event again (a duplicate) gets the same verdict
    post(e, "10s").then().statusCode(200).body("result", equalTo("pass"));
  }

  @Test
  void aFailingEventIsAnswered200WithFailAndTheReason() {
    String def = definition(Script.failAlways());
    Events e = Events.pre(NS, "shop", "1").tasks(def).retries(1);
    post(e, "30s")
        .then()
        .statusCode(200)
        .body("result", equalTo("fail"))
        .body("tasks[0].status", equalTo("Failed"))
        .body("tasks[0].reason", equalTo("BackoffLimitExceeded"))
        .body("tasks[0].attempts", equalTo(2));
  }

  @Test
  void aWaitThatRunsOutIsAnswered202Pending() {
    String def = definition(Script.hang());
    Events e = Events.post(NS, "shop", "2").tasks(def).timeout("1h");
    Instant sent = Instant.now();
    post(e, "1s").then().statusCode(202).body("result", equalTo("pending"));
    assertThat(Duration.between(sent, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    given()
        .get("/triggers/" + e.trigger())
        .then()
        .statusCode(200)
        .body("result", equalTo("pending"))
        .body("endTime", equalTo(null));
  }

  @Test
  void aHeldRequestIsAnsweredTheMomentTheLastTaskEnds() {
    String def = definition(Script.succeed().taking(Duration.ofSeconds(3)));
    Events e = Events.post(NS, "shop", "3").tasks(def);
    given()
        .contentType("application/cloudevents+json")
        .body(e.structuredJson())
        .post("/events")
        .then()
        .statusCode(202)
        .body("result", equalTo(null));
    CompletableFuture<Response> held =
        CompletableFuture.supplyAsync(
            () -> given().queryParam("wait", "60s").get("/triggers/" + e.trigger()));
    Response r = held.join();
    Instant answered = Instant.now();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.jsonPath().getString("result")).isEqualTo("pass");
    Instant ended = Instant.parse(r.jsonPath().getString("endTime"));
    // woken by the informer, not by polling: within moments of the task's end
    assertThat(Duration.between(ended, answered)).isLessThan(Duration.ofSeconds(3));
    String task = InCluster.tasksOf(NS, e.trigger()).get(0).getMetadata().getName();
    assertThat(r.jsonPath().getString("tasks[0].name")).isEqualTo(task);
  }

  @Test
  void unknownTriggersAre404AndAnUnparsableWaitIs400() {
    given()
        .get("/triggers/0000000000000000")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    given().get("/triggers/not-a-trigger").then().statusCode(404);
    given().queryParam("wait", "forever").get("/triggers/0000000000000000").then().statusCode(400);
    String def = definition(Script.succeed());
    Events e = Events.post(NS, "shop", "4").tasks(def);
    post(e, "-5s").then().statusCode(400).contentType("application/problem+json");
    assertThat(InCluster.tasksOf(NS, e.trigger())).as("nothing was created").isEmpty();
  }

  @Test
  void anEventWithoutTasksPassesAtOnce() {
    Events e = Events.post(NS, "app-without-tasks", "1");
    post(e, "30s").then().statusCode(200).body("result", equalTo("pass")).body("tasks", hasSize(0));
  }
}
