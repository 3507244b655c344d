package dev.taskbridge.sweep;

import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.config.WatchedNamespaces;
import dev.taskbridge.kube.ApiErrors;
import dev.taskbridge.kube.Cluster;
import dev.taskbridge.kube.Leadership;
import dev.taskbridge.report.ResultFactory;
import dev.taskbridge.report.TaskFacts;
import dev.taskbridge.run.Watchers;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The periodic reconciliation ({@code bridge.sweep.every}), on the leader only: lists the
 * KeptnTasks the bridge manages that are not done yet, per watched namespace, straight from the API
 * server (not trusting that every watch event arrived) and reconciles those that are unfinished or
 * still owe a result. It is the only periodic reader, and reads only unfinished work, a page
 * ({@code bridge.list-page-size}) at a time.
 */
@ApplicationScoped
public class Sweep {
  private static final Logger LOG = Logger.getLogger(Sweep.class);

  private final Cluster cluster;
  private final Watchers watchers;
  private final Leadership leadership;
  private final BridgeConfig config;

  public Sweep(Cluster cluster, Watchers watchers, Leadership leadership, BridgeConfig config) {
    this.cluster = cluster;
    this.watchers = watchers;
    this.leadership = leadership;
    this.config = config;
  }

  @Scheduled(
      every = "${bridge.sweep.every}",
      delayed = "${bridge.sweep.every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void sweep() {
    if (!leadership.isLeader()) {
      return;
    }
    int[] owed = {0};
    try {
      for (String ns : WatchedNamespaces.of(config)) {
        cluster.forEachUnfinishedTask(
            ns,
            config.listPageSize(),
            t -> {
              TaskFacts f = TaskFacts.of(t);
              if (!ResultFactory.settled(f) || !f.phasePublished()) {
                watchers.repair(t);
                owed[0]++;
              }
            });
      }
    } catch (ApiErrors.Transient | ApiErrors.Permanent e) {
      LOG.warnf("sweep could not list KeptnTasks: %s", e.getMessage());
      watchers
          .cachedTasks()
          .forEach(
              t -> watchers.enqueue(t.getMetadata().getNamespace(), t.getMetadata().getName()));
      return;
    }
    if (owed[0] > 0) {
      LOG.debugf("sweep: %d tasks unfinished or owing results", owed[0]);
    }
  }
}
