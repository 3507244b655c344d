package dev.taskbridge.plan;

import dev.taskbridge.contract.CheckType;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A valid deployment event, after parsing and validation. Optional inputs are {@code null} when the
 * event did not carry them ({@code tasks == null} means "not named", unlike an empty list). {@code
 * type} is the event's CloudEvents type (ours, or a CDEvents one): part of its identity.
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
    Map<String, String> metadata,
    String type) {

  /** An event of our own: its type is the check type's ({@code dev.taskbridge.deployment.*}). */
  public DeploymentEvent(
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
    this(
        source,
        id,
        checkType,
        traceparent,
        namespace,
        appName,
        appVersion,
        workloadName,
        workloadVersion,
        tasks,
        parameters,
        secureParameters,
        retries,
        timeout,
        metadata,
        checkType.eventType());
  }

  public String triggerHash() {
    return Names.triggerHash(source, id);
  }

  public boolean isWorkload() {
    return workloadName != null;
  }
}
