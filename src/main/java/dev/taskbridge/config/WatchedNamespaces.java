package dev.taskbridge.config;

import java.util.List;

/** The namespaces the bridge watches and lists: one scope for every part. */
public final class WatchedNamespaces {
  private WatchedNamespaces() {}

  /**
   * {@code [*]} when any configured entry of {@code bridge.namespaces} is {@code *} (a
   * ClusterRole), else the configured ones (a namespaced Role suffices).
   */
  public static List<String> of(BridgeConfig config) {
    return config.namespaces().contains("*") ? List.of("*") : config.namespaces();
  }
}
