package dev.taskbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskbridge.plan.Names;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Ce;
import dev.taskbridge.testing.PackagedApp;
import dev.taskbridge.testing.TestInfra;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

/**
 * Untrusted text that reaches logs, rejections and HTTP answers cannot forge a log line: header
 * names, attribute keys and values with line breaks and control characters, over Kafka and HTTP.
 */
class LogInjectionIT {
  static final String FORGED = "FORGED-LINE";

  static RecordHeader h(String k, String v) {
    return new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void noInputForgesALogLine() throws Exception {
    Map<String, String> props =
        PackagedApp.against(TestInfra.kafka().bootstrapServers(), TestInfra.api().url());
    props.put("quarkus.log.category.\"dev.taskbridge\".level", "DEBUG");
    props.put("bridge.leader-election.lease-name", "log-injection");
    String id = "inj-" + UUID.randomUUID();
    String[] evil = {
      "\n" + FORGED + " ERROR [dev.taskbridge] admin logged in",
      "\r\n" + FORGED + " WARN x",
      "\u2028" + FORGED + " u2028",
      "\u001b[2K\r" + FORGED + " ansi",
      "\u0085" + FORGED + " next-line"
    };
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    List<String> triggers = new ArrayList<>();
    for (int i = 0; i < evil.length; i++) {
      String eid = id + "-k" + i;
      triggers.add(Names.triggerHash("test/inj", eid));
      // a header name, an attribute value and a data value, each with the payload
      records.add(
          new ProducerRecord<>(
              Bus.EVENTS,
              null,
              eid.getBytes(StandardCharsets.UTF_8),
              ("{\"namespace\":\"team-a\",\"appName\":\"a" + json(evil[i]) + "\",\"appVersion\":1}")
                  .getBytes(StandardCharsets.UTF_8),
              List.of(
                  h("ce_specversion", "1.0"),
                  h("ce_id", eid),
                  h("ce_source", "test/inj"),
                  h("ce_type", "dev.taskbridge.deployment.pre" + evil[i]),
                  h("ce_bad" + evil[i], "x"),
                  h("content-type", "application/json"))));
    }
    List<String> structured = new ArrayList<>();
    for (int i = 0; i < evil.length; i++) {
      String eid = id + "-s" + i;
      triggers.add(Names.triggerHash("test/inj", eid));
      structured.add(
          "{\"specversion\":\"1.0\",\"id\":\""
              + eid
              + "\",\"source\":\"test/inj\",\"type\":\"dev.taskbridge.deployment.pre\",\"key"
              + json(evil[i])
              + "\":1,\"data\":{\"namespace\":\"team-a"
              + json(evil[i])
              + "\",\"appName\":\"x\",\"appVersion\":\"1\",\"tasks\":[\"t"
              + json(evil[i])
              + "\"]}}");
    }
    try (PackagedApp app = PackagedApp.start(props)) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      Bus.sendAll(records);
      HttpClient http = HttpClient.newHttpClient();
      for (String body : structured) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/events"))
                    .header("Content-Type", "application/cloudevents+json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).doesNotContain("\n").doesNotContain("\u2028").doesNotContain("\u001b");
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  triggers.stream()
                      .allMatch(
                          t ->
                              Bus.results().forTrigger(t).stream()
                                  .anyMatch(c -> c.kind().equals("event.rejected"))));
      for (String t : triggers) {
        for (Ce c : Bus.results().forTrigger(t)) {
          c.data()
              .path("errors")
              .forEach(
                  e -> {
                    assertThat(e.path("field").asText()).doesNotContain("\n", "\r", "\u2028");
                    assertThat(e.path("message").asText()).doesNotContain("\n", "\r", "\u2028");
                  });
        }
      }
      String log = app.output();
      assertThat(log).contains("rejected event");
      assertThat(log.lines().filter(l -> l.startsWith(FORGED) || l.startsWith("\u001b")))
          .as("forged lines")
          .isEmpty();
      assertThat(log).doesNotContain("\u2028").doesNotContain("\u0085" + FORGED);
    }
  }

  static String json(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c < 0x20 || c == 0x85 || c == 0x2028) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
