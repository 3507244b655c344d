package dev.taskbridge.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskbridge.kube.ApiErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The queue's three guarantees, under contention. */
class WorkQueueTest {

  @Test
  void aKeyIsNeverHandledByTwoWorkersAtOnce() throws Exception {
    Map<String, AtomicInteger> inside = new ConcurrentHashMap<>();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    try (WorkQueue<String> q =
        new WorkQueue<String>(
            "stress",
            8,
            key -> {
              AtomicInteger n = inside.computeIfAbsent(key, k -> new AtomicInteger());
              if (n.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
              }
              runs.incrementAndGet();
              long until = System.nanoTime() + 2_000; // a short piece of work, on the CPU
              while (System.nanoTime() < until) {
                Thread.onSpinWait();
              }
              n.decrementAndGet();
            })) {
      List<Thread> producers = new ArrayList<>();
      long stopAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      for (int t = 0; t < 3; t++) {
        Thread p =
            new Thread(
                () -> {
                  int i = 0;
                  while (System.nanoTime() < stopAt && overlaps.get() == 0) {
                    q.enqueue("k" + (i++ & 7));
                  }
                });
        producers.add(p);
        p.start();
      }
      for (Thread p : producers) {
        p.join();
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> q.pending() == 0);
    }
    assertThat(runs.get()).isPositive();
    assertThat(overlaps.get()).as("runs of one key that overlapped").isZero();
  }

  @Test
  void aKeyEnqueuedWhileItRunsRunsOnceMoreAfterwards() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    try (WorkQueue<String> q =
        new WorkQueue<String>(
            "again",
            4,
            key -> {
              if (runs.incrementAndGet() == 1) {
                entered.countDown();
                hold(release);
              }
            })) {
      q.enqueue("a");
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 50; i++) {
        q.enqueue("a"); // while it runs: once more afterwards, not 50 times, not concurrently
      }
      assertThat(runs.get()).isEqualTo(1);
      release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> q.pending() == 0);
    }
    assertThat(runs.get()).isEqualTo(2);
  }

  @Test
  void enqueuesOfAWaitingKeyCollapseIntoOneRun() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    try (WorkQueue<String> q =
        new WorkQueue<String>(
            "collapse",
            1,
            key -> {
              runs.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
              if (key.equals("blocker")) {
                entered.countDown();
                hold(release);
              }
            })) {
      q.enqueue("blocker"); // holds the only worker
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 100; i++) {
        q.enqueue("waiting");
      }
      assertThat(q.pending()).isEqualTo(2);
      release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> q.pending() == 0);
    }
    assertThat(runs.get("waiting").get()).isEqualTo(1);
    assertThat(runs.get("blocker").get()).isEqualTo(1);
  }

  /**
   * A key the API server throttled (429 with Retry-After) is not run before its time, however often
   * it is enqueued meanwhile, and then runs once; other keys run as usual.
   */
  @Test
  void aThrottledKeyDoesNotRunBeforeItsRetryAfterWhateverWakesIt() {
    Map<String, List<Long>> runs = new ConcurrentHashMap<>();
    AtomicInteger first = new AtomicInteger();
    try (WorkQueue<String> q =
        new WorkQueue<String>(
            "held",
            2,
            key -> {
              runs.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
              if (key.equals("a") && first.getAndIncrement() == 0) {
                throw new ApiErrors.Throttled("create Job a: 429", null, 1);
              }
            })) {
      q.enqueue("a");
      await().atMost(Duration.ofSeconds(10)).until(() -> runs.containsKey("a"));
      for (int i = 0; i < 20; i++) {
        q.enqueue("a"); // informer events, the sweep
        q.enqueue("b" + i);
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> runs.get("a").size() == 2 && q.pending() == 0);
      List<Long> a = runs.get("a");
      assertThat(a).hasSize(2);
      assertThat(Duration.ofNanos(a.get(1) - a.get(0)))
          .isGreaterThanOrEqualTo(Duration.ofMillis(950));
      for (int i = 0; i < 20; i++) {
        assertThat(runs.get("b" + i)).hasSize(1);
        assertThat(runs.get("b" + i).get(0)).isLessThan(a.get(1)); // not held behind "a"
      }
    }
  }

  private static void hold(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
