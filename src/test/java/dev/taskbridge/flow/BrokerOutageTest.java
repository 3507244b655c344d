package dev.taskbridge.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A Kafka outage delays results and shows in readiness; it never loses them. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(ApiServerResource.class)
class BrokerOutageTest {

  @AfterEach
  void brokerBack() {
    TestInfra.kafka().startBroker();
  }

  @Test
  void resultsOfTasksThatEndDuringATwentySecondOutageArriveAfterIt() {
    Defs.apply(Defs.container("team-a", "outage-check"));
    TestInfra.simulator().script("outage-check", Script.succeed().taking(Duration.ofSeconds(3)));
    Events e = Events.pre("team-a", "shop", "1").tasks("outage-check");
    Bus.send(e.binary(Bus.EVENTS));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !Bus.results().forTrigger(e.trigger()).isEmpty());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> given().get("/q/health/ready").statusCode() == 200);

    TestInfra.kafka().stopBroker();
    Instant down = Instant.now();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> given().get("/q/health/ready").statusCode() == 503);
    // the task ends while the broker is away; the broker stays down for 20 s in all
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                InCluster.jobsOf("team-a", e.trigger()).stream()
                        .anyMatch(
                            j -> j.getStatus() != null && j.getStatus().getSucceeded() != null)
                    && !Instant.now().isBefore(down.plusSeconds(20))
                    && given().get("/q/health/ready").statusCode() == 503);
    TestInfra.kafka().startBroker();

    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                assertThat(Bus.results().forTrigger(e.trigger()))
                    .extracting(Ce::kind)
                    .contains("task.started", "task.succeeded", "phase.finished"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> given().get("/q/health/ready").statusCode() == 200);
    given().get("/q/health/live").then().statusCode(200);
  }
}
