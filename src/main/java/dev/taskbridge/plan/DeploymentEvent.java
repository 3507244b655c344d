package dev.taskbridge.plan;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A valid deployment event, after parsing and validation. Optional inputs are {@code null} when the
 * event did not carry them ({@code tasks == null} means "not named", unlike an empty list).
 */
public record DeploymentEvent(
    String source,
    String id,
    CheckType checkType,
    String traceparent,
    String namespace,
    String appName,
    String appVersion,
    String workloadName,
    String workloadVersion,
    List<String> tasks,
    Map<String, String> parameters,
    String secureParameters,
    Integer retries,
    Duration timeout,
    Map<String, String> metadata) {

  public String triggerHash() {
    return Names.triggerHash(source, id);
  }

  public boolean isWorkload() {
    return workloadName != null;
  }
}
