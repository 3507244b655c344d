package dev.taskbridge.sweep;

import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.report.ResultFactory;
import dev.taskbridge.report.TaskFacts;
import dev.taskbridge.run.Leadership;
import dev.taskbridge.run.Watchers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The periodic reconciliation ({@code bridge.sweep.every}), on the leader only: lists every
 * KeptnTask the bridge manages straight from the API server (not trusting that every watch event
 * arrived) and reconciles those that are unfinished or still owe a result. It is the only periodic
 * reader.
 */
@ApplicationScoped
public class Sweep {
  private static final Logger LOG = Logger.getLogger(Sweep.class);

  private final KubernetesClient client;
  private final Watchers watchers;
  private final Leadership leadership;

  public Sweep(KubernetesClient client, Watchers watchers, Leadership leadership) {
    this.client = client;
    this.watchers = watchers;
    this.leadership = leadership;
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
      for (KeptnTask t :
          client
              .resources(KeptnTask.class)
              .inAnyNamespace()
              .withLabel(Keys.MANAGED_BY, Keys.PRODUCT)
              .list()
              .getItems()) {
        TaskFacts f = TaskFacts.of(t);
        if (!ResultFactory.settled(f) || !f.phasePublished()) {
          watchers.enqueue(f.namespace(), f.name());
          owed++;
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
