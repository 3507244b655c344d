package dev.taskbridge.sweep;

import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.kube.Leadership;
import dev.taskbridge.report.ResultFactory;
import dev.taskbridge.report.TaskFacts;
import dev.taskbridge.run.Watchers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The periodic reconciliation ({@code bridge.sweep.every}), on the leader only: lists the
 * KeptnTasks the bridge manages that are not done yet, per configured namespace, straight from the
 * API server (not trusting that every watch event arrived) and reconciles those that are unfinished
 * or still owe a result. It is the only periodic reader, and reads only unfinished work.
 */
@ApplicationScoped
public class Sweep {
  private static final Logger LOG = Logger.getLogger(Sweep.class);

  private final KubernetesClient client;
  private final Watchers watchers;
  private final Leadership leadership;
  private final BridgeConfig config;

  public Sweep(
      KubernetesClient client, Watchers watchers, Leadership leadership, BridgeConfig config) {
    this.client = client;
    this.watchers = watchers;
    this.leadership = leadership;
    this.config = config;
  }

  /** The configured namespaces (a namespaced Role suffices), or every namespace for {@code *}. */
  private List<String> namespaces() {
    return config.namespaces().contains("*") ? List.of("*") : config.namespaces();
  }

  @Scheduled(
      every = "${bridge.sweep.every}",
      delayed = "${bridge.sweep.every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void sweep() {
    if (!leadership.isLeader()) {
      return;
    }
    int owed = 0;
    try {
      for (String ns : namespaces()) {
        var op = client.resources(KeptnTask.class);
        var scoped = ns.equals("*") ? op.inAnyNamespace() : op.inNamespace(ns);
        // finished tasks carry taskbridge.dev/done: the list is the unfinished work, not history
        for (KeptnTask t :
            scoped
                .withLabel(Keys.MANAGED_BY, Keys.PRODUCT)
                .withoutLabel(Keys.DONE)
                .list()
                .getItems()) {
          TaskFacts f = TaskFacts.of(t);
          if (!ResultFactory.settled(f) || !f.phasePublished()) {
            watchers.repair(t);
            owed++;
          }
        }
      }
    } catch (KubernetesClientException e) {
      LOG.warnf("sweep could not list KeptnTasks: %s", e.getMessage());
      watchers
          .cachedTasks()
          .forEach(
              t -> watchers.enqueue(t.getMetadata().getNamespace(), t.getMetadata().getName()));
      return;
    }
    if (owed > 0) {
      LOG.debugf("sweep: %d tasks unfinished or owing results", owed);
    }
  }
}
