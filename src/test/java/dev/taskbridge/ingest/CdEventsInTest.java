package dev.taskbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskbridge.contract.CheckType;
import dev.taskbridge.contract.FieldError;
import dev.taskbridge.plan.DeploymentEvent;
import dev.taskbridge.plan.Names;
import dev.taskbridge.testing.CdEventsSchemas;
import dev.taskbridge.testing.Samples;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** CDEvents service.deployed / upgraded read as post-deployment events. */
class CdEventsInTest {
  final Samples.Config config = Samples.config();

  static String cdEvent(String type, String environment, String subjectId, String artifactId) {
    return """
        {"context":{"specversion":"0.4.1","id":"cd-1","source":"/spinnaker","type":"%s",
          "timestamp":"2026-12-01T10:00:00Z"},
         "subject":{"id":"%s","source":"/spinnaker",
          "content":{"environment":{"id":"%s"},"artifactId":"%s"}}}"""
        .formatted(type, subjectId, environment, artifactId);
  }

  Intake binary(String type, String data) {
    Map<String, byte[]> h = new LinkedHashMap<>();
    h.put("ce_specversion", bytes("1.0"));
    h.put("ce_id", bytes("cd-1"));
    h.put("ce_source", bytes("/spinnaker"));
    h.put("ce_type", bytes(type));
    h.put("content-type", bytes("application/json"));
    return read(h, data);
  }

  Intake structured(String type, String data) {
    String envelope =
        """
        {"specversion":"1.0","id":"cd-1","source":"/spinnaker","type":"%s",
         "datacontenttype":"application/json","data":%s}"""
            .formatted(type, data);
    return read(Map.of("content-type", bytes("application/cloudevents+json")), envelope);
  }

