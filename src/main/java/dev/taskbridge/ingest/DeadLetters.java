package dev.taskbridge.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskbridge.report.KafkaGuard;
import io.smallrye.faulttolerance.api.ApplyGuard;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Copies a rejected record, untouched (key, value, headers), to {@code deployment-events-dlq},
 * adding the errors as headers in SmallRye's dead-letter style.
 */
@ApplicationScoped
public class DeadLetters {
  public static final String CHANNEL = "deployment-events-dlq";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject
  @Channel(CHANNEL)
  @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1000)
  Emitter<byte[]> emitter;

  @ApplyGuard(KafkaGuard.SEND)
  public void copy(ConsumerRecord<byte[], byte[]> record, Intake.Rejected rejection) {
    RecordHeaders headers = new RecordHeaders();
    for (Header h : record.headers()) {
      headers.add(h.key(), h.value());
    }
    headers.add("dead-letter-reason", utf8(rejection.firstCode().text()));
    headers.add("dead-letter-cause", utf8(rejection.errors().get(0).message()));
    headers.add("dead-letter-topic", utf8(record.topic()));
    headers.add("dead-letter-partition", utf8(Integer.toString(record.partition())));
    headers.add("dead-letter-offset", utf8(Long.toString(record.offset())));
    headers.add("taskbridge-errors", json(rejection));
    CompletableFuture<Void> done = new CompletableFuture<>();
    Message<byte[]> m =
        Message.of(
            record.value(),
            Metadata.of(
                OutgoingKafkaRecordMetadata.<byte[]>builder()
                    .withKey(record.key())
                    .withHeaders(headers)
                    .build()),
            () -> {
              done.complete(null);
              return CompletableFuture.completedFuture(null);
            },
            failure -> {
              done.completeExceptionally(failure);
              return CompletableFuture.completedFuture(null);
            });
    emitter.send(m);
    try {
      done.get(3, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("dead letter not acknowledged: " + e.getMessage(), e);
    }
  }

  private static byte[] json(Intake.Rejected r) {
    try {
      return JSON.writeValueAsBytes(r.errors());
    } catch (JsonProcessingException e) {
      return utf8("[]");
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
