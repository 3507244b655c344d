package dev.taskbridge.config;

/** The vocabulary of published results. */
public enum ResultFormat {
  /** Our own {@code dev.taskbridge.*} results (the contract's table). */
  taskbridge,
  /**
   * CDEvents 0.5: {@code taskrun.started}, {@code taskrun.finished}, {@code pipelinerun.finished}.
   */
  cdevents,
  /** Both, ours first for each result. */
  both;

  public boolean ours() {
    return this != cdevents;
  }

  public boolean cdEvents() {
    return this != taskbridge;
  }
}
