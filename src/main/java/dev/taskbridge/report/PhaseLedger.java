package dev.taskbridge.report;

import dev.taskbridge.keptn.TriggerKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this replica knows of each trigger's phase result, without I/O: in flight → acknowledged →
 * marked on every task (done) → forgotten once the tasks say so themselves; and the tasks deleted
 * before the phase was settled, as they ended. Released by {@link #forgetPhase}.
 */
public final class PhaseLedger {
  /** One trigger's entry. Changed under its own lock; its flags are also read without it. */
  private static final class Phase {
    volatile boolean inFlight;
    volatile boolean acked;
    volatile boolean done;
    final Map<String, TaskFacts> tombstones = new ConcurrentHashMap<>();
  }

  private final Map<TriggerKey, Phase> phases = new ConcurrentHashMap<>();

  /** Nothing to do for the phase: done, or its result is in flight. */
  public boolean phaseBusy(TriggerKey trigger) {
    Phase p = phases.get(trigger);
    return p != null && (p.done || p.inFlight);
  }

  /** The phase result is acknowledged and waits to be marked on every task. */
  public boolean phaseAcked(TriggerKey trigger) {
    Phase p = phases.get(trigger);
    return p != null && p.acked;
  }

  /** Starts sending the phase result unless it is in flight or done: true when the caller sends. */
  public boolean sendPhase(TriggerKey trigger) {
    Phase p = phase(trigger);
    synchronized (p) {
      if (p.inFlight || p.done) {
        return false;
      }
      p.inFlight = true;
      return true;
    }
  }

  /** The phase result's send ended: {@code ok} when Kafka acknowledged it. */
  public void phaseSent(TriggerKey trigger, boolean ok) {
    Phase p = phase(trigger);
    synchronized (p) {
      p.inFlight = false;
      p.acked |= ok;
    }
  }

  /**
   * Every task of the trigger is marked: the phase is done until {@link #forgetPhase}. The
   * acknowledgement is let go only now, so a write that failed on the way is tried again.
   */
  public void phaseMarked(TriggerKey trigger) {
    Phase p = phase(trigger);
    synchronized (p) {
      p.acked = false;
      p.done = true;
      p.tombstones.clear();
    }
  }

  /** A task deleted before its trigger's phase was settled, as it ended (kept for the phase). */
  public void tombstone(TriggerKey trigger, TaskFacts ended) {
    phase(trigger).tombstones.put(ended.name(), ended);
  }

  public Collection<TaskFacts> tombstones(TriggerKey trigger) {
    Phase p = phases.get(trigger);
    return p == null ? List.of() : List.copyOf(p.tombstones.values());
  }

  /** The trigger's phase is recorded on its tasks (they say so themselves from now on). */
  public void forgetPhase(TriggerKey trigger) {
    phases.remove(trigger);
  }

  /** Phase results waiting for Kafka. */
  public int inFlight() {
    int n = 0;
    for (Phase p : phases.values()) {
      n += p.inFlight ? 1 : 0;
    }
    return n;
  }

  /** Triggers with an entry. */
  public int size() {
    return phases.size();
  }

  private Phase phase(TriggerKey trigger) {
    return phases.computeIfAbsent(trigger, k -> new Phase());
  }
}
