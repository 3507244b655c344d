package dev.taskbridge.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskbridge.keptn.KeptnDefaults;
import dev.taskbridge.keptn.KeptnState;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskStatus;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.keptn.TaskContext;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** The facts about a KeptnTask that results are made of, read from the object alone. Pure. */
public record TaskFacts(
    String name,
    String namespace,
    String definition,
    String checkType,
    TaskContext context,
    String trigger,
    String triggerId,
    String triggerSource,
    int expectedTasks,
    int retries,
    KeptnState state,
    KeptnTaskStatus status,
    int failedAttempts,
    Set<String> published,
    boolean phasePublished,
    String createdAt,
    String output) {

  public static TaskFacts of(KeptnTask t) {
    Map<String, String> ann =
        t.getMetadata().getAnnotations() == null ? Map.of() : t.getMetadata().getAnnotations();
    Map<String, String> labels =
        t.getMetadata().getLabels() == null ? Map.of() : t.getMetadata().getLabels();
    KeptnTaskStatus status = t.getStatus() == null ? new KeptnTaskStatus() : t.getStatus();
    var spec = t.getSpec();
    return new TaskFacts(
        t.getMetadata().getName(),
        t.getMetadata().getNamespace(),
        spec == null ? "" : spec.taskDefinition,
        spec == null || spec.checkType == null ? "" : spec.checkType,
        spec == null || spec.context == null ? new TaskContext() : spec.context,
        labels.getOrDefault(Keys.TRIGGER, ""),
        ann.getOrDefault(Keys.TRIGGER_ID, ""),
        ann.getOrDefault(Keys.TRIGGER_SOURCE, ""),
        parseInt(ann.get(Keys.TRIGGER_TASKS), 1),
        KeptnDefaults.retries(spec == null ? null : spec.retries),
        KeptnState.of(status.status),
        status,
        parseInt(ann.get(Keys.ATTEMPTS), 0),
        parseSet(ann.get(Keys.PUBLISHED)),
        "true".equals(ann.get(Keys.PHASE_PUBLISHED)),
        // when the event was received (full precision), else creation (whole seconds)
        ann.getOrDefault(Keys.RECEIVED_AT, t.getMetadata().getCreationTimestamp()),
        ann.get(Keys.OUTPUT));
  }

  /** The same facts with {@code kinds} known to be acknowledged as well. */
  public TaskFacts withPublished(Set<String> kinds) {
    Set<String> all = new LinkedHashSet<>(published);
    all.addAll(kinds);
    return new TaskFacts(
        name,
        namespace,
        definition,
        checkType,
        context,
        trigger,
        triggerId,
        triggerSource,
        expectedTasks,
        retries,
        state,
        status,
        failedAttempts,
        all,
        phasePublished,
        createdAt,
        output);
  }

  /** The same facts as a task that ended with {@code status}. */
  public TaskFacts withStatus(KeptnTaskStatus newStatus) {
    return new TaskFacts(
        name,
        namespace,
        definition,
        checkType,
        context,
        trigger,
        triggerId,
        triggerSource,
        expectedTasks,
        retries,
        KeptnState.of(newStatus.status),
        newStatus,
        failedAttempts,
        published,
        phasePublished,
        createdAt,
        output);
  }

  /** The task's output (a JSON object recorded from its termination message), or null. */
  public JsonNode outputJson() {
    return Outputs.parse(output).orElse(null);
  }

  /** Whether the task succeeded and its output says {@code "result": "warning"}. */
  public boolean warned() {
    var o = outputJson();
    return state == KeptnState.Succeeded
        && o != null
        && "warning".equals(o.path("result").asText());
  }

  /**
   * The attempts the task's Job may make ({@code backoffLimit} = retries). When each attempt is a
   * pod ({@code restartPolicy: Never}) the Job fails once more than backoffLimit pods failed:
   * retries + 1. When attempts are restarts of one pod's container ({@code OnFailure}, Keptn's
   * Jobs) the Job controller fails the Job as soon as the restarts <em>reach</em> backoffLimit (any
   * restart when it is 0): retries, and at least one.
   */
  public int maxAttempts(boolean restartsInPod) {
    return restartsInPod ? Math.max(1, retries) : retries + 1;
  }

  static Set<String> parseSet(String csv) {
    Set<String> s = new LinkedHashSet<>();
    if (csv != null && !csv.isBlank()) {
      s.addAll(Arrays.asList(csv.split(",")));
    }
    return s;
  }

  static int parseInt(String s, int fallback) {
    try {
      return s == null ? fallback : Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
