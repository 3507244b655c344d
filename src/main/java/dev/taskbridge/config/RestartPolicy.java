package dev.taskbridge.config;

/** Allowed values of a {@code bridge.} setting, spelled as in the configuration. */
public enum RestartPolicy {
  Never,
  OnFailure
}
