package dev.taskbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.sandbox.Script;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Ce;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.Hostile;
import dev.taskbridge.testing.PackagedApp;
import dev.taskbridge.testing.Scrape;
import dev.taskbridge.testing.TestInfra;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scale and fault suite, against the packaged app, the real broker, the API server and the Job
 * simulator. Small sizes in {@code verify}, full sizes with {@code -Psoak}. Every assertion counts
 * exact numbers, and each scenario prints its figures on one line.
 */
class ScaleIT {
  static final String NS = "default";
  static final boolean SOAK = "soak".equals(System.getProperty("taskbridge.scale"));
  static final String[] DEFINITIONS = {"scale-ok", "scale-flaky", "scale-bad"};

  @BeforeAll
  static void definitions() {
    for (String d : DEFINITIONS) {
      Defs.apply(Defs.container(NS, d));
    }
    TestInfra.simulator()
        .script("scale-ok", Script.succeed().taking(Duration.ofMillis(10)))
        .script("scale-flaky", Script.failTimesThenSucceed(1).taking(Duration.ofMillis(10)))
        .script("scale-bad", Script.failAlways().taking(Duration.ofMillis(10)));
  }

  @AfterEach
  void clearFaults() {
    TestInfra.api().clearFaults();
    TestInfra.kafka().startBroker();
  }

  static Map<String, String> props() {
    Map<String, String> p =
        PackagedApp.against(TestInfra.kafka().bootstrapServers(), TestInfra.api().url());
    p.put(
        "quarkus.kubernetes-client.username",
        "keptn-task-bridge"); // marks its requests for fault injection
    p.put("quarkus.kubernetes-client.password", "scale");
    p.put(
        "bridge.leader-election.lease-name",
        "scale-" + UUID.randomUUID().toString().substring(0, 6));
    p.put("bridge.results.log-tail-lines", "0");
    return p;
  }

  /** One run: an event naming one definition, and the result kinds its task must end with. */
  record Run(Events event, String definition, Set<String> kinds) {}

