package dev.taskbridge.run;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * A controller work queue: a key is handled by one worker at a time, a key enqueued while it is
 * being handled is handled once more afterwards, and many enqueues of a waiting key collapse into
 * one.
 */
public final class WorkQueue implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(WorkQueue.class);

  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final Set<String> again = ConcurrentHashMap.newKeySet();
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private final Consumer<String> handler;
  private final AtomicInteger pending = new AtomicInteger();

  public WorkQueue(String name, int threads, Consumer<String> handler) {
    AtomicInteger n = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(threads, r -> daemon(r, name + "-" + n.incrementAndGet()));
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-timer"));
    this.handler = handler;
  }

  public void enqueue(String key) {
    if (running.contains(key)) {
      again.add(key);
      if (running.contains(key)) {
        return;
      }
      again.remove(key);
    }
    if (queued.add(key)) {
      pending.incrementAndGet();
      try {
        workers.execute(() -> run(key));
      } catch (RuntimeException e) {
        queued.remove(key);
        pending.decrementAndGet();
      }
    }
  }

  public void enqueueAfter(String key, Duration delay) {
    try {
      timer.schedule(() -> enqueue(key), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      LOG.debugf("queue closed, dropping delayed %s", key);
    }
  }

  /** Keys waiting or being handled. */
  public int pending() {
    return pending.get();
  }

  private void run(String key) {
    running.add(key); // before leaving "queued", so a concurrent enqueue never starts a second run
    queued.remove(key);
    try {
      handler.accept(key);
    } catch (RuntimeException e) {
      LOG.warnf(e, "handling %s failed; retrying in 2s", key);
      enqueueAfter(key, Duration.ofSeconds(2));
    } finally {
      running.remove(key);
      pending.decrementAndGet();
      if (again.remove(key)) {
        enqueue(key);
      }
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    workers.shutdownNow();
  }
}
