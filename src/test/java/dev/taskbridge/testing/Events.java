package dev.taskbridge.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskbridge.plan.Names;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/** Builds deployment events for tests, as Kafka records (binary or structured) or HTTP bodies. */
public final class Events {
  static final ObjectMapper JSON = new ObjectMapper();

  private String type = "dev.taskbridge.deployment.pre";
  private String source = "test/jenkins";
  private String id = UUID.randomUUID().toString();
  private final ObjectNode data = JSON.createObjectNode();
  private final Map<String, String> extraAttributes = new LinkedHashMap<>();

  public static Events pre(String namespace, String app, String version) {
    Events e = new Events();
    e.data.put("namespace", namespace);
    e.data.put("appName", app);
    e.data.put("appVersion", version);
    return e;
  }

  public static Events post(String namespace, String app, String version) {
    Events e = pre(namespace, app, version);
    e.type = "dev.taskbridge.deployment.post";
    return e;
  }

  /**
   * A CDEvents {@code service.deployed} / {@code upgraded} of {@code app} (the last segment of the
   * subject id) in {@code environment}, version from the purl {@code artifactId}.
   */
  public static Events cdEvent(String type, String environment, String app, String artifactId) {
    Events e = new Events();
    e.type = type;
    ObjectNode context = e.data.putObject("context");
    context.put("specversion", "0.5.1");
    context.put("id", e.id);
    context.put("source", e.source);
    context.put("type", type);
    context.put("timestamp", "2026-12-01T10:00:00Z");
    ObjectNode subject = e.data.putObject("subject");
    subject.put("id", "apps/" + app);
    subject.put("source", e.source);
    ObjectNode content = subject.putObject("content");
    content.putObject("environment").put("id", environment);
    content.put("artifactId", artifactId);
    return e;
  }

  public Events id(String id) {
    this.id = id;
    return this;
  }

  public Events source(String source) {
    this.source = source;
    return this;
  }

  public Events type(String type) {
    this.type = type;
    return this;
  }

  public Events attribute(String name, String value) {
    extraAttributes.put(name, value);
    return this;
  }

  public Events tasks(String... names) {
    var a = data.putArray("tasks");
    for (String n : names) {
      a.add(n);
    }
    return this;
  }

  public Events workload(String name, String version) {
    data.put("workloadName", name);
    data.put("workloadVersion", version);
    return this;
  }

  public Events retries(int n) {
    data.put("retries", n);
    return this;
  }

  public Events timeout(String t) {
    data.put("timeout", t);
    return this;
  }

  public Events param(String k, String v) {
    (data.has("parameters") ? (ObjectNode) data.get("parameters") : data.putObject("parameters"))
        .put(k, v);
    return this;
  }

  public Events data(String field, Object value) {
    data.set(field, JSON.valueToTree(value));
    return this;
  }

  public Events without(String field) {
    data.remove(field);
    return this;
  }

  public String id() {
    return id;
  }

  public String source() {
    return source;
  }

  public String trigger() {
    return Names.triggerHash(source, id);
  }

  public String dataJson() {
    return data.toString();
  }

  /** Binary mode: ce_ headers, data as the value. */
  public ProducerRecord<byte[], byte[]> binary(String topic) {
    List<Header> headers = new ArrayList<>();
    headers.add(h("ce_specversion", "1.0"));
    headers.add(h("ce_id", id));
    headers.add(h("ce_source", source));
    headers.add(h("ce_type", type));
    headers.add(h("content-type", "application/json"));
    extraAttributes.forEach((k, v) -> headers.add(h("ce_" + k, v)));
    return new ProducerRecord<>(
        topic,
        null,
        id.getBytes(StandardCharsets.UTF_8),
        data.toString().getBytes(StandardCharsets.UTF_8),
        headers);
  }

  /** Structured mode: the whole CloudEvent as JSON. */
  public String structuredJson() {
    ObjectNode ce = JSON.createObjectNode();
    ce.put("specversion", "1.0");
    ce.put("id", id);
    ce.put("source", source);
    ce.put("type", type);
    ce.put("datacontenttype", "application/json");
    extraAttributes.forEach(ce::put);
    ce.set("data", data);
    return ce.toString();
  }

  public ProducerRecord<byte[], byte[]> structured(String topic) {
    return new ProducerRecord<>(
        topic,
        null,
        id.getBytes(StandardCharsets.UTF_8),
        structuredJson().getBytes(StandardCharsets.UTF_8),
        List.of(h("content-type", "application/cloudevents+json")));
  }

  static RecordHeader h(String k, String v) {
    return new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8));
  }
}
