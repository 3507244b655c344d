package dev.taskbridge.run;

/** Reason codes of failed tasks (KeptnTask {@code status.reason}, result events, metric tags). */
public final class Reasons {
  public static final String BACKOFF_LIMIT_EXCEEDED = "BackoffLimitExceeded";
  public static final String DEADLINE_EXCEEDED = "DeadlineExceeded";
  public static final String DEFINITION_NOT_FOUND = "DefinitionNotFound";
  public static final String INVALID_DEFINITION = "InvalidDefinition";
  public static final String JOB_CREATE_FAILED = "JobCreateFailed";
  public static final String JOB_DELETED = "JobDeleted";
  public static final String CANCELLED = "Cancelled";

  /** The task's container image is not in {@code bridge.runner.allowed-images}. */
  public static final String IMAGE_NOT_ALLOWED = "ImageNotAllowed";

  private Reasons() {}
}
