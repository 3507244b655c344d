package dev.taskbridge.ingest;

import dev.taskbridge.security.Scope;

/**
 * What admitting one valid event came to, whatever the transport: the Kafka consumer and the HTTP
 * resource only render it (commit, DLQ copy; 202, 400, 409, 503).
 */
public sealed interface Admission {

  /** Its KeptnTasks exist (or it was seen before and they already did). */
  record Admitted(IngestService.Accepted accepted) implements Admission {}

  /**
   * The caller's scope does not cover the event (HTTP {@code 403}): nothing is created and nothing
   * published.
   */
  record Forbidden(Scope.Refusal refusal) implements Admission {}

  /** Refused for good: about the event, never about the world. */
  record Refused(Intake.Rejected rejection) implements Admission {}

  /**
   * The Kubernetes API did not answer (or asked to slow down): nothing about the event is wrong;
   * try again after {@code retryAfterSeconds}.
   */
  record Unavailable(String why, int retryAfterSeconds) implements Admission {}
}
