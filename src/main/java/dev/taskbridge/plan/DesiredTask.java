package dev.taskbridge.plan;

import dev.taskbridge.keptn.GoDuration;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskSpec;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.keptn.ParameterMap;
import dev.taskbridge.keptn.SecureParameters;
import dev.taskbridge.keptn.TaskContext;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** The KeptnTask for one planned task, filled the way Keptn fills the ones it generates. Pure. */
public final class DesiredTask {
  private DesiredTask() {}

  public static KeptnTask of(Plan plan, PlannedTask planned, Instant receivedAt) {
    DeploymentEvent e = plan.event();
    Map<String, String> labels = triggerLabels(plan);
    Map<String, String> annotations = triggerAnnotations(plan);
    annotations.put(Keys.TRIGGER_TYPE, e.type());
    annotations.put(Keys.TRIGGER_TASKS, Integer.toString(plan.tasks().size()));
    annotations.put(Keys.RECEIVED_AT, receivedAt.toString());
    if (planned.definition() != null) {
      annotations.put(Keys.DEFINITION_NAMESPACE, planned.definition().namespace());
    }

    KeptnTask task = new KeptnTask();
    task.setMetadata(
        new ObjectMetaBuilder()
            .withName(planned.name())
            .withNamespace(e.namespace())
            .withLabels(labels)
            .withAnnotations(annotations)
            .build());
    task.setSpec(spec(e, planned));
    return task;
  }

  /** The labels of everything the bridge writes for one event: managed-by, part-of, trigger. */
  static Map<String, String> triggerLabels(Plan plan) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Keys.MANAGED_BY, Keys.PRODUCT);
    labels.put(Keys.PART_OF, Keys.PRODUCT);
    labels.put(Keys.TRIGGER, plan.triggerHash());
    return labels;
  }

  /** The event's {@code source} and {@code id}, as annotations (a new, modifiable map). */
  static Map<String, String> triggerAnnotations(Plan plan) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(Keys.TRIGGER_SOURCE, plan.event().source());
    annotations.put(Keys.TRIGGER_ID, plan.event().id());
    return annotations;
  }

  static KeptnTaskSpec spec(DeploymentEvent e, PlannedTask planned) {
    KeptnTaskSpec spec = new KeptnTaskSpec();
    spec.taskDefinition = planned.definitionName();
    spec.checkType = e.checkType().name();
    spec.retries = planned.retries();
    spec.timeout = GoDuration.format(planned.timeout());
    spec.context = context(e);
    if (e.parameters() != null && !e.parameters().isEmpty()) {
      spec.parameters = new ParameterMap(new TreeMap<>(e.parameters()));
    }
    if (e.secureParameters() != null) {
      spec.secureParameters = new SecureParameters(e.secureParameters());
    }
    return spec;
  }

  static TaskContext context(DeploymentEvent e) {
    TaskContext c = new TaskContext();
    c.appName = e.appName();
    c.appVersion = e.appVersion();
    c.workloadName = e.isWorkload() ? e.workloadName() : "";
    c.workloadVersion = e.isWorkload() ? e.workloadVersion() : "";
    c.taskType = e.checkType().name();
    c.objectType = e.isWorkload() ? "Workload" : "App";
    Map<String, String> metadata = new TreeMap<>();
    if (e.metadata() != null) {
      metadata.putAll(e.metadata());
    }
    if (e.traceparent() != null) {
      metadata.put("traceparent", e.traceparent());
    }
    c.metadata = metadata.isEmpty() ? null : metadata;
    return c;
  }
}
