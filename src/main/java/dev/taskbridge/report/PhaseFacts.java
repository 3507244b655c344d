package dev.taskbridge.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskbridge.config.OnTaskFailure;
import dev.taskbridge.contract.ResultType;
import dev.taskbridge.contract.TaskReason;
import dev.taskbridge.keptn.KeptnState;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.keptn.Timestamps;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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
      String taskName, String taskDefinition, String status, String reason, JsonNode output) {
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
    return finished(tasks, Map.of());
  }

  /**
   * As {@link #finished(List)}, counting {@code refused} (planned tasks the cluster refused to
   * create, name → definition; see {@link #refused(List)}) as failed tasks of the phase.
   */
  public static Optional<PhaseFacts> finished(List<TaskFacts> tasks, Map<String, String> refused) {
    if (tasks.isEmpty()) {
      return Optional.empty();
    }
    TaskFacts first = tasks.get(0);
    Map<String, String> missing = missing(tasks.stream().map(TaskFacts::name).toList(), refused);
    if (tasks.size() + missing.size() < first.expectedTasks()
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
    missing.forEach(
        (name, definition) ->
            outcomes.add(
                new TaskOutcome(
                    name, definition, KeptnState.Failed.name(), TaskReason.CREATE_REFUSED.text())));
    outcomes.sort(Comparator.comparing(TaskOutcome::taskName));
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

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The planned tasks the cluster refused to create, as the trigger's KeptnTasks record them
   * (annotation {@code taskbridge.dev/refused-tasks}): name → definition. Unreadable notes are
   * ignored.
   */
  public static Map<String, String> refused(List<KeptnTask> tasks) {
    Map<String, String> refused = new TreeMap<>();
    for (KeptnTask t : tasks) {
      var a = t.getMetadata().getAnnotations();
      String json = a == null ? null : a.get(Keys.REFUSED_TASKS);
      if (json == null) {
        continue;
      }
      try {
        JsonNode n = JSON.readTree(json);
        n.fields().forEachRemaining(e -> refused.put(e.getKey(), e.getValue().asText("")));
      } catch (IOException | RuntimeException e) {
        // a note somebody edited into something else: nothing refused is known
      }
    }
    return refused;
  }

  /** The refused tasks that do not exist (a later delivery may have created one after all). */
  public static Map<String, String> missing(List<String> existing, Map<String, String> refused) {
    Map<String, String> missing = new TreeMap<>(refused);
    existing.forEach(missing::remove);
    return missing;
  }

  /** The phase result: {@code onTaskFailure} says what a failed task makes of it. */
  Result result(OnTaskFailure onTaskFailure, Instant now) {
    PhaseFacts p = this;
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("appName", p.appName());
    d.put("appVersion", p.appVersion());
    d.put("workloadName", p.workloadName());
    d.put("workloadVersion", p.workloadVersion());
    d.put("namespace", p.namespace());
    d.put("checkType", p.checkType());
    boolean anyFailed = p.tasks().stream().anyMatch(x -> !"Succeeded".equals(x.status()));
    boolean warned = p.tasks().stream().anyMatch(PhaseFacts.TaskOutcome::warned);
    d.put(
        "result",
        anyFailed
            ? (onTaskFailure == OnTaskFailure.warning ? "warning" : "fail")
            : warned ? "warning" : "pass");
    List<Map<String, Object>> tasks = new ArrayList<>();
    for (PhaseFacts.TaskOutcome o : p.tasks()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("taskName", o.taskName());
      m.put("taskDefinition", o.taskDefinition());
      m.put("status", o.status());
      m.put("reason", o.reason());
      if (o.output() != null) {
        m.put("output", o.output());
      }
      tasks.add(m);
    }
    d.put("tasks", tasks);
    d.put("startTime", p.startTime());
    d.put("endTime", p.endTime());
    return new Result(
        p.trigger() + ".finished",
        ResultType.PHASE_FINISHED,
        p.trigger(),
        p.trigger(),
        p.triggerId(),
        p.triggerSource(),
        now,
        d);
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
