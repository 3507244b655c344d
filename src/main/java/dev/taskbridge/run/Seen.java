package dev.taskbridge.run;

import dev.taskbridge.keptn.KeptnTask;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;

/**
 * What the reconciler read of one task before deciding its next {@link Step}: the task (the
 * informer's copy or the bridge's own newer write), its Job and what else the decision needs.
 *
 * @param job the task's Job as cached (standalone: asked of the API server when the cache lacks a
 *     Job the task names), or null
 * @param jobGone the task names a Job the API server no longer has
 * @param pods the Job's pods as cached (their restarts are the attempts {@code OnFailure} hides;
 *     the newest one's termination message is the task's output)
 * @param createFailing why the last Job creation failed for a reason that may pass, or null
 * @param definitionMissing keptn mode: no Job yet and the task's KeptnTaskDefinition is not found
 */
public record Seen(
    KeptnTask task,
    Job job,
    boolean jobGone,
    List<Pod> pods,
    String createFailing,
    boolean definitionMissing) {

  /** The same reading with the task as the bridge just wrote it. */
  public Seen withTask(KeptnTask written) {
    return new Seen(written, job, jobGone, pods, createFailing, definitionMissing);
  }
}
