package dev.taskbridge.ingest;

import dev.taskbridge.run.ApiErrors;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes deployment events. A record is acknowledged (so its offset may be committed) only once
 * its KeptnTasks exist or its rejection is published; records run concurrently on the {@code
 * ingest} worker pool, and the throttled commit strategy never commits past a record still in
 * progress.
 */
@ApplicationScoped
public class KafkaIngest {
  public static final String CHANNEL = "deployment-events";

  private final IngestService ingest;
  private final DeadLetters deadLetters;

  public KafkaIngest(IngestService ingest, DeadLetters deadLetters) {
    this.ingest = ingest;
    this.deadLetters = deadLetters;
  }

  @Incoming(CHANNEL)
  @Blocking(value = "ingest", ordered = false)
  public void consume(ConsumerRecord<byte[], byte[]> record) {
    String fallback = record.topic() + "-" + record.partition() + "-" + record.offset();
    Intake intake = ingest.read(headers(record), record.value(), fallback);
    if (intake instanceof Intake.Accepted a) {
      try {
        ingest.accept(a.event());
        return;
      } catch (ApiErrors.Permanent p) {
        intake = ingest.refused(a.event(), p);
      }
    }
    Intake.Rejected r = (Intake.Rejected) intake;
    ingest.reject(r, record.topic(), record.partition(), record.offset());
    deadLetters.copy(record, r);
  }

  static Map<String, byte[]> headers(ConsumerRecord<byte[], byte[]> record) {
    Map<String, byte[]> h = new LinkedHashMap<>();
    for (Header header : record.headers()) {
      h.put(header.key(), header.value() == null ? new byte[0] : header.value());
    }
    return h;
  }
}
