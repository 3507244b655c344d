package dev.taskbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskbridge.contract.CheckType;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.plan.Names;
import dev.taskbridge.run.Watchers;
import dev.taskbridge.sandbox.Script;
import dev.taskbridge.testing.ApiServerResource;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Ce;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.InCluster;
import dev.taskbridge.testing.KafkaResource;
import dev.taskbridge.testing.TestInfra;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every lifecycle of a task, standalone mode, against the API server and the Job simulator. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(ApiServerResource.class)
class LifecycleTest {
  @Inject Watchers watchers;

  static final String NS = "team-a";

  static String definition(Script script) {
    String name = "def-" + UUID.randomUUID().toString().substring(0, 8);
    Defs.apply(Defs.container(NS, name));
    TestInfra.simulator().script(name, script);
    return name;
  }

  static List<Ce> awaitResults(Events e, int count) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Bus.results().forTrigger(e.trigger()).size() >= count);
    return Bus.results().forTrigger(e.trigger());
  }

  static List<String> kinds(List<Ce> results) {
    return results.stream()
        .map(r -> r.kind() + (r.data().has("attempt") ? "." + r.data().get("attempt") : ""))
        .toList();
  }

  @Test
  void failsTwiceThenSucceedsReportingEachRetryWithItsLog() {
    String def = definition(Script.failTimesThenSucceed(2));
    Events e = Events.pre(NS, "shop", "1").tasks(def).retries(3);
    Bus.send(e.binary(Bus.EVENTS));
    List<Ce> r = awaitResults(e, 5);
    assertThat(kinds(r))
        .containsExactly(
            "task.started",
            "task.retrying.1",
            "task.retrying.2",
            "task.succeeded",
            "phase.finished");
    assertThat(r.get(1).data().get("maxAttempts").asInt()).isEqualTo(4);
    assertThat(r.get(1).data().get("logTail").asText()).contains("attempt 1");
    assertThat(r.get(2).data().get("logTail").asText()).contains("attempt 2");
    assertThat(r.get(3).data().get("attempts").asInt()).isEqualTo(3);
    assertThat(r.get(4).data().get("result").asText()).isEqualTo("pass");
    KeptnTask task = InCluster.task(NS, r.get(0).subject());
    assertThat(task.getStatus().status).isEqualTo("Succeeded");
    assertThat(task.getStatus().endTime).isNotNull();
    assertThat(task.getStatus().jobName).isEqualTo(task.getMetadata().getName());
  }

  /**
   * The API server could not serve the failed attempt's log at first (a 500 on the log read): the
   * log is read again, and the retrying result still carries it. Two replicas that overlap read the
   * same log, so one result id keeps one content.
   */
  @Test
  void aLogTheApiServerCouldNotServeAtFirstIsReadAgain() {
    String def = definition(Script.failTimesThenSucceed(1));
    Events e = Events.pre(NS, "shop", "1").tasks(def).retries(2);
    TestInfra.api().failNext("GET", "/log", 500, 2);
    try {
      Bus.send(e.binary(Bus.EVENTS));
      List<Ce> r = awaitResults(e, 4);
      assertThat(kinds(r))
          .containsExactly("task.started", "task.retrying.1", "task.succeeded", "phase.finished");
      assertThat(r.get(1).data().get("logTail").asText()).contains("attempt 1");
    } finally {
      TestInfra.api().clearFaults();
    }
  }

  @Test
  void failsUntilTheBackoffLimit() {
    String def = definition(Script.failAlways());
    Events e = Events.pre(NS, "shop", "1").tasks(def).retries(1);
    Bus.send(e.binary(Bus.EVENTS));
    List<Ce> r = awaitResults(e, 4);
    assertThat(kinds(r))
        .containsExactly("task.started", "task.retrying.1", "task.failed", "phase.finished");
    Ce failed = r.get(2);
    assertThat(failed.data().get("reason").asText()).isEqualTo("BackoffLimitExceeded");
    assertThat(failed.data().get("attempts").asInt()).isEqualTo(2);
    assertThat(failed.data().get("logTail").asText()).contains("attempt 2");
    assertThat(r.get(3).data().get("result").asText()).isEqualTo("fail");
    KeptnTask task = InCluster.task(NS, failed.subject());
    assertThat(task.getStatus().status).isEqualTo("Failed");
    assertThat(task.getStatus().reason).isEqualTo("BackoffLimitExceeded");
    assertThat(task.getStatus().message).isEqualTo("Job has reached the specified backoff limit");
  }

  @Test
  void exceedsTheDeadline() {
    String def = definition(Script.hang());
    Events e = Events.post(NS, "shop", "1").tasks(def).timeout("2s");
    Bus.send(e.binary(Bus.EVENTS));
    List<Ce> r = awaitResults(e, 3);
    assertThat(kinds(r)).containsExactly("task.started", "task.failed", "phase.finished");
    assertThat(r.get(1).data().get("reason").asText()).isEqualTo("DeadlineExceeded");
    assertThat(InCluster.task(NS, r.get(1).subject()).getStatus().reason)
        .isEqualTo("DeadlineExceeded");
  }

  @Test
  void jobThatNeverStartsEndsAtItsTimeout() {
    String def = definition(Script.neverStarts());
    Events e = Events.pre(NS, "shop", "1").tasks(def).timeout("2s");
    Bus.send(e.binary(Bus.EVENTS));
    List<Ce> r = awaitResults(e, 3);
    assertThat(kinds(r)).containsExactly("task.started", "task.failed", "phase.finished");
    assertThat(r.get(1).data().get("reason").asText()).isEqualTo("DeadlineExceeded");
  }

  @Test
  void missingDefinitionFailsItsTaskAtOnceWithoutAJob() {
    Events e = Events.pre(NS, "shop", "1").tasks("no-such-definition");
    Bus.send(e.binary(Bus.EVENTS));
    List<Ce> r = awaitResults(e, 2);
    assertThat(kinds(r)).containsExactly("task.failed", "phase.finished");
    assertThat(r.get(0).data().get("reason").asText()).isEqualTo("DefinitionNotFound");
    KeptnTask task = InCluster.task(NS, r.get(0).subject());
    assertThat(task.getStatus().status).isEqualTo("Failed");
    assertThat(task.getStatus().reason).isEqualTo("DefinitionNotFound");
    assertThat(InCluster.job(NS, task.getMetadata().getName())).isNull();
  }

  @Test
  void eventWithoutTasksIsAnsweredAtOnceWithAPassingPhase() {
    Events e = Events.pre(NS, "app-without-context", "1");
    Bus.send(e.binary(Bus.EVENTS));
    List<Ce> r = awaitResults(e, 1);
    assertThat(kinds(r)).containsExactly("phase.finished");
    assertThat(r.get(0).data().get("result").asText()).isEqualTo("pass");
    assertThat(r.get(0).data().get("tasks")).isEmpty();
    assertThat(r.get(0).subject()).isEqualTo(e.trigger());
    assertThat(r.get(0).triggerId()).isEqualTo(e.id());
  }

  @Test
  void threeTasksOfMixedOutcomeGiveThreeStreamsAndOneFailingPhase() {
    String ok = definition(Script.succeed());
    String bad = definition(Script.failAlways());
    Events e = Events.post(NS, "shop", "2").tasks(ok, bad, "missing-one").retries(0);
    Bus.send(e.binary(Bus.EVENTS));
    Bus.awaitPhase(e.trigger(), Duration.ofSeconds(60));
    List<Ce> r = Bus.results().forTrigger(e.trigger());
    assertThat(r.get(r.size() - 1).kind()).isEqualTo("phase.finished");
    assertThat(r.get(r.size() - 1).data().get("result").asText()).isEqualTo("fail");
    assertThat(r.get(r.size() - 1).data().get("tasks")).hasSize(3);
    assertThat(r.stream().filter(c -> c.kind().equals("task.succeeded"))).hasSize(1);
    assertThat(r.stream().filter(c -> c.kind().equals("task.failed"))).hasSize(2);
    assertThat(r.stream().filter(c -> c.kind().equals("task.started"))).hasSize(2);
    assertThat(r).extracting(Ce::id).doesNotHaveDuplicates();
  }

  @Test
  void deletingARunningTaskCancelsItAndStopsItsJob() {
    String def = definition(Script.hang());
    Events e = Events.pre(NS, "shop", "1").tasks(def).timeout("5m");
    Bus.send(e.binary(Bus.EVENTS));
    awaitResults(e, 1);
    String name = Bus.results().forTrigger(e.trigger()).get(0).subject();
    await().atMost(Duration.ofSeconds(30)).until(() -> InCluster.job(NS, name) != null);
    TestInfra.client().resources(KeptnTask.class).inNamespace(NS).withName(name).delete();
    List<Ce> r = awaitResults(e, 3);
    assertThat(kinds(r)).containsExactly("task.started", "task.failed", "phase.finished");
    assertThat(r.get(1).data().get("reason").asText()).isEqualTo("Cancelled");
    await().atMost(Duration.ofSeconds(30)).until(() -> InCluster.job(NS, name) == null);
  }

  @Test
  void taskThatCannotGetAJobFailsWithJobCreateFailedAfterItsTimeout() {
    String def = definition(Script.succeed());
    Events e = Events.pre(NS, "shop", "1").tasks(def).timeout("2s");
    String task = Names.taskName(CheckType.pre, def, e.source(), e.id());
    TestInfra.api()
        .failWhere(
            (m, p) -> m.equals("POST") && p.endsWith("/jobs") && p.contains(NS),
            503,
            1.0,
            Integer.MAX_VALUE);
    try {
      Bus.send(e.binary(Bus.EVENTS));
      List<Ce> r = awaitResults(e, 2);
      assertThat(kinds(r)).containsExactly("task.failed", "phase.finished");
      assertThat(r.get(0).data().get("reason").asText()).isEqualTo("JobCreateFailed");
      assertThat(r.get(0).data().get("message").asText())
          .contains("no Job could be created within the timeout");
      assertThat(InCluster.task(NS, task).getStatus().reason).isEqualTo("JobCreateFailed");
      assertThat(InCluster.job(NS, task)).isNull();
    } finally {
      TestInfra.api().clearFaults();
    }
  }

  @Test
  void jobDeletedWhileRunningFailsTheTaskAndIsNotRecreated() {
    String def = definition(Script.hang());
    Events e = Events.pre(NS, "shop", "1").tasks(def).timeout("5m");
    Bus.send(e.binary(Bus.EVENTS));
    awaitResults(e, 1);
    String name = Bus.results().forTrigger(e.trigger()).get(0).subject();
    await().atMost(Duration.ofSeconds(30)).until(() -> InCluster.job(NS, name) != null);
    TestInfra.client().batch().v1().jobs().inNamespace(NS).withName(name).delete();
    List<Ce> r = awaitResults(e, 3);
    assertThat(kinds(r)).containsExactly("task.started", "task.failed", "phase.finished");
    assertThat(r.get(1).data().get("reason").asText()).isEqualTo("JobDeleted");
    assertThat(InCluster.job(NS, name)).isNull();
  }

  @Test
  void aJobWithTtlZeroIsReportedByItsOutcomeAndThenLeftToTheTtlController() {
    String name = "def-" + UUID.randomUUID().toString().substring(0, 8);
    var d = Defs.container(NS, name);
    d.getSpec().ttlSecondsAfterFinished = 0;
    Defs.apply(d);
    TestInfra.simulator().script(name, Script.failTimesThenSucceed(1));
    Events e = Events.pre(NS, "shop", "1").tasks(name).retries(2);
    Bus.send(e.binary(Bus.EVENTS));
    List<Ce> r = awaitResults(e, 4);
    assertThat(kinds(r))
        .containsExactly("task.started", "task.retrying.1", "task.succeeded", "phase.finished");
    assertThat(r.get(3).data().get("result").asText()).isEqualTo("pass");
    String task = r.get(0).subject();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(InCluster.job(NS, task)).as("deleted by its TTL").isNull());
    assertThat(InCluster.task(NS, task).getStatus().status).isEqualTo("Succeeded");
  }

  @Test
  void theSweepRunsATaskWhoseEventsTheWatchNeverDelivered() {
    String def = definition(Script.succeed());
    // the API server stores the KeptnTask and its status writes, but the bridge's KeptnTask watch
    // never hears of them (a watch that dropped events without expiring): only the sweep, which
    // lists from the server (every 2 s here), can find the task
    TestInfra.api()
        .loseWatchEvents((path, name) -> path.contains("/keptntasks") && name.contains(def));
    Events e = Events.pre(NS, "shop", "1").tasks(def);
    String task;
    try {
      Bus.send(e.binary(Bus.EVENTS));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !InCluster.tasksOf(NS, e.trigger()).isEmpty());
      task = InCluster.tasksOf(NS, e.trigger()).get(0).getMetadata().getName();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(InCluster.job(NS, task)).as("the Job the sweep started").isNotNull());
    } finally {
      TestInfra.api().loseWatchEvents((path, name) -> false);
    }
    List<Ce> r = awaitResults(e, 3);
    assertThat(kinds(r)).containsExactly("task.started", "task.succeeded", "phase.finished");
    assertThat(TestInfra.simulator().jobsCreatedTwice()).doesNotContain(NS + "/" + task);
  }

  /**
   * The sweep lists the unfinished tasks; a task labelled done just after it was listed has left
   * the informer's cache, and what memory held about its results is released, by the time its
   * listed copy (Succeeded, results not yet recorded on it) is looked at. That copy must not stand
   * in for the cache's: the server says the task is done, so nothing is published again.
   */
  @Test
  void aCopyListedJustBeforeTheTaskWasDoneDoesNotPublishItsResultsAgain() {
    String def = definition(Script.succeed());
    Events e = Events.pre(NS, "shop", "1").tasks(def);
    TestInfra.api().record(true);
    KeptnTask listed;
    try {
      Bus.send(e.binary(Bus.EVENTS));
      String name = awaitResults(e, 3).get(0).subject();
      String path = "/apis/lifecycle.keptn.sh/v1/namespaces/" + NS + "/keptntasks/" + name;
      // done on the server, and its departure from the cache handled: the bridge asked the server
      // about the task (it was labelled done: memory released) and has nothing left to do
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  TestInfra.api().recorded().stream()
                          .anyMatch(q -> q.method().equals("GET") && q.path().equals(path))
                      && watchers.pending() == 0);
      listed = InCluster.tasksOf(NS, e.trigger()).get(0);
    } finally {
      TestInfra.api().record(false);
    }
    assertThat(listed.getMetadata().getLabels()).containsEntry(Keys.DONE, "true");
    // the copy as the sweep listed it a moment before the done write
    listed.getMetadata().getLabels().remove(Keys.DONE);
    listed.getMetadata().getAnnotations().remove(Keys.PUBLISHED);
    listed.getMetadata().getAnnotations().remove(Keys.PHASE_PUBLISHED);
    watchers.repair(listed);
    await().atMost(Duration.ofSeconds(30)).until(() -> watchers.pending() == 0);
    Bus.results().awaitCaughtUp(Duration.ofSeconds(30));
    assertThat(kinds(Bus.results().forTrigger(e.trigger())))
        .containsExactly("task.started", "task.succeeded", "phase.finished");
  }

  /** Lists of the namespace's unfinished KeptnTasks (the sweep's) the API server answered since. */
  static long unfinishedListsSince(Instant since) {
    String list = "/apis/lifecycle.keptn.sh/v1/namespaces/" + NS + "/keptntasks?";
    return TestInfra.api().recorded().stream()
        .filter(q -> q.at().isAfter(since) && q.method().equals("GET"))
        .filter(q -> q.path().startsWith(list) && q.path().contains("limit="))
        .filter(q -> !q.path().contains("watch=true"))
        .count();
  }

  @Test
  void terminalTaskWhoseJobWasDeletedByTtlIsNeverRunAgain() {
    String def = definition(Script.succeed());
    Events e = Events.pre(NS, "shop", "1").tasks(def);
    Bus.send(e.binary(Bus.EVENTS));
    List<Ce> r = awaitResults(e, 3);
    String name = r.get(0).subject();
    TestInfra.client().batch().v1().jobs().inNamespace(NS).withName(name).delete();
    Instant touched = Instant.now();
    TestInfra.api().record(true);
    try {
      // touch the task, as a restart's initial list or a spec edit would
      TestInfra.client()
          .resources(KeptnTask.class)
          .inNamespace(NS)
          .withName(name)
          .edit(
              t -> {
                t.getMetadata().getAnnotations().put("touched", "yes");
                return t;
              });
      // two sweeps (bridge.sweep.every=2s in tests) list the namespace's unfinished tasks after
      // the touch, and the bridge has nothing left to do
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> unfinishedListsSince(touched) >= 2 && watchers.pending() == 0);
    } finally {
      TestInfra.api().record(false);
    }
    assertThat(InCluster.job(NS, name)).isNull();
    assertThat(TestInfra.simulator().jobsCreatedTwice()).doesNotContain(NS + "/" + name);
    assertThat(InCluster.task(NS, name).getStatus().status).isEqualTo("Succeeded");
    Bus.results().awaitCaughtUp(Duration.ofSeconds(30));
    assertThat(Bus.results().forTrigger(e.trigger())).hasSize(3);
  }
}
