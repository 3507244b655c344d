package dev.taskbridge.keptn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Validates objects against the v1 {@code openAPIV3Schema} of Keptn's real CRDs, strictly: a field
 * the schema does not declare is an error, because a real API server would silently prune it.
 */
public final class CrdSchema {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final JsonSchema schema;

  private CrdSchema(JsonNode openApi) {
    this.schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
            .getSchema(strict(openApi.deepCopy()));
  }

  public static CrdSchema of(String crdResource) {
    try (InputStream in = CrdSchema.class.getClassLoader().getResourceAsStream(crdResource)) {
      JsonNode crd = YAML.readTree(in);
      for (JsonNode v : crd.at("/spec/versions")) {
        if ("v1".equals(v.get("name").asText())) {
          return new CrdSchema(v.at("/schema/openAPIV3Schema"));
        }
      }
      throw new IllegalArgumentException("no v1 in " + crdResource);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static CrdSchema keptnTask() {
    return of("keptn-crds/lifecycle.keptn.sh_keptntasks.yaml");
  }

  public static CrdSchema keptnTaskDefinition() {
    return of("keptn-crds/lifecycle.keptn.sh_keptntaskdefinitions.yaml");
  }

  public static CrdSchema keptnAppContext() {
    return of("keptn-crds/lifecycle.keptn.sh_keptnappcontexts.yaml");
  }

  /** Serialises {@code object} as the Kubernetes client would and returns every violation. */
  public Set<String> violations(Object object) {
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(Serialization.asJson(object));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    Set<ValidationMessage> errors = schema.validate(json);
    return errors.stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
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
