package dev.taskbridge.metrics;

import dev.taskbridge.contract.RejectionCode;
import dev.taskbridge.contract.TaskReason;
import dev.taskbridge.keptn.KeptnState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Owns every meter of the bridge (names {@code taskbridge.*}, Prometheus {@code taskbridge_*}).
 * Tags are bounded: check type, status, reason code, result type; never a task, job or event name.
 */
@ApplicationScoped
public class BridgeMetrics {
  static final List<String> CHECK_TYPES = List.of("pre", "post");

  /**
   * Task durations: fine where most checks end (a quantile interpolates within a bucket: with only
   * 1/2/5 s, a p95 of 2 s tasks read 4.75 s), coarse up to the one-hour timeout cap.
   */
  static final Duration[] TASK_BUCKETS =
      millis(
          500, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 7500, 10_000, 15_000, 20_000, 30_000,
          45_000, 60_000, 90_000, 120_000, 180_000, 300_000, 600_000, 1_200_000, 1_800_000,
          3_600_000);

  static final Duration[] LATENCY_BUCKETS =
      millis(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000);

  private final MeterRegistry registry;

  public BridgeMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (String c : CHECK_TYPES) {
      received(c).increment(0);
      started(c).increment(0);
      retries(c).increment(0);
    }
    duplicates().increment(0);
    eventToJob();
    resultLatency();
  }

  /** Registers the active-task gauge, computed by the run stage on scrape. */
  public <T> void activeTasks(T state, ToDoubleFunction<T> pre, ToDoubleFunction<T> post) {
    String help = "tasks started and not yet ended";
    Gauge.builder("taskbridge.tasks.active", state, pre)
        .description(help)
        .tag("checktype", "pre")
        .register(registry);
    Gauge.builder("taskbridge.tasks.active", state, post)
        .description(help)
        .tag("checktype", "post")
        .register(registry);
  }

  /** {@code taskbridge_leader}: 1 on the replica that leads, else 0 (no tags). */
  public void leader(BooleanSupplier leading) {
    // a strong reference: the supplier is a method reference nobody else holds
    Gauge.builder("taskbridge.leader", leading, l -> l.getAsBoolean() ? 1 : 0)
        .description("1 on the replica that leads (runs Jobs, publishes results), else 0")
        .strongReference(true)
        .register(registry);
  }

  public void eventReceived(String checkType) {
    received(checkType).increment();
  }

  /** Starts every rejection reason at zero, so rates and alerts work before the first rejection. */
  public void rejectionReasons() {
    for (RejectionCode code : RejectionCode.values()) {
      rejected(code).increment(0);
    }
  }

  public void eventRejected(RejectionCode reason) {
    rejected(reason).increment();
  }

  public void eventDuplicate() {
    duplicates().increment();
  }

  public void taskStarted(String checkType) {
    started(checkType).increment();
  }

  public void taskRetried(String checkType, int attempts) {
    retries(checkType).increment(attempts);
  }

  /**
   * A task ended. {@code reason}: its status reason as written; the tag is {@link
   * TaskReason#tag(String)} of it (bounded: a reason the bridge does not name is {@code Other}).
   */
  public void taskFinished(String checkType, KeptnState state, String reason, Duration duration) {
    String r = TaskReason.tag(reason);
    String status = state.name();
    counter(
            "taskbridge.tasks.finished",
            "tasks that ended, by status and reason",
            "checktype",
            checkType,
            "status",
            status,
            "reason",
            r)
        .increment();
    if (duration != null && !duration.isNegative()) {
      Timer.builder("taskbridge.task.duration")
          .description("a task's run, from its start to its end")
          .tags("checktype", checkType, "status", status)
          .serviceLevelObjectives(TASK_BUCKETS)
          .register(registry)
          .record(duration);
    }
  }

  public void eventToJob(Duration d) {
    eventToJob().record(d.isNegative() ? Duration.ZERO : d);
  }

  public void resultLatency(Duration d) {
    resultLatency().record(d.isNegative() ? Duration.ZERO : d);
  }

  public void resultPublished(String type) {
    counter(
            "taskbridge.results.published",
            "results acknowledged by Kafka on the result topic, by type",
            "type",
            type)
        .increment();
  }

  private Counter counter(String name, String description, String... tags) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }

  private Counter received(String checkType) {
    return counter(
        "taskbridge.events.received",
        "deployment events taken in (Kafka records and HTTP requests), valid or not",
        "checktype",
        checkType);
  }

  private Counter rejected(RejectionCode reason) {
    return counter(
        "taskbridge.events.rejected",
        "deployment events rejected, by the first error's code",
        "reason",
        reason.text());
  }

  private Counter duplicates() {
    return counter(
        "taskbridge.events.duplicate", "deployment events seen before (nothing ran again)");
  }

  private Counter started(String checkType) {
    return counter(
        "taskbridge.tasks.started",
        "tasks started (Job created; KeptnTask created in keptn mode)",
        "checktype",
        checkType);
  }

  private Counter retries(String checkType) {
    return counter(
        "taskbridge.task.retries",
        "failed attempts after which another attempt ran",
        "checktype",
        checkType);
  }

  private Timer eventToJob() {
    return Timer.builder("taskbridge.event.to.job")
        .description("event received to Job created")
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
  }

  private Timer resultLatency() {
    return Timer.builder("taskbridge.result.latency")
        .description("terminal Job status seen to result acknowledged by Kafka")
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
  }

  private static Duration[] millis(long... ms) {
    Duration[] d = new Duration[ms.length];
    for (int i = 0; i < ms.length; i++) {
      d[i] = Duration.ofMillis(ms[i]);
    }
    return d;
  }
}
