package dev.taskbridge.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskbridge.config.RunnerMode;
import dev.taskbridge.keptn.KeptnState;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskSpec;
import dev.taskbridge.keptn.KeptnTaskStatus;
import dev.taskbridge.keptn.Keys;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The next step of a task, as a table over both runner modes. Every task has {@code retries: 2}: 3
 * attempts with {@code restartPolicy: Never}, 2 where the container restarts in its pod ({@code
 * OnFailure}, and Keptn's Jobs).
 *
 * <p>Columns: mode | task ({@code status/jobName@attempts}, {@code -} for none) | Job ({@code -}
 * none, {@code gone} from the API server too, else conditions with {@code f=} failed pods, {@code
 * a=} active, {@code deleting}, {@code fin} for the bridge's finalizer) | container restarts | what
 * else was read | the step | its detail (Finish: state/reason; CountAttempts: failed;
 * MarkProgressing: the Job).
 */
class NextStepTest {
  static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

  @ParameterizedTest(name = "{0} {1} job[{2}] restarts={3} {4} -> {5} {6}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        // standalone, restartPolicy Never: the bridge runs the Job
        "never  | -                | -                                     |0| -           | CreateJob       | -",
        "never  | Pending          | -                                     |0| failing     | CreateJob       | -",
        "never  | Pending          | -                                     |0| failing,late| Finish          | Failed/JobCreateFailed",
        "never  | Pending          | -                                     |0| late        | CreateJob       | -",
        "never  | Progressing/t    | gone                                  |0| -           | Finish          | Failed/JobDeleted",
        "never  | -                | a=1                                   |0| -           | MarkProgressing | t",
        "never  | Progressing/t    | a=1                                   |0| -           | Nothing         | -",
        // a Job that ended before its task's first pass after the Job was created: the end only,
        // unless attempts are to be counted (a bookkeeping write): the task is marked first
        "never  | -                | Complete:True                         |0| -           | Finish          | Succeeded/-",
        "never  | -                | Failed:True:BackoffLimitExceeded f=3  |0| -           | MarkProgressing | t",
        "never  | -                | f=1 a=1                               |0| -           | MarkProgressing | t",
        "never  | Progressing/t    | f=1 a=1                               |0| -           | CountAttempts   | 1",
        "never  | Progressing/t@1  | f=1 a=1                               |0| -           | Nothing         | -",
        "never  | Progressing/t    | Complete:True f=1                     |0| -           | CountAttempts   | 1",
        "never  | Progressing/t@1  | Complete:True f=1                     |0| -           | Finish          | Succeeded/-",
        "never  | Progressing/t@2  | Failed:True:BackoffLimitExceeded f=3  |0| -           | CountAttempts   | 3",
        "never  | Progressing/t@3  | Failed:True:BackoffLimitExceeded f=3  |0| -           | Finish          | Failed/BackoffLimitExceeded",
        "never  | Progressing/t@3  | FailureTarget:True:BackoffLimitExceeded f=3 a=1|0| -  | Nothing         | -",
        "never  | Progressing/t    | SuccessCriteriaMet:True a=1           |0| -           | Nothing         | -",
        "never  | Progressing/t    | Failed:True:DeadlineExceeded f=1      |0| -           | CountAttempts   | 1",
        "never  | Progressing/t@1  | Failed:True:DeadlineExceeded f=1      |0| -           | Finish          | Failed/DeadlineExceeded",
        "never  | Progressing/t    | a=1 deleting fin                      |0| -           | Finish          | Failed/JobDeleted",
        "never  | Progressing/t    | Complete:True deleting fin            |0| -           | Finish          | Succeeded/-",
        "never  | Succeeded/t      | Complete:True fin                     |0| -           | ReleaseJob      | -",
        "never  | Succeeded/t      | Complete:True deleting fin            |0| -           | ReleaseJob      | -",
        "never  | Succeeded/t      | Complete:True                         |0| -           | Nothing         | -",
        "never  | Failed/t         | -                                     |0| -           | Nothing         | -",
        "never  | Failed/t         | gone                                  |0| -           | Nothing         | -",
        // standalone, restartPolicy OnFailure: failed attempts are container restarts in one pod
        "onfail | Progressing/t    | a=1                                   |1| -           | CountAttempts   | 1",
        "onfail | Progressing/t@1  | a=1                                   |1| -           | Nothing         | -",
        "onfail | Progressing/t@1  | Failed:True:BackoffLimitExceeded f=1  |2| -           | CountAttempts   | 2",
        "onfail | Progressing/t@2  | Failed:True:BackoffLimitExceeded f=1  |2| -           | Finish          | Failed/BackoffLimitExceeded",
        "onfail | Progressing/t@2  | Failed:True:BackoffLimitExceeded f=1  |9| -           | Finish          | Failed/BackoffLimitExceeded",
        // keptn: Keptn's operator runs the Job and writes the status; the bridge counts attempts
        "keptn  | -                | -                                     |0| -           | Nothing         | -",
        "keptn  | -                | -                                     |0| noDefinition| Finish          | Failed/DefinitionNotFound",
        "keptn  | Progressing/t    | a=1                                   |0| -           | Nothing         | -",
        "keptn  | Progressing/t    | a=1                                   |1| -           | CountAttempts   | 1",
        "keptn  | Failed/t         | Failed:True:BackoffLimitExceeded f=1  |1| -           | CountAttempts   | 2",
        "keptn  | Failed/t@2       | Failed:True:BackoffLimitExceeded f=1  |1| -           | Nothing         | -",
        "keptn  | Succeeded/t      | Complete:True                         |0| -           | Nothing         | -",
      })
  void decidesTheNextStep(
      String mode,
      String task,
      String job,
      int restarts,
      String other,
      String step,
      String detail) {
    Seen seen = seen(task, job, restarts, other == null ? "" : other);
    Step next = next(mode).decide(seen, NOW);
    assertThat(next.getClass().getSimpleName()).isEqualTo(step);
    if (next instanceof Step.Finish f) {
      assertThat(f.state() + "/" + (f.reason() == null ? "-" : f.reason())).isEqualTo(detail);
      if (f.state() == KeptnState.Failed) {
        assertThat(f.message()).isNotBlank().doesNotContain("null");
      }
    } else if (next instanceof Step.CountAttempts c) {
      assertThat(c.failed()).isEqualTo(Integer.parseInt(detail));
      assertThat(c.max()).isEqualTo(mode.equals("never") ? 3 : 2);
    } else if (next instanceof Step.MarkProgressing p) {
      assertThat(p.jobName()).isEqualTo(detail);
    } else if (next instanceof Step.ReleaseJob r) {
      assertThat(r.job()).isSameAs(seen.job());
    }
  }

  @Test
  void aJobCreatedNowIsMarkedByItsOwnWatchEventOneFoundExistingAtOnce() {
    // created by this pass: its watch event's pass writes Progressing, or only the end
    assertThat(NextStep.afterJobCreated("t", true)).isEqualTo(Step.NOTHING);
    // 409: it existed (an answer lost, a restart), and may have been seen already
    assertThat(NextStep.afterJobCreated("t", false)).isEqualTo(new Step.MarkProgressing("t"));
  }

  @Test
  void aJobThatEndsCarriesTheLastAttemptsOutputOnceAndTheCountThenTheEndFollow() {
    Job done = job("Complete:True f=1");
    List<Pod> pods = List.of(pod(0, "{\"version\":\"4.1\"}"));
    NextStep standalone = next("never");
    Seen seen = new Seen(task("Progressing/t"), done, false, pods, null, false);

    // the attempt the Job counted comes first, then the end, with the output to record
    assertThat(standalone.decide(seen, NOW)).isEqualTo(new Step.CountAttempts(1, 3));
    Step end = standalone.decide(seen.withTask(task("Progressing/t@1")), NOW);
    assertThat(end).isInstanceOf(Step.Finish.class);
    assertThat(((Step.Finish) end).output()).isEqualTo("{\"version\":\"4.1\"}");
    assertThat(((Step.Finish) end).job()).isSameAs(done);

    // an output already on the task is not written again
    KeptnTask recorded = task("Progressing/t@1");
    recorded.getMetadata().getAnnotations().put(Keys.OUTPUT, "{\"version\":\"4.1\"}");
    assertThat(((Step.Finish) standalone.decide(seen.withTask(recorded), NOW)).output()).isNull();

    // a termination message that is not a JSON object is no output
    Seen plain = new Seen(task("Progressing/t@1"), done, false, List.of(pod(0, "ok")), null, false);
    assertThat(((Step.Finish) standalone.decide(plain, NOW)).output()).isNull();
  }

  @Test
  void aTaskThatCannotGetAJobFailsAtItsOwnTimeoutNotKeptnsDefault() {
    KeptnTask quick = task("Pending");
    quick.getSpec().timeout = "30s";
    quick.getMetadata().setCreationTimestamp(NOW.minusSeconds(31).toString());
    Seen seen = new Seen(quick, null, false, List.of(), "the API server did not answer", false);
    Step step = next("never").decide(seen, NOW);
    assertThat(step).isInstanceOf(Step.Finish.class);
    assertThat(((Step.Finish) step).message()).endsWith("the API server did not answer");
    assertThat(next("never").decide(seen, NOW.minusSeconds(2))).isEqualTo(Step.CREATE_JOB);
  }

  static NextStep next(String mode) {
    return switch (mode) {
      case "keptn" -> NextStep.of(RunnerMode.keptn, true);
      case "onfail" -> NextStep.of(RunnerMode.standalone, true);
      default -> NextStep.of(RunnerMode.standalone, false);
    };
  }

  static Seen seen(String task, String job, int restarts, String other) {
    KeptnTask t = task(task);
    if (other.contains("late")) {
      t.getMetadata().setCreationTimestamp(NOW.minus(Duration.ofMinutes(6)).toString());
    }
    boolean gone = "gone".equals(job);
    Job j = job == null || gone ? null : job(job);
    List<Pod> pods = j == null ? List.of() : List.of(pod(restarts, null));
    String failing = other.contains("failing") ? "the API server did not answer" : null;
    return new Seen(t, j, gone, pods, failing, other.contains("noDefinition"));
  }

  /** {@code status/jobName@attempts}, each part optional; null: a task nobody touched yet. */
  static KeptnTask task(String desc) {
    KeptnTask t = new KeptnTask();
    t.setMetadata(
        new ObjectMetaBuilder()
            .withName("t")
            .withNamespace("team-a")
            .withCreationTimestamp(NOW.minusSeconds(10).toString())
            .withAnnotations(new HashMap<>())
            .build());
    KeptnTaskSpec spec = new KeptnTaskSpec();
    spec.taskDefinition = "smoke";
    spec.checkType = "pre";
    spec.retries = 2;
    t.setSpec(spec);
    if (desc != null) {
      String[] at = desc.split("@");
      if (at.length > 1) {
        t.getMetadata().getAnnotations().put(Keys.ATTEMPTS, at[1]);
      }
      String[] parts = at[0].split("/");
      KeptnTaskStatus s = new KeptnTaskStatus();
      s.status = parts[0];
      s.jobName = parts.length > 1 ? parts[1] : null;
      t.setStatus(s);
    }
    return t;
  }

  /** Conditions ({@code Type:Status[:Reason]}), {@code f=}, {@code a=}, deleting, fin. */
  static Job job(String desc) {
    StringBuilder conditions = new StringBuilder();
    int failed = 0;
    int active = 0;
    boolean deleting = false;
    boolean finalizer = false;
    for (String part : desc.trim().split("\\s+")) {
      if (part.startsWith("f=")) {
        failed = Integer.parseInt(part.substring(2));
      } else if (part.startsWith("a=")) {
        active = Integer.parseInt(part.substring(2));
      } else if (part.equals("deleting")) {
        deleting = true;
      } else if (part.equals("fin")) {
        finalizer = true;
      } else {
        conditions.append(conditions.length() == 0 ? "" : " ").append(part);
      }
    }
    boolean complete = conditions.toString().contains("Complete:True");
    Job job = JobViewTest.job(conditions.toString(), failed, complete ? 1 : 0, active);
    job.setMetadata(
        new ObjectMetaBuilder()
            .withName("t")
            .withNamespace("team-a")
            .withDeletionTimestamp(deleting ? NOW.minusSeconds(1).toString() : null)
            .withFinalizers(finalizer ? List.of(Keys.JOB_FINALIZER) : List.of())
            .build());
    return job;
  }

  static Pod pod(int restarts, String terminationMessage) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("t-abcde")
        .withNamespace("team-a")
        .endMetadata()
        .withNewStatus()
        .addNewContainerStatus()
        .withName(JobFactory.CONTAINER_NAME)
        .withRestartCount(restarts)
        .withNewState()
        .withNewTerminated()
        .withExitCode(0)
        .withMessage(terminationMessage)
        .endTerminated()
        .endState()
        .endContainerStatus()
        .endStatus()
        .build();
  }
}
