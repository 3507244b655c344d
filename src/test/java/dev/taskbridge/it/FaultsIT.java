package dev.taskbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.sandbox.Script;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Ce;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.FaultProxy;
import dev.taskbridge.testing.InCluster;
import dev.taskbridge.testing.PackagedApp;
import dev.taskbridge.testing.TestInfra;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * "When things break", against the packaged app: the API server refused, reset and black-holed by a
 * TCP proxy, answers lost, watches expired, Lease renewals failing. The bridge waits for the world
 * and never blames the event.
 */
class FaultsIT {
  static final String NS = "team-a";

  @AfterEach
  void clearFaults() {
    TestInfra.api().clearFaults();
  }

  static String definition(Script script) {
    String name = "faults-" + UUID.randomUUID().toString().substring(0, 8);
    Defs.apply(Defs.container(NS, name));
    TestInfra.simulator().script(name, script);
    return name;
  }

  static Map<String, String> props(String apiUrl, String lease) {
    Map<String, String> p = PackagedApp.against(TestInfra.kafka().bootstrapServers(), apiUrl);
    p.put("bridge.leader-election.lease-name", lease);
    return p;
  }

  static List<String> kinds(Events e) {
    return Bus.results().forTrigger(e.trigger()).stream().map(Ce::kind).toList();
  }

  static boolean rejectedOrDeadLettered(Events e) {
    return kinds(e).contains("event.rejected")
        || Bus.deadLetters().all().stream()
            .anyMatch(r -> e.id().equals(r.header("ce_id")) || r.keyString().equals(e.id()));
  }

