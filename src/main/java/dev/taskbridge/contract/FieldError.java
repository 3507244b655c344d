package dev.taskbridge.contract;

/**
 * One thing wrong with an event: where ({@code field}), a stable code, and a message for people.
 * Both texts may quote what the sender wrote (header names, attribute keys, values); they are made
 * safe here, once, for every place they go (logs, rejection results, DLQ headers, HTTP answers):
 * bounded, control and line-separator characters escaped.
 */
public record FieldError(String field, RejectionCode code, String message) {
  public FieldError {
    field = Safe.text(field, 128);
    message = Safe.text(message, 512);
  }
}
