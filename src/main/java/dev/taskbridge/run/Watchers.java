package dev.taskbridge.run;

import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.config.RestartPolicy;
import dev.taskbridge.config.RunnerMode;
import dev.taskbridge.config.WatchedNamespaces;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.keptn.TaskKey;
import dev.taskbridge.kube.Cluster;
import dev.taskbridge.kube.DefinitionCache;
import dev.taskbridge.kube.Leadership;
import dev.taskbridge.metrics.BridgeMetrics;
import dev.taskbridge.report.Reporter;
import dev.taskbridge.report.ResultFactory;
import dev.taskbridge.report.ResultPublisher;
import dev.taskbridge.report.TaskFacts;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The run stage's composition root: builds the work queue, the {@link Reporter}, the {@link
 * TaskReconciler} and the {@link Informers}, and routes what the informers see to the queue and
 * each piece of {@link Work} to the part that does it, on the leader only.
 */
@ApplicationScoped
public class Watchers implements Informers.Listener {
  private static final Logger LOG = Logger.getLogger(Watchers.class);

  private final KubernetesClient client;
  private final BridgeConfig config;
  private final Cluster cluster;
  private final ResultPublisher publisher;
  private final BridgeMetrics metrics;
  private final Leadership leadership;
  private final Clock clock;
  private final DefinitionCache definitionCache;
  private final List<Consumer<String>> taskListeners = new CopyOnWriteArrayList<>();
  private final StandIns standIns = new StandIns();
  private WorkQueue<Work> queue;
  private Informers informers;
  private Reporter reporter;
  private TaskReconciler reconciler;
  private Departures departures;
  private TaskEvents taskEvents;
  private volatile boolean started;

  public Watchers(
      KubernetesClient client,
      BridgeConfig config,
      Cluster cluster,
      ResultPublisher publisher,
      BridgeMetrics metrics,
      Leadership leadership,
      Clock clock,
      DefinitionCache definitionCache) {
    this.client = client;
    this.config = config;
    this.cluster = cluster;
    this.publisher = publisher;
    this.metrics = metrics;
    this.leadership = leadership;
    this.clock = clock;
    this.definitionCache = definitionCache;
  }

  void onStart(@Observes @Priority(2000) StartupEvent ev) {
    queue = new WorkQueue<>("reconcile", 4, this::handle);
    informers = new Informers(client, this, config.listPageSize(), standIns);
    boolean keptn = config.runner().mode() == RunnerMode.keptn;
    boolean restartsInPod = keptn || config.runner().restartPolicy() == RestartPolicy.OnFailure;
    var results = config.results();
    reporter =
        new Reporter(
            ReporterPorts.notes(cluster),
            publisher,
            new ResultFactory(
                config.source(), results.onTaskFailure(), results.logUrl(), restartsInPod),
            metrics,
            ReporterPorts.wakeups(queue),
            clock,
            keptn,
            new LogTails(
                informers, cluster, results.logTailLines(), config.runner().restartPolicy()));
    taskEvents = new TaskEvents(client, clock);
    reconciler =
        new TaskReconciler(
            cluster,
            new JobFactory(RunnerSettings.of(config.runner())),
            informers,
            reporter,
            metrics,
            queue,
            clock,
            config,
            taskEvents);
    departures =
        new Departures(
            cluster, reporter, reconciler, metrics, queue, clock, config.runner().mode());
    informers.start(WatchedNamespaces.of(config), config.keptnNamespace(), definitionCache);
    metrics.activeTasks(informers, i -> i.active("pre"), i -> i.active("post"));
    started = true;
    leadership.start(
        leading -> {
          if (leading) {
            informers.cachedTasks().forEach(t -> queue.enqueue(new Work.Reconcile(TaskKey.of(t))));
          }
        });
    LOG.infof(
        "watching KeptnTasks, Jobs and pods in %s (%s mode)",
        WatchedNamespaces.of(config), config.runner().mode());
  }

  /**
   * Those who want to know of every change of a KeptnTask on this replica, leader or not (the
   * verdict's waiting requests): told the task's trigger hash.
   */
  public void onTaskChange(Consumer<String> listener) {
    taskListeners.add(listener);
  }

  @Override
  public void told(KeptnTask task) {
    String trigger = Owners.label(task, Keys.TRIGGER);
    if (trigger != null) {
      taskListeners.forEach(l -> l.accept(trigger));
    }
  }

  @Override
  public void changed(TaskKey task) {
    if (leadership.isLeader()) {
      queue.enqueue(new Work.Reconcile(task));
    }
  }

  @Override
  public void left(KeptnTask task) {
    departures.left(task);
  }

  private void handle(Work work) {
    if (!leadership.isLeader()) {
      if (work instanceof Work.Cancel cancel) {
        departures.notLeading(cancel.task());
      }
      return;
    }
    if (work instanceof Work.SettlePhase phase) {
      List<KeptnTask> byTrigger = informers.tasksOfTrigger(phase.trigger());
      reporter.settlePhase(phase.trigger(), byTrigger);
      if (!byTrigger.isEmpty()
          && byTrigger.stream().allMatch(t -> TaskFacts.of(t).phasePublished())) {
        reporter.forgetPhase(phase.trigger());
      }
    } else if (work instanceof Work.Cancel cancel) {
      departures.gone(cancel.task());
    } else if (work instanceof Work.Reconcile reconcile) {
      standIns.confirm(reconcile.task(), k -> cluster.task(k.namespace(), k.name()));
      reconciler.reconcile(reconcile.task());
    }
  }

  /**
   * The sweep found an unfinished task on the server: reconciled, from the listed copy if the
   * informer never delivered it (a watch that missed an event).
   */
  public void repair(KeptnTask listed) {
    if (started && informers.standIn(listed)) {
      LOG.infof(
          "sweep: %s is not in the informer's cache; reconciling the listed copy",
          TaskKey.of(listed));
    }
    enqueue(listed.getMetadata().getNamespace(), listed.getMetadata().getName());
  }

  /** Enqueues a task (used by the sweep and by ingest after creating tasks). */
  public void enqueue(String namespace, String name) {
    if (started && leadership.isLeader()) {
      queue.enqueue(new Work.Reconcile(new TaskKey(namespace, name)));
    }
  }

  /** Every cached task, for the sweep. */
  public List<KeptnTask> cachedTasks() {
    return started ? informers.cachedTasks() : List.of();
  }

  public boolean synced() {
    return started && informers.synced();
  }

  public boolean watching() {
    return started && informers.watching();
  }

  public int pending() {
    return queue == null ? 0 : queue.pending() + reporter.inFlight();
  }

  void onStop(@Observes ShutdownEvent ev) {
    if (informers != null) {
      informers.stop();
    }
    if (queue != null) {
      queue.close();
    }
    if (taskEvents != null) {
      taskEvents.close();
    }
  }
}
