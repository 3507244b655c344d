package dev.taskbridge.plan;

import java.time.Duration;

/** One KeptnTask to create; {@code definition == null} when no such KeptnTaskDefinition exists. */
public record PlannedTask(
    String name, String definitionName, FoundDefinition definition, int retries, Duration timeout) {

  public boolean definitionMissing() {
    return definition == null;
  }
}
