package dev.taskbridge.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskbridge.contract.CheckType;
import dev.taskbridge.keptn.KeptnTask;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TriggerRecordTest {
  static KeptnTask made(String name, String uid) {
    KeptnTask t = new KeptnTask();
    t.setMetadata(new ObjectMetaBuilder().withName(name).withUid(uid).build());
    return t;
  }

  @Test
  void aPlansRecordIsOwnedByItsTasksAndReadsBackAsThePlan() {
    Plan plan = EventIdentityTest.plan(CheckType.post, "b", "a");
    ConfigMap cm =
        TriggerRecord.toConfigMap(
            plan,
            List.of(
                made(plan.tasks().get(0).name(), "uid-b"),
                made(plan.tasks().get(1).name(), "uid-a")));

    assertThat(cm.getMetadata().getName()).isEqualTo("taskbridge-trigger-" + plan.triggerHash());
    assertThat(cm.getMetadata().getName().length()).isLessThanOrEqualTo(63);
    assertThat(cm.getMetadata().getNamespace()).isEqualTo(plan.event().namespace());
    assertThat(cm.getMetadata().getLabels())
        .containsEntry("taskbridge.dev/trigger", plan.triggerHash())
        .containsEntry("app.kubernetes.io/managed-by", "keptn-task-bridge");
    assertThat(cm.getImmutable()).isTrue();
    assertThat(cm.getMetadata().getOwnerReferences())
        .allSatisfy(
            o -> {
              assertThat(o.getKind()).isEqualTo("KeptnTask");
              assertThat(o.getApiVersion()).isEqualTo("lifecycle.keptn.sh/v1");
              assertThat(o.getController()).as("the Job's controller is its task").isFalse();
              assertThat(o.getBlockOwnerDeletion()).isFalse();
            })
        .extracting(o -> o.getUid())
        .containsExactly("uid-b", "uid-a");
    assertThat(cm.getData())
        .containsEntry("type", "dev.taskbridge.deployment.post")
        .containsEntry("taskDefinitions", "a\nb")
        .containsEntry("count", "2");

    Optional<TriggerRecord> back = TriggerRecord.fromConfigMap(cm);
    assertThat(back).isPresent();
    assertThat(EventIdentity.conflict(plan, back)).as("the same event again").isEmpty();
    assertThat(EventIdentity.conflict(EventIdentityTest.plan(CheckType.post, "a"), back))
        .hasValueSatisfying(m -> assertThat(m).contains("[a, b]").contains("resolves to [a]"));
    assertThat(EventIdentity.conflict(EventIdentityTest.plan(CheckType.pre, "a", "b"), back))
        .hasValueSatisfying(m -> assertThat(m).contains("dev.taskbridge.deployment.post"));
    assertThat(EventIdentity.conflict(plan, Optional.empty())).as("a new event").isEmpty();
  }

  @Test
  void aConfigMapOfThatNameTheBridgeDidNotWriteIsNoRecord() {
    ConfigMap foreign =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("taskbridge-trigger-0123456789abcdef")
            .endMetadata()
            .withData(Map.of("type", "x"))
            .build();
    assertThat(TriggerRecord.fromConfigMap(foreign)).isEmpty();
    assertThat(TriggerRecord.fromConfigMap(null)).isEmpty();
  }

  @Test
  void aRecordEditedByHandConflictsWithEveryTaskSetButNeverBreaksAdmission() {
    Plan plan = EventIdentityTest.plan(CheckType.post, "a");
    ConfigMap cm = TriggerRecord.toConfigMap(plan, List.of());
    cm.setData(new HashMap<>(Map.of("count", "many", "taskDefinitions", "\n\na\n")));
    Optional<TriggerRecord> edited = TriggerRecord.fromConfigMap(cm);
    assertThat(edited).hasValueSatisfying(r -> assertThat(r.definitions()).containsExactly("a"));
    assertThat(EventIdentity.conflict(plan, edited))
        .hasValueSatisfying(m -> assertThat(m).contains("(? tasks)"));
  }
}
