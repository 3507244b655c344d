package dev.taskbridge.run;

import dev.taskbridge.contract.TaskReason;

/** A task definition the bridge cannot turn into a Job; the task fails with {@code reason}. */
public class DefinitionProblem extends Exception {
  private final TaskReason reason;

  public DefinitionProblem(TaskReason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public TaskReason reason() {
    return reason;
  }
}
