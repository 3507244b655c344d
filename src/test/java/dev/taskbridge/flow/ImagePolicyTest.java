package dev.taskbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskbridge.keptn.KeptnTaskDefinition;
import dev.taskbridge.testing.ApiServerResource;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Ce;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.InCluster;
import dev.taskbridge.testing.KafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** bridge.runner.allowed-images: a task whose image is not allowed fails and gets no Job. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(ApiServerResource.class)
@TestProfile(ImagePolicyTest.Allowlist.class)
class ImagePolicyTest {
  static final String NS = "team-a";

  public static class Allowlist implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "bridge.runner.allowed-images",
          "busybox:*,registry.example.com/*",
          // a different Lease: this app restart must not wait for the previous one's
          "bridge.leader-election.lease-name",
          "image-policy");
    }
  }

  @Test
  void anImageOutsideTheAllowlistFailsTheTaskWithoutAJob() {
    KeptnTaskDefinition bad = Defs.container(NS, "miner");
    bad.getSpec().container.setImage("docker.io/evil/miner:latest");
    Defs.apply(bad);
    Defs.apply(Defs.container(NS, "allowed-busybox"));
    Events e = Events.pre(NS, "shop", "1").tasks("miner");
    Events ok = Events.pre(NS, "shop", "1").tasks("allowed-busybox");
    Bus.send(e.binary(Bus.EVENTS));
    Bus.send(ok.binary(Bus.EVENTS));
    Bus.awaitPhase(e.trigger(), Duration.ofSeconds(30));
    Bus.awaitPhase(ok.trigger(), Duration.ofSeconds(30));
    Ce failed =
        Bus.results().forTrigger(e.trigger()).stream()
            .filter(c -> c.kind().equals("task.failed"))
            .findFirst()
            .orElseThrow();
    assertThat(failed.data().path("reason").asText()).isEqualTo("ImageNotAllowed");
    assertThat(failed.data().path("message").asText()).contains("docker.io/evil/miner:latest");
    assertThat(InCluster.jobsOf(NS, e.trigger())).isEmpty();
    assertThat(Bus.results().forTrigger(ok.trigger()))
        .extracting(Ce::kind)
        .contains("task.succeeded");
  }
}
