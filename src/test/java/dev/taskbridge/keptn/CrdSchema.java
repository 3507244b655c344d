package dev.taskbridge.keptn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.taskbridge.sandbox.KeptnCrds;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Validates objects against the v1 {@code openAPIV3Schema} of a CRD, strictly: a field the schema
 * does not declare is an error, because a real API server would silently prune it. {@link
 * #keptnTask()} and its siblings check both Keptn's published CRDs (read from ../shared/keptn-crds,
 * the data contract; not part of this project) and the ones the bridge generates from its own model
 * for the sandbox and standalone installs ({@link KeptnCrds}).
 */
public final class CrdSchema {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final Path KEPTN = Path.of("..", "shared", "keptn-crds");
  private final Map<String, JsonSchema> schemas = new LinkedHashMap<>();

  private CrdSchema() {}

  private CrdSchema with(String name, JsonNode crd) {
    for (JsonNode v : crd.at("/spec/versions")) {
      if ("v1".equals(v.get("name").asText())) {
        ObjectNode root = (ObjectNode) v.at("/schema/openAPIV3Schema").deepCopy();
        // what every API server serves for a custom resource, declared or not
        ObjectNode props =
            root.has("properties")
                ? (ObjectNode) root.get("properties")
                : root.putObject("properties");
        props.putIfAbsent("apiVersion", YAML.createObjectNode().put("type", "string"));
        props.putIfAbsent("kind", YAML.createObjectNode().put("type", "string"));
        props.putIfAbsent("metadata", YAML.createObjectNode().put("type", "object"));
        schemas.put(
            name,
            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(strict(root)));
        return this;
      }
    }
    throw new IllegalArgumentException("no v1 in " + name);
  }

  /** Keptn's published CRD of {@code plural} and the generated one. */
  static CrdSchema of(String plural) {
    try {
      JsonNode keptn =
          YAML.readTree(Files.readString(KEPTN.resolve("lifecycle.keptn.sh_" + plural + ".yaml")));
      CustomResourceDefinition generated =
          KeptnCrds.generate().stream()
              .filter(d -> d.getSpec().getNames().getPlural().equals(plural))
              .findFirst()
              .orElseThrow();
      return new CrdSchema()
          .with("Keptn's", keptn)
          .with("generated", new ObjectMapper().readTree(Serialization.asJson(generated)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static CrdSchema keptnTask() {
    return of("keptntasks");
  }

  public static CrdSchema keptnTaskDefinition() {
    return of("keptntaskdefinitions");
  }

  public static CrdSchema keptnAppContext() {
    return of("keptnappcontexts");
  }

  /** Serialises {@code object} as the Kubernetes client would and returns every violation. */
  public Set<String> violations(Object object) {
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(Serialization.asJson(object));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Set<String> all = new TreeSet<>();
    schemas.forEach(
        (name, schema) ->
            schema.validate(json).stream()
                .map(ValidationMessage::getMessage)
                .forEach(m -> all.add(name + " CRD: " + m)));
    return all;
  }

  /** Objects with declared properties admit no others (what pruning would drop). */
  private static JsonNode strict(JsonNode node) {
    if (node instanceof ObjectNode o) {
      if (o.has("properties")
          && !o.has("additionalProperties")
          && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
          && !o.has("x-kubernetes-embedded-resource")) {
        o.put("additionalProperties", false);
      }
      for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!f.equals("metadata")) {
          strict(o.get(f));
        }
      }
      if (o.has("properties") && o.get("properties").has("metadata")) {
        ((ObjectNode) o.get("properties").get("metadata")).remove("additionalProperties");
      }
    } else if (node != null && node.isArray()) {
      node.forEach(CrdSchema::strict);
    }
    return node;
  }
}
