package dev.taskbridge.report;

import dev.taskbridge.contract.ResultType;
import dev.taskbridge.contract.TaskReason;
import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Our results as CDEvents (spec 0.5): {@code task.started} becomes {@code taskrun.started.0.3.0},
 * {@code task.succeeded} and {@code task.failed} become {@code taskrun.finished.0.3.0}, {@code
 * phase.finished} becomes {@code pipelinerun.finished.0.3.0}; {@code task.retrying} has no CDEvent
 * and rejections stay ours. The record keeps the result's key, subject, time and trigger
 * extensions; its id is the result's subject and the CDEvent's name, so it is as deterministic as
 * ours and never equal to it. Pure.
 */
public final class CdEventsOut {
  public static final String SPEC_VERSION = "0.5.1";

  /** Reasons of tasks that never ran: their taskrun outcome is {@code error}, not failure. */
  static final Set<String> NEVER_RAN =
      Set.of(
          TaskReason.DEFINITION_NOT_FOUND.text(),
          TaskReason.INVALID_DEFINITION.text(),
          TaskReason.JOB_CREATE_FAILED.text());

  private final String source;

  public CdEventsOut(String source) {
    this.source = source;
  }

  public Optional<Result> of(Result r) {
    return switch (r.type()) {
      case TASK_STARTED ->
          Optional.of(taskRun(r, ResultType.CDEVENTS_TASKRUN_STARTED, "taskrun.started", null));
      case TASK_SUCCEEDED ->
          Optional.of(
              taskRun(r, ResultType.CDEVENTS_TASKRUN_FINISHED, "taskrun.finished", "success"));
      case TASK_FAILED ->
          Optional.of(
              taskRun(
                  r, ResultType.CDEVENTS_TASKRUN_FINISHED, "taskrun.finished", failedOutcome(r)));
      case PHASE_FINISHED -> Optional.of(pipelineRun(r));
      default -> Optional.empty();
    };
  }

  private static String failedOutcome(Result r) {
    Object attempts = r.data().get("attempts");
    boolean ran = attempts instanceof Number n && n.intValue() > 0;
    return !ran || NEVER_RAN.contains(String.valueOf(r.data().get("reason"))) ? "error" : "failure";
  }

  private Result taskRun(Result r, ResultType type, String name, String outcome) {
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("taskName", String.valueOf(r.data().get("taskDefinition")));
    uri(r).ifPresent(u -> content.put("uri", u));
    Map<String, Object> pipelineRun = new LinkedHashMap<>();
    pipelineRun.put("id", r.key());
    pipelineRun.put("source", source);
    content.put("pipelineRun", pipelineRun);
    if (outcome != null) {
      content.put("outcome", outcome);
      if (!outcome.equals("success")) {
        content.put("errors", r.data().get("reason") + ": " + r.data().get("message"));
      }
    }
    return cdEvent(r, type, name, content);
  }

  private Result pipelineRun(Result r) {
    Map<String, Object> content = new LinkedHashMap<>();
    content.put(
        "pipelineName", r.data().get("checkType") + "-deployment/" + r.data().get("appName"));
    String result = String.valueOf(r.data().get("result"));
    content.put("outcome", result.equals("fail") ? "failure" : "success");
    StringBuilder errors = new StringBuilder();
    if (r.data().get("tasks") instanceof List<?> tasks) {
      for (Object t : tasks) {
        if (t instanceof Map<?, ?> m && !"Succeeded".equals(m.get("status"))) {
          errors
              .append(errors.isEmpty() ? "" : "\n")
              .append(m.get("taskName"))
              .append(": ")
              .append(m.get("reason"));
        }
      }
    }
    if (result.equals("warning") && errors.isEmpty()) {
      errors.append("warning: a task's output reported a warning");
    }
    if (!errors.isEmpty()) {
      content.put("errors", errors.toString());
    }
    return cdEvent(r, ResultType.CDEVENTS_PIPELINERUN_FINISHED, "pipelinerun.finished", content);
  }

  private Result cdEvent(Result r, ResultType type, String name, Map<String, Object> content) {
    String id = r.subject() + "." + name;
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("specversion", SPEC_VERSION);
    context.put("id", id);
    context.put("source", source);
    context.put("type", type.text());
    context.put("timestamp", r.time().truncatedTo(ChronoUnit.MILLIS).toString());
    context.put("chainId", r.key());
    if (r.triggerId() != null && !r.triggerId().isEmpty()) {
      Map<String, Object> link = new LinkedHashMap<>();
      link.put("linkType", "RELATION");
      link.put("linkKind", "TRIGGER");
      link.put("target", Map.of("contextId", r.triggerId()));
      context.put("links", List.of(link));
    }
    Map<String, Object> subject = new LinkedHashMap<>();
    subject.put("id", r.subject());
    subject.put("source", source);
    subject.put("content", content);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("context", context);
    data.put("subject", subject);
    data.put("customData", r.data());
    data.put("customDataContentType", "application/json");
    return new Result(
        id, type, r.subject(), r.key(), r.triggerId(), r.triggerSource(), r.time(), data);
  }

  /** The log link, when configured and absolute (CDEvents' {@code uri} is a URI). */
  private static Optional<String> uri(Result r) {
    Object url = r.data().get("logUrl");
    if (url instanceof String s) {
      try {
        if (URI.create(s).isAbsolute()) {
          return Optional.of(s);
        }
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
