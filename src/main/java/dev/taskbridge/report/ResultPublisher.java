package dev.taskbridge.report;

import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.config.ResultFormat;
import dev.taskbridge.contract.ResultType;
import dev.taskbridge.metrics.BridgeMetrics;
import io.smallrye.faulttolerance.api.ApplyGuard;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Sends results to {@code task-results}; each future completes when Kafka acknowledged the record.
 */
@ApplicationScoped
public class ResultPublisher {
  public static final String CHANNEL = "task-results";

  @Inject
  @Channel(CHANNEL)
  @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 20000)
  Emitter<byte[]> emitter;

  @Inject BridgeMetrics metrics;

  private final CloudEventWriter writer;
  private final ResultFormat format;
  private final CdEventsOut cdEvents;
  private final Acknowledgements acks = new Acknowledgements();

  /** Sends Kafka has not acknowledged yet, and failures since the last acknowledgement. */
  public Acknowledgements acknowledgements() {
    return acks;
  }

  @Inject
  public ResultPublisher(BridgeConfig config) {
    this.writer = new CloudEventWriter(config.source(), config.results().contentMode());
    this.format = config.results().format();
    this.cdEvents = new CdEventsOut(config.source());
  }

  /**
   * The records one result is published as, in order ({@code bridge.results.format}): ours, its
   * CDEvent, or both; rejections are always ours.
   */
  static List<Result> records(Result r, ResultFormat format, CdEventsOut cdEvents) {
    if (r.type() == ResultType.EVENT_REJECTED || format == ResultFormat.taskbridge) {
      return List.of(r);
    }
    Optional<Result> cd = cdEvents.of(r);
    if (format == ResultFormat.cdevents) {
      return cd.map(List::of).orElse(List.of());
    }
    return cd.map(c -> List.of(r, c)).orElse(List.of(r));
  }

  /** Publishes the result in the configured format; completes when Kafka acknowledged it all. */
  public CompletionStage<Void> publish(Result r) {
    return CompletableFuture.allOf(
        records(r, format, cdEvents).stream()
            .map(x -> send(x).toCompletableFuture())
            .toArray(CompletableFuture[]::new));
  }

  private CompletionStage<Void> send(Result r) {
    CloudEventWriter.Encoded e = writer.encode(r);
    RecordHeaders headers = new RecordHeaders();
    e.headers().forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
    CompletableFuture<Void> done = new CompletableFuture<>();
    long ticket = acks.sent(Instant.now());
    Message<byte[]> m =
        Message.of(
            e.body(),
            Metadata.of(
                OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(r.key())
                    .withHeaders(headers)
                    .build()),
            () -> {
              acks.acknowledged(ticket);
              metrics.resultPublished(r.type().tag());
              done.complete(null);
              return CompletableFuture.completedFuture(null);
            },
            failure -> {
              acks.failed(ticket, Instant.now(), String.valueOf(failure.getMessage()));
              done.completeExceptionally(failure);
              return CompletableFuture.completedFuture(null);
            });
    try {
      emitter.send(m);
    } catch (RuntimeException ex) {
      acks.failed(ticket, Instant.now(), String.valueOf(ex.getMessage()));
      done.completeExceptionally(ex);
    }
    return done;
  }

  /**
   * Sends one result and waits until Kafka acknowledged it, retrying for as long as the broker is
   * away (bounded): the caller commits its input only after this returns.
   */
  @ApplyGuard(KafkaGuard.SEND)
  public void publishAndWait(Result r) {
    try {
      publish(r).toCompletableFuture().get(3, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing " + r.id(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "result " + r.id() + " not acknowledged: " + e.getMessage(), e);
    }
  }

  /**
   * Sends one result and waits at most {@code limit} for Kafka's acknowledgement; true when it was
   * acknowledged in time (the producer goes on trying after that, within its delivery timeout).
   */
  public boolean publishWithin(Result r, Duration limit) {
    try {
      publish(r).toCompletableFuture().get(limit.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      org.jboss.logging.Logger.getLogger(ResultPublisher.class)
          .warnf("result %s not acknowledged within %s: %s", r.id(), limit, e.getMessage());
      return false;
    }
  }

  /** Sends in order; completes when all are acknowledged, or fails with the first failure. */
  public CompletionStage<Void> publishAll(List<Result> results) {
    CompletableFuture<?>[] all =
        results.stream()
            .map(r -> publish(r).toCompletableFuture())
            .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(all);
  }
}
