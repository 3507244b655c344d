package dev.taskbridge.config;

/** CloudEvents content mode of result records. */
public enum ContentMode {
  binary,
  structured
}
