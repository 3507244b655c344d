package dev.taskbridge.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.keptn.TaskKey;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The sweep's listed copies stand in for the informer's cache only as the API server has the task
 * when its work runs: a copy listed just before the task was labelled done must not bring its
 * results back.
 */
class StandInsTest {
  static final TaskKey KEY = new TaskKey("team-a", "pre-check-1");

  static KeptnTask task(String resourceVersion, Map<String, String> labels, boolean deleting) {
    KeptnTask t = new KeptnTask();
    t.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(KEY.namespace())
            .withName(KEY.name())
            .withResourceVersion(resourceVersion)
            .withLabels(new HashMap<>(labels))
            .withDeletionTimestamp(deleting ? "2026-12-03T10:00:00Z" : null)
            .build());
    return t;
  }

  static KeptnTask listed() {
    return task("1", Map.of(), false);
  }

  @Test
  void aTaskTheServerStillHasUnfinishedStandsInAsTheServerHasItNow() {
    StandIns s = new StandIns();
    s.offer(listed());
    s.confirm(KEY, k -> Optional.of(task("7", Map.of(), false)));
    assertThat(s.take(KEY).getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(s.take(KEY)).as("used once").isNull();
  }

  @Test
  void aTaskLabelledDoneSinceItWasListedDoesNotStandIn() {
    StandIns s = new StandIns();
    s.offer(listed());
    s.confirm(KEY, k -> Optional.of(task("7", Map.of(Keys.DONE, "true"), false)));
    assertThat(s.take(KEY)).isNull();
  }

  @Test
  void aTaskDeletedOrBeingDeletedSinceItWasListedDoesNotStandIn() {
    StandIns gone = new StandIns();
    gone.offer(listed());
    gone.confirm(KEY, k -> Optional.empty());
    assertThat(gone.take(KEY)).isNull();
    StandIns deleting = new StandIns();
    deleting.offer(listed());
    deleting.confirm(KEY, k -> Optional.of(task("7", Map.of(), true)));
    assertThat(deleting.take(KEY)).isNull();
  }

  @Test
  void theServerIsAskedOnlyAboutACopyThatWaits() {
    StandIns s = new StandIns();
    AtomicInteger asked = new AtomicInteger();
    s.confirm(
        KEY,
        k -> {
          asked.incrementAndGet();
          return Optional.empty();
        });
    assertThat(asked).hasValue(0);
  }
}