  static List<Run> runs(String app, int n) {
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String def = i % 10 < 8 ? "scale-ok" : i % 10 == 8 ? "scale-flaky" : "scale-bad";
      Events e = Events.pre(NS, app, "v" + i).tasks(def).retries(def.equals("scale-bad") ? 0 : 1);
      Set<String> kinds =
          switch (def) {
            case "scale-ok" -> Set.of("started", "succeeded");
            case "scale-flaky" -> Set.of("started", "retrying.1", "succeeded");
            default -> Set.of("started", "failed");
          };
      runs.add(new Run(e, def, kinds));
    }
    return runs;
  }

  static void send(List<ProducerRecord<byte[], byte[]>> records) {
    for (int i = 0; i < records.size(); i += 500) {
      Bus.sendAll(records.subList(i, Math.min(records.size(), i + 500)));
    }
  }

  /** Waits until every run's phase result is in; returns the results by trigger. */
  static Map<String, List<Ce>> awaitPhases(List<Run> runs, Duration max) {
    Set<String> triggers = runs.stream().map(r -> r.event().trigger()).collect(Collectors.toSet());
    await()
        .atMost(max)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                Bus.results().events().stream()
                        .filter(
                            c -> c.kind().equals("phase.finished") && triggers.contains(c.key()))
                        .map(Ce::key)
                        .collect(Collectors.toSet())
                        .size()
                    == triggers.size());
    return Bus.results().events().stream()
        .filter(c -> triggers.contains(c.key()))
        .collect(Collectors.groupingBy(Ce::key));
  }

  /**
   * Checks exactly one KeptnTask and Job per run and exactly the expected result ids; returns
   * figures.
   */
  static String verify(List<Run> runs, Map<String, List<Ce>> byTrigger) {
    Map<String, List<KeptnTask>> tasks =
        TestInfra.client()
            .resources(KeptnTask.class)
            .inNamespace(NS)
            .withLabel("app.kubernetes.io/managed-by", "keptn-task-bridge")
            .list()
            .getItems()
            .stream()
            .collect(
                Collectors.groupingBy(
                    t -> t.getMetadata().getLabels().get("taskbridge.dev/trigger")));
    Map<String, List<Job>> jobs =
        TestInfra.client()
            .batch()
            .v1()
            .jobs()
            .inNamespace(NS)
            .withLabel("app.kubernetes.io/managed-by", "keptn-task-bridge")
            .list()
            .getItems()
            .stream()
            .collect(
                Collectors.groupingBy(
                    j -> j.getMetadata().getLabels().get("taskbridge.dev/trigger")));
    int records = 0;
    int duplicates = 0;
    for (Run run : runs) {
      String trigger = run.event().trigger();
      assertThat(tasks.get(trigger)).as("KeptnTasks of " + trigger).hasSize(1);
      assertThat(jobs.get(trigger)).as("Jobs of " + trigger).hasSize(1);
      String task = tasks.get(trigger).get(0).getMetadata().getName();
      List<Ce> results = byTrigger.get(trigger);
      Set<String> ids = results.stream().map(Ce::id).collect(Collectors.toSet());
      Set<String> expected = new HashSet<>();
      run.kinds().forEach(k -> expected.add(task + "." + k));
      expected.add(trigger + ".finished");
      assertThat(ids).as("result ids of " + trigger).isEqualTo(expected);
      records += results.size();
      duplicates += results.size() - ids.size();
    }
    assertThat(TestInfra.simulator().jobsCreatedTwice()).as("Jobs created twice").isEmpty();
    return "tasks="
        + runs.size()
        + " jobs="
        + runs.size()
        + " results="
        + records
        + " republished="
        + duplicates;
  }

  static String rate(int n, long startNanos) {
    double s = (System.nanoTime() - startNanos) / 1e9;
    return String.format("in %.1fs (%.0f events/s)", s, n / s);
  }

  /**
   * "Memory follows the work in flight": heap in use after a full collection, once 500 and once
   * 5,000 tasks have finished (100 and 600 in verify). Their Jobs end with {@code
   * ttlSecondsAfterFinished: 0}, so what stays is what the bridge itself keeps, not the Jobs and
   * pods a cluster keeps for their TTL (cached as long as they exist).
   */
  @Test
  void heapInUseAfterAFullCollectionDoesNotGrowWithFinishedTasks() throws Exception {
    int first = SOAK ? 500 : 100;
    int last = SOAK ? 5_000 : 600;
    var d = Defs.container(NS, "scale-heap");
    d.getSpec().ttlSecondsAfterFinished = 0;
    Defs.apply(d);
    TestInfra.simulator().script("scale-heap", Script.succeed().taking(Duration.ofMillis(10)));
    try (PackagedApp app = PackagedApp.start(props())) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      finish("heap-a", first);
      long atFirst = heapAfterFullGc(app);
      finish("heap-b", last - first);
      long atLast = heapAfterFullGc(app);
      System.out.printf(
          "scale heap: after %d finished tasks %.2f MB in use, after %d %.2f MB, difference %.3f"
              + " MB%n",
          first, atFirst / 1e6, last, atLast / 1e6, (atLast - atFirst) / 1e6);
      assertThat(atLast - atFirst)
          .as("bytes more after %d than after %d", last, first)
          .isLessThan(1_000_000L);
    }
  }

  /** Runs {@code n} one-task events to the end: results, phase, the task marked done, no Job. */
  private static void finish(String app, int n) {
    List<Events> events = new ArrayList<>();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Events e = Events.pre(NS, app, "v" + i).tasks("scale-heap");
      events.add(e);
      records.add(e.binary(Bus.EVENTS));
    }
    send(records);
    Set<String> triggers = events.stream().map(Events::trigger).collect(Collectors.toSet());
    await()
        .atMost(Duration.ofSeconds(SOAK ? 600 : 180))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () ->
                TestInfra.client()
                            .resources(KeptnTask.class)
                            .inNamespace(NS)
                            .withLabel("taskbridge.dev/done", "true")
                            .list()
                            .getItems()
                            .stream()
                            .filter(
                                t ->
                                    triggers.contains(
                                        t.getMetadata().getLabels().get("taskbridge.dev/trigger")))
                            .count()
                        == n
                    && TestInfra.client()
                        .batch()
                        .v1()
                        .jobs()
                        .inNamespace(NS)
                        .list()
                        .getItems()
                        .stream()
                        .noneMatch(
                            j ->
                                triggers.contains(
                                    j.getMetadata().getLabels().get("taskbridge.dev/trigger"))));
  }

  /** Heap in use (all heap pools, as the app's /q/metrics tells) after two full collections. */
  private static long heapAfterFullGc(PackagedApp app) throws Exception {
    for (int i = 0; i < 2; i++) {
      Process gc =
          new ProcessBuilder("jcmd", Long.toString(app.pid()), "GC.run")
              .redirectErrorStream(true)
              .start();
      gc.getInputStream().readAllBytes();
      assertThat(gc.waitFor()).as("jcmd GC.run").isZero();
    }
    return (long) new Scrape(app.body("/q/metrics")).sum("jvm_memory_used_bytes", "area", "heap");
  }

  @Test
  void loadWithDuplicatesAndMalformedEvents() {
    int n = SOAK ? 10_000 : 2_000;
    List<Run> runs = runs("load", n);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    Random random = new Random(7);
    int duplicates = 0;
    int malformed = 0;
    for (int i = 0; i < n; i++) {
      records.add(runs.get(i).event().binary(Bus.EVENTS));
      if (random.nextInt(100) < 5) {
        records.add(runs.get(random.nextInt(i + 1)).event().binary(Bus.EVENTS));
        duplicates++;
      }
      if (random.nextInt(100) < 2) {
        records.add(
            new ProducerRecord<>(
                Bus.EVENTS,
                ("bad-" + i).getBytes(StandardCharsets.UTF_8),
                ("{\"broken\":" + i).getBytes(StandardCharsets.UTF_8)));
        malformed++;
      }
    }
    long t0 = System.nanoTime();
    try (PackagedApp app = PackagedApp.start(props())) {
      long rejectedBefore = rejections().size();
      send(records);
      Map<String, List<Ce>> byTrigger = awaitPhases(runs, Duration.ofMinutes(SOAK ? 20 : 6));
      String figures = verify(runs, byTrigger);
      int expectedRejections = malformed;
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> rejections().size() - rejectedBefore == expectedRejections);
      System.out.printf(
          "scale load: events=%d duplicates=%d malformed=%d rejections=%d %s %s%n",
          n, duplicates, malformed, expectedRejections, figures, rate(n, t0));
      assertThat(app.ready()).isTrue();
    }
  }

  static List<Ce> rejections() {
    return Bus.results().events().stream().filter(c -> c.kind().equals("event.rejected")).toList();
  }

  @Test
  void killedAtRandomPointsLosesNothingAndRunsNothingTwice() {
    int n = SOAK ? 2_000 : 500;
    List<Run> runs = runs("killed", n);
    Random random = new Random(11);
    long t0 = System.nanoTime();
    int kills = 0;
    PackagedApp app = PackagedApp.start(props());
    try {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      for (int i = 0; i < n; i += 50) {
        send(
            runs.subList(i, Math.min(n, i + 50)).stream()
                .map(r -> r.event().binary(Bus.EVENTS))
                .toList());
        if (random.nextInt(3) == 0) {
          app.kill();
          kills++;
          app = PackagedApp.start(props());
        }
      }
      Map<String, List<Ce>> byTrigger = awaitPhases(runs, Duration.ofMinutes(SOAK ? 20 : 6));
      String figures = verify(runs, byTrigger);
      System.out.printf(
          "scale kill: runs=%d kills=%d lost=0 jobsCreatedTwice=0 %s %s%n",
          n, kills, figures, rate(n, t0));
    } finally {
      app.close();
    }
  }

  @Test
  void tenPercentOfApiWritesFailingStillCreatesEveryTaskOnce() {
    int n = SOAK ? 2_000 : 300;
    List<Run> runs = runs("faulty", n);
    TestInfra.api().failClientWrites(0.05, 500);
    TestInfra.api().failClientWrites(0.05, 429);
    long t0 = System.nanoTime();
    try (PackagedApp app = PackagedApp.start(props())) {
      send(runs.stream().map(r -> r.event().binary(Bus.EVENTS)).toList());
      Map<String, List<Ce>> byTrigger = awaitPhases(runs, Duration.ofMinutes(SOAK ? 20 : 6));
      String figures = verify(runs, byTrigger);
      System.out.printf(
          "scale api-faults: events=%d faultRate=10%% %s %s%n", n, figures, rate(n, t0));
    }
  }

  @Test
  void brokerRestartedMidRunLosesNothing() {
    int n = SOAK ? 2_000 : 300;
    List<Run> runs = runs("broker", n);
    long t0 = System.nanoTime();
    try (PackagedApp app = PackagedApp.start(props())) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      send(runs.subList(0, n / 2).stream().map(r -> r.event().binary(Bus.EVENTS)).toList());
      TestInfra.kafka().stopBroker();
      await().atMost(Duration.ofSeconds(60)).until(() -> !app.ready());
      TestInfra.kafka().startBroker();
      send(runs.subList(n / 2, n).stream().map(r -> r.event().binary(Bus.EVENTS)).toList());
      Map<String, List<Ce>> byTrigger = awaitPhases(runs, Duration.ofMinutes(SOAK ? 20 : 6));
      String figures = verify(runs, byTrigger);
      System.out.printf("scale broker-restart: events=%d %s %s%n", n, figures, rate(n, t0));
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
    }
  }

  @Test
  void hostileCorpusIsRejectedOnceEachWithoutStallingThePartition() {
    List<byte[]> corpus = Hostile.corpus(SOAK ? 5_000 : 1_000, 42);
    List<Events> valid = new ArrayList<>();
    long t0 = System.nanoTime();
    try (PackagedApp app = PackagedApp.start(props())) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      List<RecordMetadata> sent = new ArrayList<>();
      for (int i = 0; i < corpus.size(); i += 100) {
        List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
        for (byte[] body : corpus.subList(i, Math.min(corpus.size(), i + 100))) {
          batch.add(new ProducerRecord<>(Bus.EVENTS, null, body));
        }
        Events ok = Events.pre(NS, "hostile-neighbour", "1");
        valid.add(ok);
        batch.add(ok.binary(Bus.EVENTS));
        Bus.companion()
            .produce(Serdes.ByteArray(), Serdes.ByteArray())
            .fromRecords(batch)
            .awaitCompletion(Duration.ofSeconds(60))
            .getRecords()
            .forEach(sent::add);
        assertThat(app.ready()).as("ready while under hostile input").isTrue();
      }
      Set<String> sentAt = new HashSet<>();
      sent.forEach(m -> sentAt.add(m.partition() + "/" + m.offset()));
      Map<String, Integer> rejectionsAt = new HashMap<>();
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                rejectionsAt.clear();
                for (Ce c : rejections()) {
                  if (c.data().hasNonNull("offset")) {
                    String at =
                        c.data().get("partition").asInt() + "/" + c.data().get("offset").asLong();
                    if (sentAt.contains(at)) {
                      rejectionsAt.merge(at, 1, Integer::sum);
                    }
                  }
                }
                return rejectionsAt.size() >= corpus.size();
              });
      assertThat(rejectionsAt).hasSize(corpus.size());
      assertThat(rejectionsAt.values()).allMatch(c -> c == 1);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                for (Events ok : valid) {
                  assertThat(Bus.results().forTrigger(ok.trigger()))
                      .extracting(Ce::kind)
                      .containsExactly("phase.finished");
                }
              });
      assertThat(app.ready()).isTrue();
      System.out.printf(
          "scale hostile: corpus=%d rejectedOnce=%d neighboursServed=%d %s%n",
          corpus.size(), rejectionsAt.size(), valid.size(), rate(corpus.size(), t0));
    }
  }
}
