package dev.taskbridge.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.taskbridge.config.ContentMode;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** Encodes a {@link Result} as a Kafka record: CloudEvents 1.0, binary or structured mode. Pure. */
public final class CloudEventWriter {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** Headers (in order) and the value of one record. */
  public record Encoded(Map<String, String> headers, byte[] body) {}

  private final String source;
  private final ContentMode mode;

  public CloudEventWriter(String source, ContentMode mode) {
    this.source = source;
    this.mode = mode;
  }

  public Encoded encode(Result r) {
    Map<String, String> attributes = attributes(r);
    Map<String, String> headers = new LinkedHashMap<>();
    if (mode == ContentMode.binary) {
      attributes.forEach((k, v) -> headers.put("ce_" + k, v));
      headers.put("content-type", "application/json");
      return new Encoded(headers, json(r.data()));
    }
    headers.put("content-type", "application/cloudevents+json; charset=UTF-8");
    Map<String, Object> envelope = new LinkedHashMap<>(attributes);
    envelope.put("datacontenttype", "application/json");
    envelope.put("data", r.data());
    return new Encoded(headers, json(envelope));
  }

  Map<String, String> attributes(Result r) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("specversion", "1.0");
    a.put("id", r.id());
    a.put("source", source);
    a.put("type", r.type().text());
    a.put("subject", r.subject());
    a.put("time", r.time().truncatedTo(ChronoUnit.MILLIS).toString());
    if (r.triggerId() != null) {
      a.put("triggerid", r.triggerId());
    }
    if (r.triggerSource() != null) {
      a.put("triggersource", r.triggerSource());
    }
    return a;
  }

  static byte[] json(Object o) {
    try {
      return JSON.writeValueAsString(o).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode result", e);
    }
  }
}
