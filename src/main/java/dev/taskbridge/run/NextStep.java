package dev.taskbridge.run;

import dev.taskbridge.config.RunnerMode;
import dev.taskbridge.contract.TaskReason;
import dev.taskbridge.keptn.KeptnDefaults;
import dev.taskbridge.keptn.KeptnState;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskStatus;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.keptn.Timestamps;
import dev.taskbridge.report.Outputs;
import dev.taskbridge.report.TaskFacts;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;

/**
 * The next step of one task, decided from what was read and the time alone: no I/O, so every case
 * is a row of a table test. One implementation per runner mode.
 */
public sealed interface NextStep {
  String JOB_DELETED_MESSAGE = "the Job was deleted before it finished; the task is not run again";

  Step decide(Seen seen, Instant now);

  static NextStep of(RunnerMode mode, boolean restartsInPod) {
    return mode == RunnerMode.keptn ? new Keptn() : new Standalone(restartsInPod);
  }

  /**
   * Standalone mode: the bridge runs the Job. A terminal task is never run again; a Job that is
   * gone or being deleted before it ended fails the task; attempts are counted before the end.
   */
  record Standalone(boolean restartsInPod) implements NextStep {
    @Override
    public Step decide(Seen seen, Instant now) {
      KeptnTaskStatus status = seen.task().getStatus();
      Job job = seen.job();
      if (KeptnState.of(seen.task()).isTerminal()) {
        return job != null && JobView.holdsFinalizer(job) ? new Step.ReleaseJob(job) : Step.NOTHING;
      }
      if (seen.jobGone()) {
        return new Step.Finish(KeptnState.Failed, TaskReason.JOB_DELETED, JOB_DELETED_MESSAGE);
      }
      if (job == null) {
        if (seen.createFailing() != null && now.isAfter(deadline(seen.task()))) {
          return new Step.Finish(
              KeptnState.Failed,
              TaskReason.JOB_CREATE_FAILED,
              "no Job could be created within the timeout: " + seen.createFailing());
        }
        return Step.CREATE_JOB;
      }
      JobView view = JobView.of(job);
      if (job.getMetadata().getDeletionTimestamp() != null && !view.state().isTerminal()) {
        return new Step.Finish(
            KeptnState.Failed, TaskReason.JOB_DELETED, JOB_DELETED_MESSAGE, job, output(seen));
      }
      Step attempts = attempts(seen, restartsInPod);
      boolean marked =
          status != null
              && KeptnState.Progressing.name().equals(status.status)
              && status.jobName != null;
      // the task shows its Job (and "started" goes out) before any bookkeeping write, which may
      // fail; only a Job that ended with nothing to count goes straight to the end
      if (!marked && (attempts != null || !view.state().isTerminal())) {
        return new Step.MarkProgressing(job.getMetadata().getName());
      }
      if (attempts != null) {
        return attempts;
      }
      if (view.state().isTerminal()) {
        return new Step.Finish(view.state(), view.reason(), view.message(), job, output(seen));
      }
      return Step.NOTHING;
    }

    /** When a task that cannot get a Job fails: its timeout after it was created. */
    static Instant deadline(KeptnTask task) {
      Instant created =
          Timestamps.parse(task.getMetadata().getCreationTimestamp()).orElse(Instant.EPOCH);
      return created.plus(KeptnDefaults.timeout(task.getSpec().timeout));
    }
  }

  /**
   * Keptn mode: Keptn's operator runs the Job and writes the status; the bridge counts attempts
   * (also after the end, which Keptn may write before the bridge saw the failed attempts) and fails
   * a task whose definition does not exist, which Keptn would leave pending.
   */
  record Keptn() implements NextStep {
    @Override
    public Step decide(Seen seen, Instant now) {
      KeptnTaskStatus status = seen.task().getStatus();
      boolean noJob = status == null || status.jobName == null || status.jobName.isEmpty();
      if (!KeptnState.of(seen.task()).isTerminal() && noJob) {
        return seen.definitionMissing()
            ? new Step.Finish(
                KeptnState.Failed,
                TaskReason.DEFINITION_NOT_FOUND,
                "KeptnTaskDefinition " + seen.task().getSpec().taskDefinition + " not found")
            : Step.NOTHING;
      }
      Step attempts = seen.job() == null ? null : attempts(seen, true);
      return attempts != null ? attempts : Step.NOTHING;
    }
  }

  /**
   * Right after a task's Job was created. A Job created by this call brings its own watch event,
   * whose pass writes {@code Progressing} — or, when the Job has ended by then, only the end: one
   * status write instead of two for a short task. A Job that existed already (409: created before
   * an answer was lost, or before a restart) may have been seen long ago, so its task is marked
   * now.
   */
  static Step afterJobCreated(String jobName, boolean createdNow) {
    return createdNow ? Step.NOTHING : new Step.MarkProgressing(jobName);
  }

  /** The last attempt's output (its termination message, when a JSON object), unless recorded. */
  private static String output(Seen seen) {
    String recorded = Owners.annotation(seen.task(), Keys.OUTPUT);
    return Outputs.fromTerminationMessage(LogTails.terminationMessage(seen.pods()))
        .filter(o -> !o.equals(recorded))
        .orElse(null);
  }

  /** More failed attempts on the Job than on the task: count them; else null. */
  private static Step attempts(Seen seen, boolean restartsInPod) {
    TaskFacts facts = TaskFacts.of(seen.task());
    int max = facts.maxAttempts(restartsInPod);
    int failed = JobView.of(seen.job()).failedAttempts(JobView.restarts(seen.pods()), max);
    return failed > facts.failedAttempts() ? new Step.CountAttempts(failed, max) : null;
  }
}
