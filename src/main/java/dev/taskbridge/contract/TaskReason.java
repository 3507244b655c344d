package dev.taskbridge.contract;

import java.util.Optional;

/**
 * Why a task failed or retried: KeptnTask {@code status.reason}, the {@code reason} of result
 * events and the {@code reason} tag of {@code taskbridge_tasks_finished_total}. The bridge's own
 * reasons and the Job-condition reasons Kubernetes documents are named; a reason Kubernetes (or, in
 * keptn mode, Keptn) may add later is {@link #OTHER} in the metric tag, so its values stay bounded,
 * while {@code status.reason} and the results keep the original text.
 */
public enum TaskReason {
  /** The Job's pods failed more often than {@code backoffLimit} allows. */
  BACKOFF_LIMIT_EXCEEDED("BackoffLimitExceeded"),
  /** The Job ran longer than {@code activeDeadlineSeconds} (the task's timeout). */
  DEADLINE_EXCEEDED("DeadlineExceeded"),
  /** A pod failure policy rule failed the Job. */
  POD_FAILURE_POLICY("PodFailurePolicy"),
  /** An indexed Job failed more indexes than allowed. */
  MAX_FAILED_INDEXES_EXCEEDED("MaxFailedIndexesExceeded"),
  /** An indexed Job ended with failed indexes. */
  FAILED_INDEXES("FailedIndexes"),
  /** A {@code Failed} Job condition that gave no reason. */
  JOB_FAILED("JobFailed"),
  /** The task names a KeptnTaskDefinition that does not exist. */
  DEFINITION_NOT_FOUND("DefinitionNotFound"),
  /** The KeptnTaskDefinition cannot become a Job (no runtime, a bad function reference...). */
  INVALID_DEFINITION("InvalidDefinition"),
  /** The task's container image is not in {@code bridge.runner.allowed-images}. */
  IMAGE_NOT_ALLOWED("ImageNotAllowed"),
  /** The API server refused the Job for good, or did not take it within the create timeout. */
  JOB_CREATE_FAILED("JobCreateFailed"),
  /** The Job was deleted before it finished. */
  JOB_DELETED("JobDeleted"),
  /** The KeptnTask was deleted before it finished. */
  CANCELLED("Cancelled"),
  /** The API server refused the event's KeptnTasks: the phase lists them with this reason. */
  CREATE_REFUSED("CreateRefused"),
  /** One attempt failed and another will run ({@code task.retrying}). */
  ATTEMPT_FAILED("AttemptFailed"),
  /** A failed task whose status gave no reason. */
  FAILED("Failed"),
  /** Any reason not named here (the metric tag only; the status keeps the text). */
  OTHER("Other");

  private final String text;

  TaskReason(String text) {
    this.text = text;
  }

  /** The reason as written to the status and the results, e.g. {@code BackoffLimitExceeded}. */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }

  /** The named reason whose text is {@code text}, if any. */
  public static Optional<TaskReason> named(String text) {
    for (TaskReason r : values()) {
      if (r != OTHER && r.text.equals(text)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /**
   * The metric tag of a status reason: {@code none} when there is none, the named reason's text,
   * else {@code Other}.
   */
  public static String tag(String text) {
    if (text == null || text.isEmpty()) {
      return "none";
    }
    return named(text).orElse(OTHER).text;
  }
}
