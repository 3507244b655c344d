package dev.taskbridge.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskbridge.plan.Names;
import dev.taskbridge.testing.ApiServerResource;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Ce;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.InCluster;
import dev.taskbridge.testing.KafkaResource;
import dev.taskbridge.testing.Malformed;
import dev.taskbridge.testing.TestInfra;
import dev.taskbridge.testing.TopicLog;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** Every malformed event is rejected exactly once, visibly, and nothing else is held up. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(ApiServerResource.class)
class RejectionTest {

  static void assertReady() {
    given().get("/q/health/ready").then().statusCode(200);
  }

  static List<String> codes(JsonNode errors) {
    return StreamSupport.stream(errors.spliterator(), false)
        .map(e -> e.get("code").asText())
        .toList();
  }

  @Test
  void malformedRecordsAreRejectedOnceWithTheirCodesAndCopiedToTheDeadLetterTopic() {
    List<Malformed> corpus = Malformed.corpus();
    List<RecordMetadata> sent = new ArrayList<>();
    List<Events> valid = new ArrayList<>();
    for (int i = 0; i < corpus.size(); i++) {
      Malformed m = corpus.get(i);
      List<Header> headers = new ArrayList<>();
      m.kafkaHeaders().forEach((k, v) -> headers.add(new RecordHeader(k, v)));
      sent.add(
          Bus.companion()
              .produce(Serdes.ByteArray(), Serdes.ByteArray())
              .fromRecords(
                  new ProducerRecord<>(Bus.EVENTS, null, ("k" + i).getBytes(), m.body(), headers))
              .awaitCompletion(Duration.ofSeconds(30))
              .getFirstRecord());
      if (i % 5 == 0) {
        Events ok = Events.pre("team-a", "no-tasks-app", "1");
        valid.add(ok);
        Bus.send(ok.binary(Bus.EVENTS));
        assertReady();
      }
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              for (Events ok : valid) {
                assertThat(Bus.results().forTrigger(ok.trigger()))
                    .extracting(Ce::kind)
                    .containsExactly("phase.finished");
              }
            });
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        Bus.deadLetters().all().stream()
                            .filter(
                                r ->
                                    sent.stream()
                                        .anyMatch(
                                            s ->
                                                String.valueOf(s.offset())
                                                        .equals(r.header("dead-letter-offset"))
                                                    && String.valueOf(s.partition())
                                                        .equals(
                                                            r.header("dead-letter-partition")))))
                    .hasSize(corpus.size()));
    List<Ce> rejections =
        Bus.results().events().stream().filter(c -> c.kind().equals("event.rejected")).toList();
    for (int i = 0; i < corpus.size(); i++) {
      Malformed m = corpus.get(i);
      RecordMetadata s = sent.get(i);
      List<Ce> mine =
          rejections.stream()
              .filter(
                  r ->
                      r.data().get("topic").asText().equals(Bus.EVENTS)
                          && r.data().get("partition").asInt() == s.partition()
                          && r.data().get("offset").asLong() == s.offset())
              .toList();
      assertThat(mine).as(m.name()).hasSize(1);
      for (String ns : TestInfra.NAMESPACES) {
        assertThat(InCluster.tasksOf(ns, mine.get(0).subject()))
            .as(m.name() + " in " + ns)
            .isEmpty();
      }
      assertThat(codes(mine.get(0).data().get("errors")))
          .as(m.name())
          .containsExactlyElementsOf(m.codes());
      assertThat(mine.get(0).key()).isEqualTo(mine.get(0).subject());
      TopicLog.Rec dead =
          Bus.deadLetters()
              .matching(
                  r ->
                      String.valueOf(s.offset()).equals(r.header("dead-letter-offset"))
                          && String.valueOf(s.partition())
                              .equals(r.header("dead-letter-partition")))
              .get(0);
      assertThat(dead.value()).as(m.name()).isEqualTo(m.body());
      assertThat(dead.keyString()).isEqualTo("k" + i);
      assertThat(dead.header("dead-letter-reason")).isEqualTo(m.codes().get(0));
      m.kafkaHeaders().forEach((k, v) -> assertThat(dead.headers().get(k)).as(k).isEqualTo(v));
    }
    assertReady();
  }

  @Test
  void malformedRequestsGetAProblemListingEveryErrorAndARejectionResult() {
    for (Malformed m : Malformed.corpus()) {
      RequestSpecification req = given().body(m.body());
      if (m.attributes() != null) {
        m.attributes().forEach((k, v) -> req.header("ce-" + k, v));
      }
      req.contentType(m.contentType() != null ? m.contentType() : "application/octet-stream");
      Response resp = req.post("/events");
      int expected = m.codes().contains("TooLarge") ? 413 : 400;
      assertThat(resp.statusCode()).as(m.name()).isEqualTo(expected);
      assertThat(resp.contentType()).as(m.name()).startsWith("application/problem+json");
      assertThat(resp.jsonPath().getList("errors.code", String.class))
          .as(m.name())
          .containsExactlyElementsOf(m.codes());
      String subject = resp.jsonPath().getString("subject");
      boolean identified =
          m.attributes() != null
              && m.attributes().containsKey("id")
              && m.attributes().containsKey("source");
      if (identified) {
        assertThat(subject)
            .isEqualTo(Names.triggerHash(m.attributes().get("source"), m.attributes().get("id")));
        for (String ns : TestInfra.NAMESPACES) {
          // e.g. "namespace": null must not land in the bridge's own namespace
          assertThat(InCluster.tasksOf(ns, subject)).as(m.name() + " in " + ns).isEmpty();
        }
      } else if (!subject.startsWith("http-")) {
        assertThat(subject).hasSize(16);
      } else {
        assertThat(subject).isEqualTo("http-" + Names.sha256Hex(m.body()).substring(0, 16));
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          Bus.results().events().stream()
                              .filter(
                                  c ->
                                      c.kind().equals("event.rejected")
                                          && c.subject().equals(subject)
                                          && c.data().get("topic").isNull()))
                      .as(m.name())
                      .hasSize(1));
    }
    assertReady();
  }

  @Test
  void hostileTextNeverReachesTheLogsUnescaped() {
    String evil = "x\u001b[2J\r\nFAKE LOG LINE";
    given()
        .header("ce-specversion", "1.0")
        .header("ce-id", "evil-" + System.nanoTime())
        .header("ce-source", "s")
        .header("ce-type", "dev.taskbridge.deployment.pre")
        .contentType("application/json")
        .body(
            "{\"namespace\":\""
                + evil.replace("\u001b", "\\u001b").replace("\r", "\\r").replace("\n", "\\n")
                + "\",\"appName\":\"a\",\"appVersion\":\"1\"}")
        .post("/events")
        .then()
        .statusCode(400)
        .body("errors[0].code", org.hamcrest.Matchers.equalTo("InvalidValue"))
        .body(
            "errors[0].message",
            org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("\u001b")))
        .body(
            "errors[0].message",
            org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("\n")))
        .body("errors[0].message", org.hamcrest.Matchers.containsString("\\u001b"));
    assertReady();
  }
}
