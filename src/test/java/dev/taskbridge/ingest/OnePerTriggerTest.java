package dev.taskbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OnePerTriggerTest {

  @Test
  void deliveriesOfOneTriggerNeverOverlapAndOtherTriggersDoNotWait() throws Exception {
    OnePerTrigger locks = new OnePerTrigger();
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Runnable body =
        () -> {
          most.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
          inside.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          concurrent.decrementAndGet();
        };
    var first = CompletableFuture.runAsync(() -> locks.admit("t1", () -> run(body)));
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
    var second = CompletableFuture.runAsync(() -> locks.admit("t1", () -> run(body)));
    // another trigger goes through while t1 is held
    assertThat(locks.admit("t2", () -> "done")).isEqualTo("done");
    await().atMost(Duration.ofSeconds(10)).until(() -> locks.size() == 1);
    assertThat(second).isNotDone();
    release.countDown();
    CompletableFuture.allOf(first, second).get(10, TimeUnit.SECONDS);
    assertThat(most.get()).as("never two deliveries of t1 at once").isEqualTo(1);
    assertThat(locks.size()).as("nothing kept once idle").isZero();
  }

  @Test
  void aFailingAdmissionReleasesItsTrigger() {
    OnePerTrigger locks = new OnePerTrigger();
    try {
      locks.admit(
          "t",
          () -> {
            throw new IllegalStateException("boom");
          });
    } catch (IllegalStateException expected) {
      assertThat(expected).hasMessage("boom");
    }
    assertThat(locks.size()).isZero();
    assertThat(locks.admit("t", () -> 1)).isEqualTo(1);
  }

  private static Object run(Runnable r) {
    r.run();
    return null;
  }
}
