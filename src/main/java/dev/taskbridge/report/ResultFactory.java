package dev.taskbridge.report;

import dev.taskbridge.config.OnTaskFailure;
import dev.taskbridge.contract.ResultType;
import dev.taskbridge.contract.TaskReason;
import dev.taskbridge.keptn.KeptnState;
import dev.taskbridge.keptn.Timestamps;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Decides which results a task owes and what they say. Pure: facts in, results out. */
public final class ResultFactory {
  /**
   * Retrieves the last lines of a failed attempt's log; empty when unavailable or turned off,
   * {@code null} while it cannot be read yet (worth asking again shortly).
   */
  public interface LogTails {
    String tail(TaskFacts task, int attempt);

    /** The pod that ran the attempt (1-based), when it is still known; else empty. */
    default String pod(TaskFacts task, int attempt) {
      return "";
    }
  }

  private final String source;
  private final OnTaskFailure onTaskFailure;
  private final Optional<String> logUrl;
  private final boolean restartsInPod;

  public ResultFactory(String source, OnTaskFailure onTaskFailure) {
    this(source, onTaskFailure, Optional.empty(), false);
  }

  /**
   * {@code logUrl}: a template with {@code {namespace}}, {@code {pod}}, {@code {job}}, {@code
   * {task}} (bridge.results.log-url) for the {@code logUrl} of retrying, succeeded and failed.
   * {@code restartsInPod}: the Jobs restart a failed container in its pod ({@code OnFailure}, and
   * Keptn's Jobs), which allows one attempt less (see {@link TaskFacts#maxAttempts(boolean)}).
   */
  public ResultFactory(
      String source, OnTaskFailure onTaskFailure, Optional<String> logUrl, boolean restartsInPod) {
    this.source = source;
    this.onTaskFailure = onTaskFailure;
    this.logUrl = logUrl;
    this.restartsInPod = restartsInPod;
  }

  /** The attempts a task may make with these Jobs. */
  public int maxAttempts(TaskFacts t) {
    return t.maxAttempts(restartsInPod);
  }

