package dev.taskbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Ce;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.PackagedApp;
import dev.taskbridge.testing.TestInfra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packaged jar, from outside: external broker and API server, no sandbox, fails fast on bad
 * config.
 */
class PackagedAppIT {

  static Map<String, String> external() {
    return PackagedApp.against(TestInfra.kafka().bootstrapServers(), TestInfra.api().url());
  }

  @Test
  void theMainManifestNeedsNoPrometheusOperator() throws Exception {
    String manifest = Files.readString(Path.of("target/kubernetes/kubernetes.yml"));
    assertThat(manifest)
        .contains("kind: Deployment")
        .doesNotContain("kind: ServiceMonitor")
        .doesNotContain("kind: PrometheusRule")
        .doesNotContain("monitoring.coreos.com");
    assertThat(Path.of("src/main/kubernetes/optional/servicemonitor.yml")).exists();
  }

  @Test
  void runsAgainstAnExternalBrokerAndApiServerWithNoSandbox() throws Exception {
    Defs.apply(Defs.container("team-a", "packaged-check"));
    try (PackagedApp app = PackagedApp.start(external())) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      Events e = Events.pre("team-a", "shop", "1").tasks("packaged-check");
      Bus.send(e.binary(Bus.EVENTS));
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(Bus.results().forTrigger(e.trigger()))
                      .extracting(Ce::kind)
                      .containsExactly("task.started", "task.succeeded", "phase.finished"));
      // a CDEvents service.deployed runs the app's post-deployment tasks
      Defs.appContext("team-a", "packaged-shop", "packaged-check");
      Events cd =
          Events.cdEvent(
              "dev.cdevents.service.deployed.0.3.0",
              "team-a",
              "packaged-shop",
              "pkg:oci/packaged-shop@sha256%3Aabc");
      Bus.send(cd.binary(Bus.EVENTS));
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(Bus.results().forTrigger(cd.trigger()))
                      .extracting(Ce::kind)
                      .containsExactly("task.started", "task.succeeded", "phase.finished"));
      assertThat(app.output()).doesNotContain("SANDBOX").doesNotContain("sandbox ready");
      assertThat(app.body("/q/metrics")).contains("taskbridge_tasks_started_total");
    }
    try (Stream<Path> libs = Files.list(Path.of("target", "quarkus-app", "lib", "main"))) {
      assertThat(libs.map(p -> p.getFileName().toString()))
          .noneMatch(
              n ->
                  n.contains("kafka_2.13")
                      || n.contains("kubernetes-server-mock")
                      || n.contains("mockwebserver")
                      || n.contains("scala-library"));
    }
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "bridge.runner.mode, bogus",
    "bridge.runner.restart-policy, Always",
    "bridge.tasks.max-retries, -1",
    "bridge.limits.max-tasks, 0",
    "bridge.results.on-task-failure, ignore",
    "bridge.keptn-namespace, Not_A_Namespace",
    "bridge.sweep.every, often",
    "bridge.results.format, xml",
    "bridge.cdevents.environments.\"prod/eu-1\", elsewhere"
  })
  void badConfigurationStopsStartUpNamingTheKey(String key, String value) {
    Map<String, String> props = external();
    props.put(key, value);
    try (PackagedApp app = PackagedApp.start(props)) {
      assertThat(app.awaitExit(Duration.ofSeconds(60))).isNotZero();
      assertThat(app.output()).contains(key);
    }
  }

  @Test
  void emptyNamespaceListStopsStartUpNamingTheKey() {
    Map<String, String> props = external();
    props.put("bridge.namespaces", "");
    try (PackagedApp app = PackagedApp.start(props)) {
      assertThat(app.awaitExit(Duration.ofSeconds(60))).isNotZero();
      assertThat(app.output()).contains("bridge.namespaces");
    }
  }
}
