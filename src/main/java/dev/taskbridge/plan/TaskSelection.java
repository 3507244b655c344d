package dev.taskbridge.plan;

import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.contract.CheckType;
import dev.taskbridge.keptn.KeptnAppContext;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Which task definitions an event runs: the ones it names; else its app's KeptnAppContext; else the
 * first matching configured rule; else none.
 */
public final class TaskSelection {
  private TaskSelection() {}

  public static boolean needsAppContext(DeploymentEvent event) {
    return event.tasks() == null;
  }

  public static List<String> select(
      DeploymentEvent event, Optional<KeptnAppContext> appContext, List<BridgeConfig.Rule> rules) {
    if (event.tasks() != null) {
      return distinct(event.tasks());
    }
    if (appContext.isPresent() && appContext.get().getSpec() != null) {
      var spec = appContext.get().getSpec();
      List<String> fromContext =
          event.checkType() == CheckType.pre ? spec.preDeploymentTasks : spec.postDeploymentTasks;
      return fromContext == null ? List.of() : distinct(fromContext);
    }
    for (BridgeConfig.Rule rule : rules) {
      if (matches(rule, event)) {
        return distinct(rule.tasks());
      }
    }
    return List.of();
  }

  static boolean matches(BridgeConfig.Rule rule, DeploymentEvent event) {
    return rule.namespace().map(event.namespace()::equals).orElse(true)
        && rule.app().map(event.appName()::equals).orElse(true)
        && rule.workload().map(w -> w.equals(event.workloadName())).orElse(true)
        && rule.type().map(t -> t == event.checkType()).orElse(true);
  }

  private static List<String> distinct(List<String> names) {
    return List.copyOf(new LinkedHashSet<>(names));
  }
}
