package dev.taskbridge.plan;

import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.keptn.KeptnDefaults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns an event and the definitions found for it into KeptnTasks to create. Pure. */
public final class Planner {
  private final BridgeConfig.Tasks caps;

  public Planner(BridgeConfig.Tasks caps) {
    this.caps = caps;
  }

  public Plan plan(
      DeploymentEvent event, List<String> definitionNames, Map<String, FoundDefinition> found) {
    List<PlannedTask> tasks = new ArrayList<>(definitionNames.size());
    for (String definition : definitionNames) {
      FoundDefinition def = found.get(definition);
      tasks.add(
          new PlannedTask(
              Names.taskName(event.checkType(), definition, event.source(), event.id()),
              definition,
              def,
              retries(event, def),
              timeout(event, def)));
    }
    return new Plan(event, event.triggerHash(), List.copyOf(tasks));
  }

  /** The event's (capped), else the definition's, else Keptn's 10. */
  int retries(DeploymentEvent event, FoundDefinition def) {
    if (event.retries() != null) {
      return Math.min(event.retries(), caps.maxRetries());
    }
    if (def != null
        && def.definition().getSpec() != null
        && def.definition().getSpec().retries != null) {
      return Math.max(0, def.definition().getSpec().retries);
    }
    return KeptnDefaults.RETRIES;
  }

  /**
   * The event's (capped), else the definition's, else Keptn's 5m; in whole seconds, at least one.
   */
  Duration timeout(DeploymentEvent event, FoundDefinition def) {
    if (event.timeout() != null) {
      Duration t =
          event.timeout().compareTo(caps.maxTimeout()) > 0 ? caps.maxTimeout() : event.timeout();
      return Duration.ofSeconds(Math.max(1, t.getSeconds()));
    }
    return KeptnDefaults.timeout(
        def != null && def.definition().getSpec() != null
            ? def.definition().getSpec().timeout
            : null);
  }
}
