package dev.taskbridge.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskbridge.contract.CheckType;
import dev.taskbridge.keptn.KeptnAppContext;
import dev.taskbridge.keptn.KeptnAppContextSpec;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskDefinition;
import dev.taskbridge.keptn.KeptnTaskDefinitionSpec;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.testing.AnEvent;
import dev.taskbridge.testing.Samples;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlannerTest {
  final Samples.Config config = Samples.config();

  static FoundDefinition def(String ns, Integer retries, String timeout) {
    KeptnTaskDefinition d = new KeptnTaskDefinition();
    d.setMetadata(new ObjectMetaBuilder().withName("d").withNamespace(ns).build());
    d.setSpec(new KeptnTaskDefinitionSpec());
    d.getSpec().retries = retries;
    d.getSpec().timeout = timeout;
    return new FoundDefinition(ns, d);
  }

  static KeptnAppContext context(List<String> pre, List<String> post) {
    KeptnAppContext c = new KeptnAppContext();
    c.setSpec(new KeptnAppContextSpec());
    c.getSpec().preDeploymentTasks = pre;
    c.getSpec().postDeploymentTasks = post;
    return c;
  }

  @Test
  void explicitTasksWinOverAppContextAndRules() {
    var e = Samples.appEvent(CheckType.pre, List.of("a", "b", "a"));
    config.rules = List.of(Samples.rule(null, null, null, null, List.of("r")));
    assertThat(
            TaskSelection.select(e, Optional.of(context(List.of("c"), List.of())), config.rules()))
        .containsExactly("a", "b");
  }

  @Test
  void appContextListsTheTasksOfTheEventsPhase() {
    var ctx = Optional.of(context(List.of("pre-1"), List.of("post-1", "post-2")));
    assertThat(TaskSelection.select(Samples.appEvent(CheckType.pre, null), ctx, List.of()))
        .containsExactly("pre-1");
    assertThat(TaskSelection.select(Samples.appEvent(CheckType.post, null), ctx, List.of()))
        .containsExactly("post-1", "post-2");
  }

  @Test
  void rulesApplyWhenThereIsNoAppContextAndTheFirstMatchWins() {
    config.rules =
        List.of(
            Samples.rule("other", null, null, null, List.of("no")),
            Samples.rule("team-a", "shop", null, "post", List.of("no-either")),
            Samples.rule("team-a", null, "cart", "pre", List.of("cart-check")),
            Samples.rule(null, null, null, null, List.of("catch-all")));
    assertThat(
            TaskSelection.select(
                Samples.workloadEvent(CheckType.pre, null), Optional.empty(), config.rules()))
        .containsExactly("cart-check");
    assertThat(
            TaskSelection.select(
                Samples.appEvent(CheckType.pre, null), Optional.empty(), config.rules()))
        .containsExactly("catch-all");
  }

  @Test
  void nothingMatchesMeansNoTasks() {
    assertThat(
            TaskSelection.select(
                Samples.appEvent(CheckType.pre, null), Optional.empty(), List.of()))
        .isEmpty();
  }

  @Test
  void retriesAndTimeoutComeFromTheEventCappedThenTheDefinitionThenKeptnsDefaults() {
    Planner p = new Planner(config.tasks());
    var plain = Samples.appEvent(CheckType.pre, List.of("d"));
    assertThat(p.retries(plain, null)).isEqualTo(10);
    assertThat(p.timeout(plain, null)).isEqualTo(Duration.ofMinutes(5));
    assertThat(p.retries(plain, def("team-a", 0, "30s"))).isZero();
    assertThat(p.timeout(plain, def("team-a", 0, "30s"))).isEqualTo(Duration.ofSeconds(30));
    var asking =
        AnEvent.pre()
            .identity("s", "i")
            .app("a", "1")
            .tasks("d")
            .retries(500)
            .timeout(Duration.ofHours(5))
            .build();
    assertThat(p.retries(asking, def("team-a", 0, "30s"))).isEqualTo(20);
    assertThat(p.timeout(asking, def("team-a", 0, "30s"))).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void missingDefinitionsArePlannedSoTheirTasksCanFail() {
    Planner p = new Planner(config.tasks());
    var e = Samples.appEvent(CheckType.post, List.of("there", "missing"));
    Plan plan = p.plan(e, e.tasks(), Map.of("there", def("keptn-system", 1, "1m")));
    assertThat(plan.tasks())
        .extracting(PlannedTask::definitionMissing)
        .containsExactly(false, true);
    assertThat(plan.tasks().get(0).definition().namespace()).isEqualTo("keptn-system");
    assertThat(plan.triggerHash()).isEqualTo(Names.triggerHash("ci/jenkins", "build-42"));
  }

  @Test
  void keptnTaskIsFilledTheWayKeptnFillsTheOnesItGenerates() {
    var e = Samples.workloadEvent(CheckType.pre, List.of("smoke"));
    Plan plan =
        new Planner(config.tasks()).plan(e, e.tasks(), Map.of("smoke", def("team-a", null, null)));
    KeptnTask t = DesiredTask.of(plan, plan.tasks().get(0), Instant.parse("2026-11-24T10:00:00Z"));
    assertThat(t.getMetadata().getName())
        .isEqualTo(Names.taskName(CheckType.pre, "smoke", "ci/jenkins", "build-43"));
    assertThat(t.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(t.getMetadata().getLabels())
        .containsEntry(Keys.MANAGED_BY, "keptn-task-bridge")
        .containsEntry(Keys.TRIGGER, plan.triggerHash());
    assertThat(t.getMetadata().getAnnotations())
        .containsEntry(Keys.TRIGGER_SOURCE, "ci/jenkins")
        .containsEntry(Keys.TRIGGER_ID, "build-43")
        .containsEntry(Keys.TRIGGER_TYPE, "dev.taskbridge.deployment.pre")
        .containsEntry(Keys.TRIGGER_TASKS, "1");
    var s = t.getSpec();
    assertThat(s.taskDefinition).isEqualTo("smoke");
    assertThat(s.checkType).isEqualTo("pre");
    assertThat(s.retries).isEqualTo(3);
    assertThat(s.timeout).isEqualTo("1m30s");
    assertThat(s.context.taskType).isEqualTo("pre");
    assertThat(s.context.objectType).isEqualTo("Workload");
    assertThat(s.context.workloadName).isEqualTo("cart");
    assertThat(s.context.metadata)
        .containsEntry("commit", "abc123")
        .containsEntry("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    assertThat(s.parameters.map).containsEntry("mode", "smoke");
    assertThat(s.secureParameters.secret).isEqualTo("cart-secrets");
  }

  @Test
  void appTaskHasObjectTypeAppAndEmptyWorkloadAndAlwaysExplicitRetriesAndTimeout() {
    var e = Samples.appEvent(CheckType.post, List.of("d"));
    Plan plan = new Planner(config.tasks()).plan(e, e.tasks(), Map.of());
    KeptnTask t = DesiredTask.of(plan, plan.tasks().get(0), Instant.now());
    assertThat(t.getSpec().context.objectType).isEqualTo("App");
    assertThat(t.getSpec().context.workloadName).isEmpty();
    assertThat(t.getSpec().context.metadata).isNull();
    assertThat(t.getSpec().retries).isEqualTo(10);
    assertThat(t.getSpec().timeout).isEqualTo("5m");
    assertThat(t.getMetadata().getAnnotations()).doesNotContainKey(Keys.DEFINITION_NAMESPACE);
  }
}
