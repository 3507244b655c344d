package dev.taskbridge.plan;

import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.Keys;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the cluster holds about the deployment event first seen under a {@code (source, id)}: its
 * {@code type}, the definitions of the tasks it ran and how many there were ({@code count} may
 * exceed the definitions known when only some of its tasks were found; 0: not known, -1: not a
 * number). Admission finds it by name, as the ConfigMap {@code taskbridge-trigger-<hash>} beside
 * the event's KeptnTasks, instead of listing the namespace's KeptnTasks by label: a lookup that
 * costs the same with 10 or 100,000 tasks in the namespace. The ConfigMap is owned by those
 * KeptnTasks, so Kubernetes' garbage collector removes it with the last of them. Pure.
 */
public record TriggerRecord(String type, SortedSet<String> definitions, int count) {
  static final String TYPE = "type";
  static final String DEFINITIONS = "taskDefinitions";
  static final String COUNT = "count";

  public TriggerRecord {
    definitions = new TreeSet<>(definitions);
  }

  /** The ConfigMap that holds the record of a trigger. */
  public static String objectName(String triggerHash) {
    return "taskbridge-trigger-" + triggerHash;
  }

  /**
   * The record of a plan whose tasks all exist: {@code tasks} (as the API server has them, with
   * their uids) own it.
   */
  public static ConfigMap toConfigMap(Plan plan, List<KeptnTask> tasks) {
    DeploymentEvent e = plan.event();
    Map<String, String> labels = DesiredTask.triggerLabels(plan);
    Map<String, String> annotations = DesiredTask.triggerAnnotations(plan);
    SortedSet<String> defs = new TreeSet<>();
    plan.tasks().forEach(t -> defs.add(t.definitionName()));
    Map<String, String> data = new LinkedHashMap<>();
    data.put(TYPE, e.type());
    data.put(DEFINITIONS, String.join("\n", defs));
    data.put(COUNT, Integer.toString(plan.tasks().size()));
    List<OwnerReference> owners = new ArrayList<>();
    for (KeptnTask t : tasks) {
      owners.add(
          new OwnerReferenceBuilder()
              .withApiVersion(KeptnTask.API_VERSION)
              .withKind("KeptnTask")
              .withName(t.getMetadata().getName())
              .withUid(t.getMetadata().getUid())
              .withController(false)
              .withBlockOwnerDeletion(false)
              .build());
    }
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(objectName(plan.triggerHash()))
        .withNamespace(e.namespace())
        .withLabels(labels)
        .withAnnotations(annotations)
        .withOwnerReferences(owners)
        .endMetadata()
        .withImmutable(true)
        .withData(data)
        .build();
  }

  /**
   * The record a ConfigMap holds; empty when it is not one of the bridge's (a ConfigMap of that
   * name someone else made is not taken for a record).
   */
  public static Optional<TriggerRecord> fromConfigMap(ConfigMap cm) {
    if (cm == null
        || cm.getMetadata() == null
        || cm.getMetadata().getLabels() == null
        || !Keys.PRODUCT.equals(cm.getMetadata().getLabels().get(Keys.MANAGED_BY))) {
      return Optional.empty();
    }
    Map<String, String> data = cm.getData() == null ? Map.of() : cm.getData();
    SortedSet<String> defs = new TreeSet<>();
    String listed = data.getOrDefault(DEFINITIONS, "");
    Arrays.stream(listed.split("\n")).filter(s -> !s.isBlank()).forEach(defs::add);
    int count;
    try {
      count = Integer.parseInt(data.getOrDefault(COUNT, ""));
    } catch (NumberFormatException e) {
      count = -1; // edited by hand: never the same set
    }
    return Optional.of(new TriggerRecord(data.get(TYPE), defs, count));
  }
}
