package dev.taskbridge.report;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Task outputs: the JSON object a task's container writes to its termination message ({@code
 * /dev/termination-log}, Kubernetes' own mechanism, at most 4096 bytes). Anything else (not JSON,
 * not an object, too large) is no output. Pure.
 */
public final class Outputs {
  /** Kubernetes' limit for one container's termination message. */
  public static final int MAX_BYTES = 4096;

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  static {
    JSON.getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
  }

  private Outputs() {}

  /** The output a termination message carries, as compact JSON; empty when it carries none. */
  public static Optional<String> fromTerminationMessage(String message) {
    if (message == null
        || message.isBlank()
        || message.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return Optional.empty();
    }
    return parse(message.trim()).map(JsonNode::toString);
  }

  /** A recorded output as a JSON object; empty when absent or not an object. */
  public static Optional<JsonNode> parse(String json) {
    if (json == null) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(json);
      return n != null && n.isObject() ? Optional.of(n) : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
