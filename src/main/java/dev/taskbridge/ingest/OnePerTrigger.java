package dev.taskbridge.ingest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Admits the deliveries of one event (one trigger hash) one at a time, so that of two copies
 * arriving together (a Kafka redelivery beside an HTTP retry, two records on the {@code ingest}
 * pool) exactly one creates the KeptnTasks and the other finds them and is a duplicate. Events of
 * other triggers never wait for each other. A lock lives only while somebody holds or waits for it.
 */
final class OnePerTrigger {
  private static final class Entry {
    final ReentrantLock lock = new ReentrantLock();
    int users; // changed only inside the map's compute for this key
  }

  private final ConcurrentHashMap<String, Entry> held = new ConcurrentHashMap<>();

  <T> T admit(String trigger, Supplier<T> body) {
    Entry e =
        held.compute(
            trigger,
            (k, v) -> {
              Entry entry = v == null ? new Entry() : v;
              entry.users++;
              return entry;
            });
    e.lock.lock();
    try {
      return body.get();
    } finally {
      e.lock.unlock();
      held.computeIfPresent(trigger, (k, v) -> --v.users == 0 ? null : v);
    }
  }

  /** Triggers with a delivery in admission now (0 when idle: nothing is kept). */
  int size() {
    return held.size();
  }
}
