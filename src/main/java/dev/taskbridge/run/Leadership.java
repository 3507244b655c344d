package dev.taskbridge.run;

import dev.taskbridge.config.BridgeConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * One leader among the replicas, elected through a Kubernetes Lease (Fabric8's leader election).
 * Every replica consumes events and creates KeptnTasks; only the leader runs Jobs, publishes
 * results and sweeps.
 */
@ApplicationScoped
public class Leadership {
  private static final Logger LOG = Logger.getLogger(Leadership.class);

  /** Told when this replica starts or stops leading. */
  public interface Listener {
    void leading(boolean leading);
  }

  private final KubernetesClient client;
  private final BridgeConfig.LeaderElection config;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final String identity = hostname() + "-" + UUID.randomUUID().toString().substring(0, 8);
  private volatile boolean leading;
  private volatile CompletableFuture<?> election;

  public Leadership(KubernetesClient client, BridgeConfig config) {
    this.client = client;
    this.config = config.leaderElection();
  }

  public boolean isLeader() {
    return leading;
  }

  public String identity() {
    return identity;
  }

  public synchronized void start(Listener listener) {
    listeners.add(listener);
    if (!config.enabled()) {
      set(true);
      return;
    }
    if (election != null) {
      return;
    }
    String ns =
        config
            .leaseNamespace()
            .orElseGet(() -> client.getNamespace() == null ? "default" : client.getNamespace());
    election =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName(config.leaseName())
                    .withLock(new LeaseLock(ns, config.leaseName(), identity))
                    .withLeaseDuration(config.leaseDuration())
                    .withRenewDeadline(config.renewDeadline())
                    .withRetryPeriod(config.retryPeriod())
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(
                        new LeaderCallbacks(
                            () -> set(true),
                            () -> set(false),
                            leader -> LOG.infof("leader is now %s", leader)))
                    .build())
            .build()
            .start();
    LOG.infof("standing for election as %s (Lease %s/%s)", identity, ns, config.leaseName());
  }

  private void set(boolean now) {
    if (leading == now) {
      return;
    }
    leading = now;
    LOG.infof("%s %s", identity, now ? "is leading" : "stopped leading");
    listeners.forEach(l -> l.leading(now));
  }

  void stop(@Observes ShutdownEvent ev) {
    CompletableFuture<?> e = election;
    if (e != null) {
      e.cancel(true);
    }
    leading = false;
  }

  private static String hostname() {
    String h = System.getenv("HOSTNAME");
    return h == null || h.isEmpty() ? "bridge" : h;
  }
}
