package dev.taskbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskbridge.sandbox.Sandbox;
import dev.taskbridge.testing.ApiServerResource;
import dev.taskbridge.testing.KafkaResource;
import dev.taskbridge.testing.TestInfra;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code bash} example of README.md and docs/ runs as written against the sandbox's setup
 * (its sample definitions and app context, {@code bridge.auth.mode=none}), in order, one working
 * directory per file, and prints what the {@code <!-- expect: … -->} lines after it say. Only the
 * addresses are the test's: {@code localhost:8080}, {@code 127.0.0.1:19092} and {@code
 * 127.0.0.1:18443} become this run's application, broker and API server. Examples for a cluster or
 * a build of your own are fenced {@code console} and are not run.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(ApiServerResource.class)
class DocsExamplesTest {
  static final Pattern BLOCK =
      Pattern.compile("```bash\\n(.*?)\\n```\\n((?:<!-- expect: .*? -->\\n)*)", Pattern.DOTALL);
  static final Pattern EXPECT = Pattern.compile("<!-- expect: (.*?) -->");

  record Example(Path file, int line, String script, List<String> expected) {}

  static List<Example> examples(Path file) throws IOException {
    String md = Files.readString(file);
    List<Example> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(md);
    while (m.find()) {
      List<String> expected = new ArrayList<>();
      Matcher e = EXPECT.matcher(m.group(2));
      while (e.find()) {
        expected.add(e.group(1));
      }
      int line = md.substring(0, m.start()).split("\n", -1).length;
      out.add(new Example(file, line, m.group(1), expected));
    }
    return out;
  }

  static Stream<Path> documents() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
    try (Stream<Path> s = Files.list(Path.of("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs.stream();
  }

  @BeforeAll
  static void sandboxSetup() {
    Sandbox.loadSamples(TestInfra.client());
    Sandbox.scripted(TestInfra.simulator());
  }

  String localize(String script) {
    String api = TestInfra.api().url().replaceAll("/$", "");
    return script
        .replace("localhost:8080", "localhost:" + RestAssured.port)
        .replace("127.0.0.1:19092", TestInfra.kafka().bootstrapServers())
        .replace("http://127.0.0.1:18443", api);
  }

  @TestFactory
  Stream<DynamicTest> everyShellExampleRunsAsWritten() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path doc : documents().toList()) {
      Path dir = Files.createTempDirectory("docs-examples");
      for (Example ex : examples(doc)) {
        tests.add(
            DynamicTest.dynamicTest(
                ex.file() + ":" + ex.line(),
                () -> {
                  ProcessBuilder pb =
                      new ProcessBuilder("bash", "-eo", "pipefail", "-c", localize(ex.script()))
                          .directory(dir.toFile())
                          .redirectErrorStream(true);
                  pb.environment().put("TOKEN", "");
                  Process p = pb.start();
                  String out =
                      new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                  assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
                  assertThat(p.exitValue()).as("%s:%d\n%s", ex.file(), ex.line(), out).isZero();
                  for (String expected : ex.expected()) {
                    assertThat(out).as("%s:%d", ex.file(), ex.line()).contains(expected);
                  }
                }));
      }
    }
    assertThat(tests).as("README.md and docs/ have shell examples").hasSizeGreaterThan(6);
    return tests.stream();
  }
}
