package dev.taskbridge.run;

/** A task definition the bridge cannot turn into a Job; the task fails with {@code reason}. */
public class DefinitionProblem extends Exception {
  private final String reason;

  public DefinitionProblem(String reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
