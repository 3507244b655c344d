package dev.taskbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskbridge.sandbox.Script;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Ce;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.InCluster;
import dev.taskbridge.testing.PackagedApp;
import dev.taskbridge.testing.Scrape;
import dev.taskbridge.testing.TestInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two replicas: one leader publishes; killing it moves publishing to the other without loss. */
class LeaderElectionIT {
  static final String NS = "team-a";

  static boolean leads(PackagedApp app) {
    return app.body("/q/health/ready").replaceAll("\\s", "").contains("\"leader\":true");
  }

  static double taskResults(PackagedApp app) {
    return new Scrape(app.body("/q/metrics"))
        .sum("taskbridge_results_published_total", "type", "task.succeeded");
  }

  static List<Events> send(int n, String definition) {
    List<Events> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Events e = Events.pre(NS, "shop", "le-" + i).tasks(definition);
      Bus.send(e.binary(Bus.EVENTS));
      events.add(e);
    }
    return events;
  }

  static void assertFinished(List<Events> events) {
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              for (Events e : events) {
                assertThat(Bus.results().forTrigger(e.trigger()))
                    .extracting(Ce::kind)
                    .contains("task.started", "task.succeeded", "phase.finished");
              }
            });
    for (Events e : events) {
      assertThat(InCluster.jobsOf(NS, e.trigger())).hasSize(1);
    }
  }

  @Test
  void onlyTheLeaderPublishesAndKillingItMovesPublishingToTheOtherReplica() {
    Defs.apply(Defs.container(NS, "le-quick"));
    Defs.apply(Defs.container(NS, "le-slow"));
    TestInfra.simulator()
        .script("le-quick", Script.succeed())
        .script("le-slow", Script.succeed().taking(Duration.ofSeconds(6)));
    Map<String, String> props =
        PackagedApp.against(TestInfra.kafka().bootstrapServers(), TestInfra.api().url());
    props.put("bridge.leader-election.lease-name", "le-test");
    try (PackagedApp a = PackagedApp.start(props);
        PackagedApp b = PackagedApp.start(props)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> a.ready() && b.ready());
      await().atMost(Duration.ofSeconds(30)).until(() -> leads(a) ^ leads(b));
      PackagedApp leader = leads(a) ? a : b;
      PackagedApp follower = leader == a ? b : a;

      List<Events> first = send(10, "le-quick");
      assertFinished(first);
      assertThat(taskResults(leader)).isEqualTo(10);
      assertThat(taskResults(follower)).isZero();
      // the verdict is read from the cluster: the follower answers it as well as the leader
      for (Events e : first) {
        String verdict = follower.body("/triggers/" + e.trigger());
        assertThat(verdict.replaceAll("\\s", "")).as(e.id()).contains("\"result\":\"pass\"");
      }

      List<Events> slow = send(1, "le-slow");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !Bus.results().forTrigger(slow.get(0).trigger()).isEmpty());
      leader.kill();
      List<Events> after = send(5, "le-quick");
      await().atMost(Duration.ofSeconds(30)).until(() -> leads(follower));
      assertFinished(slow);
      assertFinished(after);
      assertThat(taskResults(follower)).isGreaterThanOrEqualTo(6);
    }
  }
}
