package dev.taskbridge.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/** Says at start-up what the bridge will do, and warns about wide-open settings. */
@ApplicationScoped
public class StartupReport {
  private static final Logger LOG = Logger.getLogger(StartupReport.class);

  /**
   * The CDEvents environment mappings whose namespace events may not target: each would reject
   * every event it maps, so the bridge refuses to start with them. Pure.
   */
  static List<String> unmappable(List<String> namespaces, Map<String, String> environments) {
    if (namespaces.contains("*")) {
      return List.of();
    }
    return environments.entrySet().stream()
        .filter(e -> !namespaces.contains(e.getValue()))
        .map(
            e ->
                "bridge.cdevents.environments.\""
                    + e.getKey()
                    + "\"="
                    + e.getValue()
                    + ": "
                    + e.getValue()
                    + " is not in bridge.namespaces "
                    + namespaces)
        .sorted()
        .toList();
  }

  void report(@Observes StartupEvent ev, BridgeConfig config) {
    if (config.namespaces().contains("*")) {
      LOG.warn("bridge.namespaces=* : events may target every namespace of the cluster");
    }
    if (config.auth().mode() == AuthMode.none) {
      LOG.warn(
          "bridge.auth.mode=none : anybody who reaches POST /events can run tasks; use it on"
              + " closed networks only");
    }
    if (config.auth().mode() == AuthMode.oidc
        && !ConfigProvider.getConfig()
            .getOptionalValue("quarkus.oidc.tenant-enabled", Boolean.class)
            .orElse(false)) {
      LOG.error(
          "bridge.auth.mode=oidc but quarkus.oidc.tenant-enabled is not true: no token can be"
              + " verified, every request is refused (see docs/security.md)");
    }
    if (config.auth().mode() == AuthMode.token) {
      LOG.infof("bridge.auth.mode=token: clients from %s", config.auth().tokensFile());
    }
    List<String> unmappable = unmappable(config.namespaces(), config.cdevents().environments());
    if (!unmappable.isEmpty()) {
      throw new IllegalStateException(String.join("; ", unmappable));
    }
    if (config.results().format() != ResultFormat.taskbridge) {
      LOG.infof("bridge.results.format=%s", config.results().format());
    }
    if (config.runner().allowedImages().contains("*")) {
      LOG.warn("bridge.runner.allowed-images=* : task definitions may run any container image");
    }
    LOG.infof(
        "auth=%s mode=%s restart-policy=%s namespaces=%s keptn-namespace=%s rules=%d",
        config.auth().mode(),
        config.runner().mode(),
        config.runner().restartPolicy(),
        config.namespaces(),
        config.keptnNamespace(),
        config.rules().size());
  }
}
