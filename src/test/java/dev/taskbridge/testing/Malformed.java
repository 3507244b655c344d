package dev.taskbridge.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A corpus of malformed deployment events, each with the error codes it must be rejected with. A
 * case is either binary mode ({@code attributes} become {@code ce_} / {@code ce-} headers) or raw
 * bytes with a content type (structured mode, or no CloudEvent at all).
 */
public record Malformed(
    String name,
    Map<String, String> attributes,
    String contentType,
    byte[] body,
    List<String> codes) {

  static final String OK_DATA =
      "{\"namespace\":\"team-a\",\"appName\":\"shop\",\"appVersion\":\"1\"}";

  /** Kafka headers for this case. */
  public Map<String, byte[]> kafkaHeaders() {
    Map<String, byte[]> h = new LinkedHashMap<>();
    if (attributes != null) {
      attributes.forEach((k, v) -> h.put("ce_" + k, v.getBytes(StandardCharsets.UTF_8)));
    }
    if (contentType != null) {
      h.put("content-type", contentType.getBytes(StandardCharsets.UTF_8));
    }
    return h;
  }

  public static List<Malformed> corpus() {
    List<Malformed> c = new ArrayList<>();
    raw(c, "empty body, no headers", null, "", "NotCloudEvent");
    raw(c, "plain text", null, "hello", "NotJson");
    raw(c, "json array", null, "[1,2]", "NotCloudEvent");
    raw(c, "json without specversion", null, "{\"foo\":1}", "NotCloudEvent");
    raw(c, "batch mode", "application/cloudevents-batch+json", "[]", "NotCloudEvent");
    structured(
        c, "spec version 0.3", Map.of("specversion", "0.3"), OK_DATA, "UnsupportedSpecVersion");
    structured(c, "no id", Map.of("id", ""), OK_DATA, "MissingAttribute");
    structured(c, "no source", Map.of("source", ""), OK_DATA, "MissingAttribute");
    structured(c, "no type", Map.of("type", ""), OK_DATA, "MissingAttribute");
    structured(
        c,
        "promotion type",
        Map.of("type", "dev.taskbridge.deployment.promotion"),
        OK_DATA,
        "UnknownType");
    structured(
        c, "foreign type", Map.of("type", "com.example.build.finished"), OK_DATA, "UnknownType");
    raw(
        c,
        "numeric id",
        "application/cloudevents+json",
        "{\"specversion\":\"1.0\",\"id\":5,\"source\":\"s\",\"type\":\"dev.taskbridge.deployment.pre\",\"data\":"
            + OK_DATA
            + "}",
        "WrongType");
    raw(
        c,
        "null data",
        "application/cloudevents+json",
        "{\"specversion\":\"1.0\",\"id\":\""
            + uid()
            + "\",\"source\":\"s\",\"type\":\"dev.taskbridge.deployment.pre\",\"data\":null}",
        "MissingField");
    raw(
        c,
        "data_base64 not base64",
        "application/cloudevents+json",
        "{\"specversion\":\"1.0\",\"id\":\""
            + uid()
            + "\",\"source\":\"s\",\"type\":\"dev.taskbridge.deployment.pre\",\"data_base64\":\"%%%\"}",
        "NotJson");
    raw(
        c,
        "duplicate keys",
        "application/cloudevents+json",
        "{\"specversion\":\"1.0\",\"id\":\"a\",\"id\":\"b\",\"source\":\"s\",\"type\":\"dev.taskbridge.deployment.pre\"}",
        "NotJson");
    raw(
        c,
        "deep nesting",
        "application/cloudevents+json",
        "[".repeat(5000) + "]".repeat(5000),
        "NotJson");
    c.add(
        new Malformed(
            "invalid utf-8",
            null,
            "application/cloudevents+json",
            new byte[] {'{', '"', (byte) 0xc3, (byte) 0x28, '"', ':', '1', '}'},
            List.of("InvalidEncoding")));
    binary(c, "binary data not json", "application/json", "{oops", "NotJson");
    binary(c, "binary data is an array", "application/json", "[]", "WrongType");
    binary(c, "binary text/plain", "text/plain", "hello", "UnsupportedContentType");
    binary(c, "binary no data", "application/json", "", "MissingField");
    data(c, "no namespace", "{\"appName\":\"shop\",\"appVersion\":\"1\"}", "MissingField");
    data(
        c,
        "namespace not dns",
        "{\"namespace\":\"Team_A\",\"appName\":\"shop\",\"appVersion\":\"1\"}",
        "InvalidName");
    data(
        c,
        "namespace not allowed",
        "{\"namespace\":\"kube-system\",\"appName\":\"shop\",\"appVersion\":\"1\"}",
        "NamespaceNotAllowed");
    data(
        c,
        "namespace a number",
        "{\"namespace\":7,\"appName\":\"shop\",\"appVersion\":\"1\"}",
        "WrongType");
    data(c, "no appName", "{\"namespace\":\"team-a\",\"appVersion\":\"1\"}", "MissingField");
    data(
        c,
        "empty appName",
        "{\"namespace\":\"team-a\",\"appName\":\"\",\"appVersion\":\"1\"}",
        "EmptyField");
    data(
        c,
        "appName a number",
        "{\"namespace\":\"team-a\",\"appName\":42,\"appVersion\":\"1\"}",
        "WrongType");
    data(c, "no appVersion", "{\"namespace\":\"team-a\",\"appName\":\"shop\"}", "MissingField");
    data(
        c,
        "control character",
        "{\"namespace\":\"team-a\",\"appName\":\"sh\\u0000op\",\"appVersion\":\"1\"}",
        "InvalidValue");
    data(
        c,
        "appName too long",
        "{\"namespace\":\"team-a\",\"appName\":\"" + "x".repeat(300) + "\",\"appVersion\":\"1\"}",
        "TooLong");
    data(c, "workload without version", with("\"workloadName\":\"cart\""), "IncompleteWorkload");
    data(c, "version without workload", with("\"workloadVersion\":\"2\""), "IncompleteWorkload");
    data(c, "tasks a string", with("\"tasks\":\"a\""), "WrongType");
    data(c, "tasks of numbers", with("\"tasks\":[1]"), "WrongType");
    data(c, "task name not dns", with("\"tasks\":[\"Bad_Name\"]"), "InvalidName");
    data(c, "too many tasks", with("\"tasks\":[" + "\"t\",".repeat(20) + "\"t\"]"), "TooManyTasks");
    data(c, "parameters an array", with("\"parameters\":[]"), "WrongType");
    data(c, "parameter not a string", with("\"parameters\":{\"a\":1}"), "WrongType");
    data(c, "empty parameter key", with("\"parameters\":{\"\":\"v\"}"), "InvalidName");
    StringBuilder many = new StringBuilder("\"parameters\":{");
    for (int i = 0; i < 65; i++) {
      many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
    }
    data(c, "too many parameters", with(many.append("}").toString()), "TooManyParameters");
    data(c, "secret not dns", with("\"secureParameters\":\"Bad Name\""), "InvalidName");
    data(c, "negative retries", with("\"retries\":-1"), "OutOfRange");
    data(c, "retries a string", with("\"retries\":\"3\""), "WrongType");
    data(c, "fractional retries", with("\"retries\":1.5"), "WrongType");
    data(c, "huge retries", with("\"retries\":99999999999"), "OutOfRange");
    data(c, "timeout forever", with("\"timeout\":\"forever\""), "InvalidDuration");
    data(c, "timeout zero", with("\"timeout\":\"0s\""), "OutOfRange");
    data(c, "timeout a number", with("\"timeout\":30"), "WrongType");
    data(c, "metadata a string", with("\"metadata\":\"x\""), "WrongType");
    // JSON null is never "absent": every field of data set to null is one WrongType on that field
    data(
        c,
        "namespace null",
        "{\"namespace\":null,\"appName\":\"shop\",\"appVersion\":\"1\"}",
        "WrongType");
    data(
        c,
        "appName null",
        "{\"namespace\":\"team-a\",\"appName\":null,\"appVersion\":\"1\"}",
        "WrongType");
    data(
        c,
        "appVersion null",
        "{\"namespace\":\"team-a\",\"appName\":\"shop\",\"appVersion\":null}",
        "WrongType");
    data(
        c,
        "workloadName null",
        with("\"workloadName\":null,\"workloadVersion\":\"1\""),
        "WrongType");
    data(
        c,
        "workloadVersion null",
        with("\"workloadName\":\"cart\",\"workloadVersion\":null"),
        "WrongType");
    for (String field :
        List.of("tasks", "parameters", "secureParameters", "retries", "timeout", "metadata")) {
      data(c, field + " null", with("\"" + field + "\":null"), "WrongType");
    }
    data(
        c,
        "two errors at once",
        "{\"namespace\":\"team-a\",\"appName\":1,\"appVersion\":2}",
        "WrongType",
        "WrongType");
    c.add(
        new Malformed(
            "too large",
            attrs(Map.of()),
            "application/json",
            ("{\"namespace\":\"team-a\",\"appName\":\"shop\",\"appVersion\":\"1\",\"metadata\":{\"x\":\""
                    + "y".repeat(70_000)
                    + "\"}}")
                .getBytes(StandardCharsets.UTF_8),
            List.of("TooLarge")));
    return c;
  }

  private static String with(String field) {
    return OK_DATA.substring(0, OK_DATA.length() - 1) + "," + field + "}";
  }

  private static String uid() {
    return UUID.randomUUID().toString();
  }

  private static Map<String, String> attrs(Map<String, String> overrides) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("specversion", "1.0");
    a.put("id", uid());
    a.put("source", "test/malformed");
    a.put("type", "dev.taskbridge.deployment.pre");
    a.putAll(overrides);
    a.values().removeIf(String::isEmpty);
    return a;
  }

  private static void raw(
      List<Malformed> c, String name, String contentType, String body, String... codes) {
    c.add(
        new Malformed(
            name, null, contentType, body.getBytes(StandardCharsets.UTF_8), List.of(codes)));
  }

  private static void structured(
      List<Malformed> c, String name, Map<String, String> overrides, String data, String... codes) {
    StringBuilder json = new StringBuilder("{");
    attrs(overrides)
        .forEach((k, v) -> json.append('"').append(k).append("\":\"").append(v).append("\","));
    json.append("\"data\":").append(data).append('}');
    raw(c, name, "application/cloudevents+json", json.toString(), codes);
  }

  private static void binary(
      List<Malformed> c, String name, String contentType, String body, String... codes) {
    c.add(
        new Malformed(
            name,
            attrs(Map.of()),
            contentType,
            body.getBytes(StandardCharsets.UTF_8),
            List.of(codes)));
  }

  private static void data(List<Malformed> c, String name, String data, String... codes) {
    binary(c, name, "application/json", data, codes);
  }
}
