package dev.taskbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskbridge.sandbox.Script;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Ce;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.InCluster;
import dev.taskbridge.testing.PackagedApp;
import dev.taskbridge.testing.TestInfra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service is killed (SIGKILL) at the worst moments and started again: every result id arrives
 * at least once, no Job is created twice, and the phase result arrives.
 */
class RestartIT {
  static final String NS = "team-a";

  @AfterEach
  void clearFaults() {
    TestInfra.api().clearFaults();
  }

  static Map<String, String> props() {
    return PackagedApp.against(TestInfra.kafka().bootstrapServers(), TestInfra.api().url());
  }

  static String definition(Script script) {
    String name = "restart-" + UUID.randomUUID().toString().substring(0, 8);
    Defs.apply(Defs.container(NS, name));
    TestInfra.simulator().script(name, script);
    return name;
  }

  static Set<String> ids(Events e) {
    return Bus.results().forTrigger(e.trigger()).stream().map(Ce::id).collect(Collectors.toSet());
  }

  static void assertComplete(Events e, List<String> kinds) {
    String task = InCluster.tasksOf(NS, e.trigger()).get(0).getMetadata().getName();
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              Set<String> ids = ids(e);
              for (String kind : kinds) {
                assertThat(ids).contains(task + "." + kind);
              }
              assertThat(ids).contains(e.trigger() + ".finished");
            });
    assertThat(InCluster.jobsOf(NS, e.trigger())).hasSize(1);
  }

  @Test
  void killedAfterTheKeptnTaskWasCreatedButBeforeItsJob() {
    String def = definition(Script.succeed());
    Events e = Events.pre(NS, "shop", "1").tasks(def);
    TestInfra.api()
        .failWhere(
            (m, p) -> m.equals("POST") && p.contains("/namespaces/" + NS + "/jobs"),
            500,
            1.0,
            Integer.MAX_VALUE);
    try (PackagedApp app = PackagedApp.start(props())) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      Bus.send(e.binary(Bus.EVENTS));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> InCluster.tasksOf(NS, e.trigger()).size() == 1);
      assertThat(InCluster.jobsOf(NS, e.trigger())).isEmpty();
      app.kill();
    }
    TestInfra.api().clearFaults();
    try (PackagedApp app = PackagedApp.start(props())) {
      assertComplete(e, List.of("started", "succeeded"));
    }
  }

  /**
   * A task's output (its termination message) is recorded on the KeptnTask: after the bridge was
   * killed and the Job and its pods were deleted (their TTL), a new process still answers the
   * verdict with it.
   */
  @Test
  void theOutputIsStillInTheVerdictAfterARestartAndTheJobsTtl() throws Exception {
    String def =
        definition(Script.succeed().terminationMessage("{\"coverage\":91,\"report\":\"ok\"}"));
    Events e = Events.post(NS, "shop", "1").tasks(def);
    try (PackagedApp app = PackagedApp.start(props())) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      Bus.send(e.binary(Bus.EVENTS));
      Bus.awaitPhase(e.trigger(), Duration.ofSeconds(90));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  InCluster.tasksOf(NS, e.trigger())
                      .get(0)
                      .getMetadata()
                      .getAnnotations()
                      .containsKey("taskbridge.dev/output"));
      app.kill();
    }
    String task = InCluster.tasksOf(NS, e.trigger()).get(0).getMetadata().getName();
    TestInfra.client().batch().v1().jobs().inNamespace(NS).withName(task).delete();
    TestInfra.client().pods().inNamespace(NS).list().getItems().stream()
        .filter(p -> p.getMetadata().getName().startsWith(task))
        .forEach(p -> TestInfra.client().resource(p).delete());
    await().atMost(Duration.ofSeconds(30)).until(() -> InCluster.job(NS, task) == null);

    try (PackagedApp app = PackagedApp.start(props())) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      JsonNode verdict = new ObjectMapper().readTree(app.body("/triggers/" + e.trigger()));
      assertThat(verdict.path("result").asText()).as(verdict.toString()).isEqualTo("pass");
      assertThat(verdict.path("tasks").path(0).path("output").path("coverage").asInt())
          .as(verdict.toString())
          .isEqualTo(91);
      assertThat(verdict.path("tasks").path(0).path("output").path("report").asText())
          .isEqualTo("ok");
    }
  }

  @Test
  void killedWhileTheJobRunsSoItSucceedsBeforeItsResultIsPublished() {
    String def = definition(Script.succeed().taking(Duration.ofSeconds(4)));
    Events e = Events.post(NS, "shop", "1").tasks(def);
    try (PackagedApp app = PackagedApp.start(props())) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      Bus.send(e.binary(Bus.EVENTS));
      await().atMost(Duration.ofSeconds(60)).until(() -> !ids(e).isEmpty());
      app.kill();
    }
    String task = InCluster.tasksOf(NS, e.trigger()).get(0).getMetadata().getName();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                InCluster.job(NS, task).getStatus() != null
                    && InCluster.job(NS, task).getStatus().getSucceeded() != null);
    assertThat(ids(e)).doesNotContain(task + ".succeeded");
    try (PackagedApp app = PackagedApp.start(props())) {
      assertComplete(e, List.of("started", "succeeded"));
    }
  }

  @Test
  void killedAfterPublishingButBeforeRecordingPublishesTheSameIdsAgain() {
    String def = definition(Script.failTimesThenSucceed(1));
    Events e = Events.pre(NS, "shop", "2").tasks(def).retries(2);
    // annotation writes (the record of what was published) fail; status writes go through
    TestInfra.api()
        .failWhere(
            (m, p) -> m.equals("PATCH") && p.contains("/keptntasks/") && !p.contains("/status"),
            500,
            1.0,
            Integer.MAX_VALUE);
    String task;
    try (PackagedApp app = PackagedApp.start(props())) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      Bus.send(e.binary(Bus.EVENTS));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> InCluster.tasksOf(NS, e.trigger()).size() == 1);
      task = InCluster.tasksOf(NS, e.trigger()).get(0).getMetadata().getName();
      await().atMost(Duration.ofSeconds(60)).until(() -> ids(e).contains(task + ".started"));
      app.kill();
    }
    TestInfra.api().clearFaults();
    try (PackagedApp app = PackagedApp.start(props())) {
      assertComplete(e, List.of("started", "retrying.1", "succeeded"));
    }
    long startedCopies =
        Bus.results().forTrigger(e.trigger()).stream()
            .filter(c -> c.id().equals(task + ".started"))
            .count();
    assertThat(startedCopies).isGreaterThanOrEqualTo(2);
  }
}
