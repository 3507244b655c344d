package dev.taskbridge.contract;

import java.util.Optional;

/**
 * The phase an event asks for; its name is Keptn's {@code checkType} and {@code context.taskType}.
 */
public enum CheckType {
  pre("dev.taskbridge.deployment.pre"),
  post("dev.taskbridge.deployment.post");

  private final String eventType;

  CheckType(String eventType) {
    this.eventType = eventType;
  }

  public String eventType() {
    return eventType;
  }

  public static Optional<CheckType> ofEventType(String type) {
    for (CheckType c : values()) {
      if (c.eventType.equals(type)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
