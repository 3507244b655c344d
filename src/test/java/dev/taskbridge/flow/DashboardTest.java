package dev.taskbridge.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskbridge.testing.ApiServerResource;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.KafkaResource;
import dev.taskbridge.testing.Scrape;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every metric the Grafana dashboard and the alert rules query is one the service exposes. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(ApiServerResource.class)
class DashboardTest {
  static final Path OPTIONAL = Path.of("src", "main", "kubernetes", "optional");
  static final Pattern METRIC = Pattern.compile("\\b((?:taskbridge|kafka_consumer)_[a-z_]+)");

  static Set<String> metricsIn(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  @Test
  void dashboardAndAlertsQueryOnlyExposedMetrics() throws Exception {
    Defs.apply(Defs.container("team-a", "dash-check"));
    Events e = Events.pre("team-a", "shop", "1").tasks("dash-check");
    Bus.send(e.binary(Bus.EVENTS));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Bus.results().forTrigger(e.trigger()).size() == 3);

    JsonNode dashboard =
        new ObjectMapper().readTree(OPTIONAL.resolve("grafana-dashboard.json").toFile());
    StringBuilder exprs = new StringBuilder();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        exprs.append(target.get("expr").asText()).append('\n');
      }
    }
    Set<String> queried = metricsIn(exprs.toString());
    queried.addAll(metricsIn(Files.readString(OPTIONAL.resolve("prometheusrule.yml"))));
    assertThat(queried)
        .contains(
            "taskbridge_events_received_total",
            "taskbridge_events_rejected_total",
            "taskbridge_tasks_active",
            "taskbridge_tasks_finished_total",
            "taskbridge_task_duration_seconds_bucket",
            "taskbridge_event_to_job_seconds_bucket",
            "taskbridge_result_latency_seconds_bucket",
            "taskbridge_events_lag");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Scrape scrape =
                  new Scrape(given().get("/q/metrics").then().statusCode(200).extract().asString());
              for (String name : queried) {
                assertThat(scrape.has(name)).as(name + " is exposed").isTrue();
              }
            });
  }
}
