package dev.taskbridge.testing;

import dev.taskbridge.ingest.DeadLetters;
import dev.taskbridge.ingest.KafkaIngest;
import dev.taskbridge.report.ResultPublisher;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;

/** Kafka from the test's side: sends with KafkaCompanion, reads results and dead letters back. */
public final class Bus {
  public static final String EVENTS = KafkaIngest.CHANNEL;
  public static final String RESULTS = ResultPublisher.CHANNEL;
  public static final String DLQ = DeadLetters.CHANNEL;

  private static KafkaCompanion companion;
  private static TopicLog results;
  private static TopicLog dlq;

  private Bus() {}

  public static synchronized KafkaCompanion companion() {
    if (companion == null) {
      companion = new KafkaCompanion(TestInfra.kafka().bootstrapServers());
    }
    return companion;
  }

  public static void send(ProducerRecord<byte[], byte[]> record) {
    sendAll(List.of(record));
  }

  public static void sendAll(List<ProducerRecord<byte[], byte[]>> records) {
    companion()
        .produce(Serdes.ByteArray(), Serdes.ByteArray())
        .fromRecords(records)
        .awaitCompletion(Duration.ofSeconds(60));
  }

  private static KafkaProducer<byte[], byte[]> producer;

  /**
   * One long-lived producer, for senders that must not pay for a new producer per record
   * (benchmarks).
   */
  public static synchronized KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      producer =
          new KafkaProducer<>(
              Map.of(
                  "bootstrap.servers",
                  TestInfra.kafka().bootstrapServers(),
                  "linger.ms",
                  0,
                  "acks",
                  "all"),
              new ByteArraySerializer(),
              new ByteArraySerializer());
    }
    return producer;
  }

  /** Waits until the phase result of {@code trigger} has arrived. */
  public static void awaitPhase(String trigger, Duration max) {
    org.awaitility.Awaitility.await()
        .atMost(max)
        .until(
            () ->
                results().forTrigger(trigger).stream()
                    .anyMatch(c -> c.kind().equals("phase.finished")));
  }

  public static synchronized TopicLog results() {
    if (results == null) {
      results = new TopicLog(TestInfra.kafka().bootstrapServers(), RESULTS);
    }
    return results;
  }

  public static synchronized TopicLog deadLetters() {
    if (dlq == null) {
      dlq = new TopicLog(TestInfra.kafka().bootstrapServers(), DLQ);
    }
    return dlq;
  }
}
