package dev.taskbridge.report;

import dev.taskbridge.keptn.KeptnState;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.keptn.TaskKey;
import dev.taskbridge.keptn.TriggerKey;
import dev.taskbridge.metrics.BridgeMetrics;
import dev.taskbridge.run.Cluster;
import dev.taskbridge.run.Work;
import dev.taskbridge.run.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Publishes what each task and each trigger owes, and records on the KeptnTask (annotations) what
 * Kafka acknowledged. What is owed is always derived from the objects, so after a restart the same
 * results (the same ids) are published again if they were not recorded: at least once, never lost.
 */
public final class Reporter {
  private static final Logger LOG = Logger.getLogger(Reporter.class);

  private final Cluster cluster;
  private final ResultPublisher publisher;
  private final ResultFactory factory;
  private final BridgeMetrics metrics;
  private final WorkQueue<Work> queue;
  private final Clock clock;
  private final boolean keptnMode;
  private final ResultFactory.LogTails logTails;

  private final Map<TaskKey, Set<String>> recorded = new ConcurrentHashMap<>();
  private final Map<TaskKey, Set<String>> acked = new ConcurrentHashMap<>();
  private final Set<TaskKey> inFlight = ConcurrentHashMap.newKeySet();
  private final Map<TaskKey, Instant> terminalSeen = new ConcurrentHashMap<>();
  private final Set<TriggerKey> phaseInFlight = ConcurrentHashMap.newKeySet();
  private final Set<TriggerKey> phaseAcked = ConcurrentHashMap.newKeySet();
  private final Set<TriggerKey> phaseDone = ConcurrentHashMap.newKeySet();
  private final Map<TriggerKey, Map<String, TaskFacts>> tombstones = new ConcurrentHashMap<>();

  /**
   * Tasks whose next result waits for a log tail this replica cannot read yet, since when: a log
   * that shows up late (pod cache behind the Job's, a read the API server did not answer) is still
   * published, and two replicas that overlap publish one result id with one content. After {@link
   * #LOG_GRACE} the result goes out without it.
   */
  private final Map<TaskKey, Instant> logsAwaited = new ConcurrentHashMap<>();

  static final Duration LOG_GRACE = Duration.ofSeconds(5);
  static final Duration LOG_RETRY = Duration.ofMillis(250);

  /** In {@link #acked}: the phase result was sent with the task's own results and acknowledged. */
  private static final String PHASE_ACKED = "#phase";

  /** Tasks whose phase result is recorded, until the informer's copy shows it. */
  private final Set<TaskKey> phaseRecorded = ConcurrentHashMap.newKeySet();

  public Reporter(
      Cluster cluster,
      ResultPublisher publisher,
      ResultFactory factory,
      BridgeMetrics metrics,
      WorkQueue<Work> queue,
      Clock clock,
      boolean keptnMode,
      ResultFactory.LogTails logTails) {
    this.cluster = cluster;
    this.publisher = publisher;
    this.factory = factory;
    this.metrics = metrics;
    this.queue = queue;
    this.clock = clock;
    this.keptnMode = keptnMode;
    this.logTails = logTails;
  }

  /** Marks the moment a task's terminal state was seen, for the result latency. */
  public void terminalSeen(TaskKey key) {
    terminalSeen.putIfAbsent(key, clock.instant());
  }

