package dev.taskbridge.run;

import dev.taskbridge.keptn.TaskKey;
import dev.taskbridge.keptn.TriggerKey;

/**
 * One piece of work of the reconcile queue. Typed rather than prefixed strings: the queue's
 * guarantees (one worker per item, a rerun when it is added while it runs, waiting duplicates
 * collapsed) hold per item, so a task's reconcile, its cancel and its trigger's phase check never
 * wait for one another but each never runs twice at once.
 */
public sealed interface Work {
  /** Move a task along: read, decide, write, report what it owes. */
  record Reconcile(TaskKey task) implements Work {}

  /** A task left the informer's cache: cancel it if the API server no longer has it. */
  record Cancel(TaskKey task) implements Work {}

  /** Check whether a trigger's phase result is owed, publish and record it. */
  record SettlePhase(TriggerKey trigger) implements Work {}
}
