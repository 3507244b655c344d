package dev.taskbridge.verdict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskbridge.config.OnTaskFailure;
import dev.taskbridge.contract.TaskReason;
import dev.taskbridge.keptn.KeptnState;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.keptn.Timestamps;
import dev.taskbridge.report.Outputs;
import dev.taskbridge.report.PhaseFacts;
import dev.taskbridge.report.ResultFactory;
import dev.taskbridge.report.TaskFacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answer to "how did my deployment event go?", derived from its KeptnTasks alone (the cluster
 * is the record). Pure.
 */
public record Verdict(
    String triggerId,
    String source,
    String id,
    String type,
    String namespace,
    String checkType,
    String result,
    List<Task> tasks,
    String startTime,
    String endTime) {

  public static final String PENDING = "pending";

  /** One task's line. */
  public record Task(
      String name,
      String taskDefinition,
      String status,
      String reason,
      int attempts,
      String startTime,
      String endTime,
      JsonNode output) {}

  public boolean pending() {
    return PENDING.equals(result);
  }

  /** The verdict of one trigger's KeptnTasks (all in one namespace); empty when there are none. */
  public static Optional<Verdict> of(List<KeptnTask> keptnTasks, OnTaskFailure onTaskFailure) {
    if (keptnTasks.isEmpty()) {
      return Optional.empty();
    }
    List<KeptnTask> sorted = new ArrayList<>(keptnTasks);
    sorted.sort(Comparator.comparing(t -> t.getMetadata().getName()));
    TaskFacts first = TaskFacts.of(sorted.get(0));
    Map<String, String> refused =
        PhaseFacts.missing(
            sorted.stream().map(t -> t.getMetadata().getName()).toList(),
            PhaseFacts.refused(sorted));
    boolean pending = sorted.size() + refused.size() < first.expectedTasks();
    boolean failed = !refused.isEmpty();
    boolean warned = false;
    String start = null;
    String end = null;
    List<Task> tasks = new ArrayList<>();
    for (KeptnTask k : sorted) {
      TaskFacts t = TaskFacts.of(k);
      JsonNode output = output(k);
      boolean terminal = t.state().isTerminal();
      pending |= !terminal;
      failed |= t.state() == KeptnState.Failed;
      warned |=
          t.state() == KeptnState.Succeeded
              && output != null
              && "warning".equals(output.path("result").asText(null));
      tasks.add(
          new Task(
              t.name(),
              t.definition(),
              t.state().name(),
              t.state() == KeptnState.Succeeded || t.status().reason == null
                  ? ""
                  : t.status().reason,
              ResultFactory.attempts(t),
              t.status().startTime,
              t.status().endTime,
              output));
      start = earliest(start, t.status().startTime != null ? t.status().startTime : t.createdAt());
      end = latest(end, t.status().endTime);
    }
    refused.forEach(
        (name, definition) ->
            tasks.add(
                new Task(
                    name,
                    definition,
                    KeptnState.Failed.name(),
                    TaskReason.CREATE_REFUSED.text(),
                    0,
                    null,
                    null,
                    null)));
    tasks.sort(Comparator.comparing(Task::name));
    String result =
        pending
            ? PENDING
            : failed
                ? (onTaskFailure == OnTaskFailure.warning ? "warning" : "fail")
                : warned ? "warning" : "pass";
    Map<String, String> a = sorted.get(0).getMetadata().getAnnotations();
    a = a == null ? Map.of() : a;
    return Optional.of(
        new Verdict(
            first.trigger(),
            first.triggerSource(),
            first.triggerId(),
            a.getOrDefault(Keys.TRIGGER_TYPE, ""),
            first.namespace(),
            first.checkType(),
            result,
            List.copyOf(tasks),
            start,
            pending ? null : end));
  }

  /** A deployment event that resolved to no task: passed at once. */
  public static Verdict noTasks(
      String triggerId,
      String source,
      String id,
      String type,
      String namespace,
      String checkType,
      Instant at) {
    String t = at.toString();
    return new Verdict(triggerId, source, id, type, namespace, checkType, "pass", List.of(), t, t);
  }

  /** The JSON body of {@code GET /triggers/{triggerId}}. */
  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("triggerId", triggerId);
    m.put("source", source);
    m.put("id", id);
    m.put("type", type);
    m.put("namespace", namespace);
    m.put("checkType", checkType);
    m.put("result", result);
    List<Map<String, Object>> ts = new ArrayList<>();
    for (Task t : tasks) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("name", t.name());
      x.put("taskDefinition", t.taskDefinition());
      x.put("status", t.status());
      x.put("reason", t.reason());
      x.put("attempts", t.attempts());
      x.put("startTime", t.startTime());
      x.put("endTime", t.endTime());
      if (t.output() != null) {
        x.put("output", t.output());
      }
      ts.add(x);
    }
    m.put("tasks", ts);
    m.put("startTime", startTime);
    m.put("endTime", endTime);
    return m;
  }

  /** The task's recorded output ({@code taskbridge.dev/output}), when it is a JSON object. */
  static JsonNode output(KeptnTask t) {
    Map<String, String> a = t.getMetadata().getAnnotations();
    return Outputs.parse(a == null ? null : a.get(Keys.OUTPUT)).orElse(null);
  }

  private static String earliest(String a, String b) {
    return Timestamps.earliest(a, b);
  }

  private static String latest(String a, String b) {
    return Timestamps.latest(a, b);
  }
}
