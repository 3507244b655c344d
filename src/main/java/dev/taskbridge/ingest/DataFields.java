package dev.taskbridge.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskbridge.contract.FieldError;
import dev.taskbridge.contract.RejectionCode;
import dev.taskbridge.contract.Safe;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed reads of {@code data} fields that record every problem as a {@link FieldError}. */
final class DataFields {
  private final JsonNode data;
  private final String prefix;
  private final List<FieldError> errors;

  DataFields(JsonNode data, List<FieldError> errors) {
    this(data, "data.", errors);
  }

  /** Fields of {@code data} named {@code prefix + name} in errors ({@code "subject.content."}). */
  DataFields(JsonNode data, String prefix, List<FieldError> errors) {
    this.data = data;
    this.prefix = prefix;
    this.errors = errors;
  }

  /**
   * A nested object's fields; {@code null} (and the error recorded) when it is absent but required,
   * null or not an object.
   */
  DataFields object(String name, boolean required) {
    boolean wasNull = data.has(name) && data.get(name).isNull();
    JsonNode n = node(name);
    String field = prefix + name;
    if (n == null) {
      if (required && !wasNull) {
        errors.add(new FieldError(field, RejectionCode.MISSING_FIELD, field + " is required"));
      }
      return null;
    }
    if (!n.isObject()) {
      errors.add(new FieldError(field, RejectionCode.WRONG_TYPE, field + " must be a JSON object"));
      return null;
    }
    return new DataFields(n, field + ".", errors);
  }

  /**
   * The field's node; {@code null} when absent. JSON {@code null} is a {@code WrongType} error,
   * never taken as absent: a {@code "namespace": null} must not skip the namespace allowlist.
   */
  private JsonNode node(String name) {
    JsonNode n = data.get(name);
    if (n != null && n.isNull()) {
      errors.add(
          new FieldError(
              prefix + name,
              RejectionCode.WRONG_TYPE,
              name + " must not be null (omit it instead)"));
      return null;
    }
    return n;
  }

  String string(String name, boolean required, int maxLength) {
    boolean wasNull = data.has(name) && data.get(name).isNull();
    JsonNode n = node(name);
    String field = prefix + name;
    if (n == null) {
      if (required && !wasNull) {
        errors.add(new FieldError(field, RejectionCode.MISSING_FIELD, name + " is required"));
      }
      return null;
    }
    if (!n.isTextual()) {
      errors.add(new FieldError(field, RejectionCode.WRONG_TYPE, name + " must be a string"));
      return null;
    }
    return checked(field, n.asText(), maxLength);
  }

  private String checked(String field, String v, int maxLength) {
    if (v.isBlank()) {
      errors.add(new FieldError(field, RejectionCode.EMPTY_FIELD, field + " must not be empty"));
      return null;
    }
    if (v.length() > maxLength) {
      errors.add(
          new FieldError(
              field,
              RejectionCode.TOO_LONG,
              field + " is longer than " + maxLength + " characters"));
      return null;
    }
    if (hasControl(v)) {
      errors.add(
          new FieldError(
              field,
              RejectionCode.INVALID_VALUE,
              field + " contains control characters: " + Safe.excerpt(v)));
      return null;
    }
    return v;
  }

  List<String> stringList(String name, int maxItems) {
    JsonNode n = node(name);
    String field = prefix + name;
    if (n == null) {
      return null;
    }
    if (!n.isArray()) {
      errors.add(
          new FieldError(field, RejectionCode.WRONG_TYPE, name + " must be an array of strings"));
      return null;
    }
    if (n.size() > maxItems) {
      errors.add(
          new FieldError(
              field,
              RejectionCode.TOO_MANY_TASKS,
              name + " has " + n.size() + " entries, at most " + maxItems + " are allowed"));
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      JsonNode item = n.get(i);
      if (!item.isTextual()) {
        errors.add(
            new FieldError(field + "[" + i + "]", RejectionCode.WRONG_TYPE, "must be a string"));
        continue;
      }
      String v = checked(field + "[" + i + "]", item.asText(), EventValidator.MAX_VALUE);
      if (v != null) {
        out.add(v);
      }
    }
    return Collections.unmodifiableList(out);
  }

  Map<String, String> stringMap(String name, int maxEntries) {
    JsonNode n = node(name);
    String field = prefix + name;
    if (n == null) {
      return null;
    }
    if (!n.isObject()) {
      errors.add(
          new FieldError(field, RejectionCode.WRONG_TYPE, name + " must be an object of strings"));
      return null;
    }
    if (n.size() > maxEntries) {
      errors.add(
          new FieldError(
              field,
              RejectionCode.TOO_MANY_PARAMETERS,
              name + " has " + n.size() + " entries, at most " + maxEntries + " are allowed"));
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    var it = n.fields();
    while (it.hasNext()) {
      var e = it.next();
      String key = e.getKey();
      String keyField = field + "." + Safe.excerpt(key);
      if (key.isEmpty() || key.length() > EventValidator.MAX_VALUE || hasControl(key)) {
        errors.add(
            new FieldError(
                keyField,
                RejectionCode.INVALID_NAME,
                "keys must be 1 to 253 characters without control characters"));
      } else if (!e.getValue().isTextual()) {
        errors.add(new FieldError(keyField, RejectionCode.WRONG_TYPE, "values must be strings"));
      } else if (e.getValue().asText().length() > EventValidator.MAX_MAP_VALUE) {
        errors.add(
            new FieldError(
                keyField,
                RejectionCode.TOO_LONG,
                "values are at most " + EventValidator.MAX_MAP_VALUE + " characters"));
      } else {
        out.put(key, e.getValue().asText());
      }
    }
    return Collections.unmodifiableMap(out);
  }

  Integer nonNegativeInt(String name) {
    JsonNode n = node(name);
    String field = prefix + name;
    if (n == null) {
      return null;
    }
    if (!n.isIntegralNumber()) {
      errors.add(new FieldError(field, RejectionCode.WRONG_TYPE, name + " must be an integer"));
      return null;
    }
    if (!n.canConvertToInt() || n.asInt() < 0) {
      errors.add(
          new FieldError(
              field,
              RejectionCode.OUT_OF_RANGE,
              name + " must be between 0 and " + Integer.MAX_VALUE));
      return null;
    }
    return n.asInt();
  }

  static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }
}
