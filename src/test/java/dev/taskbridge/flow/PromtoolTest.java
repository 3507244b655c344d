package dev.taskbridge.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.taskbridge.testing.ApiServerResource;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.KafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Prometheus' own tool on what the bridge ships: {@code promtool check metrics} on a scrape as a
 * plain client asks for it ({@code Accept: *}{@code /*}), and {@code promtool test rules} on every
 * alert of the shipped PrometheusRule, with series that make it fire and series that keep it quiet
 * (src/test/resources/promtool/alerts-test.yml). promtool is Debian's {@code prometheus} package;
 * .ci/run installs it when missing.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(ApiServerResource.class)
class PromtoolTest {
  static final Path OPTIONAL = Path.of("src", "main", "kubernetes", "optional");

  record Run(int exit, String output) {}

  static Run promtool(byte[] stdin, String... args) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder();
    pb.command().add("promtool");
    pb.command().addAll(List.of(args));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(stdin);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  void everyShippedAlertFiresOnItsSeriesAndStaysQuietOtherwise() throws Exception {
    Path dir = Path.of("target", "promtool");
    Files.createDirectories(dir);
    JsonNode rule = new YAMLMapper().readTree(OPTIONAL.resolve("prometheusrule.yml").toFile());
    Path rules = dir.resolve("rules.yml");
    new YAMLMapper().writeValue(rules.toFile(), rule.get("spec"));
    Path tests = dir.resolve("alerts-test.yml");
    Files.copy(
        Path.of("src", "test", "resources", "promtool", "alerts-test.yml"),
        tests,
        StandardCopyOption.REPLACE_EXISTING);

    Run check = promtool(new byte[0], "check", "rules", rules.toString());
    assertThat(check.exit()).as(check.output()).isZero();
    Run test = promtool(new byte[0], "test", "rules", tests.toString());
    assertThat(test.exit()).as(test.output()).isZero();
    assertThat(test.output()).contains("SUCCESS");

    // every alert of the PrometheusRule has a test that makes it fire
    String testText = Files.readString(tests);
    for (JsonNode group : rule.path("spec").path("groups")) {
      for (JsonNode r : group.path("rules")) {
        String alert = r.path("alert").asText();
        assertThat(testText).as(alert + " is tested").contains("alertname: " + alert);
      }
    }
  }

  @Test
  void aPlainScrapeIsTextFormatAndTheBridgesSeriesPassPromtoolCheckMetrics() throws Exception {
    Defs.apply(Defs.container("team-a", "promtool-check"));
    Events e = Events.pre("team-a", "shop", "1").tasks("promtool-check");
    Bus.send(e.binary(Bus.EVENTS));
    Bus.awaitPhase(e.trigger(), Duration.ofSeconds(60));

    var scrape = given().header("Accept", "*/*").get("/q/metrics");
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.contentType()).startsWith("text/plain");

    Files.createDirectories(Path.of("target", "promtool"));
    Files.write(Path.of("target", "promtool", "scrape.txt"), scrape.asByteArray());
    Run lint = promtool(scrape.asByteArray(), "check", "metrics");
    assertThat(lint.output()).doesNotContain("error while linting");
    assertThat(lint.output().lines().filter(l -> l.contains("taskbridge_")))
        .as(lint.output())
        .isEmpty();
  }
}
