package dev.taskbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskbridge.contract.CheckType;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskDefinition;
import dev.taskbridge.keptn.KeptnTaskSpec;
import dev.taskbridge.plan.Names;
import dev.taskbridge.sandbox.ApiServer;
import dev.taskbridge.sandbox.JobSimulator;
import dev.taskbridge.sandbox.Script;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.PackagedApp;
import dev.taskbridge.testing.TestInfra;
import dev.taskbridge.testing.TopicLog;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The benchmark harness ({@code ./mvnw -B verify -Pbench}), on the same in-process broker and API
 * server as the tests. Writes docs/BENCHMARKS.md. Every figure is the median of several runs in
 * this one JVM session, beside its floor measured in the same run.
 */
class BenchIT {
  static final int RUNS = Integer.getInteger("bench.runs", 3);
  static final int P1_EVENTS = Integer.getInteger("bench.p1.events", 1000);

  /** Task runs before each timed P1 run, untimed: both JVMs compile their hot paths first. */
  static final int P1_WARMUP = Integer.getInteger("bench.p1.warmup", 300);

  static final int P4_MAX = Integer.getInteger("bench.p4.max", 10_000);
  static final int P4_PROBES = Integer.getInteger("bench.p4.probes", 200);
  static final String NS = "default";

  /** Deployers waiting at once on {@code POST /events?wait=} (P5). */
  static final int P5_WAITERS = Integer.getInteger("bench.p5.waiters", 500);

  /** How long each P5 task runs: every waiter is in place well before the first one ends. */
  static final int P5_TASK_SECONDS = Integer.getInteger("bench.p5.task-seconds", 60);

  /** The JVM options docker/Dockerfile.jvm ships (docs/operations.md, "JVM settings"). */
  static final String RECOMMENDED_JVM =
      "-Xms24m -Xmx160m -XX:+UseSerialGC -XX:MaxMetaspaceSize=128m -Xss512k -XX:TieredStopAtLevel=1";

  static final String JVM_ARGS = System.getProperty("packaged.jvm.args", RECOMMENDED_JVM);

  static {
    System.setProperty("packaged.jvm.args", JVM_ARGS); // PackagedApp starts the jar with these
  }

  /** Which figures to measure ({@code -Dbench.figures=P1,P3}); all by default. */
  static final Set<String> FIGURES =
      Set.of(System.getProperty("bench.figures", "P1,P2,P3,P4,P5").toUpperCase().split(","));

  final Map<String, Long> jobAddedAt = new ConcurrentHashMap<>();
  final Map<String, Long> jobFinishedAt = new ConcurrentHashMap<>();
  final List<String> rows = new ArrayList<>();

  /**
   * A fresh API server with its Job simulator, so that every run starts from the same empty store.
   */
  final class Env implements AutoCloseable {
    final ApiServer api = ApiServer.start(0);
    final KubernetesClient client = api.client();
    final JobSimulator sim;

    Env() {
      for (String ns : List.of("default", "team-a", "keptn-system")) {
        client
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
            .create();
      }
      for (String d : List.of("bench-ok", "bench-hang", "bench-wait")) {
        client.resources(KeptnTaskDefinition.class).resource(Defs.container(NS, d)).create();
      }
      sim =
          new JobSimulator(api)
              .script("bench-ok", Script.succeed().taking(Duration.ofMillis(1)))
              .script("bench-hang", Script.hang())
              .script("bench-wait", Script.succeed().taking(Duration.ofSeconds(P5_TASK_SECONDS)))
              .onJobAdded(j -> jobAddedAt.put(j.getMetadata().getName(), System.nanoTime()))
              .onJobFinished(j -> jobFinishedAt.put(j.getMetadata().getName(), System.nanoTime()))
              .start();
    }

    Map<String, String> props(String lease) {
      Map<String, String> p = PackagedApp.against(TestInfra.kafka().bootstrapServers(), api.url());
      p.put("bridge.leader-election.lease-name", lease);
      p.put("bridge.results.log-tail-lines", "0");
      p.put("bridge.sweep.every", "30s"); // the default; the tests' 2 s would re-list all the time
      return p;
    }

    @Override
    public void close() {
      sim.close();
      client.close();
      api.close();
    }
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  static double percentile(List<Double> xs, double p) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(Math.min(s.size() - 1, (int) Math.ceil(p * s.size()) - 1));
  }

  @Test
  void benchmark() throws Exception {
    if (FIGURES.contains("P1")) {
      p1();
    }
    if (FIGURES.contains("P2")) {
      p2();
    }
    if (FIGURES.contains("P3")) {
      try (Env env = new Env()) {
        p3Footprint(env);
      }
    }
    if (FIGURES.contains("P4")) {
      try (Env env = new Env()) {
        // sized as docs/operations.md says for 10,000 tasks in flight: a larger memory limit, so
        // a larger heap (-Xmx320m, a 800Mi limit at JAVA_MAX_MEM_RATIO=40)
        p4Growth(env, JDK17, List.of(), " -Xmx320m", "");
      }
      if (jdk25Present()) {
        // the shipped runtime at P3's 160 MB heap: does 10,000 in flight make the collector thrash?
        try (Env env = new Env()) {
          p4Growth(env, JDK25, shippedFlags(), "", ", shipped runtime, P3's 160 MB heap");
        }
      }
    }
    if (FIGURES.contains("P5")) {
      try (Env env = new Env()) {
        p5Waiters(env);
      }
    }
    write();
  }