  /** The log link of one attempt's pod; empty when no template is set or the pod is unknown. */
  String logUrl(TaskFacts t, String pod) {
    if (logUrl.isEmpty() || pod == null || pod.isEmpty()) {
      return null;
    }
    return logUrl
        .get()
        .replace("{namespace}", enc(t.namespace()))
        .replace("{pod}", enc(pod))
        .replace("{job}", enc(t.status().jobName == null ? "" : t.status().jobName))
        .replace("{task}", enc(t.name()));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void put(Map<String, Object> d, String key, Object value) {
    if (value != null) {
      d.put(key, value);
    }
  }

  public String source() {
    return source;
  }

  /**
   * What a task owes: {@code results} in publication order; {@code logsPending} when they stop
   * short of a result whose log tail cannot be read yet (the rest follow it, in order, later).
   */
  public record Owed(List<Result> results, boolean logsPending) {}

  /** Results the task owes and has not yet had acknowledged, in publication order. */
  public List<Result> owed(TaskFacts t, boolean keptnMode, LogTails logs, Instant now) {
    return owed(t, keptnMode, logs, now, false).results();
  }

  /**
   * Results the task owes; with {@code waitForLogs}, they stop before the first retrying or failed
   * result whose log tail is not readable yet, else that tail is empty.
   */
  public Owed owed(
      TaskFacts t, boolean keptnMode, LogTails logs, Instant now, boolean waitForLogs) {
    List<Result> out = new ArrayList<>();
    boolean started = keptnMode || notEmpty(t.status().jobName);
    if (started && !t.published().contains("started")) {
      out.add(started(t, now));
    }
    for (int attempt = 1; attempt <= retriedAttempts(t); attempt++) {
      if (!t.published().contains("retrying." + attempt)) {
        String tail = logs.tail(t, attempt);
        if (tail == null && waitForLogs) {
          return new Owed(out, true);
        }
        Result r = retrying(t, attempt, tail == null ? "" : tail, now);
        put(r.data(), "logUrl", logUrl(t, logs.pod(t, attempt)));
        out.add(r);
      }
    }
    if (t.state() == KeptnState.Succeeded && !t.published().contains("succeeded")) {
      Result r = succeeded(t, now);
      put(r.data(), "logUrl", logUrl(t, logs.pod(t, attempts(t))));
      out.add(r);
    } else if (t.state() == KeptnState.Failed && !t.published().contains("failed")) {
      int attempts = attempts(t);
      String tail = attempts == 0 ? "" : logs.tail(t, attempts);
      if (tail == null && waitForLogs) {
        return new Owed(out, true);
      }
      Result r = failed(t, tail == null ? "" : tail, now);
      put(r.data(), "logUrl", attempts == 0 ? null : logUrl(t, logs.pod(t, attempts)));
      out.add(r);
    }
    return new Owed(out, false);
  }

  /** Whether every result of the task, the terminal one included, has been acknowledged. */
  public static boolean settled(TaskFacts t) {
    return t.state().isTerminal()
        && t.published().contains(t.state() == KeptnState.Succeeded ? "succeeded" : "failed");
  }

  /**
   * Failed attempts that were followed by another attempt. After a failure, every failed attempt
   * but the last; after success, all; while running, those the backoff limit lets the Job retry.
   */
  int retriedAttempts(TaskFacts t) {
    int failed = t.failedAttempts();
    return switch (t.state()) {
      case Failed -> Math.max(0, failed - 1);
      case Succeeded -> failed;
      default -> Math.min(failed, maxAttempts(t) - 1);
    };
  }

  public static int attempts(TaskFacts t) {
    return t.failedAttempts() + (t.state() == KeptnState.Succeeded ? 1 : 0);
  }

  Result started(TaskFacts t, Instant now) {
    Map<String, Object> d = common(t);
    d.put("jobName", t.status().jobName == null ? "" : t.status().jobName);
    d.put("maxAttempts", maxAttempts(t));
    d.put("startTime", t.status().startTime);
    return task(t, "started", ResultType.TASK_STARTED, d, now);
  }

  Result retrying(TaskFacts t, int attempt, String logTail, Instant now) {
    Map<String, Object> d = common(t);
    d.put("attempt", attempt);
    d.put("maxAttempts", maxAttempts(t));
    d.put("reason", TaskReason.ATTEMPT_FAILED.text());
    d.put("message", "attempt " + attempt + " of " + maxAttempts(t) + " failed; another will run");
    d.put("logTail", logTail);
    return task(t, "retrying." + attempt, ResultType.TASK_RETRYING, d, now);
  }

  Result succeeded(TaskFacts t, Instant now) {
    Map<String, Object> d = common(t);
    d.put("attempts", attempts(t));
    d.put("startTime", t.status().startTime);
    d.put("endTime", t.status().endTime);
    d.put("durationSeconds", durationSeconds(t.status().startTime, t.status().endTime));
    put(d, "output", t.outputJson());
    return task(t, "succeeded", ResultType.TASK_SUCCEEDED, d, now);
  }

  Result failed(TaskFacts t, String logTail, Instant now) {
    Map<String, Object> d = common(t);
    d.put("attempts", attempts(t));
    d.put("reason", t.status().reason == null ? TaskReason.FAILED.text() : t.status().reason);
    d.put("message", t.status().message == null ? "" : t.status().message);
    d.put("logTail", logTail);
    d.put("startTime", t.status().startTime);
    d.put("endTime", t.status().endTime);
    put(d, "output", t.outputJson());
    return task(t, "failed", ResultType.TASK_FAILED, d, now);
  }

  /** The phase result of a trigger whose tasks have all ended (or that had none). */
  public Result phase(PhaseFacts p, Instant now) {
    return p.result(onTaskFailure, now);
  }

  private Result task(
      TaskFacts t, String kind, ResultType type, Map<String, Object> d, Instant now) {
    return new Result(
        t.name() + "." + kind,
        type,
        t.name(),
        t.trigger(),
        t.triggerId(),
        t.triggerSource(),
        now,
        d);
  }

  static Map<String, Object> common(TaskFacts t) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("appName", t.context().appName);
    d.put("appVersion", t.context().appVersion);
    d.put("workloadName", t.context().workloadName);
    d.put("workloadVersion", t.context().workloadVersion);
    d.put("namespace", t.namespace());
    d.put("checkType", t.checkType());
    d.put("taskName", t.name());
    d.put("taskDefinition", t.definition());
    return d;
  }

  static Double durationSeconds(String start, String end) {
    var from = Timestamps.parse(start);
    var to = Timestamps.parse(end);
    return from.isEmpty() || to.isEmpty()
        ? null
        : Duration.between(from.get(), to.get()).toMillis() / 1000.0;
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }
}
