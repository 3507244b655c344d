package dev.taskbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskbridge.contract.CheckType;
import dev.taskbridge.contract.FieldError;
import dev.taskbridge.contract.RejectionCode;
import dev.taskbridge.plan.DeploymentEvent;
import dev.taskbridge.plan.Names;
import dev.taskbridge.testing.Malformed;
import dev.taskbridge.testing.Samples;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventValidatorTest {
  final Samples.Config config = Samples.config();

  Intake read(Map<String, byte[]> headers, String body) {
    return read(headers, body.getBytes(StandardCharsets.UTF_8));
  }

  Intake read(Map<String, byte[]> headers, byte[] body) {
    if (body.length > config.maxEventBytes) {
      return new Intake.Rejected(
          "t-0-1",
          null,
          null,
          "unknown",
          List.of(new FieldError("", RejectionCode.TOO_LARGE, "too large")));
    }
    return new EventValidator(config.get())
        .validate(new CloudEventReader(config.maxEventBytes).read(headers, body), "t-0-1");
  }

  static Map<String, byte[]> binary(String id, String type) {
    Map<String, byte[]> h = new LinkedHashMap<>();
    h.put("ce_specversion", bytes("1.0"));
    h.put("ce_id", bytes(id));
    h.put("ce_source", bytes("ci/jenkins"));
    h.put("ce_type", bytes(type));
    h.put("content-type", bytes("application/json"));
    return h;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void binaryModeEventWithEveryFieldIsAccepted() {
    Map<String, byte[]> h = binary("build-7", "dev.taskbridge.deployment.post");
    h.put("ce_traceparent", bytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
    Intake in =
        read(
            h,
            """
        {"namespace":"team-a","appName":"shop","appVersion":"1.2.3","workloadName":"cart",
         "workloadVersion":"0.9","tasks":["smoke","notify"],"parameters":{"url":"http://x"},
         "secureParameters":"creds","retries":3,"timeout":"90s","metadata":{"commit":"abc"},
         "somethingNew":"ignored"}""");
    assertThat(in).isInstanceOf(Intake.Accepted.class);
    DeploymentEvent e = ((Intake.Accepted) in).event();
    assertThat(e.checkType()).isEqualTo(CheckType.post);
    assertThat(e.workloadName()).isEqualTo("cart");
    assertThat(e.tasks()).containsExactly("smoke", "notify");
    assertThat(e.parameters()).containsEntry("url", "http://x");
    assertThat(e.retries()).isEqualTo(3);
    assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(e.traceparent()).startsWith("00-0af7");
    assertThat(e.triggerHash()).isEqualTo(Names.triggerHash("ci/jenkins", "build-7"));
  }

  @Test
  void structuredModeEventIsAcceptedLikeTheBinaryOne() {
    Intake in =
        read(
            Map.of("content-type", bytes("application/cloudevents+json")),
            """
        {"specversion":"1.0","id":"b-1","source":"ci/jenkins","type":"dev.taskbridge.deployment.pre",
         "traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
         "data":{"namespace":"team-a","appName":"shop","appVersion":"1"}}""");
    DeploymentEvent e = ((Intake.Accepted) in).event();
    assertThat(e.checkType()).isEqualTo(CheckType.pre);
    assertThat(e.tasks()).isNull();
    assertThat(e.traceparent()).isNotNull();
  }

  @Test
  void defaultNamespaceFillsAnEventThatNamesNone() {
    config.defaultNamespace = Optional.of("team-a");
    Intake in =
        read(
            binary("x", "dev.taskbridge.deployment.pre"),
            "{\"appName\":\"a\",\"appVersion\":\"1\"}");
    assertThat(((Intake.Accepted) in).event().namespace()).isEqualTo("team-a");
  }

  @Test
  void explicitTasksAreRefusedWhenTheConfigurationForbidsThem() {
    config.allowExplicit = false;
    Intake in =
        read(
            binary("x", "dev.taskbridge.deployment.pre"),
            "{\"namespace\":\"team-a\",\"appName\":\"a\",\"appVersion\":\"1\",\"tasks\":[\"t\"]}");
    assertThat(((Intake.Rejected) in).errors())
        .extracting(e -> e.code().text())
        .containsExactly("ExplicitTasksNotAllowed");
  }

  @Test
  void secureParametersAreRefusedUnlessAllowed() {
    config.allowSecureParameters = false; // the shipped default
    Intake in =
        read(
            binary("x", "dev.taskbridge.deployment.pre"),
            "{\"namespace\":\"team-a\",\"appName\":\"a\",\"appVersion\":\"1\","
                + "\"secureParameters\":\"creds\"}");
    assertThat(((Intake.Rejected) in).errors())
        .extracting(FieldError::field, e -> e.code().text())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "data.secureParameters", "SecureParametersNotAllowed"));
  }

  @Test
  void wildcardAllowsEveryNamespace() {
    config.namespaces = List.of("*");
    Intake in =
        read(
            binary("x", "dev.taskbridge.deployment.pre"),
            "{\"namespace\":\"anything\",\"appName\":\"a\",\"appVersion\":\"1\"}");
    assertThat(in).isInstanceOf(Intake.Accepted.class);
  }

  @Test
  void malformedTraceparentIsDroppedNotFatal() {
    Map<String, byte[]> h = binary("x", "dev.taskbridge.deployment.pre");
    h.put("ce_traceparent", bytes("garbage"));
    Intake in = read(h, "{\"namespace\":\"team-a\",\"appName\":\"a\",\"appVersion\":\"1\"}");
    assertThat(((Intake.Accepted) in).event().traceparent()).isNull();
  }

  @Test
  void rejectionOfAnIdentifiedEventUsesTheTriggerHashAsSubject() {
    Intake in = read(binary("b-9", "dev.taskbridge.deployment.pre"), "{}");
    Intake.Rejected r = (Intake.Rejected) in;
    assertThat(r.subject()).isEqualTo(Names.triggerHash("ci/jenkins", "b-9"));
    assertThat(r.checkType()).isEqualTo("pre");
    assertThat(r.errors())
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder("data.namespace", "data.appName", "data.appVersion");
  }

  @Test
  void rejectionOfAnUnidentifiedEventUsesTheTransportSubject() {
    Intake.Rejected r = (Intake.Rejected) read(Map.of(), "hello");
    assertThat(r.subject()).isEqualTo("t-0-1");
    assertThat(r.checkType()).isEqualTo("unknown");
  }

  @Test
  void messagesNeverCarryRawControlCharacters() {
    Intake.Rejected r = (Intake.Rejected) read(binary("x", "evil\u001b[31m\n"), "{}");
    assertThat(r.errors())
        .allSatisfy(e -> assertThat(e.message()).doesNotContain("\u001b").doesNotContain("\n"));
  }

  @ParameterizedTest(name = "{0}: null")
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "namespace",
        "appName",
        "appVersion",
        "workloadName",
        "workloadVersion",
        "tasks",
        "parameters",
        "secureParameters",
        "retries",
        "timeout",
        "metadata"
      })
  void jsonNullIsAWrongTypeOnThatFieldNeverAbsent(String field) {
    config.defaultNamespace = Optional.of("team-a"); // a null namespace must not fall back to it
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("namespace", "team-a");
    data.put("appName", "shop");
    data.put("appVersion", "1");
    if (field.startsWith("workload")) {
      data.put("workloadName", "cart");
      data.put("workloadVersion", "2");
    }
    data.put(field, null);
    StringBuilder json = new StringBuilder("{");
    data.forEach(
        (k, v) ->
            json.append(json.length() > 1 ? "," : "")
                .append('"')
                .append(k)
                .append("\":")
                .append(v == null ? "null" : "\"" + v + "\""));
    Intake in = read(binary("n-" + field, "dev.taskbridge.deployment.pre"), json + "}");
    assertThat(in).isInstanceOf(Intake.Rejected.class);
    assertThat(((Intake.Rejected) in).errors())
        .extracting(FieldError::field, e -> e.code().text())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("data." + field, "WrongType"));
  }

  static Stream<Arguments> corpus() {
    return Malformed.corpus().stream().map(m -> Arguments.of(m.name(), m));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void everyMalformedEventIsRejectedWithItsCodes(String name, Malformed m) {
    Intake in = read(m.kafkaHeaders(), m.body());
    assertThat(in).as(name).isInstanceOf(Intake.Rejected.class);
    assertThat(((Intake.Rejected) in).errors())
        .extracting(e -> e.code().text())
        .as(name)
        .containsExactlyElementsOf(m.codes());
  }

  @Test
  void theCorpusHasAtLeastFortyDistinctCases() {
    assertThat(Malformed.corpus())
        .hasSizeGreaterThanOrEqualTo(40)
        .extracting(Malformed::name)
        .doesNotHaveDuplicates();
  }
}
