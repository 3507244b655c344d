package dev.taskbridge.run;

import dev.taskbridge.kube.ApiErrors;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
public final class WorkQueue<K> implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(WorkQueue.class);

  // Guarded by "this". dirty: keys that must be handled (again); processing: keys a worker holds.
  // A key is submitted to the pool only when it becomes dirty while not processing, or when its
  // worker finishes and finds it dirty again: so one worker per key, a key enqueued while it runs
  // runs once more afterwards, and enqueues of a waiting key collapse (client-go's guarantees).
  private final Set<K> dirty = new HashSet<>();
  private final Set<K> processing = new HashSet<>();
  // keys that must not run before a time (the API server's Retry-After): enqueues meanwhile wait
  private final Map<K, Long> heldUntil = new HashMap<>();
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private final Consumer<K> handler;

  public WorkQueue(String name, int threads, Consumer<K> handler) {
    AtomicInteger n = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(threads, r -> daemon(r, name + "-" + n.incrementAndGet()));
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-timer"));
    this.handler = handler;
  }

  public void enqueue(K key) {
    synchronized (this) {
      Long until = heldUntil.get(key);
      if (until != null && until - System.nanoTime() > 0) {
        return; // held: its release runs it
      }
      heldUntil.remove(key);
      if (!dirty.add(key) || processing.contains(key)) {
        return; // already waiting, or running: it runs (once) again when its worker is done
      }
    }
    submit(key);
  }

  private void submit(K key) {
    try {
      workers.execute(() -> run(key));
    } catch (RuntimeException e) {
      synchronized (this) {
        dirty.remove(key); // the queue is closed
      }
    }
  }

  public void enqueueAfter(K key, Duration delay) {
    try {
      timer.schedule(() -> enqueue(key), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      LOG.debugf("queue closed, dropping delayed %s", key);
    }
  }

  /**
   * Runs {@code key} once {@code delay} has passed and not before: enqueues of it meanwhile
   * (informer events, the sweep) wait for that time instead of running it at once.
   */
  public void holdFor(K key, Duration delay) {
    synchronized (this) {
      heldUntil.put(key, System.nanoTime() + delay.toNanos());
    }
    try {
      timer.schedule(
          () -> {
            synchronized (this) {
              heldUntil.remove(key);
            }
            enqueue(key);
          },
          delay.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      LOG.debugf("queue closed, dropping held %s", key);
    }
  }

  /** Keys waiting or being handled. */
  public synchronized int pending() {
    int n = processing.size();
    for (K k : dirty) {
      if (!processing.contains(k)) {
        n++;
      }
    }
    return n;
  }

  private void run(K key) {
    synchronized (this) {
      dirty.remove(key);
      processing.add(key);
    }
    try {
      handler.accept(key);
    } catch (ApiErrors.Throttled e) {
      // the API server said when to come back: not before
      LOG.debugf(
          "handling %s throttled; again in %ds: %s", key, e.retryAfterSeconds(), e.getMessage());
      holdFor(key, Duration.ofSeconds(e.retryAfterSeconds()));
    } catch (RuntimeException e) {
      LOG.warnf(e, "handling %s failed; retrying in 2s", key);
      enqueueAfter(key, Duration.ofSeconds(2));
    } finally {
      boolean again;
      synchronized (this) {
        processing.remove(key);
        Long until = heldUntil.get(key);
        if (until != null && until - System.nanoTime() > 0) {
          dirty.remove(key); // held: its release runs it
          again = false;
        } else {
          again = dirty.contains(key);
        }
      }
      if (again) {
        submit(key);
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
