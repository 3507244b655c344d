package dev.taskbridge.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskbridge.config.ContentMode;
import dev.taskbridge.contract.ResultType;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudEventWriterTest {
  final Result result =
      new Result(
          "t.succeeded",
          ResultType.TASK_SUCCEEDED,
          "t",
          "trig",
          "build-1",
          "ci/jenkins",
          Instant.parse("2026-11-24T10:00:00.123456Z"),
          Map.of("attempts", 1));

  @Test
  void binaryModePutsAttributesInCeHeadersAndDataInTheValue() throws Exception {
    var e = new CloudEventWriter("keptn-task-bridge", ContentMode.binary).encode(result);
    assertThat(e.headers())
        .containsEntry("ce_specversion", "1.0")
        .containsEntry("ce_id", "t.succeeded")
        .containsEntry("ce_source", "keptn-task-bridge")
        .containsEntry("ce_type", "dev.taskbridge.task.succeeded")
        .containsEntry("ce_subject", "t")
        .containsEntry("ce_time", "2026-11-24T10:00:00.123Z")
        .containsEntry("ce_triggerid", "build-1")
        .containsEntry("ce_triggersource", "ci/jenkins")
        .containsEntry("content-type", "application/json");
    assertThat(new ObjectMapper().readTree(e.body()).get("attempts").asInt()).isEqualTo(1);
  }

  @Test
  void structuredModeWrapsEverythingInOneJsonEnvelope() throws Exception {
    var e = new CloudEventWriter("keptn-task-bridge", ContentMode.structured).encode(result);
    assertThat(e.headers())
        .containsEntry("content-type", "application/cloudevents+json; charset=UTF-8");
    JsonNode ce = new ObjectMapper().readTree(e.body());
    assertThat(ce.get("specversion").asText()).isEqualTo("1.0");
    assertThat(ce.get("id").asText()).isEqualTo("t.succeeded");
    assertThat(ce.get("triggerid").asText()).isEqualTo("build-1");
    assertThat(ce.get("datacontenttype").asText()).isEqualTo("application/json");
    assertThat(ce.at("/data/attempts").asInt()).isEqualTo(1);
  }

  @Test
  void rejectionWithoutATriggerHasNoTriggerExtensions() {
    Result r =
        new Result(
            "x.rejected", ResultType.EVENT_REJECTED, "x", "x", null, null, Instant.now(), Map.of());
    assertThat(new CloudEventWriter("s", ContentMode.binary).encode(r).headers())
        .doesNotContainKeys("ce_triggerid", "ce_triggersource");
  }
}
