package dev.taskbridge.keptn;

/** Keptn's task states, as written in {@code status.status}. */
public enum KeptnState {
  Pending,
  Progressing,
  Succeeded,
  Failed,
  Unknown;

  /** Reads a status value; anything absent or unknown is {@link #Pending} or {@link #Unknown}. */
  public static KeptnState of(String value) {
    if (value == null || value.isEmpty()) {
      return Pending;
    }
    for (KeptnState s : values()) {
      if (s.name().equals(value)) {
        return s;
      }
    }
    // Deprecated / Warning are written by Keptn's parent phases only; both are terminal there.
    return "Warning".equals(value) || "Deprecated".equals(value) ? Failed : Unknown;
  }

  /** The state a task's status says (no status yet: {@link #Pending}). */
  public static KeptnState of(KeptnTask task) {
    return of(task.getStatus() == null ? null : task.getStatus().status);
  }

  public boolean isTerminal() {
    return this == Succeeded || this == Failed;
  }
}
