package dev.taskbridge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Owns every meter of the bridge (names {@code taskbridge.*}, Prometheus {@code taskbridge_*}).
 * Tags are bounded: check type, status, reason code, result type; never a task, job or event name.
 */
@ApplicationScoped
public class BridgeMetrics {
  static final List<String> CHECK_TYPES = List.of("pre", "post");
  static final Duration[] TASK_BUCKETS =
      seconds(1, 2, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600);
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
    registry.counter("taskbridge.events.duplicate").increment(0);
    eventToJob();
    resultLatency();
  }

  /** Registers the active-task gauge, computed by the run stage on scrape. */
  public <T> void activeTasks(T state, ToDoubleFunction<T> pre, ToDoubleFunction<T> post) {
    Gauge.builder("taskbridge.tasks.active", state, pre).tag("checktype", "pre").register(registry);
    Gauge.builder("taskbridge.tasks.active", state, post)
        .tag("checktype", "post")
        .register(registry);
  }

  /** {@code taskbridge_leader}: 1 on the replica that leads, else 0 (no tags). */
  public void leader(java.util.function.BooleanSupplier leading) {
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
  public void rejectionReasons(java.util.Collection<String> reasons) {
    reasons.forEach(r -> registry.counter("taskbridge.events.rejected", "reason", r).increment(0));
  }

  public void eventRejected(String reason) {
    registry.counter("taskbridge.events.rejected", "reason", reason).increment();
  }

  public void eventDuplicate() {
    registry.counter("taskbridge.events.duplicate").increment();
  }

  public void taskStarted(String checkType) {
    started(checkType).increment();
  }

  public void taskRetried(String checkType, int attempts) {
    retries(checkType).increment(attempts);
  }

  public void taskFinished(String checkType, String status, String reason, Duration duration) {
    String r = reason == null || reason.isEmpty() ? "none" : reason;
    registry
        .counter("taskbridge.tasks.finished", "checktype", checkType, "status", status, "reason", r)
        .increment();
    if (duration != null && !duration.isNegative()) {
      Timer.builder("taskbridge.task.duration")
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
    registry.counter("taskbridge.results.published", "type", type).increment();
  }

  private Counter received(String checkType) {
    return registry.counter("taskbridge.events.received", "checktype", checkType);
  }

  private Counter started(String checkType) {
    return registry.counter("taskbridge.tasks.started", "checktype", checkType);
  }

  private Counter retries(String checkType) {
    return registry.counter("taskbridge.task.retries", "checktype", checkType);
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

  private static Duration[] seconds(long... s) {
    Duration[] d = new Duration[s.length];
    for (int i = 0; i < s.length; i++) {
      d[i] = Duration.ofSeconds(s[i]);
    }
    return d;
  }

  private static Duration[] millis(long... ms) {
    Duration[] d = new Duration[ms.length];
    for (int i = 0; i < ms.length; i++) {
      d[i] = Duration.ofMillis(ms[i]);
    }
    return d;
  }
}
