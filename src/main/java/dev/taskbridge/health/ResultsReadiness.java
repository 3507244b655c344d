package dev.taskbridge.health;

import dev.taskbridge.report.Acknowledgements;
import dev.taskbridge.report.ResultPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while results reach the result topic: DOWN when a send failed and none was acknowledged
 * since, or when one has waited for Kafka's acknowledgement longer than 30 s (the result topic is
 * gone or not writable while the rest of the broker works). What is owed stays owed and goes out
 * when the topic takes writes again; the consumer keeps its records uncommitted meanwhile.
 */
@Readiness
@ApplicationScoped
public class ResultsReadiness implements HealthCheck {
  static final Duration MAX_WAIT = Duration.ofSeconds(30);
  private final ResultPublisher publisher;

  public ResultsReadiness(ResultPublisher publisher) {
    this.publisher = publisher;
  }

  @Override
  public HealthCheckResponse call() {
    Acknowledgements acks = publisher.acknowledgements();
    Instant now = Instant.now();
    var r =
        HealthCheckResponse.named("results")
            .status(acks.delivering(now, MAX_WAIT))
            .withData("inFlight", acks.inFlight())
            .withData("oldestSeconds", acks.oldest(now).toSeconds());
    acks.failingSince().ifPresent(t -> r.withData("failingSince", t.toString()));
    acks.lastFailure().ifPresent(f -> r.withData("lastFailure", f));
    return r.build();
  }
}
