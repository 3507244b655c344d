package dev.taskbridge.report;

import dev.taskbridge.keptn.KeptnState;
import dev.taskbridge.keptn.Timestamps;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What a trigger's phase result reports: the event's identity and each task's outcome. Pure. */
public record PhaseFacts(
    String trigger,
    String triggerId,
    String triggerSource,
    String namespace,
    String checkType,
    String appName,
    String appVersion,
    String workloadName,
    String workloadVersion,
    List<TaskOutcome> tasks,
    String startTime,
    String endTime) {

  /** One task's line in the phase result. */
  public record TaskOutcome(
      String taskName,
      String taskDefinition,
      String status,
      String reason,
      com.fasterxml.jackson.databind.JsonNode output) {
    public TaskOutcome(String taskName, String taskDefinition, String status, String reason) {
      this(taskName, taskDefinition, status, reason, null);
    }

    /** A succeeded task whose output says {@code "result": "warning"}. */
    public boolean warned() {
      return "Succeeded".equals(status)
          && output != null
          && "warning".equals(output.path("result").asText());
    }
  }

  /**
   * The phase of a trigger if it is finished: every planned task exists, has ended and has had its
   * own terminal result acknowledged, and the phase result itself has not been. Empty otherwise.
   */
  public static Optional<PhaseFacts> finished(List<TaskFacts> tasks) {
    if (tasks.isEmpty()) {
      return Optional.empty();
    }
    TaskFacts first = tasks.get(0);
    if (tasks.size() < first.expectedTasks()
        || tasks.stream().anyMatch(TaskFacts::phasePublished)) {
      return Optional.empty();
    }
    if (!tasks.stream().allMatch(ResultFactory::settled)) {
      return Optional.empty();
    }
    List<TaskFacts> sorted = new ArrayList<>(tasks);
    sorted.sort(Comparator.comparing(TaskFacts::name));
    List<TaskOutcome> outcomes = new ArrayList<>();
    String start = null;
    String end = null;
    for (TaskFacts t : sorted) {
      String reason = t.state() == KeptnState.Succeeded ? "" : nz(t.status().reason);
      outcomes.add(
          new TaskOutcome(t.name(), t.definition(), t.state().name(), reason, t.outputJson()));
      String s = t.status().startTime != null ? t.status().startTime : t.createdAt();
      start = min(start, s);
      end = max(end, t.status().endTime);
    }
    return Optional.of(
        new PhaseFacts(
            first.trigger(),
            first.triggerId(),
            first.triggerSource(),
            first.namespace(),
            first.checkType(),
            first.context().appName,
            first.context().appVersion,
            first.context().workloadName,
            first.context().workloadVersion,
            outcomes,
            start,
            end));
  }

  private static String min(String a, String b) {
    return Timestamps.earliest(a, b);
  }

  private static String max(String a, String b) {
    return Timestamps.latest(a, b);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
