package dev.taskbridge.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.sandbox.Script;
import dev.taskbridge.testing.ApiServerResource;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Ce;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.InCluster;
import dev.taskbridge.testing.KafkaResource;
import dev.taskbridge.testing.TestInfra;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Task outputs (termination messages) and log links, in results and in the verdict. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(ApiServerResource.class)
class OutputsTest {
  static final String NS = "team-a";

  static String definition(Script script) {
    String name = "out-" + UUID.randomUUID().toString().substring(0, 8);
    Defs.apply(Defs.container(NS, name));
    TestInfra.simulator().script(name, script);
    return name;
  }

  static Ce result(Events e, String kind) {
    return Bus.results().forTrigger(e.trigger()).stream()
        .filter(c -> c.kind().equals(kind))
        .findFirst()
        .orElseThrow();
  }

  static JsonPath verdict(Events e) {
    return given().queryParam("wait", "30s").get("/triggers/" + e.trigger()).jsonPath();
  }

  static Events run(Script script) {
    Events e = Events.post(NS, "shop", "1").tasks(definition(script)).retries(1);
    Bus.send(e.binary(Bus.EVENTS));
    Bus.awaitPhase(e.trigger(), Duration.ofSeconds(30));
    return e;
  }

  @Test
  void aJsonObjectInTheTerminationMessageIsTheTasksOutputEverywhere() {
    Events e =
        run(Script.succeed().terminationMessage("{\"coverage\": 81.5, \"report\": \"s3://r/1\"}"));
    JsonNode out = result(e, "task.succeeded").data().path("output");
    assertThat(out.path("coverage").asDouble()).isEqualTo(81.5);
    assertThat(out.path("report").asText()).isEqualTo("s3://r/1");
    assertThat(result(e, "phase.finished").data().path("tasks").path(0).path("output"))
        .isEqualTo(out);
    JsonPath v = verdict(e);
    assertThat(v.getString("result")).isEqualTo("pass");
    assertThat(v.getDouble("tasks[0].output.coverage")).isEqualTo(81.5);
    // recorded on the KeptnTask: it survives restarts and the Job's TTL
    String task = InCluster.tasksOf(NS, e.trigger()).get(0).getMetadata().getName();
    assertThat(InCluster.task(NS, task).getMetadata().getAnnotations().get(Keys.OUTPUT))
        .contains("\"coverage\":81.5");
    TestInfra.client().batch().v1().jobs().inNamespace(NS).withName(task).delete();
    TestInfra.client().pods().inNamespace(NS).withLabel("job-name", task).delete();
    assertThat(verdict(e).getDouble("tasks[0].output.coverage")).isEqualTo(81.5);
  }

  @Test
  void aTerminationMessageThatIsNotAJsonObjectOrTooLargeGivesNoOutput() {
    for (String message :
        new String[] {
          "all good",
          "[1,2]",
          "{\"broken\":",
          "{\"big\":\"" + "x".repeat(4096 - 9) + "\"}" // 4097 bytes
        }) {
      Events e = run(Script.succeed().terminationMessage(message));
      assertThat(result(e, "task.succeeded").data().has("output")).as(message).isFalse();
      assertThat(verdict(e).getString("tasks[0].output")).as(message).isNull();
    }
    // exactly at Kubernetes' limit, 4096 bytes, it is an output
    String fits = "{\"big\":\"" + "x".repeat(4096 - 10) + "\"}";
    Events e = run(Script.succeed().terminationMessage(fits));
    assertThat(result(e, "task.succeeded").data().path("output").path("big").asText())
        .hasSize(4096 - 10);
  }

  @Test
  void anOutputWarningMakesThePhaseAWarning() {
    Events e =
        run(Script.succeed().terminationMessage("{\"result\":\"warning\",\"why\":\"slow\"}"));
    assertThat(result(e, "phase.finished").data().path("result").asText()).isEqualTo("warning");
    assertThat(verdict(e).getString("result")).isEqualTo("warning");
  }

  @Test
  void failedAttemptsAndTheOutcomeCarryALinkToTheirPodsLog() {
    Events e = run(Script.failTimesThenSucceed(1).terminationMessage("{\"attempt\":\"done\"}"));
    String task = InCluster.tasksOf(NS, e.trigger()).get(0).getMetadata().getName();
    assertThat(result(e, "task.retrying").data().path("logUrl").asText())
        .isEqualTo("https://logs.example/team-a/" + task + "-001?job=" + task + "&task=" + task);
    assertThat(result(e, "task.succeeded").data().path("logUrl").asText())
        .isEqualTo("https://logs.example/team-a/" + task + "-002?job=" + task + "&task=" + task);
  }
}
