package dev.taskbridge.ingest;

/**
 * One thing wrong with an event: where ({@code field}), a stable code, and a message for people.
 */
public record FieldError(String field, String code, String message) {}
