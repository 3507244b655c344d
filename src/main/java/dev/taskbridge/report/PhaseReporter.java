package dev.taskbridge.report;

import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.keptn.TaskKey;
import dev.taskbridge.keptn.TriggerKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A trigger's phase result: published once every task of the trigger has ended and its terminal
 * result is recorded (or, for a single task, right behind that result), then marked on every task.
 */
final class PhaseReporter {
  private final TaskNotes notes;
  private final ResultPublisher publisher;
  private final ResultFactory factory;
  private final Wakeups wakeups;
  private final Clock clock;
  private final ResultLedger ledger;
  private final PhaseLedger phases;

  PhaseReporter(
      TaskNotes notes,
      ResultPublisher publisher,
      ResultFactory factory,
      Wakeups wakeups,
      Clock clock,
      ResultLedger ledger,
      PhaseLedger phases) {
    this.notes = notes;
    this.publisher = publisher;
    this.factory = factory;
    this.wakeups = wakeups;
    this.clock = clock;
    this.ledger = ledger;
    this.phases = phases;
  }

  /**
   * A trigger with a single task is finished when that task's terminal result is: its phase result
   * goes out right behind it (same key, same partition, in order) and both are recorded in one
   * annotation write, instead of a second round of publish and record.
   */
  List<Result> withPhase(TaskFacts facts, List<Result> owed) {
    if (facts.expectedTasks() != 1
        || facts.phasePublished()
        || !phases.tombstones(Reporter.trigger(facts)).isEmpty()) {
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

  /** The phase check of one trigger: {@code tasks} are its KeptnTasks as cached. */
  void settle(TriggerKey trigger, List<KeptnTask> tasks) {
    if (phases.phaseBusy(trigger)) {
      return;
    }
    if (phases.phaseAcked(trigger)) {
      for (KeptnTask t : tasks) {
        notes.markDone(
            t.getMetadata().getNamespace(),
            t.getMetadata().getName(),
            Map.of(Keys.PHASE_PUBLISHED, "true"));
      }
      phases.phaseMarked(trigger);
      return;
    }
    List<TaskFacts> facts = new ArrayList<>();
    for (KeptnTask t : tasks) {
      TaskKey key = TaskKey.of(t);
      if (ledger.phaseRecorded(key)) {
        return; // published with the task's own results (single-task trigger)
      }
      facts.add(TaskFacts.of(t).withPublished(ledger.recordedKinds(key)));
    }
    facts.addAll(phases.tombstones(trigger));
    Optional<PhaseFacts> phase = PhaseFacts.finished(facts, PhaseFacts.refused(tasks));
    if (phase.isEmpty() || !phases.sendPhase(trigger)) {
      return;
    }
    publisher
        .publish(factory.phase(phase.get(), clock.instant()))
        .whenComplete(
            (ok, failure) -> {
              phases.phaseSent(trigger, failure == null);
              wakeups.phase(trigger, failure == null ? Duration.ZERO : Reporter.SEND_RETRY);
            });
  }
}