  /** Records what was acknowledged, then publishes what is owed; or asks for the phase check. */
  public void settle(TaskKey key, KeptnTask task) {
    TaskFacts facts = TaskFacts.of(task);
    Set<String> known = new LinkedHashSet<>(facts.published());
    known.addAll(recorded.getOrDefault(key, Set.of()));
    // Results acknowledged by Kafka are recorded on the task together with its terminal result: one
    // annotation write per task instead of one per result. Until then they live in memory (a crash
    // republishes them with the same ids, which the at-least-once contract allows).
    Set<String> newlyAcked = new LinkedHashSet<>(acked.getOrDefault(key, Set.of()));
    boolean phaseWithTask = newlyAcked.remove(PHASE_ACKED);
    boolean terminalAcked = newlyAcked.contains("succeeded") || newlyAcked.contains("failed");
    if (terminalAcked && (!known.containsAll(newlyAcked) || phaseWithTask)) {
      known.addAll(newlyAcked);
      String published = String.join(",", known);
      if (phaseWithTask) {
        cluster.markDone(
            facts.namespace(),
            facts.name(),
            Map.of(Keys.PUBLISHED, published, Keys.PHASE_PUBLISHED, "true"));
      } else {
        cluster.annotate(facts.namespace(), facts.name(), Map.of(Keys.PUBLISHED, published));
      }
      recorded.put(key, known);
      if (phaseWithTask) {
        phaseRecorded.add(key);
      }
      acked.remove(key);
    } else {
      known.addAll(newlyAcked);
    }
    facts = facts.withPublished(known);
    if (ResultFactory.settled(facts) && facts.phasePublished()) {
      recorded.remove(key);
      phaseRecorded.remove(key);
      return;
    }
    if (ResultFactory.settled(facts) && phaseRecorded.contains(key)) {
      return; // recorded; the informer's copy has not caught up yet
    }
    if (inFlight.contains(key)) {
      // what the next results carry is read now, not once this send is answered: a Job's TTL may
      // take its pods (and their logs) while Kafka is out
      readAhead(key, facts);
      return;
    }
    Instant now = clock.instant();
    Instant awaited = logsAwaited.get(key);
    boolean waitForLogs = awaited == null || now.isBefore(awaited.plus(LOG_GRACE));
    ResultFactory.Owed plan = factory.owed(facts, keptnMode, remembered(key), now, waitForLogs);
    List<Result> owed = plan.results();
    if (plan.logsPending()) {
      logsAwaited.putIfAbsent(key, now);
      if (owed.isEmpty()) {
        queue.enqueueAfter(new Work.Reconcile(key), LOG_RETRY);
        return;
      }
    } else {
      logsAwaited.remove(key);
    }
    if (!owed.isEmpty()) {
      send(key, withPhase(facts, owed));
    } else if (ResultFactory.settled(facts) && !facts.phasePublished()) {
      queue.enqueue(new Work.SettlePhase(new TriggerKey(facts.namespace(), facts.trigger())));
    }
  }

  /**
   * A trigger with a single task is finished when that task's terminal result is: its phase result
   * goes out right behind it (same key, same partition, in order) and both are recorded in one
   * annotation write, instead of a second round of publish and record.
   */
  private List<Result> withPhase(TaskFacts facts, List<Result> owed) {
    if (facts.expectedTasks() != 1
        || facts.phasePublished()
        || tombstones.containsKey(new TriggerKey(facts.namespace(), facts.trigger()))) {
      return owed;
    }
    Set<String> kinds = new LinkedHashSet<>();
    owed.forEach(r -> kinds.add(r.kind()));
    Optional<PhaseFacts> phase = PhaseFacts.finished(List.of(facts.withPublished(kinds)));
    if (phase.isEmpty()) {
      return owed;
    }
    List<Result> all = new ArrayList<>(owed);
    all.add(factory.phase(phase.get(), clock.instant()));
    return all;
  }

  private void send(TaskKey key, List<Result> owed) {
    inFlight.add(key);
    publisher
        .publishAll(owed)
        .whenComplete(
            (ok, failure) -> {
              if (failure == null) {
                Set<String> kinds = new LinkedHashSet<>();
                owed.forEach(
                    r ->
                        kinds.add(r.type().equals(Result.PHASE_FINISHED) ? PHASE_ACKED : r.kind()));
                acked.merge(key, kinds, Reporter::union);
                if (owed.stream()
                    .anyMatch(
                        r -> r.type().equals(Result.SUCCEEDED) || r.type().equals(Result.FAILED))) {
                  Instant seen = terminalSeen.remove(key);
                  if (seen != null) {
                    metrics.resultLatency(Duration.between(seen, clock.instant()));
                  }
                }
              } else {
                LOG.warnf(
                    "results of %s not acknowledged (%s); retrying", key, failure.getMessage());
              }
              inFlight.remove(key);
              if (failure == null) {
                queue.enqueue(new Work.Reconcile(key));
              } else {
                queue.enqueueAfter(new Work.Reconcile(key), Duration.ofSeconds(2));
              }
            });
  }

