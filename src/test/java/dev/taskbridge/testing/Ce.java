package dev.taskbridge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A result record read back from Kafka, decoded as a CloudEvent (binary or structured mode). */
public record Ce(
    String key,
    Map<String, String> headers,
    String id,
    String type,
    String subject,
    String source,
    String triggerId,
    String triggerSource,
    JsonNode data,
    int partition,
    long offset) {
  static final ObjectMapper JSON = new ObjectMapper();

  static Ce decode(
      String key, Map<String, String> headers, byte[] value, int partition, long offset) {
    try {
      JsonNode body =
          JSON.readTree(value == null ? "null".getBytes(StandardCharsets.UTF_8) : value);
      if (headers.containsKey("ce_id")) {
        return new Ce(
            key,
            headers,
            headers.get("ce_id"),
            headers.get("ce_type"),
            headers.get("ce_subject"),
            headers.get("ce_source"),
            headers.get("ce_triggerid"),
            headers.get("ce_triggersource"),
            body,
            partition,
            offset);
      }
      return new Ce(
          key,
          headers,
          text(body, "id"),
          text(body, "type"),
          text(body, "subject"),
          text(body, "source"),
          text(body, "triggerid"),
          text(body, "triggersource"),
          body.get("data"),
          partition,
          offset);
    } catch (Exception e) {
      throw new IllegalStateException("undecodable result record", e);
    }
  }

  private static String text(JsonNode n, String f) {
    return n.hasNonNull(f) ? n.get(f).asText() : null;
  }

  /** The short kind: task.started, phase.finished, ... */
  public String kind() {
    return type.startsWith("dev.taskbridge.")
        ? type.substring("dev.taskbridge.".length())
        : type.substring("dev.".length());
  }
}
