package dev.taskbridge.run;

import dev.taskbridge.contract.TaskReason;
import dev.taskbridge.keptn.KeptnState;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.keptn.Timestamps;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What a Job's status means for its task: {@code Complete} is success; {@code Failed} is failure,
 * with that condition's reason and message. Unlike Keptn, the interim conditions of Kubernetes
 * 1.31+ ({@code SuccessCriteriaMet}, {@code FailureTarget}) do not end the task: they come while
 * the Job's pods still terminate, before the Job's counts of failed attempts and the last attempt's
 * log and termination message are final. A condition whose status is {@code False} does not count,
 * and the reason comes from the failing condition rather than whichever is first. Pure.
 *
 * @param failed pods that failed so far (attempts that ended badly)
 * @param succeeded pods that succeeded
 * @param active pods running now
 */
public record JobView(
    KeptnState state, int failed, int succeeded, int active, String reason, String message) {

  public static JobView of(Job job) {
    JobStatus s = job.getStatus();
    if (s == null) {
      return new JobView(KeptnState.Progressing, 0, 0, 0, null, null);
    }
    int failed = n(s.getFailed());
    int succeeded = n(s.getSucceeded());
    int active = n(s.getActive());
    List<JobCondition> conditions = s.getConditions() == null ? List.of() : s.getConditions();
    for (JobCondition c : conditions) {
      if (holds(c) && "Complete".equals(c.getType())) {
        return new JobView(KeptnState.Succeeded, failed, succeeded, active, null, null);
      }
    }
    for (JobCondition c : conditions) {
      if (holds(c) && "Failed".equals(c.getType())) {
        String reason =
            c.getReason() == null || c.getReason().isEmpty()
                ? TaskReason.JOB_FAILED.text()
                : c.getReason();
        return new JobView(KeptnState.Failed, failed, succeeded, active, reason, c.getMessage());
      }
    }
    return new JobView(KeptnState.Progressing, failed, succeeded, active, null, null);
  }

  /**
   * The attempts that failed so far: the Job's failed pods plus the restarts of its pods'
   * containers ({@code OnFailure} hides failed attempts there; the pod the controller kills at the
   * backoff limit counts once more as failed), never more than the {@code max} the Job allows.
   */
  public int failedAttempts(int podRestarts, int max) {
    return Math.min(max, failed + podRestarts);
  }

  /** Attempts that ended, failed or not: the pods the Job controller counted. */
  public int endedAttempts() {
    return failed + succeeded;
  }

  /** Container restarts of a Job's pods: the failed attempts that {@code OnFailure} hides. */
  public static int restarts(List<Pod> pods) {
    int restarts = 0;
    for (Pod p : pods) {
      if (p.getStatus() != null && p.getStatus().getContainerStatuses() != null) {
        for (var cs : p.getStatus().getContainerStatuses()) {
          restarts += cs.getRestartCount() == null ? 0 : cs.getRestartCount();
        }
      }
    }
    return restarts;
  }

  /**
   * A task's {@code startTime}: when this bridge created its Job ({@code createdHere}; the task is
   * marked with a later pass), else (after a restart) when the Job started or was created, else
   * {@code now}.
   */
  public static String taskStart(Instant createdHere, Job job, Instant now) {
    if (createdHere != null) {
      return createdHere.truncatedTo(ChronoUnit.MILLIS).toString();
    }
    if (job != null) {
      String started = job.getStatus() == null ? null : job.getStatus().getStartTime();
      String at = started != null ? started : job.getMetadata().getCreationTimestamp();
      if (Timestamps.parse(at).isPresent()) {
        return at;
      }
    }
    return now.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  /** The Job carries the bridge's finalizer ({@link Keys#JOB_FINALIZER}). */
  public static boolean holdsFinalizer(Job job) {
    return job.getMetadata().getFinalizers() != null
        && job.getMetadata().getFinalizers().contains(Keys.JOB_FINALIZER);
  }

  private static boolean holds(JobCondition c) {
    return c.getStatus() == null || "True".equals(c.getStatus());
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }
}
