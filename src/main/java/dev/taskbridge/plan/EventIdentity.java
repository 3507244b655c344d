package dev.taskbridge.plan;

import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.Keys;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code (source, id)} identifies an event. Seen again with the same type and the same set of tasks
 * it is a duplicate (nothing runs twice); with another type or another set of tasks it is a
 * conflict, refused before anything is created. Pure: decided from the plan and the KeptnTasks the
 * cluster already has for that trigger.
 */
public final class EventIdentity {
  private EventIdentity() {}

  /**
   * Why the event conflicts with the one first seen under its {@code (source, id)}; empty when it
   * is new or the same event again (possibly half-created before a crash: the rest is created).
   */
  public static Optional<String> conflict(Plan plan, List<KeptnTask> existing) {
    if (existing.isEmpty()) {
      return Optional.empty();
    }
    Set<String> before = new TreeSet<>();
    String typeBefore = null;
    String countBefore = null;
    for (KeptnTask t : existing) {
      Map<String, String> a = t.getMetadata().getAnnotations();
      a = a == null ? Map.of() : a;
      typeBefore = typeBefore != null ? typeBefore : a.get(Keys.TRIGGER_TYPE);
      countBefore = countBefore != null ? countBefore : a.get(Keys.TRIGGER_TASKS);
      if (t.getSpec() != null && t.getSpec().taskDefinition != null) {
        before.add(t.getSpec().taskDefinition);
      }
    }
    int count = 0; // unknown: the set is compared by what was found
    if (countBefore != null) {
      try {
        count = Integer.parseInt(countBefore);
      } catch (NumberFormatException e) {
        count = -1; // written by someone else: never the same set
      }
    }
    return conflict(plan, new TriggerRecord(typeBefore, new TreeSet<>(before), count));
  }

  /**
   * {@link #conflict(Plan, List)} against the record of the event first seen under the plan's
   * {@code (source, id)} (empty: none); a record without a type (tasks written by hand) conflicts
   * only by its task set.
   */
  public static Optional<String> conflict(Plan plan, Optional<TriggerRecord> first) {
    return first.isEmpty() ? Optional.empty() : conflict(plan, first.get());
  }

  private static Optional<String> conflict(Plan plan, TriggerRecord before) {
    String type = plan.event().type();
    Set<String> planned =
        plan.tasks().stream().map(PlannedTask::definitionName).collect(Collectors.toSet());
    if (before.type() != null && !before.type().equals(type)) {
      return Optional.of(
          "the id was first used by an event of type "
              + before.type()
              + "; this one is "
              + type
              + " (give each event its own id)");
    }
    boolean sameSet =
        planned.containsAll(before.definitions())
            && (before.count() == 0 || before.count() == planned.size());
    if (!sameSet) {
      return Optional.of(
          "the id was first used by an event that runs "
              + before.definitions()
              + (before.count() != 0 && before.count() != before.definitions().size()
                  ? " (" + (before.count() < 0 ? "?" : before.count()) + " tasks)"
                  : "")
              + "; this one resolves to "
              + new TreeSet<>(planned));
    }
    return Optional.empty();
  }
}
