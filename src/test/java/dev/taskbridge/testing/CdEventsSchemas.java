package dev.taskbridge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The official CDEvents JSON schemas, read from ../shared/reference/cdevents-schemas (data for
 * tests, not part of the project), with their {@code links/...} references inlined, validated with
 * format assertions on as the spec's own CI does.
 */
public final class CdEventsSchemas {
  static final ObjectMapper JSON = new ObjectMapper();
  public static final Path ROOT = Path.of("..", "shared", "reference", "cdevents-schemas");

  /** The schema file of each CDEvents type the bridge reads or writes, by spec release. */
  static final Map<String, String> FILES =
      Map.of(
          "dev.cdevents.taskrun.started.0.3.0", "v0.5.1/schemas/taskrunstarted.json",
          "dev.cdevents.taskrun.finished.0.3.0", "v0.5.1/schemas/taskrunfinished.json",
          "dev.cdevents.pipelinerun.finished.0.3.0", "v0.5.1/schemas/pipelinerunfinished.json",
          "dev.cdevents.service.deployed.0.3.0", "v0.5.1/schemas/servicedeployed.json",
          "dev.cdevents.service.upgraded.0.3.0", "v0.5.1/schemas/serviceupgraded.json");

  private CdEventsSchemas() {}

  /** The messages of every way {@code cdEvent} breaks the schema of its type; empty when valid. */
  public static List<String> problems(JsonNode cdEvent) {
    String type = cdEvent.path("context").path("type").asText();
    String file = FILES.get(type);
    if (file == null) {
      return List.of("no schema for type " + type);
    }
    return schema(ROOT.resolve(file)).validate(cdEvent).stream().map(Object::toString).toList();
  }

  static JsonSchema schema(Path file) {
    JsonNode root = read(file);
    inline(root, file.getParent().resolve("links"));
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root, config);
  }

  /** Replaces each {@code {"$ref": "links/x"}} or {@code "x"} by the schema of links/x.json. */
  static void inline(JsonNode node, Path links) {
    if (node instanceof ObjectNode o) {
      JsonNode ref = o.get("$ref");
      if (ref != null && ref.isTextual() && !ref.asText().startsWith("#")) {
        String name = ref.asText().substring(ref.asText().lastIndexOf('/') + 1);
        ObjectNode target = (ObjectNode) read(links.resolve(name + ".json"));
        target.remove("$id");
        target.remove("$schema");
        o.remove("$ref");
        o.setAll(target);
      }
      for (Iterator<JsonNode> it = o.elements(); it.hasNext(); ) {
        inline(it.next(), links);
      }
    } else if (node != null && node.isArray()) {
      node.forEach(n -> inline(n, links));
    }
  }

  public static JsonNode read(Path file) {
    try {
      return JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
