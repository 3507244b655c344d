package dev.taskbridge.ingest;

import dev.taskbridge.contract.Safe;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes deployment events. A record is acknowledged (so its offset may be committed) only once
 * its KeptnTasks exist or its rejection is published; records run concurrently on the {@code
 * ingest} worker pool, and the throttled commit strategy never commits past a record still in
 * progress.
 *
 * <p>Every path out of {@link #consume} ends in KeptnTasks or one rejection with its DLQ copy;
 * while the Kubernetes API does not answer, the record waits here, uncommitted, and is admitted
 * once it answers. Nothing here fails the channel.
 */
@ApplicationScoped
public class KafkaIngest {
  private static final Logger LOG = Logger.getLogger(KafkaIngest.class);
  public static final String CHANNEL = "deployment-events";
  static final Duration MAX_WAIT = Duration.ofSeconds(30);

  private final IngestService ingest;
  private final DeadLetters deadLetters;
  private volatile boolean stopping;

  public KafkaIngest(IngestService ingest, DeadLetters deadLetters) {
    this.ingest = ingest;
    this.deadLetters = deadLetters;
  }

  @Incoming(CHANNEL)
  @Blocking(value = "ingest", ordered = false)
  public void consume(ConsumerRecord<byte[], byte[]> record) {
    String fallback = record.topic() + "-" + record.partition() + "-" + record.offset();
    Intake intake = ingest.readSafely(headers(record), record.value(), fallback);
    if (intake instanceof Intake.Accepted a) {
      Duration pause = Duration.ofSeconds(1);
      while (true) {
        Admission admission = ingest.admit(a.event());
        if (admission instanceof Admission.Admitted) {
          return;
        }
        if (admission instanceof Admission.Refused r) {
          intake = r.rejection();
          break;
        }
        Admission.Unavailable u = (Admission.Unavailable) admission;
        if (stopping) {
          // left uncommitted: the next owner of the partition reads it again
          throw new IllegalStateException("shutting down while the Kubernetes API is away");
        }
        Duration wait =
            pause.compareTo(Duration.ofSeconds(u.retryAfterSeconds())) > 0
                ? pause
                : Duration.ofSeconds(u.retryAfterSeconds());
        LOG.warnf(
            "event %s waits for the Kubernetes API (%s); trying again in %d s, uncommitted",
            fallback, Safe.excerpt(u.why()), wait.toSeconds());
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(wait.toMillis()));
        pause = pause.multipliedBy(2).compareTo(MAX_WAIT) > 0 ? MAX_WAIT : pause.multipliedBy(2);
      }
    }
    Intake.Rejected r = (Intake.Rejected) intake;
    ingest.reject(r, record.topic(), record.partition(), record.offset());
    deadLetters.copy(record, r);
  }

  void stop(@Observes ShutdownEvent ev) {
    stopping = true;
  }

  static Map<String, byte[]> headers(ConsumerRecord<byte[], byte[]> record) {
    Map<String, byte[]> h = new LinkedHashMap<>();
    for (Header header : record.headers()) {
      h.put(header.key(), header.value() == null ? new byte[0] : header.value());
    }
    return h;
  }
}
