package dev.taskbridge.kube;

import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.metrics.BridgeMetrics;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * One leader among the replicas, elected through a Kubernetes Lease (Fabric8's leader election).
 * Every replica consumes events and creates KeptnTasks; only the leader runs Jobs, publishes
 * results and sweeps.
 *
 * <p>Fabric8's {@code LeaderElector} runs one election: once a renewal fails past the renew
 * deadline its future completes for good. This class stands again after every loss or failure (with
 * a growing pause, capped), so no replica leaves the election for good. The Lease is read and
 * written through its own client whose requests time out well within the renew deadline: one hung
 * request must not cost the Lease.
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
  private final AtomicInteger elections = new AtomicInteger();
  private volatile boolean leading;
  private volatile boolean stopped;
  private volatile Instant lastAnswer;
  private volatile CompletableFuture<?> election;
  private KubernetesClient leaseClient;
  private ScheduledExecutorService timer;
  private String namespace;

  public Leadership(KubernetesClient client, BridgeConfig config, BridgeMetrics metrics) {
    this.client = client;
    this.config = config.leaderElection();
    metrics.leader(this::isLeader);
  }

  /**
   * Whether this replica leads now. Besides Fabric8's word, the API server must have answered
   * within the renew deadline: a leader cut off from the API stops acting before its Lease can
   * expire and another replica take it (Fabric8 says so only after a further read of the Lease,
   * which may itself hang for a request timeout).
   */
  public boolean isLeader() {
    if (!leading) {
      return false;
    }
    if (!config.enabled()) {
      return true;
    }
    Instant last = lastAnswer;
    return last != null
        && Duration.between(last, Instant.now()).compareTo(config.renewDeadline()) < 0;
  }

  public String identity() {
    return identity;
  }

  /** How many elections this replica has stood in (1 + one per loss), for readiness detail. */
  public int elections() {
    return elections.get();
  }

  public synchronized void start(Listener listener) {
    listeners.add(listener);
    if (timer != null) {
      return;
    }
    namespace =
        config
            .leaseNamespace()
            .orElseGet(() -> client.getNamespace() == null ? "default" : client.getNamespace());
    leaseClient =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(client.getConfiguration())
                    .withRequestTimeout((int) requestTimeout(config).toMillis())
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build();
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "leader-election");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        this::probe, 0, probeEvery(config).toMillis(), TimeUnit.MILLISECONDS);
    if (!config.enabled()) {
      set(true);
      return;
    }
    stand();
  }

  /** Every 2 s, or a third of the renew deadline when that is shorter. */
  static Duration probeEvery(BridgeConfig.LeaderElection c) {
    Duration third = c.renewDeadline().dividedBy(3);
    return third.compareTo(Duration.ofSeconds(2)) < 0 ? third : Duration.ofSeconds(2);
  }

  /**
   * Whether the API server answered lately. Watches alone cannot tell: a connection that is
   * black-holed (no reset, no answer) leaves an informer "watching" for minutes. A cheap read of
   * the Lease every 2 s (or a third of the renew deadline), with the Lease client's short timeout,
   * can.
   */
  public boolean apiAnswering() {
    Instant last = lastAnswer;
    return last != null
        && Duration.between(last, Instant.now())
                .compareTo(probeEvery(config).multipliedBy(3).plus(requestTimeout(config)))
            <= 0;
  }

  private void probe() {
    try {
      leaseClient.leases().inNamespace(namespace).withName(config.leaseName()).get();
      lastAnswer = Instant.now();
    } catch (KubernetesClientException e) {
      if (!ApiErrors.noAnswer(e)) {
        lastAnswer = Instant.now(); // refused (403, 5xx...): the server is there
      }
    } catch (RuntimeException e) {
      LOG.debugf("API probe: %s", e.getMessage());
    }
  }

  /**
   * Lease requests time out at a third of the renew deadline (at least 1 s): a renewal can fail and
   * be tried again before the deadline passes.
   */
  static Duration requestTimeout(BridgeConfig.LeaderElection c) {
    Duration third = c.renewDeadline().dividedBy(3);
    return third.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : third;
  }

  private synchronized void stand() {
    if (stopped) {
      return;
    }
    int n = elections.incrementAndGet();
    CompletableFuture<?> e;
    try {
      e =
          leaseClient
              .leaderElector()
              .withConfig(
                  new LeaderElectionConfigBuilder()
                      .withName(config.leaseName())
                      .withLock(new LeaseLock(namespace, config.leaseName(), identity))
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
    } catch (RuntimeException ex) {
      LOG.warnf("could not stand for election: %s", ex.getMessage());
      e = CompletableFuture.failedFuture(ex);
    }
    election = e;
    if (n == 1) {
      LOG.infof(
          "standing for election as %s (Lease %s/%s)", identity, namespace, config.leaseName());
    } else {
      LOG.infof("standing for election again as %s (election %d)", identity, n);
    }
    e.whenComplete((ok, failure) -> ended(failure));
  }

  /** An election ended (the Lease was lost, or it never started): stand again after a pause. */
  private void ended(Throwable failure) {
    set(false);
    if (stopped) {
      return;
    }
    // the acquire loop itself retries every retry period; standing again after one more keeps
    // the contract's bound: leading again within lease-duration + 2 x retry-period
    Duration wait = config.retryPeriod();
    LOG.warnf(
        "%s is out of the election (%s); standing again in %d ms",
        identity,
        failure == null ? "leadership lost" : String.valueOf(failure.getMessage()),
        wait.toMillis());
    try {
      timer.schedule(this::stand, wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException closed) {
      LOG.debug("election timer closed");
    }
  }

  private void set(boolean now) {
    synchronized (listeners) {
      if (leading == now) {
        return;
      }
      leading = now;
    }
    LOG.infof("%s %s", identity, now ? "is leading" : "stopped leading");
    listeners.forEach(l -> l.leading(now));
  }

  void stop(@Observes ShutdownEvent ev) {
    stopped = true;
    CompletableFuture<?> e = election;
    if (e != null) {
      e.cancel(true);
    }
    leading = false;
    if (timer != null) {
      timer.shutdownNow();
    }
    if (leaseClient != null) {
      leaseClient.close();
    }
  }

  private static String hostname() {
    String h = System.getenv("HOSTNAME");
    return h == null || h.isEmpty() ? "bridge" : h;
  }
}
