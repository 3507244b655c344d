package dev.taskbridge.report;

import dev.taskbridge.contract.ResultType;
import dev.taskbridge.keptn.KeptnState;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.keptn.TaskKey;
import dev.taskbridge.keptn.TriggerKey;
import dev.taskbridge.metrics.BridgeMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Publishes what each task and each trigger owes, and records on the KeptnTask (annotations) what
 * Kafka acknowledged. What is owed is always derived from the objects, so after a restart the same
 * results (the same ids) are published again if they were not recorded: at least once, never lost.
 * What is known in between lives in the {@link ResultLedger}.
 */
public final class Reporter {
  private static final Logger LOG = Logger.getLogger(Reporter.class);

  /**
   * How long a result waits for a log tail this replica cannot read yet (the pod cache behind the
   * Job's, a read the API server did not answer), so that two replicas that overlap publish one
   * result id with one content; after that it goes out without it.
   */
  static final Duration LOG_GRACE = Duration.ofSeconds(5);

  static final Duration LOG_RETRY = Duration.ofMillis(250);
  static final Duration SEND_RETRY = Duration.ofSeconds(2);

  private final TaskNotes notes;
  private final ResultPublisher publisher;
  private final ResultFactory factory;
  private final BridgeMetrics metrics;
  private final Wakeups wakeups;
  private final Clock clock;
  private final boolean keptnMode;
  private final ResultFactory.LogTails logTails;
  private final ResultLedger ledger = new ResultLedger();
  private final PhaseLedger phaseLedger = new PhaseLedger();
  private final PhaseReporter phases;

  public Reporter(
      TaskNotes notes,
      ResultPublisher publisher,
      ResultFactory factory,
      BridgeMetrics metrics,
      Wakeups wakeups,
      Clock clock,
      boolean keptnMode,
      ResultFactory.LogTails logTails) {
    this.notes = notes;
    this.publisher = publisher;
    this.factory = factory;
    this.metrics = metrics;
    this.wakeups = wakeups;
    this.clock = clock;
    this.keptnMode = keptnMode;
    this.logTails = logTails;
    this.phases = new PhaseReporter(notes, publisher, factory, wakeups, clock, ledger, phaseLedger);
  }

  /** Marks the moment a task's terminal state was seen, for the result latency. */
  public void terminalSeen(TaskKey key) {
    ledger.terminalSeen(key, clock.instant());
  }

  /** Records what was acknowledged, then publishes what is owed; or asks for the phase check. */
  public void settle(TaskKey key, KeptnTask task) {
    TaskFacts facts = TaskFacts.of(task);
    Optional<ResultLedger.ToRecord> write = ledger.toRecord(key, facts.published());
    if (write.isPresent()) {
      String published = String.join(",", write.get().published());
      if (write.get().withPhase()) {
        notes.markDone(
            facts.namespace(),
            facts.name(),
            Map.of(Keys.PUBLISHED, published, Keys.PHASE_PUBLISHED, "true"));
      } else {
        notes.annotate(facts.namespace(), facts.name(), Map.of(Keys.PUBLISHED, published));
      }
      ledger.recorded(key, write.get());
    }
    facts = facts.withPublished(ledger.known(key, facts.published()));
    boolean settled = ResultFactory.settled(facts);
    if (settled && facts.phasePublished()) {
      ledger.caughtUp(key);
      return;
    }
    if (settled && ledger.phaseRecorded(key)) {
      return; // recorded; the informer's copy has not caught up yet
    }
    if (ledger.inFlight(key)) {
      // what the next results carry is read now, not once this send is answered: a Job's TTL may
      // take its pods (and their logs) while Kafka is out
      readAhead(key, facts);
      return;
    }
    Instant now = clock.instant();
    Instant awaited = ledger.logsAwaited(key);
    boolean waitForLogs = awaited == null || now.isBefore(awaited.plus(LOG_GRACE));
    ResultFactory.Owed plan = factory.owed(facts, keptnMode, remembered(key), now, waitForLogs);
    List<Result> owed = plan.results();
    if (plan.logsPending()) {
      ledger.awaitingLogs(key, now);
      if (owed.isEmpty()) {
        wakeups.task(key, LOG_RETRY);
        return;
      }
    } else {
      ledger.logsRead(key);
    }
    if (!owed.isEmpty()) {
      send(key, phases.withPhase(facts, owed));
    } else if (settled && !facts.phasePublished()) {
      wakeups.phase(trigger(facts), Duration.ZERO);
    }
  }