  void p1() throws Exception {
    List<Double> bridge = new ArrayList<>();
    List<Double> fabric8 = new ArrayList<>();
    List<Double> kafka = new ArrayList<>();
    List<Double> shipped = new ArrayList<>();
    boolean jdk25 = jdk25Present();
    for (int run = 0; run < RUNS; run++) {
      try (Env env = new Env()) {
        P1Run r = p1Bridge(env, run, JDK17, List.of());
        bridge.add(r.rate());
        p1BridgeCpu.add(r.bridgeCpu());
        p1TestCpu.add(r.testCpu());
        p1Census.add(r.byVerb());
      }
      if (jdk25) {
        try (Env env = new Env()) {
          P1Run r = p1Bridge(env, run, JDK25, shippedFlags());
          shipped.add(r.rate());
          p1ShippedCpu.add(r.bridgeCpu());
        }
      }
      try (Env env = new Env()) {
        fabric8.add(p1Fabric8Floor(env, run));
      }
      kafka.add(p1KafkaFloor(run));
    }
    double b = median(bridge);
    double f = median(fabric8);
    double k = median(kafka);
    rows.add(
        String.format(
            "| P1 throughput, end to end (%d task runs) | %.1f runs/s | bare Fabric8 loop, same writes: %.1f runs/s; bare Kafka produce+consume: %.0f events/s | %.2f × Fabric8 floor | ≥ 0.6 × Fabric8 floor (#18) |",
            P1_EVENTS, b, f, k, b / f));
    rows.add(
        String.format(
            "| P1 bridge CPU per task run (its process, /proc, over the timed runs) | %.2f ms | test JVM (broker, API server, simulator, harness): %.2f ms | | ≤ half the before row (#18) |",
            median(p1BridgeCpu), median(p1TestCpu)));
    rows.add(
        String.format(
            "| P1 API requests per task run, by verb (bridge and simulator; watches not counted) | %s | Fabric8 floor: 6 writes | | |",
            p1Census.get(p1Census.size() / 2)));
    if (jdk25) {
      double sb = median(shipped);
      rows.add(
          String.format(
              "| P1 throughput on the shipped runtime (JDK 25, compact headers, AOT cache) | %.1f runs/s | JDK 17 same run: %.1f runs/s; Fabric8 floor: %.1f runs/s | %.2f × Fabric8 floor | ≥ 0.6 × Fabric8 floor (#18) |",
              sb, b, f, sb / f));
      rows.add(
          String.format(
              "| P1 bridge CPU per task run on the shipped runtime | %.2f ms | JDK 17 same run: %.2f ms | %.2f × JDK 17 | |",
              median(p1ShippedCpu),
              median(p1BridgeCpu),
              median(p1ShippedCpu) / median(p1BridgeCpu)));
    }
  }

  final List<Double> p1ShippedCpu = new ArrayList<>();

  /** The JVM running these tests (17): the runtime the figures before #18 were measured on. */
  static final Path JDK17 = Path.of(System.getProperty("java.home"));

  static boolean jdk25Present() {
    return Files.isExecutable(JDK25.resolve("bin").resolve("java"));
  }

  /**
   * The options docker/Dockerfile.jvm adds on JDK 25 to {@link #JVM_ARGS}: compact object headers
   * and the AOT cache its build writes (written here once per run, by the same script).
   */
  List<String> shippedFlags() throws Exception {
    return List.of(COMPACT_HEADERS, "-XX:AOTCache=" + aotCache());
  }

  static final String COMPACT_HEADERS = "-XX:+UseCompactObjectHeaders";

  private Path aot;