  @Test
  void anApiServerThatRefusesResetsOrSwallowsConnectionsNeverGetsAnEventRejected() {
    String def = definition(Script.succeed());
    try (FaultProxy proxy = FaultProxy.to(TestInfra.api().port());
        PackagedApp app = PackagedApp.start(props(proxy.url(), "faults-outage"))) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      List<Events> overKafka = new ArrayList<>();
      for (FaultProxy.Mode mode :
          List.of(FaultProxy.Mode.REFUSE, FaultProxy.Mode.RESET, FaultProxy.Mode.BLACKHOLE)) {
        proxy.set(mode);
        Events k = Events.pre(NS, "shop", "kafka-" + mode).tasks(def);
        Bus.send(k.binary(Bus.EVENTS));
        overKafka.add(k);

        Events h = Events.pre(NS, "shop", "http-" + mode).tasks(def);
        Instant sent = Instant.now();
        HttpResponse<String> r = app.post("/events", h, Duration.ofSeconds(60));
        assertThat(r).as(mode + ": the HTTP answer").isNotNull();
        assertThat(r.statusCode()).as(mode + ": " + r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).as(mode.name()).isPresent();
        assertThat(Duration.between(sent, Instant.now()))
            .as(mode.name())
            .isLessThan(Duration.ofSeconds(40));

        // the Kafka record is taken in and waits (readiness is down meanwhile)
        await().atMost(Duration.ofSeconds(30)).until(() -> !app.ready());
        proxy.set(FaultProxy.Mode.PASS);
        await().atMost(Duration.ofSeconds(60)).until(app::ready);
        // sent again after the outage, the HTTP event is accepted
        HttpResponse<String> again = app.post("/events", h, Duration.ofSeconds(60));
        assertThat(again.statusCode()).as(mode + ": " + again.body()).isEqualTo(202);
        overKafka.add(h);
      }
      for (Events e : overKafka) {
        Bus.awaitPhase(e.trigger(), Duration.ofSeconds(120));
        assertThat(rejectedOrDeadLettered(e)).as(e.id()).isFalse();
        assertThat(InCluster.tasksOf(NS, e.trigger())).as(e.id()).hasSize(1);
        assertThat(InCluster.jobsOf(NS, e.trigger())).as(e.id()).hasSize(1);
        assertThat(kinds(e)).as(e.id()).contains("task.started", "task.succeeded");
        assertThat(kinds(e).stream().filter("phase.finished"::equals)).as(e.id()).hasSize(1);
      }
      assertThat(app.alive()).isTrue();
    }
  }

  @Test
  void createsWhoseAnswerWasLostLeaveOneKeptnTaskAndOneJob() {
    String def = definition(Script.succeed());
    try (PackagedApp app = PackagedApp.start(props(TestInfra.api().url(), "faults-lost"))) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      double duplicatesBefore = app.metric("taskbridge_events_duplicate_total");
      // the API server creates the objects, but the bridge never hears so: it must find them
      TestInfra.api()
          .loseAnswers(
              (m, p) -> m.equals("POST") && p.contains("/namespaces/" + NS + "/keptntasks"), 1);
      TestInfra.api()
          .loseAnswers((m, p) -> m.equals("POST") && p.contains("/namespaces/" + NS + "/jobs"), 1);
      Events e = Events.post(NS, "shop", "lost").tasks(def);
      HttpResponse<String> r = app.post("/events", e, Duration.ofSeconds(60));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      assertThat(r.body()).contains("\"duplicate\":false");
      Bus.awaitPhase(e.trigger(), Duration.ofSeconds(60));
      assertThat(InCluster.tasksOf(NS, e.trigger())).hasSize(1);
      assertThat(InCluster.jobsOf(NS, e.trigger())).hasSize(1);
      assertThat(kinds(e)).contains("task.started", "task.succeeded").doesNotContain("task.failed");
      assertThat(app.metric("taskbridge_events_duplicate_total")).isEqualTo(duplicatesBefore);
    }
  }

  @Test
  void aTaskThatFinishesWhileItsWatchIsExpiredIsNeverCancelled() {
    String def = definition(Script.succeed().taking(Duration.ofSeconds(3)));
    try (FaultProxy proxy = FaultProxy.to(TestInfra.api().port());
        PackagedApp app = PackagedApp.start(props(proxy.url(), "faults-relist"))) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      Events e = Events.post(NS, "shop", "relist").tasks(def);
      Bus.send(e.binary(Bus.EVENTS));
      await().atMost(Duration.ofSeconds(30)).until(() -> kinds(e).contains("task.started"));
      String task = InCluster.tasksOf(NS, e.trigger()).get(0).getMetadata().getName();
      // The KeptnTask watch is cut and comes back as 410 Gone, and its relist fails, until the
      // task is finished and labelled done on the server: the informer then relists, no longer
      // finds the task, and hands over its stale, unfinished copy (finalStateUnknown). Jobs and
      // pods are watched as usual, so the bridge sees the Job end and finishes the task.
      AtomicBoolean finished = new AtomicBoolean();
      BiPredicate<String, String> taskCollection =
          (m, p) ->
              !finished.get()
                  && m.equals("GET")
                  && p.startsWith("/apis/lifecycle.keptn.sh/v1/namespaces/" + NS + "/keptntasks?");
      TestInfra.api()
          .failWhere(
              (m, p) -> taskCollection.test(m, p) && p.contains("watch=true"),
              410,
              1.0,
              Integer.MAX_VALUE);
      TestInfra.api()
          .failWhere(
              (m, p) -> taskCollection.test(m, p) && !p.contains("watch=true"),
              500,
              1.0,
              Integer.MAX_VALUE);
      proxy.set(FaultProxy.Mode.RESET);
      proxy.set(FaultProxy.Mode.PASS);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  "true"
                      .equals(
                          InCluster.task(NS, task)
                              .getMetadata()
                              .getLabels()
                              .get("taskbridge.dev/done")));
      finished.set(true);
      // the KeptnTask informer relists and watches again
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      await()
          .during(Duration.ofSeconds(4))
          .atMost(Duration.ofSeconds(10))
          .until(() -> !kinds(e).contains("task.failed"));
      assertThat(kinds(e).stream().filter("phase.finished"::equals)).hasSize(1);
      assertThat(Bus.results().forTrigger(e.trigger()))
          .filteredOn(c -> c.kind().equals("phase.finished"))
          .allSatisfy(c -> assertThat(c.data().path("result").asText()).isEqualTo("pass"));
      assertThat(InCluster.job(NS, task)).as("the Job is kept").isNotNull();
      assertThat(InCluster.task(NS, task).getStatus().status).isEqualTo("Succeeded");
    }
  }

  @Test
  void aJobTheTtlControllerDeletedWhileNobodyWatchedIsReportedByItsOutcome() {
    String name = "faults-" + UUID.randomUUID().toString().substring(0, 8);
    var d = Defs.container(NS, name);
    d.getSpec().ttlSecondsAfterFinished = 1;
    Defs.apply(d);
    TestInfra.simulator().script(name, Script.succeed().taking(Duration.ofSeconds(3)));
    try (FaultProxy proxy = FaultProxy.to(TestInfra.api().port());
        PackagedApp app = PackagedApp.start(props(proxy.url(), "faults-ttl"))) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      Events e = Events.post(NS, "shop", "ttl").tasks(name);
      Bus.send(e.binary(Bus.EVENTS));
      await().atMost(Duration.ofSeconds(30)).until(() -> kinds(e).contains("task.started"));
      String task = InCluster.tasksOf(NS, e.trigger()).get(0).getMetadata().getName();
      // The bridge's Job watch is cut and cannot come back (410, then failing lists) until the
      // Job has ended and its TTL has run out on the server: the bridge never sees it end.
      AtomicBoolean expired = new AtomicBoolean();
      BiPredicate<String, String> jobCollection =
          (m, p) ->
              !expired.get()
                  && m.equals("GET")
                  && p.startsWith("/apis/batch/v1/namespaces/" + NS + "/jobs?");
      TestInfra.api()
          .failWhere(
              (m, p) -> jobCollection.test(m, p) && p.contains("watch=true"),
              410,
              1.0,
              Integer.MAX_VALUE);
      TestInfra.api()
          .failWhere(
              (m, p) -> jobCollection.test(m, p) && !p.contains("watch=true"),
              500,
              1.0,
              Integer.MAX_VALUE);
      proxy.set(FaultProxy.Mode.RESET);
      proxy.set(FaultProxy.Mode.PASS);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                var job = InCluster.job(NS, task);
                return job == null || job.getMetadata().getDeletionTimestamp() != null;
              });
      expired.set(true);
      await().atMost(Duration.ofSeconds(60)).until(() -> kinds(e).contains("phase.finished"));
      assertThat(kinds(e)).containsExactly("task.started", "task.succeeded", "phase.finished");
      assertThat(InCluster.task(NS, task).getStatus().status).isEqualTo("Succeeded");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> assertThat(InCluster.job(NS, task)).as("the bridge let the Job go").isNull());
    }
  }

  @Test
  void aLeaderWhoseRenewalsFailStopsAndLeadsAgainWhenTheApiAnswers() {
    String def = definition(Script.succeed());
    try (PackagedApp app = PackagedApp.start(props(TestInfra.api().url(), "faults-lease"))) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      await().atMost(Duration.ofSeconds(30)).until(() -> app.metric("taskbridge_leader") == 1);
      TestInfra.api()
          .failWhere(
              (m, p) -> !m.equals("GET") && p.contains("/leases/faults-lease"),
              500,
              1.0,
              Integer.MAX_VALUE);
      await().atMost(Duration.ofSeconds(30)).until(() -> app.metric("taskbridge_leader") == 0);
      Events during = Events.pre(NS, "shop", "lease-lost").tasks(def);
      Bus.send(during.binary(Bus.EVENTS));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> InCluster.tasksOf(NS, during.trigger()).size() == 1);
      TestInfra.api().clearFaults();
      Instant back = Instant.now();
      await().atMost(Duration.ofSeconds(30)).until(() -> app.metric("taskbridge_leader") == 1);
      // lease-duration (4s) + 2 x retry-period (0.5s), with room for a loaded machine
      assertThat(Duration.between(back, Instant.now())).isLessThan(Duration.ofSeconds(15));
      Bus.awaitPhase(during.trigger(), Duration.ofSeconds(60));
      assertThat(kinds(during)).contains("task.started", "task.succeeded");
      assertThat(InCluster.jobsOf(NS, during.trigger())).hasSize(1);
    }
  }

  @Test
  void twoReplicasHandOverWhenTheLeaderLosesTheApiAndExactlyOneLeads() {
    String def = definition(Script.succeed());
    try (FaultProxy toA = FaultProxy.to(TestInfra.api().port());
        PackagedApp a = PackagedApp.start(props(toA.url(), "faults-handover"));
        PackagedApp b = PackagedApp.start(props(TestInfra.api().url(), "faults-handover"))) {
      await().atMost(Duration.ofSeconds(60)).until(() -> a.ready() && b.ready());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> a.metric("taskbridge_leader") + b.metric("taskbridge_leader") == 1);
      if (b.metric("taskbridge_leader") == 1) {
        // make A the leader: B gives up the Lease when it stops
        b.close();
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> a.metric("taskbridge_leader") == 1);
      try (PackagedApp b2 =
          b.alive() ? b : PackagedApp.start(props(TestInfra.api().url(), "faults-handover"))) {
        await().atMost(Duration.ofSeconds(60)).until(b2::ready);
        toA.set(FaultProxy.Mode.BLACKHOLE);
        // the cut-off leader stops acting once its renew deadline passes; the other takes over
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> a.metric("taskbridge_leader") == 0 && b2.metric("taskbridge_leader") == 1);
        // over B's HTTP endpoint: A, cut off from the API, keeps its Kafka partitions and their
        // records wait (uncommitted) until it reaches the API again
        Events e = Events.pre(NS, "shop", "handover").tasks(def);
        HttpResponse<String> r = b2.post("/events", e, Duration.ofSeconds(30));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        Bus.awaitPhase(e.trigger(), Duration.ofSeconds(90));
        toA.set(FaultProxy.Mode.PASS);
        await().atMost(Duration.ofSeconds(60)).until(a::ready);
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(20))
            .until(() -> a.metric("taskbridge_leader") + b2.metric("taskbridge_leader") == 1);
        assertThat(InCluster.jobsOf(NS, e.trigger())).hasSize(1);
        assertThat(a.alive() && b2.alive()).isTrue();
      }
    }
  }

  @Test
  void twoLeadersAtOnceNeverMoveATaskBackwardsNorPublishOneIdWithTwoContents() throws Exception {
    String flaky = definition(Script.failTimesThenSucceed(1));
    String quick = definition(Script.succeed());
    // the worst case of a Lease that cannot fence: both replicas believe they lead
    Map<String, String> props = props(TestInfra.api().url(), "faults-two-leaders");
    props.put("bridge.leader-election.enabled", "false");
    Map<String, List<String>> transitions = new ConcurrentHashMap<>();
    try (var watch =
            TestInfra.client()
                .resources(KeptnTask.class)
                .inNamespace(NS)
                .watch(
                    new Watcher<>() {
                      @Override
                      public void eventReceived(Action action, KeptnTask t) {
                        String st = t.getStatus() == null ? null : t.getStatus().status;
                        List<String> seen =
                            transitions.computeIfAbsent(
                                t.getMetadata().getName(), k -> new CopyOnWriteArrayList<>());
                        if (st != null
                            && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(st))) {
                          seen.add(st);
                        }
                      }

                      @Override
                      public void onClose(WatcherException e) {}
                    });
        PackagedApp a = PackagedApp.start(props);
        PackagedApp b = PackagedApp.start(props)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> a.ready() && b.ready());
      List<Events> events = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Events e = Events.pre(NS, "shop", "two-" + i).tasks(i % 2 == 0 ? flaky : quick).retries(2);
        events.add(e);
        // over both replicas' HTTP endpoints and Kafka
        if (i % 3 == 0) {
          Bus.send(e.binary(Bus.EVENTS));
        } else {
          assertThat((i % 3 == 1 ? a : b).post("/events", e, Duration.ofSeconds(30)).statusCode())
              .isEqualTo(202);
        }
      }
      for (Events e : events) {
        Bus.awaitPhase(e.trigger(), Duration.ofSeconds(90));
        assertThat(InCluster.jobsOf(NS, e.trigger())).as(e.id()).hasSize(1);
      }
      for (Events e : events) {
        String task = InCluster.tasksOf(NS, e.trigger()).get(0).getMetadata().getName();
        List<String> seen = transitions.getOrDefault(task, List.of());
        int terminalAt = -1;
        for (int i = 0; i < seen.size(); i++) {
          if (seen.get(i).equals("Succeeded") || seen.get(i).equals("Failed")) {
            terminalAt = i;
            break;
          }
        }
        assertThat(terminalAt).as(task + " " + seen).isNotNegative();
        assertThat(seen.subList(terminalAt, seen.size()))
            .as("after its end, %s never changes again: %s", task, seen)
            .containsOnly(seen.get(terminalAt));
        // one content per result id, however often it was published
        Map<String, Set<String>> contents = new HashMap<>();
        for (Ce c : Bus.results().forTrigger(e.trigger())) {
          contents.computeIfAbsent(c.id(), k -> new HashSet<>()).add(c.data().toString());
        }
        contents.forEach((id, data) -> assertThat(data).as(id).hasSize(1));
        assertThat(contents).containsKey(e.trigger() + ".finished");
      }
    }
  }
}
