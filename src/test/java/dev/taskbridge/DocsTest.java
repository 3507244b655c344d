package dev.taskbridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.contract.RejectionCode;
import dev.taskbridge.contract.TaskReason;
import dev.taskbridge.ingest.CloudEventReader;
import dev.taskbridge.ingest.EventValidator;
import dev.taskbridge.ingest.Intake;
import dev.taskbridge.testing.Samples;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The docs say what the code does: every configuration key, and the JSON Schema of event data. */
class DocsTest {

  static List<String> keys(Class<?> group, String prefix) {
    List<String> keys = new ArrayList<>();
    for (Method m : group.getDeclaredMethods()) {
      String key = prefix + m.getName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
      Class<?> type = m.getReturnType();
      if (type.isInterface() && nested(type)) {
        keys.addAll(keys(type, key + "."));
      } else if (type == List.class
          && m.getGenericReturnType() instanceof ParameterizedType p
          && p.getActualTypeArguments()[0] instanceof Class<?> c
          && c.getEnclosingClass() == BridgeConfig.class) {
        keys.addAll(keys(c, key + "[n]."));
      } else {
        keys.add(key);
      }
    }
    return keys;
  }

  /** A group of the mapping: an interface declared (at any depth) inside BridgeConfig. */
  static boolean nested(Class<?> type) {
    for (Class<?> c = type.getEnclosingClass(); c != null; c = c.getEnclosingClass()) {
      if (c == BridgeConfig.class) {
        return true;
      }
    }
    return false;
  }

  @Test
  void everyConfigurationKeyIsDocumented() throws Exception {
    String operations = Files.readString(Path.of("docs", "operations.md"));
    List<String> keys = keys(BridgeConfig.class, "bridge.");
    assertThat(keys)
        .hasSizeGreaterThan(25)
        .contains("bridge.runner.restart-policy", "bridge.rules[n].tasks");
    for (String key : keys) {
      assertThat(operations).as(key).contains("`" + key + "`");
    }
  }

  @Test
  void everyRejectionCodeAndTaskReasonIsDocumented() throws Exception {
    String events = Files.readString(Path.of("docs", "events.md"));
    for (RejectionCode code : RejectionCode.values()) {
      assertThat(events).as(code.name()).contains("`" + code.text() + "`");
    }
    String results = Files.readString(Path.of("docs", "results.md"));
    for (TaskReason reason : TaskReason.values()) {
      assertThat(results).as(reason.name()).contains("`" + reason.text() + "`");
    }
  }

  @Test
  void eventDataSchemaAgreesWithTheValidator() throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonSchema schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
            .getSchema(
                json.readTree(
                    Path.of("docs", "schemas", "deployment-event-data.schema.json").toFile()));
    List<String> valid =
        List.of(
            "{\"namespace\":\"team-a\",\"appName\":\"shop\",\"appVersion\":\"1.2.3\"}",
            "{\"namespace\":\"team-a\",\"appName\":\"shop\",\"appVersion\":\"1.2.3\",\"workloadName\":\"cart\","
                + "\"workloadVersion\":\"0.9.1\",\"tasks\":[\"smoke-test\"],\"parameters\":{\"url\":\"https://x\"},"
                + "\"secureParameters\":\"shop-secrets\",\"retries\":2,\"timeout\":\"5m\",\"metadata\":{\"commit\":\"abc\"}}");
    List<String> invalid =
        List.of(
            "{\"namespace\":\"team-a\",\"appVersion\":\"1\"}",
            "{\"namespace\":\"Team_A\",\"appName\":\"shop\",\"appVersion\":\"1\"}",
            "{\"namespace\":\"team-a\",\"appName\":\"\",\"appVersion\":\"1\"}",
            "{\"namespace\":\"team-a\",\"appName\":\"shop\",\"appVersion\":\"1\",\"workloadName\":\"cart\"}",
            "{\"namespace\":\"team-a\",\"appName\":\"shop\",\"appVersion\":\"1\",\"tasks\":[\"Bad_Name\"]}",
            "{\"namespace\":\"team-a\",\"appName\":\"shop\",\"appVersion\":\"1\",\"parameters\":{\"a\":1}}",
            "{\"namespace\":\"team-a\",\"appName\":\"shop\",\"appVersion\":\"1\",\"retries\":-1}",
            "{\"namespace\":\"team-a\",\"appName\":\"shop\",\"appVersion\":\"1\",\"timeout\":\"forever\"}",
            "{\"namespace\":\"team-a\",\"appName\":\"shop\",\"appVersion\":\"1\",\"secureParameters\":\"Bad Name\"}");
    EventValidator validator = new EventValidator(Samples.config().get());
    for (String data : valid) {
      assertThat(schema.validate(json.readTree(data))).as(data).isEmpty();
      assertThat(validate(validator, data)).as(data).isInstanceOf(Intake.Accepted.class);
    }
    for (String data : invalid) {
      JsonNode node = json.readTree(data);
      assertThat(schema.validate(node)).as(data).isNotEmpty();
      assertThat(validate(validator, data)).as(data).isInstanceOf(Intake.Rejected.class);
    }
  }

  static Intake validate(EventValidator v, String data) {
    Map<String, byte[]> h =
        Map.of(
            "ce_specversion",
            b("1.0"),
            "ce_id",
            b("i"),
            "ce_source",
            b("s"),
            "ce_type",
            b("dev.taskbridge.deployment.pre"),
            "content-type",
            b("application/json"));
    return v.validate(new CloudEventReader(65536).read(h, b(data)), "t-0-0");
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
