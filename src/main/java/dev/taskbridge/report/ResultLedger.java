package dev.taskbridge.report;

import dev.taskbridge.keptn.TaskKey;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What this replica knows of each task's results beyond what the KeptnTask says, in one place and
 * without I/O. A task's results go owed → in flight → acknowledged (by Kafka) → recorded (on the
 * task, one annotation write with its terminal result) → phase (its trigger's phase result) → done;
 * the task object is the truth, this only bridges the time until the informer's copy shows what was
 * written. Everything about a task is released by {@link #forget} (a trigger's phase is kept by
 * {@link PhaseLedger}): memory follows the work in flight.
 */
public final class ResultLedger {
  /** One task's entry. Changed under its own lock; its flags are also read without it. */
  private static final class Task {
    final Set<String> recorded = new LinkedHashSet<>();
    final Set<String> acked = new LinkedHashSet<>();
    volatile boolean phaseAcked;
    volatile boolean phaseRecorded;
    volatile boolean inFlight;
    volatile Instant terminalSeen;
    volatile Instant logsAwaited;
    final Map<String, String> read = new ConcurrentHashMap<>();
  }

  /**
   * What to write on a task now: every result kind recorded with {@code published}; {@code
   * withPhase}: its trigger's phase result too (a single-task trigger, sent with the task's own).
   */
  public record ToRecord(Set<String> published, boolean withPhase) {}

  private final Map<TaskKey, Task> tasks = new ConcurrentHashMap<>();

  /** The task's published results: what it says ({@code onTask}), recorded and acknowledged. */
  public Set<String> known(TaskKey key, Collection<String> onTask) {
    Set<String> all = new LinkedHashSet<>(onTask);
    Task t = tasks.get(key);
    if (t != null) {
      synchronized (t) {
        all.addAll(t.recorded);
        all.addAll(t.acked);
      }
    }
    return all;
  }

  /**
   * What is acknowledged and should be written on the task now, or empty: results are recorded
   * together with the task's terminal one (one write per task, not one per result); until then they
   * live here, and a crash publishes them again under the same ids.
   */
  public Optional<ToRecord> toRecord(TaskKey key, Collection<String> onTask) {
    Task t = tasks.get(key);
    if (t == null) {
      return Optional.empty();
    }
    synchronized (t) {
      Set<String> known = new LinkedHashSet<>(onTask);
      known.addAll(t.recorded);
      boolean terminal = t.acked.contains("succeeded") || t.acked.contains("failed");
      if (!terminal || (known.containsAll(t.acked) && !t.phaseAcked)) {
        return Optional.empty();
      }
      known.addAll(t.acked);
      return Optional.of(new ToRecord(known, t.phaseAcked));
    }
  }

  /** {@code written} is on the task now (the write answered). */
  public void recorded(TaskKey key, ToRecord written) {
    Task t = task(key);
    synchronized (t) {
      t.recorded.addAll(written.published());
      t.phaseRecorded |= written.withPhase();
      t.acked.clear();
      t.phaseAcked = false;
    }
  }

  /** The task's copy shows everything recorded: nothing about its results is needed any more. */
  public void caughtUp(TaskKey key) {
    Task t = tasks.get(key);
    if (t != null) {
      synchronized (t) {
        t.recorded.clear();
        t.phaseRecorded = false;
      }
    }
  }

  /** The result kinds this replica recorded on the task (its copy may not show them yet). */
  public Set<String> recordedKinds(TaskKey key) {
    Task t = tasks.get(key);
    if (t == null) {
      return Set.of();
    }
    synchronized (t) {
      return new LinkedHashSet<>(t.recorded);
    }
  }

  /** The phase result went with the task's own and is recorded; the task's copy may lag. */
  public boolean phaseRecorded(TaskKey key) {
    Task t = tasks.get(key);
    return t != null && t.phaseRecorded;
  }

  /** Starts a send unless one is in flight: true when the caller should send. */
  public boolean send(TaskKey key) {
    Task t = task(key);
    synchronized (t) {
      if (t.inFlight) {
        return false;
      }
      t.inFlight = true;
      return true;
    }
  }

  public boolean inFlight(TaskKey key) {
    Task t = tasks.get(key);
    return t != null && t.inFlight;
  }

  /**
   * Kafka acknowledged {@code kinds} ({@code withPhase}: and the trigger's phase result). Returns
   * when the task's end was first seen if a terminal result was among them (for the latency).
   */
  public Optional<Instant> acknowledged(TaskKey key, List<String> kinds, boolean withPhase) {
    Task t = task(key);
    synchronized (t) {
      t.acked.addAll(kinds);
      t.phaseAcked |= withPhase;
      t.inFlight = false;
      if (kinds.contains("succeeded") || kinds.contains("failed")) {
        Instant seen = t.terminalSeen;
        t.terminalSeen = null;
        return Optional.ofNullable(seen);
      }
      return Optional.empty();
    }
  }

  /** The send failed: the same results are owed again. */
  public void notAcknowledged(TaskKey key) {
    Task t = tasks.get(key);
    if (t != null) {
      synchronized (t) {
        t.inFlight = false;
      }
    }
  }

  /** The task's end was seen now (the first time counts). */
  public void terminalSeen(TaskKey key, Instant now) {
    Task t = task(key);
    synchronized (t) {
      if (t.terminalSeen == null) {
        t.terminalSeen = now;
      }
    }
  }

  /** The task's next result waits for a log tail: since when (the first call says now). */
  public Instant awaitingLogs(TaskKey key, Instant now) {
    Task t = task(key);
    synchronized (t) {
      if (t.logsAwaited == null) {
        t.logsAwaited = now;
      }
      return t.logsAwaited;
    }
  }

  /** Since when the task's next result waits for a log tail, or null. */
  public Instant logsAwaited(TaskKey key) {
    Task t = tasks.get(key);
    return t == null ? null : t.logsAwaited;
  }

  public void logsRead(TaskKey key) {
    Task t = tasks.get(key);
    if (t != null) {
      synchronized (t) {
        t.logsAwaited = null;
      }
    }
  }

  /**
   * What was read for the task under {@code what} (a log tail, a pod's name), read once: a result
   * sent again carries what was read the first time, not an empty tail because the Job's TTL took
   * the pods meanwhile. Null (not readable yet) and empty are asked again.
   */
  public String once(TaskKey key, String what, Supplier<String> read) {
    Task t = task(key);
    String value = t.read.get(what);
    if (value == null) {
      value = read.get();
      if (value != null && !value.isEmpty()) {
        t.read.put(what, value);
      }
    }
    return value;
  }

  /** Drops everything about a task (it was deleted, or it is done and left the cache). */
  public void forget(TaskKey key) {
    tasks.remove(key);
  }

  // for readiness, tests and the memory check

  /** Sends of task results waiting for Kafka. */
  public int inFlight() {
    int n = 0;
    for (Task t : tasks.values()) {
      n += t.inFlight ? 1 : 0;
    }
    return n;
  }

  /** Tasks with an entry. */
  public int size() {
    return tasks.size();
  }

  private Task task(TaskKey key) {
    return tasks.computeIfAbsent(key, k -> new Task());
  }
}
