package dev.taskbridge.run;

import dev.taskbridge.contract.TaskReason;
import dev.taskbridge.keptn.KeptnState;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * What reconciling one task does next, decided by a {@link NextStep} from what was read ({@link
 * Seen}) without any I/O; {@link TaskReconciler} carries it out.
 */
public sealed interface Step {
  /** Standalone mode, no Job yet: find the definition, create its Job, mark the task running. */
  record CreateJob() implements Step {}

  /** The Job runs: the task says {@code Progressing} and names it. */
  record MarkProgressing(String jobName) implements Step {}

  /**
   * The Job counted more failed attempts than the task records: record {@code failed} (a retrying
   * result per attempt short of {@code max}), then decide again.
   */
  record CountAttempts(int failed, int max) implements Step {}

  /**
   * The task ends. {@code job}: the Job it ended with (its finalizer is taken off once the status
   * is written), or null; {@code output}: the last attempt's output to record on the task before
   * the status, or null.
   */
  record Finish(KeptnState state, String reason, String message, Job job, String output)
      implements Step {
    Finish(KeptnState state, TaskReason reason, String message) {
      this(state, reason.text(), message, null, null);
    }

    Finish(KeptnState state, TaskReason reason, String message, Job job, String output) {
      this(state, reason.text(), message, job, output);
    }
  }

  /** The task's outcome is written: its Job may go (the bridge's finalizer is taken off). */
  record ReleaseJob(Job job) implements Step {}

  /** Nothing to change: what the task owes is reported. */
  record Nothing() implements Step {}

  Step CREATE_JOB = new CreateJob();
  Step NOTHING = new Nothing();
}