  /**
   * A task deleted before it ended: report it failed with reason Cancelled (kept for the phase).
   * {@code published} runs once its results are acknowledged, {@code failed} when they were not
   * (the caller keeps what it needs to try again).
   */
  public void cancelled(TaskKey key, TaskFacts lastKnown, Runnable published, Runnable failed) {
    Set<String> before =
        union(recorded.getOrDefault(key, Set.of()), acked.getOrDefault(key, Set.of()));
    TaskFacts ended = lastKnown.withPublished(before);
    TriggerKey trigger = new TriggerKey(ended.namespace(), ended.trigger());
    tombstones.computeIfAbsent(trigger, k -> new ConcurrentHashMap<>()).put(ended.name(), ended);
    List<Result> owed = factory.owed(ended, keptnMode, (t, a) -> "", clock.instant());
    if (owed.isEmpty()) {
      forget(key);
      published.run();
      queue.enqueue(new Work.SettlePhase(trigger));
      return;
    }
    publisher
        .publishAll(owed)
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                failed.run();
                return;
              }
              tombstones
                  .get(trigger)
                  .put(
                      ended.name(),
                      ended.withPublished(
                          Set.of(ended.state() == KeptnState.Failed ? "failed" : "succeeded")));
              forget(key);
              published.run();
              queue.enqueue(new Work.SettlePhase(trigger));
            });
  }

  /** A deleted task's results are still owed while publishing failed; retry them. */
  public Optional<TaskFacts> tombstone(String namespace, String trigger, String name) {
    return Optional.ofNullable(
        tombstones.getOrDefault(new TriggerKey(namespace, trigger), Map.of()).get(name));
  }

  /** The phase check of one trigger: {@code tasks} are its KeptnTasks as cached. */
  public void settlePhase(TriggerKey trigger, List<KeptnTask> tasks) {
    if (phaseDone.contains(trigger) || phaseInFlight.contains(trigger)) {
      return;
    }
    if (phaseAcked.contains(trigger)) {
      // the acknowledgement is let go only once every task says so: a write that fails leaves it
      // for the next try instead of tasks never marked done (and a phase published again)
      for (KeptnTask t : tasks) {
        cluster.markDone(
            t.getMetadata().getNamespace(),
            t.getMetadata().getName(),
            Map.of(Keys.PHASE_PUBLISHED, "true"));
      }
      phaseAcked.remove(trigger);
      phaseDone.add(trigger);
      tombstones.remove(trigger);
      return;
    }
    List<TaskFacts> facts = new ArrayList<>();
    for (KeptnTask t : tasks) {
      TaskKey key = TaskKey.of(t);
      if (phaseRecorded.contains(key)) {
        return; // published with the task's own results (single-task trigger)
      }
      facts.add(TaskFacts.of(t).withPublished(recorded.getOrDefault(key, Set.of())));
    }
    facts.addAll(tombstones.getOrDefault(trigger, Map.of()).values());
    Optional<PhaseFacts> phase = PhaseFacts.finished(facts, PhaseFacts.refused(tasks));
    if (phase.isEmpty()) {
      return;
    }
    phaseInFlight.add(trigger);
    publisher
        .publish(factory.phase(phase.get(), clock.instant()))
        .whenComplete(
            (ok, failure) -> {
              if (failure == null) {
                phaseAcked.add(trigger);
              }
              phaseInFlight.remove(trigger);
              if (failure == null) {
                queue.enqueue(new Work.SettlePhase(trigger));
              } else {
                queue.enqueueAfter(new Work.SettlePhase(trigger), Duration.ofSeconds(2));
              }
            });
  }

  /**
   * Forgets a trigger whose phase is recorded on its tasks (they say so themselves from now on).
   */
  public void forgetPhase(TriggerKey trigger) {
    phaseDone.remove(trigger);
  }

  /**
   * Drops what is kept in memory about a task that is done (its results and phase are recorded on
   * it) and left the informer's cache.
   */
  public void forget(TaskKey key) {
    recorded.remove(key);
    acked.remove(key);
    phaseRecorded.remove(key);
    terminalSeen.remove(key);
    logsAwaited.remove(key);
    read.remove(key);
  }

  /**
   * The log tails and pods read for a task, kept until it is forgotten: a result that must be sent
   * again (Kafka did not acknowledge it) carries what was read the first time, not an empty tail
   * because the Job's TTL has removed the pods meanwhile.
   */
  private final Map<TaskKey, Map<String, String>> read = new ConcurrentHashMap<>();

  private ResultFactory.LogTails remembered(TaskKey key) {
    return new ResultFactory.LogTails() {
      @Override
      public String tail(TaskFacts task, int attempt) {
        return once(key, "tail." + attempt, () -> logTails.tail(task, attempt));
      }

      @Override
      public String pod(TaskFacts task, int attempt) {
        return once(key, "pod." + attempt, () -> logTails.pod(task, attempt));
      }
    };
  }

  private void readAhead(TaskKey key, TaskFacts facts) {
    ResultFactory.LogTails tails = remembered(key);
    for (int attempt = 1; attempt <= facts.failedAttempts(); attempt++) {
      tails.tail(facts, attempt);
      tails.pod(facts, attempt);
    }
    tails.pod(facts, facts.failedAttempts() + 1); // the attempt that succeeded, if any
  }

  private String once(TaskKey key, String what, java.util.function.Supplier<String> read) {
    Map<String, String> known = this.read.computeIfAbsent(key, k -> new ConcurrentHashMap<>());
    String value = known.get(what);
    if (value == null) {
      value = read.get();
      if (value != null && !value.isEmpty()) {
        known.put(what, value); // null (not readable yet) and empty are asked again
      }
    }
    return value;
  }

  /** Results waiting for Kafka, for readiness and tests. */
  public int inFlight() {
    return inFlight.size() + phaseInFlight.size();
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new LinkedHashSet<>(a);
    u.addAll(b);
    return u;
  }
}
