package dev.taskbridge.report;

import dev.taskbridge.keptn.TaskKey;
import dev.taskbridge.keptn.TriggerKey;
import java.time.Duration;

/**
 * How the {@link Reporter} asks to be called again (after a send is answered, to try again, or to
 * check a trigger's phase): the run stage's work queue implements it.
 */
public interface Wakeups {
  /** Reconcile the task again {@code after} from now ({@link Duration#ZERO}: as soon as may be). */
  void task(TaskKey key, Duration after);

  /** Check the trigger's phase result again {@code after} from now. */
  void phase(TriggerKey trigger, Duration after);
}
