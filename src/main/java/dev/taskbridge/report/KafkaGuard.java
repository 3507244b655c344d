package dev.taskbridge.report;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.temporal.ChronoUnit;

/**
 * The retry policy of a send whose caller waits for the broker's acknowledgement (a result before
 * its input is committed, a DLQ copy), named once ({@code @ApplyGuard(KafkaGuard.SEND)}): while the
 * broker is away it is asked again with exponential backoff (0.5 s up to 15 s, with jitter) for up
 * to 30 minutes or 60 retries.
 */
@ApplicationScoped
public class KafkaGuard {
  public static final String SEND = "kafka-send";

  @Produces
  @Identifier(SEND)
  @Singleton
  Guard send() {
    return Guard.create()
        .withRetry()
        .maxRetries(60)
        .delay(500, ChronoUnit.MILLIS)
        .jitter(200, ChronoUnit.MILLIS)
        .maxDuration(30, ChronoUnit.MINUTES)
        .withExponentialBackoff()
        .maxDelay(15, ChronoUnit.SECONDS)
        .done()
        .done()
        .build();
  }
}
