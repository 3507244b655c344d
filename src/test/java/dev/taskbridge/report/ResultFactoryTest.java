package dev.taskbridge.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskbridge.config.OnTaskFailure;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskStatus;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.testing.ATask;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResultFactoryTest {
  static final Instant NOW = Instant.parse("2026-11-24T10:05:00Z");
  final ResultFactory factory = new ResultFactory("keptn-task-bridge", OnTaskFailure.fail);
  final ResultFactory.LogTails logs = (t, attempt) -> "log of attempt " + attempt;

  static TaskFacts facts(
      String name,
      String state,
      String jobName,
      int failedAttempts,
      int retries,
      Set<String> published,
      String reason) {
    return ATask.named(name)
        .state(state)
        .job(jobName)
        .failedAttempts(failedAttempts)
        .retries(retries)
        .published(published)
        .reason(reason)
        .build();
  }

  static List<String> ids(List<Result> results) {
    return results.stream().map(Result::id).toList();
  }

  @Test
  void successAfterTwoFailuresOwesStartedTwoRetriesAndSucceeded() {
    var owed = factory.owed(facts("t", "Succeeded", "t", 2, 3, Set.of(), null), false, logs, NOW);
    assertThat(ids(owed))
        .containsExactly("t.started", "t.retrying.1", "t.retrying.2", "t.succeeded");
    Result retry = owed.get(2);
    assertThat(retry.type().text()).isEqualTo("dev.taskbridge.task.retrying");
    assertThat(retry.data())
        .containsEntry("attempt", 2)
        .containsEntry("maxAttempts", 4)
        .containsEntry("logTail", "log of attempt 2");
    Result done = owed.get(3);
    assertThat(done.data())
        .containsEntry("attempts", 3)
        .containsEntry("durationSeconds", 90.5)
        .containsEntry("appName", "shop")
        .containsEntry("checkType", "pre")
        .containsEntry("namespace", "team-a");
    assertThat(done.key()).isEqualTo("trig");
    assertThat(done.triggerId()).isEqualTo("build-1");
    assertThat(done.subject()).isEqualTo("t");
  }

  @Test
  void backoffLimitFailureRetriedAllButTheLastAttempt() {
    var owed =
        factory.owed(
            facts("t", "Failed", "t", 3, 2, Set.of("started"), "BackoffLimitExceeded"),
            false,
            logs,
            NOW);
    assertThat(ids(owed)).containsExactly("t.retrying.1", "t.retrying.2", "t.failed");
    assertThat(owed.get(2).data())
        .containsEntry("attempts", 3)
        .containsEntry("reason", "BackoffLimitExceeded")
        .containsEntry("logTail", "log of attempt 3");
  }

  @Test
  void runningTaskOwesRetriesOnlyWithinTheBackoffLimit() {
    assertThat(
            ids(
                factory.owed(
                    facts("t", "Progressing", "t", 5, 2, Set.of("started"), null),
                    false,
                    logs,
                    NOW)))
        .containsExactly("t.retrying.1", "t.retrying.2");
  }

  @Test
  void jobsThatRestartTheContainerInItsPodAllowOneAttemptLess() {
    // OnFailure (and Keptn's Jobs): the Job fails once the pod's restarts reach backoffLimit
    ResultFactory onFailure =
        new ResultFactory("keptn-task-bridge", OnTaskFailure.fail, Optional.empty(), true);
    TaskFacts running = facts("t", "Progressing", "t", 5, 3, Set.of("started"), null);
    assertThat(ids(onFailure.owed(running, false, logs, NOW)))
        .containsExactly("t.retrying.1", "t.retrying.2");
    assertThat(onFailure.owed(running, false, logs, NOW).get(0).data().get("maxAttempts"))
        .isEqualTo(3);
    assertThat(ids(factory.owed(running, false, logs, NOW)))
        .containsExactly("t.retrying.1", "t.retrying.2", "t.retrying.3");
    assertThat(factory.owed(running, false, logs, NOW).get(0).data().get("maxAttempts"))
        .isEqualTo(4);
    // retries 0 still runs once
    assertThat(facts("t", "Pending", null, 0, 0, Set.of(), null).maxAttempts(true)).isEqualTo(1);
    assertThat(facts("t", "Pending", null, 0, 0, Set.of(), null).maxAttempts(false)).isEqualTo(1);
  }

  @Test
  void aLogNotReadableYetHoldsBackItsResultAndEverythingAfterIt() {
    ResultFactory.LogTails secondNotYet = (t, attempt) -> attempt == 2 ? null : "log " + attempt;
    var facts = facts("t", "Failed", "t", 3, 2, Set.of(), "BackoffLimitExceeded");
    var waiting = factory.owed(facts, false, secondNotYet, NOW, true);
    assertThat(waiting.logsPending()).isTrue();
    assertThat(ids(waiting.results())).containsExactly("t.started", "t.retrying.1");
    // once the wait is over, the same result goes out, without that log
    var given = factory.owed(facts, false, secondNotYet, NOW, false);
    assertThat(given.logsPending()).isFalse();
    assertThat(ids(given.results()))
        .containsExactly("t.started", "t.retrying.1", "t.retrying.2", "t.failed");
    assertThat(given.results().get(2).data()).containsEntry("logTail", "");
    assertThat(given.results().get(3).data()).containsEntry("logTail", "log 3");
  }

  @Test
  void aFailedResultWaitsForItsLastAttemptsLog() {
    var facts = facts("t", "Failed", "t", 1, 0, Set.of("started"), "BackoffLimitExceeded");
    var waiting = factory.owed(facts, false, (t, a) -> null, NOW, true);
    assertThat(waiting.logsPending()).isTrue();
    assertThat(waiting.results()).isEmpty();
    assertThat(factory.owed(facts, false, (t, a) -> "the log", NOW, true).results())
        .singleElement()
        .satisfies(r -> assertThat(r.data()).containsEntry("logTail", "the log"));
  }

  @Test
  void taskThatNeverGotAJobOwesOnlyItsFailure() {
    var owed =
        factory.owed(
            facts("t", "Failed", null, 0, 10, Set.of(), "DefinitionNotFound"), false, logs, NOW);
    assertThat(ids(owed)).containsExactly("t.failed");
    assertThat(owed.get(0).data()).containsEntry("attempts", 0).containsEntry("logTail", "");
  }

  @Test
  void publishedResultsAreNotOwedAgain() {
    assertThat(
            factory.owed(
                facts("t", "Succeeded", "t", 0, 1, Set.of("started", "succeeded"), null),
                false,
                logs,
                NOW))
        .isEmpty();
    assertThat(
            ResultFactory.settled(
                facts("t", "Succeeded", "t", 0, 1, Set.of("started", "succeeded"), null)))
        .isTrue();
    assertThat(ResultFactory.settled(facts("t", "Succeeded", "t", 0, 1, Set.of("started"), null)))
        .isFalse();
  }

  @Test
  void keptnModeReportsStartedAsSoonAsTheTaskExists() {
    assertThat(
            ids(factory.owed(facts("t", "Pending", null, 0, 1, Set.of(), null), true, logs, NOW)))
        .containsExactly("t.started");
  }

  @Test
  void phaseWaitsForEveryPlannedTaskAndEveryTerminalResult() {
    var a = facts("a", "Succeeded", "a", 0, 1, Set.of("started", "succeeded"), null);
    var b = facts("b", "Failed", "b", 1, 0, Set.of("started"), "BackoffLimitExceeded");
    assertThat(PhaseFacts.finished(List.of(a))).isEmpty();
    assertThat(PhaseFacts.finished(List.of(a, b))).isEmpty();
    var bDone = b.withPublished(Set.of("failed"));
    Optional<PhaseFacts> phase = PhaseFacts.finished(List.of(bDone, a));
    assertThat(phase).isPresent();
    Result r = factory.phase(phase.get(), NOW);
    assertThat(r.id()).isEqualTo("trig.finished");
    assertThat(r.subject()).isEqualTo("trig");
    assertThat(r.data())
        .containsEntry("result", "fail")
        .containsEntry("startTime", "2026-11-24T10:00:00Z")
        .containsEntry("endTime", "2026-11-24T10:01:30.500Z");
    assertThat(r.data().get("tasks")).asList().hasSize(2);
    assertThat(new ResultFactory("s", OnTaskFailure.warning).phase(phase.get(), NOW).data())
        .containsEntry("result", "warning");
  }

  @Test
  void aPlannedTaskTheClusterRefusedCountsAsFailedInThePhase() {
    // expectedTasks is 2: "a" exists and succeeded, "b" was refused at creation
    var a = facts("a", "Succeeded", "a", 0, 1, Set.of("started", "succeeded"), null);
    assertThat(PhaseFacts.finished(List.of(a))).isEmpty();
    Optional<PhaseFacts> phase = PhaseFacts.finished(List.of(a), Map.of("b", "def-b"));
    assertThat(phase).isPresent();
    assertThat(phase.get().tasks())
        .extracting(PhaseFacts.TaskOutcome::taskName, PhaseFacts.TaskOutcome::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", ""),
            org.assertj.core.groups.Tuple.tuple("b", "CreateRefused"));
    assertThat(factory.phase(phase.get(), NOW).data()).containsEntry("result", "fail");
    // a refused task that a later delivery created after all is the task itself, not a refusal
    assertThat(PhaseFacts.missing(List.of("a", "b"), Map.of("b", "def-b"))).isEmpty();
  }

  @Test
  void phaseOfSucceededTasksPasses() {
    var a = facts("a", "Succeeded", "a", 0, 1, Set.of("started", "succeeded"), null);
    var b = facts("b", "Succeeded", "b", 0, 1, Set.of("started", "succeeded"), null);
    assertThat(factory.phase(PhaseFacts.finished(List.of(a, b)).orElseThrow(), NOW).data())
        .containsEntry("result", "pass");
  }

  @Test
  void aTaskThatNeverStartedDatesFromTheEventsReceiptToTheMillisecond() {
    var task = new KeptnTask();
    task.setMetadata(
        new ObjectMetaBuilder()
            .withName("pre-missing-0123456789")
            .withNamespace("team-a")
            .withCreationTimestamp("2026-11-24T10:00:01Z")
            .withAnnotations(Map.of(Keys.RECEIVED_AT, "2026-11-24T10:00:00.750Z"))
            .build());
    KeptnTaskStatus s = new KeptnTaskStatus();
    s.status = "Failed";
    s.reason = "DefinitionNotFound";
    s.endTime = "2026-11-24T10:00:01.125Z";
    task.setStatus(s);
    // no startTime: the phase's startTime is when the event arrived, with its fraction
    assertThat(TaskFacts.of(task).createdAt()).isEqualTo("2026-11-24T10:00:00.750Z");

    task.getMetadata().setAnnotations(Map.of());
    assertThat(TaskFacts.of(task).createdAt()).isEqualTo("2026-11-24T10:00:01Z");
  }
}
