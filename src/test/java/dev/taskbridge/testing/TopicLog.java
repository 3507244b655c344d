package dev.taskbridge.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;

/** Reads a topic from the beginning in the background and keeps every record, for assertions. */
public final class TopicLog implements AutoCloseable {
  /** A raw record. */
  public record Rec(
      byte[] key,
      Map<String, byte[]> headers,
      byte[] value,
      int partition,
      long offset,
      long receivedNanos) {
    public String header(String name) {
      byte[] v = headers.get(name);
      return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    public String keyString() {
      return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }
  }

  private final List<Rec> records = new ArrayList<>();
  private final Properties props = new Properties();
  private final String topic;
  private final Thread thread;
  private volatile boolean running = true;

  public TopicLog(String bootstrap, String topic) {
    this.topic = topic;
    Properties p = props;
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-log-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
    consumer.subscribe(List.of(topic));
    thread =
        new Thread(
            () -> {
              try (consumer) {
                while (running) {
                  for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    Map<String, byte[]> h = new LinkedHashMap<>();
                    for (Header header : r.headers()) {
                      h.put(header.key(), header.value());
                    }
                    synchronized (records) {
                      records.add(
                          new Rec(
                              r.key(), h, r.value(), r.partition(), r.offset(), System.nanoTime()));
                    }
                  }
                }
              } catch (RuntimeException e) {
                // closed
              }
            },
            "topic-log-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Waits until this log has read every record the topic holds now (each partition's end offset as
   * the broker says it at the call): what was acknowledged before is then in {@link #all()}.
   */
  public void awaitCaughtUp(Duration max) {
    Map<Integer, Long> ends = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props)) {
      List<TopicPartition> parts =
          c.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      c.endOffsets(parts).forEach((tp, end) -> ends.put(tp.partition(), end));
    }
    Awaitility.await()
        .atMost(max)
        .until(
            () -> {
              Map<Integer, Long> read = new HashMap<>();
              all().forEach(r -> read.merge(r.partition(), r.offset() + 1, Math::max));
              return ends.entrySet().stream()
                  .allMatch(e -> read.getOrDefault(e.getKey(), 0L) >= e.getValue());
            });
  }

  public List<Rec> all() {
    synchronized (records) {
      return new ArrayList<>(records);
    }
  }

  public List<Rec> matching(Predicate<Rec> p) {
    return all().stream().filter(p).toList();
  }

  private final List<Ce> decoded = new ArrayList<>();

  /** Every record decoded as a result CloudEvent (each record decoded once). */
  public List<Ce> events() {
    List<Rec> all = all();
    synchronized (decoded) {
      for (int i = decoded.size(); i < all.size(); i++) {
        Rec r = all.get(i);
        Map<String, String> h = new LinkedHashMap<>();
        r.headers()
            .forEach((k, v) -> h.put(k, v == null ? null : new String(v, StandardCharsets.UTF_8)));
        decoded.add(Ce.decode(r.keyString(), h, r.value(), r.partition(), r.offset()));
      }
      return new ArrayList<>(decoded);
    }
  }

  /** Results whose Kafka key (the trigger hash) is {@code trigger}, in topic order. */
  public List<Ce> forTrigger(String trigger) {
    return events().stream().filter(e -> trigger.equals(e.key())).toList();
  }

  @Override
  public void close() {
    running = false;
  }
}
