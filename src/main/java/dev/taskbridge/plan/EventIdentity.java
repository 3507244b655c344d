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
    String type = plan.event().type();
    Set<String> planned =
        plan.tasks().stream().map(PlannedTask::definitionName).collect(Collectors.toSet());
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
    if (typeBefore != null && !typeBefore.equals(type)) {
      return Optional.of(
          "the id was first used by an event of type "
              + typeBefore
              + "; this one is "
              + type
              + " (give each event its own id)");
    }
    boolean sameSet =
        planned.containsAll(before)
            && (countBefore == null || countBefore.equals(Integer.toString(planned.size())));
    if (!sameSet) {
      return Optional.of(
          "the id was first used by an event that runs "
              + before
              + (countBefore != null && !countBefore.equals(Integer.toString(before.size()))
                  ? " (" + countBefore + " tasks)"
                  : "")
              + "; this one resolves to "
              + new TreeSet<>(planned));
    }
    return Optional.empty();
  }
}
