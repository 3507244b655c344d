package dev.taskbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.sandbox.Script;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Ce;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.FakeKeptn;
import dev.taskbridge.testing.InCluster;
import dev.taskbridge.testing.PackagedApp;
import dev.taskbridge.testing.TestInfra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * bridge.runner.mode=keptn: Keptn's operator (played by FakeKeptn) runs the Job; the bridge
 * reports.
 */
class KeptnModeIT {
  static final String NS = "keptn-system";

  @Test
  void followsAKeptnTaskWhoseJobAndStatusAnotherControllerWrites() {
    Defs.apply(Defs.container(NS, "km-flaky"));
    Defs.apply(Defs.container(NS, "km-ok"));
    Defs.apply(Defs.container(NS, "km-broken"));
    TestInfra.simulator()
        .script("km-flaky", Script.failTimesThenSucceed(1))
        .script("km-broken", Script.failAlways())
        .script("km-ok", Script.succeed());
    Map<String, String> props =
        PackagedApp.against(TestInfra.kafka().bootstrapServers(), TestInfra.api().url());
    props.put("bridge.runner.mode", "keptn");
    props.put("bridge.namespaces", NS);
    try (FakeKeptn keptn = new FakeKeptn(NS);
        PackagedApp app = PackagedApp.start(props)) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      Events e =
          Events.pre(NS, "shop", "1")
              .tasks("km-flaky", "km-ok", "km-missing", "km-broken")
              .retries(2);
      Bus.send(e.binary(Bus.EVENTS));
      // a replica of an earlier IT may still hold a partition until its session times out
      Bus.awaitPhase(e.trigger(), Duration.ofSeconds(120));
      List<Ce> r = Bus.results().forTrigger(e.trigger());
      List<KeptnTask> tasks = InCluster.tasksOf(NS, e.trigger());
      assertThat(tasks).hasSize(4);
      for (KeptnTask t : tasks) {
        // the bridge never makes a Job in keptn mode: only Keptn's randomly suffixed ones exist
        assertThat(InCluster.job(NS, t.getMetadata().getName())).isNull();
      }
      KeptnTask flaky =
          tasks.stream()
              .filter(t -> t.getSpec().taskDefinition.equals("km-flaky"))
              .findFirst()
              .orElseThrow();
      assertThat(
              r.stream()
                  .filter(c -> c.subject().equals(flaky.getMetadata().getName()))
                  .map(Ce::kind))
          .containsExactly("task.started", "task.retrying", "task.succeeded");
      KeptnTask missing =
          tasks.stream()
              .filter(t -> t.getSpec().taskDefinition.equals("km-missing"))
              .findFirst()
              .orElseThrow();
      assertThat(missing.getStatus().reason).isEqualTo("DefinitionNotFound");
      Ce phase = r.get(r.size() - 1);
      assertThat(phase.kind()).isEqualTo("phase.finished");
      assertThat(phase.data().get("result").asText()).isEqualTo("fail");
      assertThat(phase.data().get("tasks")).hasSize(4);
      // Keptn's Jobs restart the container in its pod (OnFailure): the Job controller fails the
      // Job when the restarts reach backoffLimit = retries, so retries: 2 is two attempts
      KeptnTask broken =
          tasks.stream()
              .filter(t -> t.getSpec().taskDefinition.equals("km-broken"))
              .findFirst()
              .orElseThrow();
      List<Ce> ofBroken =
          r.stream().filter(c -> c.subject().equals(broken.getMetadata().getName())).toList();
      assertThat(ofBroken.stream().map(c -> c.kind() + "." + c.data().path("attempt").asInt()))
          .containsExactly("task.started.0", "task.retrying.1", "task.failed.0");
      assertThat(ofBroken)
          .allSatisfy(c -> assertThat(c.data().path("maxAttempts").asInt(2)).isEqualTo(2));
      assertThat(ofBroken.get(2).data().get("attempts").asInt()).isEqualTo(2);
      assertThat(ofBroken.get(2).data().get("reason").asText()).isEqualTo("BackoffLimitExceeded");
    }
  }
}
