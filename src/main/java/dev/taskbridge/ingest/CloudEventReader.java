package dev.taskbridge.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.taskbridge.contract.FieldError;
import dev.taskbridge.contract.RejectionCode;
import dev.taskbridge.contract.Safe;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the CloudEvent envelope of a record or request, in binary mode ({@code ce_*} Kafka headers
 * or {@code ce-*} HTTP headers) or structured mode ({@code application/cloudevents+json}). Pure:
 * headers and bytes in, attributes and a JSON {@code data} out, or the errors found.
 */
public final class CloudEventReader {
  /** Nothing the contract defines nests deeper than the data object and its maps. */
  static final int MAX_DEPTH = 16;

  private final ObjectMapper json;

  public CloudEventReader(int maxEventBytes) {
    this.json = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    this.json
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxStringLength(Math.max(maxEventBytes, 1024))
                .maxNumberLength(64)
                .build());
  }

  /** The envelope: CloudEvent attributes (by lower-case name) and the parsed {@code data}. */
  public record Envelope(Map<String, String> attributes, JsonNode data) {}

  /** Either an envelope or errors; attributes read so far are kept for the rejection's subject. */
  public record Result(
      Envelope envelope, Map<String, String> attributes, List<FieldError> errors) {}

  /** Header names are matched case-insensitively; values must be UTF-8. */
  public Result read(Map<String, byte[]> headers, byte[] body) {
    Map<String, String> attrs = new LinkedHashMap<>();
    List<FieldError> errors = new ArrayList<>();
    String contentType = null;
    for (var h : headers.entrySet()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      String value = utf8(h.getValue());
      if (value == null) {
        errors.add(
            new FieldError(name, RejectionCode.INVALID_ENCODING, "header is not valid UTF-8"));
        continue;
      }
      if (name.startsWith("ce_") || name.startsWith("ce-")) {
        attrs.put(name.substring(3), value);
      } else if (name.equals("content-type")) {
        contentType = value.toLowerCase(Locale.ROOT);
      } else if (name.equals("traceparent")) {
        attrs.putIfAbsent("traceparent", value);
      }
    }
    if (!errors.isEmpty()) {
      return new Result(null, attrs, errors);
    }
    String text = utf8(body == null ? new byte[0] : body);
    if (text == null) {
      errors.add(new FieldError("data", RejectionCode.INVALID_ENCODING, "body is not valid UTF-8"));
      return new Result(null, attrs, errors);
    }
    boolean binary = attrs.containsKey("specversion");
    return binary ? binary(attrs, contentType, text) : structured(attrs, contentType, text);
  }

  /** The {@code source} and {@code id} of binary-mode headers, when present and non-empty. */
  public static Map<String, String> identity(Map<String, byte[]> headers) {
    Map<String, String> out = new LinkedHashMap<>();
    for (var h : headers.entrySet()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.equals("ce_id")
          || name.equals("ce-id")
          || name.equals("ce_source")
          || name.equals("ce-source")) {
        String v = utf8(h.getValue());
        if (v != null && !v.isEmpty()) {
          out.put(name.substring(3), v);
        }
      }
    }
    return out;
  }

  private Result binary(Map<String, String> attrs, String contentType, String text) {
    if (contentType != null && !isJson(contentType)) {
      return fail(
          attrs,
          "datacontenttype",
          RejectionCode.UNSUPPORTED_CONTENT_TYPE,
          "data must be JSON, content type was " + Safe.excerpt(contentType));
    }
    if (text.isBlank()) {
      return fail(attrs, "data", RejectionCode.MISSING_FIELD, "the event has no data");
    }
    JsonNode data;
    try {
      data = json.readTree(text);
    } catch (Exception e) {
      return fail(attrs, "data", RejectionCode.NOT_JSON, "data is not JSON: " + reason(e));
    }
    return new Result(new Envelope(attrs, data), attrs, List.of());
  }

  private Result structured(Map<String, String> attrs, String contentType, String text) {
    if (contentType != null && contentType.startsWith("application/cloudevents-batch")) {
      return fail(
          attrs, "", RejectionCode.NOT_CLOUD_EVENT, "batch mode is not supported; send one event");
    }
    if (text.isBlank()) {
      return fail(
          attrs,
          "",
          RejectionCode.NOT_CLOUD_EVENT,
          "no ce_specversion header and an empty body: not a CloudEvent");
    }
    JsonNode root;
    try {
      root = json.readTree(text);
    } catch (Exception e) {
      return fail(attrs, "", RejectionCode.NOT_JSON, "body is not JSON: " + reason(e));
    }
    if (root == null || !root.isObject() || !root.has("specversion")) {
      return fail(
          attrs,
          "",
          RejectionCode.NOT_CLOUD_EVENT,
          "neither ce_specversion headers nor a structured CloudEvent with specversion");
    }
    List<FieldError> errors = new ArrayList<>();
    var fields = root.fields();
    while (fields.hasNext()) {
      var f = fields.next();
      if (f.getKey().equals("data") || f.getKey().equals("data_base64")) {
        continue;
      }
      if (f.getValue().isTextual()) {
        attrs.put(f.getKey().toLowerCase(Locale.ROOT), f.getValue().asText());
      } else if (!f.getValue().isNull()) {
        errors.add(
            new FieldError(f.getKey(), RejectionCode.WRONG_TYPE, "attribute must be a string"));
      }
    }
    if (!errors.isEmpty()) {
      return new Result(null, attrs, errors);
    }
    JsonNode data = root.get("data");
    if (data == null && root.hasNonNull("data_base64")) {
      try {
        data = json.readTree(Base64.getDecoder().decode(root.get("data_base64").asText()));
      } catch (Exception e) {
        return fail(attrs, "data_base64", RejectionCode.NOT_JSON, "data_base64 is not base64 JSON");
      }
    }
    if (data != null && data.isTextual() && looksLikeJsonObject(data.asText())) {
      try {
        data = json.readTree(data.asText());
      } catch (Exception e) {
        return fail(attrs, "data", RejectionCode.NOT_JSON, "data is not JSON: " + reason(e));
      }
    }
    return new Result(new Envelope(attrs, data), attrs, List.of());
  }

  private static boolean looksLikeJsonObject(String s) {
    String t = s.strip();
    return t.startsWith("{") && t.endsWith("}");
  }

  private static boolean isJson(String contentType) {
    String base = contentType.split(";", 2)[0].strip();
    return base.equals("application/json") || base.endsWith("+json") || base.equals("text/json");
  }

  private static Result fail(
      Map<String, String> attrs, String field, RejectionCode code, String message) {
    return new Result(null, attrs, List.of(new FieldError(field, code, message)));
  }

  private static String reason(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return Safe.excerpt(m.lines().findFirst().orElse(m));
  }

  static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
