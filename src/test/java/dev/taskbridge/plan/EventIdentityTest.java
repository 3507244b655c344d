package dev.taskbridge.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskbridge.contract.CheckType;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskSpec;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.testing.AnEvent;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventIdentityTest {

  static Plan plan(CheckType type, String... definitions) {
    DeploymentEvent e = AnEvent.of(type).identity("ci/jenkins", "build-7").app("shop", "1").build();
    List<PlannedTask> tasks =
        Arrays.stream(definitions)
            .map(
                d ->
                    new PlannedTask(
                        Names.taskName(type, d, "ci/jenkins", "build-7"),
                        d,
                        null,
                        10,
                        Duration.ofMinutes(5)))
            .toList();
    return new Plan(e, e.triggerHash(), tasks);
  }

  static KeptnTask existing(CheckType type, String definition, int of) {
    KeptnTask t = new KeptnTask();
    t.setMetadata(
        new ObjectMetaBuilder()
            .withName(Names.taskName(type, definition, "ci/jenkins", "build-7"))
            .withAnnotations(
                new HashMap<>(
                    Map.of(
                        Keys.TRIGGER_TYPE,
                        type.eventType(),
                        Keys.TRIGGER_TASKS,
                        Integer.toString(of))))
            .build());
    t.setSpec(new KeptnTaskSpec());
    t.getSpec().taskDefinition = definition;
    return t;
  }

  /** A CDEvents service.deployed and our own post event under one id are two events. */
  @Test
  void aCdEventAndOurOwnPostEventUnderOneIdConflict() {
    Plan ours = plan(CheckType.post, "a");
    DeploymentEvent e = ours.event();
    DeploymentEvent cd =
        AnEvent.of(e.checkType())
            .identity(e.source(), e.id())
            .namespace(e.namespace())
            .app(e.appName(), e.appVersion())
            .type("dev.cdevents.service.deployed.0.3.0")
            .build();
    KeptnTask first = existing(CheckType.post, "a", 1);
    first.getMetadata().getAnnotations().put(Keys.TRIGGER_TYPE, cd.type());
    assertThat(EventIdentity.conflict(ours, List.of(first)))
        .hasValueSatisfying(m -> assertThat(m).contains("dev.cdevents.service.deployed.0.3.0"));
    assertThat(EventIdentity.conflict(new Plan(cd, cd.triggerHash(), ours.tasks()), List.of(first)))
        .as("the same CDEvent again is a duplicate")
        .isEmpty();
  }

  @Test
  void aNewEventHasNoConflict() {
    assertThat(EventIdentity.conflict(plan(CheckType.pre, "a"), List.of())).isEmpty();
  }

  @Test
  void theSameEventAgainIsADuplicateNotAConflict() {
    assertThat(
            EventIdentity.conflict(
                plan(CheckType.post, "a", "b"),
                List.of(existing(CheckType.post, "a", 2), existing(CheckType.post, "b", 2))))
        .isEmpty();
  }

  @Test
  void aHalfCreatedEventDeliveredAgainIsTheSameEvent() {
    assertThat(
            EventIdentity.conflict(
                plan(CheckType.post, "a", "b"), List.of(existing(CheckType.post, "a", 2))))
        .isEmpty();
  }

  @Test
  void theSameIdAsPreAndAsPostConflicts() {
    assertThat(
            EventIdentity.conflict(
                plan(CheckType.post, "a"), List.of(existing(CheckType.pre, "a", 1))))
        .hasValueSatisfying(m -> assertThat(m).contains("dev.taskbridge.deployment.pre"));
  }

  @Test
  void anotherSetOfTasksConflicts() {
    assertThat(
            EventIdentity.conflict(
                plan(CheckType.post, "a", "c"),
                List.of(existing(CheckType.post, "a", 2), existing(CheckType.post, "b", 2))))
        .isPresent();
    assertThat(
            EventIdentity.conflict(
                plan(CheckType.post, "a"), List.of(existing(CheckType.post, "a", 2))))
        .as("a subset of the first event's tasks")
        .isPresent();
    assertThat(
            EventIdentity.conflict(plan(CheckType.post), List.of(existing(CheckType.post, "a", 1))))
        .as("no task at all now")
        .isPresent();
  }
}
