package dev.taskbridge.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Says at start-up what the bridge will do, and warns about wide-open settings. */
@ApplicationScoped
public class StartupReport {
  private static final Logger LOG = Logger.getLogger(StartupReport.class);

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
        && !org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getOptionalValue("quarkus.oidc.tenant-enabled", Boolean.class)
            .orElse(false)) {
      LOG.error(
          "bridge.auth.mode=oidc but quarkus.oidc.tenant-enabled is not true: no token can be"
              + " verified, every request is refused (see docs/security.md)");
    }
    if (config.auth().mode() == AuthMode.token) {
      LOG.infof("bridge.auth.mode=token: clients from %s", config.auth().tokensFile());
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