  private void send(TaskKey key, List<Result> owed) {
    if (!ledger.send(key)) {
      return;
    }
    publisher
        .publishAll(owed)
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                LOG.warnf(
                    "results of %s not acknowledged (%s); retrying", key, failure.getMessage());
                ledger.notAcknowledged(key);
                wakeups.task(key, SEND_RETRY);
                return;
              }
              List<String> kinds = new ArrayList<>();
              boolean withPhase = false;
              for (Result r : owed) {
                if (r.type() == ResultType.PHASE_FINISHED) {
                  withPhase = true;
                } else {
                  kinds.add(r.kind());
                }
              }
              ledger
                  .acknowledged(key, kinds, withPhase)
                  .ifPresent(
                      seen -> metrics.resultLatency(Duration.between(seen, clock.instant())));
              wakeups.task(key, Duration.ZERO);
            });
  }

  /**
   * A task deleted before it ended: report it failed with reason Cancelled (kept for the phase).
   * {@code published} runs once its results are acknowledged, {@code failed} when they were not
   * (the caller keeps what it needs to try again).
   */
  public void cancelled(TaskKey key, TaskFacts lastKnown, Runnable published, Runnable failed) {
    TaskFacts ended = lastKnown.withPublished(ledger.known(key, Set.of()));
    TriggerKey trigger = trigger(ended);
    phaseLedger.tombstone(trigger, ended);
    List<Result> owed = factory.owed(ended, keptnMode, (t, a) -> "", clock.instant());
    if (owed.isEmpty()) {
      ledger.forget(key);
      published.run();
      wakeups.phase(trigger, Duration.ZERO);
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
              String end = ended.state() == KeptnState.Failed ? "failed" : "succeeded";
              phaseLedger.tombstone(trigger, ended.withPublished(Set.of(end)));
              ledger.forget(key);
              published.run();
              wakeups.phase(trigger, Duration.ZERO);
            });
  }

  /** The phase check of one trigger: {@code tasks} are its KeptnTasks as cached. */
  public void settlePhase(TriggerKey trigger, List<KeptnTask> tasks) {
    phases.settle(trigger, tasks);
  }

  /**
   * Forgets a trigger whose phase is recorded on its tasks (they say so themselves from now on).
   */
  public void forgetPhase(TriggerKey trigger) {
    phaseLedger.forgetPhase(trigger);
  }

  /** Drops what is kept in memory about a task that was deleted, or is done and left the cache. */
  public void forget(TaskKey key) {
    ledger.forget(key);
  }

  /** Results waiting for Kafka, for readiness and tests. */
  public int inFlight() {
    return ledger.inFlight() + phaseLedger.inFlight();
  }

  /** Log tails and pod names, each read once per task (see {@link ResultLedger#once}). */
  private ResultFactory.LogTails remembered(TaskKey key) {
    return new ResultFactory.LogTails() {
      @Override
      public String tail(TaskFacts task, int attempt) {
        return ledger.once(key, "tail." + attempt, () -> logTails.tail(task, attempt));
      }

      @Override
      public String pod(TaskFacts task, int attempt) {
        return ledger.once(key, "pod." + attempt, () -> logTails.pod(task, attempt));
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

  static TriggerKey trigger(TaskFacts facts) {
    return new TriggerKey(facts.namespace(), facts.trigger());
  }
}
