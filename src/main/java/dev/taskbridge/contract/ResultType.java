package dev.taskbridge.contract;

import java.util.Optional;

/**
 * The CloudEvent types the bridge publishes on the result topic: its own ({@code dev.taskbridge.*})
 * and, with {@code bridge.results.format=cdevents}, the CDEvents it maps them to.
 */
public enum ResultType {
  TASK_STARTED("dev.taskbridge.task.started"),
  TASK_RETRYING("dev.taskbridge.task.retrying"),
  TASK_SUCCEEDED("dev.taskbridge.task.succeeded"),
  TASK_FAILED("dev.taskbridge.task.failed"),
  PHASE_FINISHED("dev.taskbridge.phase.finished"),
  EVENT_REJECTED("dev.taskbridge.event.rejected"),
  CDEVENTS_TASKRUN_STARTED("dev.cdevents.taskrun.started.0.3.0"),
  CDEVENTS_TASKRUN_FINISHED("dev.cdevents.taskrun.finished.0.3.0"),
  CDEVENTS_PIPELINERUN_FINISHED("dev.cdevents.pipelinerun.finished.0.3.0");

  private static final String OWN = "dev.taskbridge.";
  private final String text;

  ResultType(String text) {
    this.text = text;
  }

  /** The CloudEvent {@code type} attribute. */
  public String text() {
    return text;
  }

  /**
   * The short form for the {@code type} tag of {@code taskbridge_results_published_total}: {@code
   * task.started}, {@code phase.finished}, {@code cdevents.taskrun.started.0.3.0}...
   */
  public String tag() {
    return text.startsWith(OWN) ? text.substring(OWN.length()) : text.substring("dev.".length());
  }

  @Override
  public String toString() {
    return text;
  }

  public static Optional<ResultType> of(String text) {
    for (ResultType t : values()) {
      if (t.text.equals(text)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