  /** docker/aot-train.sh run as the image build runs it, on JDK 25 with the shipped options. */
  Path aotCache() throws Exception {
    if (aot != null) {
      return aot;
    }
    Path dir = Path.of("target", "bench-aot").toAbsolutePath();
    Files.createDirectories(dir);
    Path cache = dir.resolve("app.aot");
    ProcessBuilder train =
        new ProcessBuilder("sh", Path.of("docker", "aot-train.sh").toAbsolutePath().toString());
    train.environment().put("JAVA", JDK25.resolve("bin").resolve("java").toString());
    train.environment().put("APP_DIR", PackagedApp.JAR.toAbsolutePath().getParent().toString());
    train.environment().put("AOT_CACHE", cache.toString());
    train.environment().put("JAVA_OPTS", JVM_ARGS + " " + COMPACT_HEADERS);
    train.redirectErrorStream(true).redirectOutput(dir.resolve("train.log").toFile());
    Process p = train.start();
    if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("AOT training failed; see " + dir.resolve("train.log"));
    }
    aot = cache;
    return aot;
  }

  /** Per P1 run (JDK 17): CPU milliseconds per task run of the bridge's process and of this JVM. */
  final List<Double> p1BridgeCpu = new ArrayList<>();

  final List<Double> p1TestCpu = new ArrayList<>();

  /** Per P1 run: the API requests per task run by verb. */
  final List<String> p1Census = new ArrayList<>();

  /** User plus system CPU time of a process so far, from /proc/{pid}/stat, in milliseconds. */
  static double cpuMs(long pid) throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    // the command name (field 2) may hold spaces: count fields after its closing parenthesis
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
    return ticks * 1000.0 / CLOCK_TICKS;
  }

  /** USER_HZ of Linux on x86-64 (sysconf(_SC_CLK_TCK)). */
  static final int CLOCK_TICKS = 100;

  void p2() {
    List<Double> toJob = new ArrayList<>();
    List<Double> toResult = new ArrayList<>();
    try (Env env = new Env()) {
      p2Latency(env, toJob, toResult);
    }
    rows.add(
        String.format(
            "| P2 event → Job created, at 50 events/s | p50 %.0f ms, p99 %.0f ms | (API server round trip inside) | | p99 ≤ 50 ms |",
            percentile(toJob, 0.5), percentile(toJob, 0.99)));
    rows.add(
        String.format(
            "| P2 Job terminal → result acknowledged, at 50 events/s | p50 %.0f ms, p99 %.0f ms | | | p99 ≤ 100 ms |",
            percentile(toResult, 0.5), percentile(toResult, 0.99)));
  }

  /**
   * One timed P1 run of the bridge: task runs per second, CPU milliseconds per task run of the
   * bridge's process and of this JVM, and the API requests per task run by verb.
   */
  record P1Run(double rate, double bridgeCpu, double testCpu, String byVerb) {}

  P1Run p1Bridge(Env env, int run, Path javaHome, List<String> extra) throws Exception {
    try (PackagedApp app = PackagedApp.start(env.props("bench-p1-" + run), javaHome, extra)) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      if (P1_WARMUP > 0) {
        runAll("bench-p1-warmup-" + run, P1_WARMUP);
      }
      env.api.record(true);
      double cpu0 = cpuMs(app.pid());
      double test0 = cpuMs(ProcessHandle.current().pid());
      long t0 = System.nanoTime();
      runAll("bench-p1-" + run, P1_EVENTS);
      double s = (System.nanoTime() - t0) / 1e9;
      double cpu = (cpuMs(app.pid()) - cpu0) / P1_EVENTS;
      double test = (cpuMs(ProcessHandle.current().pid()) - test0) / P1_EVENTS;
      env.api.record(false);
      System.out.printf(
          "bench P1 bridge (%s %s) run %d: %d runs in %.1fs = %.1f/s; CPU per run: bridge %.2f ms, test JVM %.2f ms; API requests per run: %s%n",
          javaHome.getFileName(),
          extra,
          run,
          P1_EVENTS,
          s,
          P1_EVENTS / s,
          cpu,
          test,
          census(env.api.recorded(), P1_EVENTS));
      return new P1Run(P1_EVENTS / s, cpu, test, byVerb(env.api.recorded(), P1_EVENTS));
    }
  }

  /** Sends {@code n} one-task events and waits until every phase result is in. */
  static void runAll(String app, int n) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    Set<String> triggers = new HashSet<>();
    for (int i = 0; i < n; i++) {
      Events e = Events.pre(NS, app, "v" + i).tasks("bench-ok");
      triggers.add(e.trigger());
      records.add(e.binary(Bus.EVENTS));
    }
    for (int i = 0; i < records.size(); i += 500) {
      Bus.sendAll(records.subList(i, Math.min(records.size(), i + 500)));
    }
    await()
        .atMost(Duration.ofMinutes(15))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                Bus.results().events().stream()
                        .filter(
                            c -> c.kind().equals("phase.finished") && triggers.contains(c.key()))
                        .count()
                    == n);
  }

  /** API requests by method and resource, per task run (who makes them shows in the path). */
  static String census(List<ApiServer.Request> requests, int runs) {
    return perRun(counted(requests, r -> r.method() + " " + resource(r.path())), runs);
  }

  /** API requests per task run by HTTP method, with their total first. */
  static String byVerb(List<ApiServer.Request> requests, int runs) {
    Map<String, Long> byVerb = counted(requests, ApiServer.Request::method);
    long total = byVerb.values().stream().mapToLong(Long::longValue).sum();
    return String.format("%.2f (%s)", total / (double) runs, perRun(byVerb, runs));
  }

  /** The requests (watches left out) counted by {@code key}, in the key's order. */
  static Map<String, Long> counted(
      List<ApiServer.Request> requests, Function<ApiServer.Request, String> key) {
    return requests.stream()
        .filter(r -> !r.path().contains("watch=true"))
        .collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
  }

  static String perRun(Map<String, Long> counts, int runs) {
    return counts.entrySet().stream()
        .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / (double) runs))
        .collect(Collectors.joining(", "));
  }

  static String resource(String path) {
    String p = path.replaceAll("\\?.*", "");
    String[] parts = p.split("/");
    for (int i = parts.length - 1; i > 0; i--) {
      if (parts[i - 1].equals("namespaces") || i == 1) {
        continue;
      }
      if (List.of("keptntasks", "jobs", "pods", "leases", "keptntaskdefinitions", "configmaps")
          .contains(parts[i])) {
        boolean named = i + 1 < parts.length;
        boolean status = p.endsWith("/status");
        return parts[i] + (named ? (status ? "/{name}/status" : "/{name}") : "");
      }
    }
    return p;
  }

  /**
   * The floor: what the API server allows for the same writes the bridge and the simulator make per
   * task (KeptnTask create, Job create, two status patches, the Job's status patch, one annotation
   * patch), from 4 threads like the bridge's reconcilers.
   */
  double p1Fabric8Floor(Env env, int run) throws Exception {
    if (P1_WARMUP > 0) {
      floorWrites(env, "floor-warmup-" + run, P1_WARMUP);
    }
    long t0 = System.nanoTime();
    floorWrites(env, "floor-" + run, P1_EVENTS);
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("bench P1 fabric8 floor run %d: %.1f/s%n", run, P1_EVENTS / s);
    return P1_EVENTS / s;
  }

  static void floorWrites(Env env, String prefix, int n) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    KubernetesClient c = env.client;
    for (int i = 0; i < n; i++) {
      String name = prefix + "-" + i;
      pool.execute(
          () -> {
            KeptnTask t = new KeptnTask();
            t.setMetadata(
                new ObjectMetaBuilder()
                    .withName(name)
                    .withNamespace(NS)
                    .addToLabels("bench", "floor")
                    .build());
            t.setSpec(new KeptnTaskSpec());
            t.getSpec().taskDefinition = "d";
            c.resources(KeptnTask.class).resource(t).create();
            Job j =
                new JobBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(NS)
                    .addToLabels("bench", "floor")
                    .endMetadata()
                    .withNewSpec()
                    .withNewTemplate()
                    .withNewSpec()
                    .withRestartPolicy("Never")
                    .addNewContainer()
                    .withName("c")
                    .withImage("i")
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build();
            c.batch().v1().jobs().resource(j).create();
            // the same client idiom as the bridge: patches given the object send no GET first
            var task = c.resources(KeptnTask.class).resource(t);
            task.subresource("status")
                .patch(
                    PatchContext.of(PatchType.JSON_MERGE),
                    "{\"status\":{\"status\":\"Progressing\"}}");
            c.batch()
                .v1()
                .jobs()
                .resource(j)
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"succeeded\":1}}");
            task.subresource("status")
                .patch(
                    PatchContext.of(PatchType.JSON_MERGE),
                    "{\"status\":{\"status\":\"Succeeded\"}}");
            // one bookkeeping write: results and phase recorded, and the done label, together
            task.patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"a\":\"1\",\"b\":\"1\"},"
                    + "\"labels\":{\"done\":\"true\"}}}");
          });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(15, TimeUnit.MINUTES)).isTrue();
  }

  /** The floor on the broker: the events in and the three results out per task run. */
  double p1KafkaFloor(int run) {
    String in = "floor-in-" + run;
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    byte[] value = Events.pre(NS, "a", "1").dataJson().getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < P1_EVENTS * 4; i++) {
      records.add(new ProducerRecord<>(in, ("k" + i).getBytes(StandardCharsets.UTF_8), value));
    }
    long t0 = System.nanoTime();
    Bus.sendAll(records);
    try (TopicLog log = new TopicLog(TestInfra.kafka().bootstrapServers(), in)) {
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> log.all().size() == records.size());
    }
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("bench P1 kafka floor run %d: %.0f records/s%n", run, records.size() / s);
    return records.size() / s;
  }

  void p2Latency(Env env, List<Double> toJob, List<Double> toResult) {
    int n = 1000;
    try (PackagedApp app = PackagedApp.start(env.props("bench-p2"))) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      if (P1_WARMUP > 0) {
        runAll("bench-p2-warmup", P1_WARMUP); // steady state, as in P1: not the JIT's first minute
      }
      Map<String, Long> sentAt = new ConcurrentHashMap<>();
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        Events e = Events.pre(NS, "bench-p2", "v" + i).tasks("bench-ok");
        long due = start + i * 20_000_000L; // 50 events/s
        // pacing parks (a spinning sender would take one of the 2 cores from what is measured)
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
          LockSupport.parkNanos(wait);
        }
        String task = Names.taskName(CheckType.pre, "bench-ok", e.source(), e.id());
        sentAt.put(task, System.nanoTime());
        Bus.producer().send(e.binary(Bus.EVENTS));
      }
      await()
          .atMost(Duration.ofMinutes(5))
          .until(
              () ->
                  sentAt.keySet().stream().allMatch(jobFinishedAt::containsKey)
                      && resultTimes(sentAt.keySet()).size() == n);
      Map<String, Long> results = resultTimes(sentAt.keySet());
      for (String task : sentAt.keySet()) {
        toJob.add((jobAddedAt.get(task) - sentAt.get(task)) / 1e6);
        toResult.add((results.get(task) - jobFinishedAt.get(task)) / 1e6);
      }
    }
  }

  static Map<String, Long> resultTimes(Set<String> tasks) {
    return resultTimes(tasks, ".succeeded");
  }

  static Map<String, Long> resultTimes(Set<String> tasks, String suffix) {
    Map<String, Long> at = new HashMap<>();
    for (TopicLog.Rec r : Bus.results().all()) {
      String id = r.header("ce_id");
      if (id != null && id.endsWith(suffix)) {
        String task = id.substring(0, id.length() - suffix.length());
        if (tasks.contains(task)) {
          at.putIfAbsent(task, r.receivedNanos());
        }
      }
    }
    return at;
  }

  void p3Footprint(Env env) throws Exception {
    List<Double> ready = new ArrayList<>();
    double idle = startsAndIdle(env, "bench-p3-", JDK17, List.of(), ready);
    int tracked = Integer.getInteger("bench.p3.tasks", 10_000);
    double loaded = 0;
    if (tracked > 0) {
      loaded = p3Loaded(env, tracked, "bench-p3", JDK17, List.of());
    }
    rows.add(String.format("| P3 RSS idle (JVM `%s`) | %.0f MB | | | ≤ 200 MB |", JVM_ARGS, idle));
    rows.add(
        String.format(
            "| P3 RSS with %d tasks in flight (KeptnTask, Job and pod each cached) | %.0f MB | | | ≤ 350 MB |",
            tracked, loaded));
    rows.add(
        String.format(
            "| P3 start to ready (JVM, process start included) | %.2f s | | | ≤ 2.5 s |",
            median(ready)));
    System.out.printf(
        "bench P3: idle %.0f MB, %d tasks %.0f MB, ready %s s%n", idle, tracked, loaded, ready);
    if (jdk25Present()) {
      // a fresh API server: the one above holds the 10,000 tasks in flight just measured
      try (Env fresh = new Env()) {
        p3Runtimes(fresh, median(ready), idle);
      }
      if (tracked > 0) {
        try (Env fresh = new Env()) {
          double shipped = p3Loaded(fresh, tracked, "bench-p3-25", JDK25, shippedFlags());
          rows.add(
              Double.isNaN(shipped)
                  ? String.format(
                      "| P3 RSS with %d tasks in flight, shipped runtime (JDK 25, compact headers, AOT cache) | out of heap (OutOfMemoryError in the bridge's log) | JDK 17 same run: %.0f MB | | ≤ 260 MB (#18) |",
                      tracked, loaded)
                  : String.format(
                      "| P3 RSS with %d tasks in flight, shipped runtime (JDK 25, compact headers, AOT cache) | %.0f MB | JDK 17 same run: %.0f MB | %.2f × JDK 17 | ≤ 260 MB (#18) |",
                      tracked, shipped, loaded, shipped / loaded));
          System.out.printf("bench P3 shipped: %d tasks %.0f MB%n", tracked, shipped);
        }
      }
    }
  }

  /**
   * Starts the jar {@code RUNS} times on {@code javaHome}: adds each start-to-ready time (process
   * start included) to {@code ready} and returns the highest RSS 5 s after ready.
   */
  double startsAndIdle(Env env, String lease, Path javaHome, List<String> extra, List<Double> ready)
      throws Exception {
    double idle = 0;
    for (int run = 0; run < RUNS; run++) {
      long t0 = System.nanoTime();
      try (PackagedApp app = PackagedApp.start(env.props(lease + run), javaHome, extra)) {
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(20))
            .until(app::ready);
        ready.add((System.nanoTime() - t0) / 1e9);
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
        idle = Math.max(idle, rssMb(app));
      }
    }
    return idle;
  }

  /** The JDK 25 runtime the image ships ({@code -Dbench.jdk25}); P3 compares it with this JVM's. */
  static final Path JDK25 =
      Path.of(System.getProperty("bench.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"));

  /**
   * P3 on JDK 25 beside this JVM's (17) figures of the same run: plain, with compact object
   * headers, and with those and an AOT cache (JEP 483/514/515) from a training run (start to ready,
   * then a normal stop, which writes the cache), by docker/aot-train.sh as docker/Dockerfile.jvm
   * builds it.
   */
  void p3Runtimes(Env env, double ready17, double idle17) throws Exception {
    Map<String, List<String>> variants = new LinkedHashMap<>();
    variants.put("JDK 25", List.of());
    variants.put("JDK 25, compact headers", List.of(COMPACT_HEADERS));
    variants.put("JDK 25, compact headers, AOT cache (the shipped image)", shippedFlags());
    for (var v : variants.entrySet()) {
      List<Double> ready = new ArrayList<>();
      double idle = startsAndIdle(env, "bench-p3-25-", JDK25, v.getValue(), ready);
      rows.add(
          String.format(
              "| P3 start to ready, %s | %.2f s | JDK 17 same run: %.2f s | %.2f × JDK 17 | ≤ 1.5 s |",
              v.getKey(), median(ready), ready17, median(ready) / ready17));
      rows.add(
          String.format(
              "| P3 RSS idle, %s | %.0f MB | JDK 17 same run: %.0f MB | %.2f × JDK 17 | ≤ 140 MB |",
              v.getKey(), idle, idle17, idle / idle17));
      System.out.printf("bench P3 %s: idle %.0f MB, ready %s s%n", v.getKey(), idle, ready);
    }
  }

  /** RSS with {@code tracked} tasks in flight; {@code source} keeps each run's task names apart. */
  double p3Loaded(Env env, int tracked, String source, Path javaHome, List<String> extra)
      throws Exception {
    double loaded;
    try (PackagedApp app = PackagedApp.start(env.props("bench-p3-load"), javaHome, extra)) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      List<String> tasks = new ArrayList<>();
      for (int i = 0; i < tracked; i++) {
        // in flight: a running Job (and its pod) that does not end, all three in the caches
        Events e = Events.pre(NS, source, "v" + i).tasks("bench-hang").timeout("1h");
        tasks.add(Names.taskName(CheckType.pre, "bench-hang", e.source(), e.id()));
        records.add(e.binary(Bus.EVENTS));
      }
      for (int i = 0; i < records.size(); i += 1000) {
        Bus.sendAll(records.subList(i, Math.min(records.size(), i + 1000)));
      }
      awaitTakenIn(tasks, () -> outOfHeap(app));
      // a bridge out of heap holds no figure worth reporting: NaN, and the row says why
      loaded = outOfHeap(app) ? Double.NaN : rssMb(app);
    }
    return loaded;
  }

  /**
   * Until every one of {@code tasks} has its Job and its started result (the bridge has taken them
   * in, marked Progressing: a Job exists before that pass, which its watch event brings, so waiting
   * for the Jobs alone would measure the queue of the burst), or {@code giveUp}.
   */
  void awaitTakenIn(List<String> tasks, BooleanSupplier giveUp) {
    await()
        .atMost(Duration.ofMinutes(30))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> giveUp.getAsBoolean() || tasks.stream().allMatch(jobAddedAt::containsKey));
    Set<String> loading = Set.copyOf(tasks);
    await()
        .atMost(Duration.ofMinutes(10))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () ->
                giveUp.getAsBoolean() || resultTimes(loading, ".started").size() == loading.size());
  }

  static boolean outOfHeap(PackagedApp app) {
    return app.output().contains("java.lang.OutOfMemoryError");
  }

  /**
   * P4 on {@code javaHome} with {@code extra} options and {@code heap} added to {@link #JVM_ARGS};
   * {@code label} tells the row apart.
   */
  void p4Growth(Env env, Path javaHome, List<String> extra, String heap, String label)
      throws Exception {
    List<Integer> levels = new ArrayList<>(List.of(100, 1000, 10_000));
    levels.removeIf(l -> l > P4_MAX);
    StringBuilder cells = new StringBuilder();
    double first = 0;
    double last = 0;
    double min = Double.MAX_VALUE;
    double max = 0;
    System.setProperty("packaged.jvm.args", JVM_ARGS + heap);
    try (PackagedApp app = PackagedApp.start(env.props("bench-p4"), javaHome, extra)) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      if (P1_WARMUP > 0) {
        runAll("bench-p4-warmup", P1_WARMUP); // the first level must not pay for the JIT
      }
      int inFlight = 0;
      for (int level : levels) {
        List<ProducerRecord<byte[], byte[]>> hang = new ArrayList<>();
        List<String> hangTasks = new ArrayList<>();
        for (int i = inFlight; i < level; i++) {
          Events e = Events.pre(NS, "bench-p4", "h" + i).tasks("bench-hang").timeout("1h");
          hang.add(e.binary(Bus.EVENTS));
          hangTasks.add(Names.taskName(CheckType.pre, "bench-hang", e.source(), e.id()));
        }
        Bus.sendAll(hang);
        awaitTakenIn(hangTasks, () -> false);
        inFlight = level;
        if (level == levels.get(0)) {
          probes(level + "-discarded", 50); // the probe path's first use compiles it
        }
        List<Double> costs = probes(String.valueOf(level), P4_PROBES);
        double m = median(costs);
        if (first == 0) {
          first = m;
        }
        last = m;
        min = Math.min(min, m);
        max = Math.max(max, m);
        cells.append(String.format("%d in flight: %.1f ms; ", level, m));
        System.out.printf("bench P4%s %d in flight: median event→Job %.1f ms%n", label, level, m);
      }
    } finally {
      System.setProperty("packaged.jvm.args", JVM_ARGS);
    }
    rows.add(
        String.format(
            "| P4 per-event cost"
                + label
                + " (event → Job, median of "
                + P4_PROBES
                + " paced at 20/s) | %s | | %.2f × from first to last level (highest/lowest"
                + " %.2f ×) | flat within 20%% |",
            cells.toString().trim(),
            last / first,
            max / min));
  }

  /**
   * {@code n} single-task events at 20 per second (paced, not bursts, so each meets the same
   * pipeline); returns each one's event → Job time in ms.
   */
  List<Double> probes(String round, int n) {
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      Events e = Events.pre(NS, "bench-p4-probe", round + "-" + i).tasks("bench-ok");
      String task = Names.taskName(CheckType.pre, "bench-ok", e.source(), e.id());
      long due = start + i * 50_000_000L;
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      sentAt.put(task, System.nanoTime());
      Bus.producer().send(e.binary(Bus.EVENTS));
    }
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> sentAt.keySet().stream().allMatch(jobAddedAt::containsKey));
    List<Double> costs = new ArrayList<>();
    sentAt.forEach((task, t0) -> costs.add((jobAddedAt.get(task) - t0) / 1e6));
    return costs;
  }

  /**
   * P5: {@value #P5_WAITERS} deployers' events are admitted at once ({@code POST /events}, one task
   * each, running {@value #P5_TASK_SECONDS} s), then each deployer waits on {@code GET
   * /triggers/{id}?wait=10m}. Measured: the bridge's threads and RSS idle, after the burst of
   * admissions, and with every request held; the time from the last task's end (the simulator's
   * terminal Job status) to the last answer.
   */
  void p5Waiters(Env env) throws Exception {
    try (PackagedApp app = PackagedApp.start(env.props("bench-p5"))) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      // one untimed deployer first, so that the paths are loaded
      List<Events> warm = List.of(Events.pre(NS, "bench-p5-warm", "v0").tasks("bench-ok"));
      p5Send(app, warm, "/events?wait=2m", new ConcurrentHashMap<>())
          .get(0)
          .get(2, TimeUnit.MINUTES);
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
      int threadsIdle = threads(app);
      double rssIdle = rssMb(app);

      List<Events> events = new ArrayList<>();
      List<String> jobs = new ArrayList<>();
      for (int i = 0; i < P5_WAITERS; i++) {
        Events e = Events.pre(NS, "bench-p5", "v" + i).tasks("bench-wait").timeout("10m");
        events.add(e);
        jobs.add(Names.taskName(CheckType.pre, "bench-wait", e.source(), e.id()));
      }
      for (var f : p5Send(app, events, "/events", new ConcurrentHashMap<>())) {
        assertThat(f.get(5, TimeUnit.MINUTES).statusCode()).isEqualTo(202);
      }
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> jobs.stream().allMatch(jobAddedAt::containsKey));
      int threadsAdmitted = threads(app);
      double rssAdmitted = rssMb(app);

      Map<String, Long> answeredAt = new ConcurrentHashMap<>();
      List<CompletableFuture<HttpResponse<String>>> answers = p5Wait(app, events, answeredAt);
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> waiting(app) >= P5_WAITERS);
      int threadsHeld = threads(app);
      double rssHeld = rssMb(app);
      long early = jobs.stream().filter(jobFinishedAt::containsKey).count();

      List<Integer> codes = new ArrayList<>();
      for (var f : answers) {
        codes.add(f.get(P5_TASK_SECONDS + 300L, TimeUnit.SECONDS).statusCode());
      }
      long lastEnd = jobs.stream().mapToLong(jobFinishedAt::get).max().orElseThrow();
      long lastAnswer = answeredAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
      List<Double> each = new ArrayList<>();
      for (int i = 0; i < events.size(); i++) {
        each.add((answeredAt.get(events.get(i).trigger()) - jobFinishedAt.get(jobs.get(i))) / 1e6);
      }
      long ok = codes.stream().filter(c -> c == 200).count();
      rows.add(
          String.format(
              "| P5 bridge threads: idle → after admitting %d events at once → with %d `GET /triggers/{id}?wait=` held | %d → %d → %d | | | no thread per waiting request |",
              P5_WAITERS, P5_WAITERS, threadsIdle, threadsAdmitted, threadsHeld));
      rows.add(
          String.format(
              "| P5 RSS: idle → admitted → %d requests held | %.0f → %.0f → %.0f MB (waiting: %+.1f MB) | | | waiting < 20 MB |",
              P5_WAITERS, rssIdle, rssAdmitted, rssHeld, rssHeld - rssAdmitted));
      rows.add(
          String.format(
              "| P5 last task's end → %dth verdict (`200` answers: %d) | %.0f ms (each: median %.0f ms, p95 %.0f ms) | | | |",
              P5_WAITERS, ok, (lastAnswer - lastEnd) / 1e6, median(each), percentile(each, 0.95)));
      System.out.printf(
          "bench P5: threads %d -> %d -> %d, RSS %.0f -> %.0f -> %.0f MB, %d ended before all were"
              + " held, last end -> last answer %.0f ms, codes 200=%d%n",
          threadsIdle,
          threadsAdmitted,
          threadsHeld,
          rssIdle,
          rssAdmitted,
          rssHeld,
          early,
          (lastAnswer - lastEnd) / 1e6,
          ok);
    }
  }

  /** The bridge's {@code taskbridge_http_waiting}: requests held on {@code ?wait=}. */
  static int waiting(PackagedApp app) {
    for (String line : app.body("/q/metrics").split("\n")) {
      if (line.startsWith("taskbridge_http_waiting ")) {
        return (int) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
      }
    }
    return -1;
  }

  /** Each deployer waits on its own connection: {@code GET /triggers/{id}?wait=10m}. */
  static List<CompletableFuture<HttpResponse<String>>> p5Wait(
      PackagedApp app, List<Events> events, Map<String, Long> answeredAt) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<CompletableFuture<HttpResponse<String>>> out = new ArrayList<>();
    for (Events e : events) {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(
                      "http://127.0.0.1:" + app.port() + "/triggers/" + e.trigger() + "?wait=10m"))
              .timeout(Duration.ofMinutes(12))
              .build();
      out.add(
          http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
              .whenComplete((r, t) -> answeredAt.put(e.trigger(), System.nanoTime())));
    }
    return out;
  }

  /**
   * Each event as a deployer would send it: its own connection, {@code POST /events?wait=10m}, sent
   * again after {@code Retry-After} when the bridge answers 503.
   */
  static List<CompletableFuture<HttpResponse<String>>> p5Send(
      PackagedApp app, List<Events> events, String path, Map<String, Long> answeredAt) {
    List<CompletableFuture<HttpResponse<String>>> out = new ArrayList<>();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (Events e : events) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
              .timeout(Duration.ofMinutes(12))
              .header("content-type", "application/cloudevents+json")
              .POST(HttpRequest.BodyPublishers.ofString(e.structuredJson()))
              .build();
      out.add(
          p5Try(http, request, 0)
              .whenComplete((r, t) -> answeredAt.put(e.trigger(), System.nanoTime())));
    }
    return out;
  }

  static final AtomicInteger P5_RESENT = new AtomicInteger();

  static CompletableFuture<HttpResponse<String>> p5Try(
      HttpClient http, HttpRequest request, int tries) {
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenCompose(
            r -> {
              if (r.statusCode() != 503 || tries >= 20) {
                return CompletableFuture.completedFuture(r);
              }
              P5_RESENT.incrementAndGet();
              long after = r.headers().firstValueAsLong("retry-after").orElse(1);
              return CompletableFuture.supplyAsync(
                      () -> null, CompletableFuture.delayedExecutor(after, TimeUnit.SECONDS))
                  .thenCompose(x -> p5Try(http, request, tries + 1));
            });
  }

  static int threads(PackagedApp app) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + app.pid() + "/status"))) {
      if (line.startsWith("Threads:")) {
        return Integer.parseInt(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  static double rssMb(PackagedApp app) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + app.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return -1;
  }

  void write() throws Exception {
    String cpu =
        Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("model name"))
            .findFirst()
            .map(l -> l.substring(l.indexOf(':') + 1).trim())
            .orElse("?");
    String text =
        "# Benchmarks\n\n"
            + "Measured by the benchmark harness (`src/test/java/dev/taskbridge/it/BenchIT.java`), against the same\n"
            + "in-process Kafka broker and Fabric8 API server as the tests, with the Job simulator completing Jobs.\n"
            + "Rerun: `./mvnw -B verify -Pbench` (options: `-Dbench.figures=P1,P2,P3,P4,P5 -Dbench.runs=3 -Dbench.p1.events=1000 -Dbench.p1.warmup=300\n"
            + "-Dbench.p3.tasks=10000 -Dbench.p4.max=10000 -Dbench.p4.probes=200 -Dbench.p5.waiters=500 -Dpackaged.jvm.args='"
            + JVM_ARGS
            + "'`). These machines are noisy: figures are medians of "
            + RUNS
            + " runs, and each\n"
            + "figure's floor was measured in the same run.\n\n"
            + "Machine: "
            + Runtime.getRuntime().availableProcessors()
            + " cores, "
            + cpu
            + ", Java "
            + System.getProperty("java.version")
            + "; run on "
            + LocalDate.now()
            + ".\n\n"
            + "| figure | bridge | floor (same run) | ratio | target |\n|---|---|---|---|---|\n"
            + String.join("\n", rows)
            + "\n\n"
            + NOTES;
    // The hand-written analysis (from "## Before / after" on) is kept across runs.
    Path doc = Path.of("docs", "BENCHMARKS.md");
    if (Files.exists(doc)) {
      String old = Files.readString(doc);
      int at = old.indexOf(KEPT);
      if (at >= 0) {
        text = text + "\n" + old.substring(at);
      }
    }
    // A partial run (-Dbench.figures) must not replace the full table.
    Path out =
        FIGURES.containsAll(Set.of("P1", "P2", "P3", "P4", "P5"))
            ? doc
            : Path.of("target", "BENCHMARKS-partial.md");
    Files.writeString(out, text);
    System.out.println(text);
  }

  static final String KEPT = "## Before / after";

  static final String NOTES =
      """
      ## Reading the figures

      - The API server of these benchmarks is Fabric8's mock server with the sandbox's indexes (an
        object read by name, a list from the objects of its resource, as kube-apiserver reads them;
        see below): it serves every request on one event-loop thread under one lock. The Fabric8 floor
        makes, from 4 threads, exactly the writes one task run costs (KeptnTask create, Job create, two
        task status patches, the Job's status patch that the simulator stands in for, one annotation
        patch), with the same client idiom as the bridge (patches given the object: no GET first).
      - Every measurement runs 300 untimed task runs first (`-Dbench.p1.warmup`), so that none times
        the JIT compilers of a fresh JVM (P3 measures start-up). The floor's run has no watches but
        the simulator's, no Kafka and no bridge JVM sharing the 2 cores.
      - The bridge runs with the JVM options docker/Dockerfile.jvm ships (shown in P3) and the
        default `bridge.sweep.every` (30 s), on this JVM (17, as every figure before #18), and for
        P1, P3 and P4 also on the image's runtime: JDK 25 with `-XX:+UseCompactObjectHeaders` and the
        AOT cache that docker/aot-train.sh writes, run here exactly as the image build runs it (a
        training start against a closed broker and API server port, stopped at "started").
      - P1's CPU per task run is the bridge process's user and system time (/proc/<pid>/stat) over
        the timed runs, divided by the runs; its requests are those the API server received, by verb.
      - P2 is measured from the test's send to the Job simulator seeing the Job (watch delivery
        included), and from the simulator writing the terminal Job status to the test's consumer
        receiving the result (Kafka consumer poll included). The sender paces with parkNanos.
      - P3: RSS is read from /proc. "In flight" tasks have a Job that never ends, so the bridge caches
        the KeptnTask, the Job and its pod for each; finished tasks leave the cache.
      - P5: 500 events are POSTed at once (each deployer its own HTTP/1.1 connection; a `503` is
        sent again after its `Retry-After`), then each deployer holds `GET /triggers/{id}?wait=10m`.
        "Admitted" is read once every Job exists, "held" once `taskbridge_http_waiting` shows all
        500 requests held and no task has ended; the difference is what waiting costs. The time to
        the last answer runs from the simulator's terminal Job status of the last task to end to
        the client receiving the last verdict.
      - P4 keeps 100, 1,000 and 10,000 tasks in flight (Jobs that never end) and measures single
        events' event → Job latency on top (200 events paced at 20/s per level). Its first row runs
        on JDK 17 with a 320 MB heap, as docs/operations.md sizes a deployment for 10,000 tasks in
        flight; the second on the shipped runtime (JDK 25, compact headers, AOT cache) with P3's
        160 MB heap, which shows whether 10,000 in flight make the collector thrash there.
      """;
}
