package dev.taskbridge.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskbridge.plan.Names;
import dev.taskbridge.testing.ApiServerResource;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Ce;
import dev.taskbridge.testing.KafkaResource;
import dev.taskbridge.testing.Scrape;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every body over {@code bridge.limits.max-event-bytes} gets the same answer, whatever its size:
 * problem+json {@code 413} with {@code TooLarge}, one {@code event.rejected}, counted in {@code
 * taskbridge_events_rejected_total{reason="TooLarge"}} — also above the HTTP layer's own 1 MiB cap,
 * which used to answer a bare 413 that nobody saw on the topic or in the metrics.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(ApiServerResource.class)
class OversizeTest {
  static double tooLarge() {
    return new Scrape(given().get("/q/metrics").asString())
        .sum("taskbridge_events_rejected_total", "reason", "TooLarge");
  }

  static byte[] body(int size) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) 'x');
    byte[] head = "{\"namespace\":\"team-a\",\"pad\":\"".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, b, 0, head.length);
    b[size - 2] = '"';
    b[size - 1] = '}';
    return b;
  }

  static void awaitRejection(String subject) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Bus.results().forTrigger(subject).stream()
                    .anyMatch(c -> c.kind().equals("event.rejected")));
  }

  static void assertRefused(Response r, String subject) {
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(413);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.jsonPath().getString("errors[0].code")).isEqualTo("TooLarge");
    assertThat(r.jsonPath().getInt("status")).isEqualTo(413);
    assertThat(r.jsonPath().getString("subject")).isEqualTo(subject);
  }

  @Test
  void aBinaryModeEventOfAnySizeOverTheLimitIsRefusedTheSameWay() {
    for (int size : new int[] {100 * 1024, 2 * 1024 * 1024, 12 * 1024 * 1024}) {
      String id = "big-" + UUID.randomUUID();
      String subject = Names.triggerHash("ci/oversize", id);
      double before = tooLarge();
      Response r =
          given()
              .header("ce-specversion", "1.0")
              .header("ce-id", id)
              .header("ce-source", "ci/oversize")
              .header("ce-type", "dev.taskbridge.deployment.pre")
              .contentType("application/json")
              .body(body(size))
              .post("/events");
      assertRefused(r, subject);
      assertThat(r.jsonPath().getString("errors[0].message")).contains(Integer.toString(size));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Bus.results().forTrigger(subject).stream()
                          .map(Ce::kind)
                          .filter("event.rejected"::equals)
                          .count()
                      == 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> tooLarge() == before + 1);
    }
  }

  @Test
  void aStructuredEventOverTheHttpCapIsNamedByItsBodysHash() {
    byte[] b = body(3 * 1024 * 1024);
    String subject = "http-" + Names.sha256Hex(b).substring(0, 16);
    Response r = given().contentType("application/cloudevents+json").body(b).post("/events");
    assertRefused(r, subject);
    awaitRejection(subject);
  }

  static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** A chunked upload (no Content-Length) of {@code body}, with ce headers of {@code id}. */
  static HttpResponse<String> chunked(String id, byte[] body) throws Exception {
    var request =
        HttpRequest.newBuilder(
                URI.create("http://localhost:" + io.restassured.RestAssured.port + "/events"))
            .header("ce-specversion", "1.0")
            .header("ce-id", id)
            .header("ce-source", "ci/oversize")
            .header("ce-type", "dev.taskbridge.deployment.pre")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aChunkedUploadOverTheLimitIsRefusedTheSameWayAndOneWithinItIsAdmitted() throws Exception {
    for (int size : new int[] {100 * 1024, 3 * 1024 * 1024}) {
      String id = "chunked-" + UUID.randomUUID();
      String subject = Names.triggerHash("ci/oversize", id);
      double before = tooLarge();
      var r = chunked(id, body(size));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
      assertThat(r.headers().firstValue("content-type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
      var problem = io.restassured.path.json.JsonPath.from(r.body());
      assertThat(problem.getString("errors[0].code")).isEqualTo("TooLarge");
      assertThat(problem.getString("subject")).isEqualTo(subject);
      assertThat(problem.getString("errors[0].message")).contains(Integer.toString(size));
      awaitRejection(subject);
      await().atMost(Duration.ofSeconds(10)).until(() -> tooLarge() == before + 1);
    }
    // within the limit, a chunked body reaches the endpoint whole
    String id = "chunked-ok-" + UUID.randomUUID();
    var ok =
        chunked(
            id,
            "{\"namespace\":\"team-a\",\"appName\":\"shop\",\"appVersion\":\"1\",\"tasks\":[]}"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(202);
    assertThat(io.restassured.path.json.JsonPath.from(ok.body()).getString("triggerId"))
        .isEqualTo(Names.triggerHash("ci/oversize", id));
  }
}