  Intake read(Map<String, byte[]> headers, String body) {
    return new EventValidator(config.get())
        .validate(new CloudEventReader(65536).read(headers, bytes(body)), "t-0-1");
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static DeploymentEvent accepted(Intake in) {
    assertThat(in).as(String.valueOf(in)).isInstanceOf(Intake.Accepted.class);
    return ((Intake.Accepted) in).event();
  }

  static List<FieldError> rejected(Intake in) {
    assertThat(in).isInstanceOf(Intake.Rejected.class);
    return ((Intake.Rejected) in).errors();
  }

  static Stream<Arguments> everyTypeAndVersion() {
    return Stream.of("deployed", "upgraded")
        .flatMap(
            kind ->
                Stream.of("0.1.0", "0.1.2", "0.2.0", "0.3.0")
                    .flatMap(
                        v ->
                            Stream.of(true, false)
                                .map(
                                    binary ->
                                        Arguments.of(
                                            "dev.cdevents.service." + kind + "." + v, binary))));
  }

  @ParameterizedTest
  @MethodSource("everyTypeAndVersion")
  void everyServiceDeployedAndUpgradedVersionStartsThePostDeploymentPhase(
      String type, boolean binary) {
    String data = cdEvent(type, "team-a", "apps/acme/shop", "pkg:oci/shop@1.4.0?arch=amd64");
    DeploymentEvent e = accepted(binary ? binary(type, data) : structured(type, data));
    assertThat(e.checkType()).isEqualTo(CheckType.post);
    assertThat(e.namespace()).isEqualTo("team-a");
    assertThat(e.appName()).isEqualTo("shop");
    assertThat(e.appVersion()).isEqualTo("1.4.0");
    assertThat(e.tasks()).as("from the KeptnAppContext, else the rules").isNull();
    assertThat(e.triggerHash()).isEqualTo(Names.triggerHash("/spinnaker", "cd-1"));
    assertThat(e.metadata()).containsEntry("cdeventsType", type);
    assertThat(e.type()).as("part of the identity").isEqualTo(type);
  }

  @Test
  void theVersionOfThePurlIsPercentDecodedAndQualifiersAndSubpathAreNotPartOfIt() {
    String t = "dev.cdevents.service.deployed.0.3.0";
    assertThat(
            accepted(binary(t, cdEvent(t, "team-a", "shop", "pkg:oci/shop@sha256%3Aabc123")))
                .appVersion())
        .isEqualTo("sha256:abc123");
    assertThat(
            accepted(
                    binary(
                        t,
                        cdEvent(
                            t,
                            "team-a",
                            "shop",
                            "pkg:docker/acme/shop@v2%2Bbuild.5?repository_url=ghcr.io#sub/dir")))
                .appVersion())
        .isEqualTo("v2+build.5");
    assertThat(
            accepted(binary(t, cdEvent(t, "team-a", "shop", "pkg:npm/%40acme/shop@1.0.0+meta")))
                .appVersion())
        .as("a plus stays a plus")
        .isEqualTo("1.0.0+meta");
  }

  @Test
  void anEnvironmentThatIsNotANamespaceNameIsMappedByConfiguration() {
    config.cdEventsEnvironments = Map.of("prod/eu-1", "team-a");
    String t = "dev.cdevents.service.upgraded.0.2.0";
    assertThat(accepted(binary(t, cdEvent(t, "prod/eu-1", "shop", "pkg:oci/shop@2"))).namespace())
        .isEqualTo("team-a");
  }

  /**
   * The spec's own conformance examples (CDEvents 0.4.1 and 0.5.1), with their environment mapped.
   */
  @Test
  void theOfficialConformanceExamplesAreRead() {
    config.cdEventsEnvironments = Map.of("test123", "team-a");
    for (String file :
        List.of(
            "v0.5.1/conformance/service_deployed.json",
            "v0.5.1/conformance/service_upgraded.json",
            "v0.4.1/conformance/service_deployed.json",
            "v0.4.1/conformance/service_upgraded.json")) {
      ObjectNode example = (ObjectNode) CdEventsSchemas.read(CdEventsSchemas.ROOT.resolve(file));
      String type = example.path("context").path("type").asText();
      DeploymentEvent e = accepted(binary(type, example.toString()));
      assertThat(e.namespace()).as(file).isEqualTo("team-a");
      assertThat(e.appName()).as(file).isEqualTo("mySubject123");
      assertThat(e.appVersion()).as(file).startsWith("sha256:0b31b1c02ff");
    }
  }

  static Stream<Arguments> invalid() {
    String t = "dev.cdevents.service.deployed.0.3.0";
    String ok = "pkg:oci/shop@1";
    return Stream.of(
        Arguments.of(t, "{\"context\":{}}", "subject", "MissingField"),
        Arguments.of(t, "{\"subject\":null}", "subject", "WrongType"),
        Arguments.of(
            t,
            "{\"subject\":{\"id\":\"shop\",\"content\":{\"artifactId\":\"" + ok + "\"}}}",
            "subject.content.environment",
            "MissingField"),
        Arguments.of(
            t,
            "{\"subject\":{\"id\":\"shop\",\"content\":{\"environment\":{\"id\":null},"
                + "\"artifactId\":\""
                + ok
                + "\"}}}",
            "subject.content.environment.id",
            "WrongType"),
        Arguments.of(
            t,
            cdEvent(t, "team-b", "shop", ok),
            "subject.content.environment.id",
            "NamespaceNotAllowed"),
        Arguments.of(
            t, cdEvent(t, "Prod EU", "shop", ok), "subject.content.environment.id", "InvalidName"),
        Arguments.of(t, cdEvent(t, "team-a", "", ok), "subject.id", "EmptyField"),
        Arguments.of(t, cdEvent(t, "team-a", "apps/shop/", ok), "subject.id", "InvalidValue"),
        Arguments.of(
            t,
            cdEvent(t, "team-a", "shop", "pkg:oci/shop"),
            "subject.content.artifactId",
            "InvalidValue"),
        Arguments.of(
            t,
            cdEvent(t, "team-a", "shop", "ghcr.io/acme/shop:1.0"),
            "subject.content.artifactId",
            "InvalidValue"),
        Arguments.of(
            t,
            cdEvent(t, "team-a", "shop", "pkg:oci/shop@1%zz"),
            "subject.content.artifactId",
            "InvalidValue"),
        Arguments.of(
            t,
            cdEvent(t, "team-a", "shop", "pkg:oci/shop@%FF"),
            "subject.content.artifactId",
            "InvalidValue"),
        Arguments.of(
            "dev.cdevents.service.deployed.0.4.0",
            cdEvent(t, "team-a", "shop", ok),
            "type",
            "UnsupportedVersion"),
        Arguments.of(
            "dev.cdevents.service.deployed.1.0.0",
            cdEvent(t, "team-a", "shop", ok),
            "type",
            "UnsupportedVersion"),
        Arguments.of(
            "dev.cdevents.taskrun.finished.0.3.0",
            cdEvent(t, "team-a", "shop", ok),
            "type",
            "UnknownType"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void everyInvalidCdEventIsRejectedOnceWithTheCdEventsFieldNamed(
      String type, String data, String field, String code) {
    assertThat(rejected(binary(type, data)))
        .extracting(FieldError::field, e -> e.code().text())
        .containsExactly(tuple(field, code));
    assertThat(rejected(structured(type, data)))
        .extracting(FieldError::field, e -> e.code().text())
        .containsExactly(tuple(field, code));
  }

  @Test
  void aCdEventWithoutDataIsRejected() {
    Map<String, byte[]> h = new LinkedHashMap<>();
    h.put("ce_specversion", bytes("1.0"));
    h.put("ce_id", bytes("cd-1"));
    h.put("ce_source", bytes("/spinnaker"));
    h.put("ce_type", bytes("dev.cdevents.service.deployed.0.3.0"));
    assertThat(rejected(read(h, "")))
        .extracting(FieldError::field, e -> e.code().text())
        .containsExactly(tuple("data", "MissingField"));
  }
}
