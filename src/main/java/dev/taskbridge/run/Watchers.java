package dev.taskbridge.run;

import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.config.RunnerMode;
import dev.taskbridge.keptn.KeptnState;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskStatus;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.keptn.TaskKey;
import dev.taskbridge.keptn.TriggerKey;
import dev.taskbridge.metrics.BridgeMetrics;
import dev.taskbridge.report.Reporter;
import dev.taskbridge.report.ResultFactory;
import dev.taskbridge.report.ResultPublisher;
import dev.taskbridge.report.TaskFacts;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Informers on the bridge's KeptnTasks, Jobs and pods (label {@code app.kubernetes.io/managed-by}),
 * feeding one work queue: every change of a task, its Job or its pods reconciles that task. No
 * polling.
 */
@ApplicationScoped
public class Watchers implements TaskCache {
  private static final Logger LOG = Logger.getLogger(Watchers.class);
  static final String TRIGGER_INDEX = "trigger";
  static final String JOB_INDEX = "job";

  private final KubernetesClient client;
  private final BridgeConfig config;
  private final Cluster cluster;
  private final ResultPublisher publisher;
  private final BridgeMetrics metrics;
  private final Leadership leadership;
  private final Clock clock;
  private final DefinitionCache definitionCache;

  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final Map<String, SharedIndexInformer<KeptnTask>> tasks = new ConcurrentHashMap<>();
  private final Map<String, SharedIndexInformer<Job>> jobs = new ConcurrentHashMap<>();
  private final Map<String, SharedIndexInformer<Pod>> pods = new ConcurrentHashMap<>();
  private final Map<TaskKey, KeptnTask> deleted = new ConcurrentHashMap<>();
  private final java.util.Set<TaskKey> cancelCounted = ConcurrentHashMap.newKeySet();
  private final Map<TaskKey, KeptnTask> listed = new ConcurrentHashMap<>();
  private final List<java.util.function.Consumer<String>> taskListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private WorkQueue<Work> queue;
  private Reporter reporter;
  private TaskReconciler reconciler;
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
    boolean keptn = config.runner().mode() == RunnerMode.keptn;
    ResultFactory factory =
        new ResultFactory(
            config.source(),
            config.results().onTaskFailure(),
            config.results().logUrl(),
            keptn
                || config.runner().restartPolicy()
                    == dev.taskbridge.config.RestartPolicy.OnFailure);
    reporter =
        new Reporter(
            cluster,
            publisher,
            factory,
            metrics,
            queue,
            clock,
            keptn,
            new LogTails(
                this, cluster, config.results().logTailLines(), config.runner().restartPolicy()));
    reconciler =
        new TaskReconciler(
            cluster,
            new JobFactory(RunnerSettings.of(config.runner())),
            this,
            reporter,
            metrics,
            queue,
            clock,
            config,
            taskEvents = new TaskEvents(client, clock));
    for (String ns : watchedNamespaces()) {
      tasks.put(ns, inform(client.resources(KeptnTask.class), ns, KeptnTask.class));
      jobs.put(ns, inform(client.batch().v1().jobs(), ns, Job.class));
      pods.put(ns, inform(client.pods(), ns, Pod.class));
    }
    java.util.Set<String> definitionNamespaces = new java.util.LinkedHashSet<>(watchedNamespaces());
    if (!definitionNamespaces.contains("*")) {
      definitionNamespaces.add(config.keptnNamespace());
    }
    for (String ns : definitionNamespaces) {
      var op = client.resources(dev.taskbridge.keptn.KeptnTaskDefinition.class);
      var informer =
          ns.equals("*")
              ? op.inAnyNamespace().runnableInformer(0)
              : op.inNamespace(ns).runnableInformer(0);
      informer.start();
      informers.add(informer);
      definitionCache.register(ns, informer);
    }
    metrics.activeTasks(this, w -> w.active("pre"), w -> w.active("post"));
    started = true;
    leadership.start(
        leading -> {
          if (leading) {
            enqueueAllCached();
          }
        });
    LOG.infof(
        "watching KeptnTasks, Jobs and pods in %s (%s mode)",
        watchedNamespaces(), config.runner().mode());
  }

  private List<String> watchedNamespaces() {
    return config.namespaces().contains("*") ? List.of("*") : config.namespaces();
  }

  @SuppressWarnings("unchecked")
  private <T extends HasMetadata, L extends KubernetesResourceList<T>, R extends Resource<T>>
      SharedIndexInformer<T> inform(MixedOperation<T, L, R> op, String ns, Class<T> type) {
    FilterWatchListDeletable<T, L, R> scoped =
        ns.equals("*") ? op.inAnyNamespace() : op.inNamespace(ns);
    var selected = scoped.withLabel(Keys.MANAGED_BY, Keys.PRODUCT);
    // Only unfinished KeptnTasks are cached: a task labelled done owes nothing, and leaves the
    // cache (a DELETED event) in the same write; memory follows the work in flight, not history.
    SharedIndexInformer<T> informer =
        (type == KeptnTask.class ? selected.withoutLabel(Keys.DONE) : selected).runnableInformer(0);
    informer.itemStore(new SlimStore<>());
    if (type == KeptnTask.class) {
      informer.addIndexers(
          Map.of(
              TRIGGER_INDEX,
              (Function<T, List<String>>) t -> List.of(TriggerKey.of((KeptnTask) t).indexKey())));
    }
    if (type == Pod.class) {
      informer.addIndexers(
          Map.of(
              JOB_INDEX,
              (Function<T, List<String>>)
                  p -> List.of(p.getMetadata().getNamespace() + "/" + jobOf((Pod) p))));
    }
    informer.addEventHandler(
        new ResourceEventHandler<T>() {
          @Override
          public void onAdd(T obj) {
            told(type, obj);
            changed(type, obj);
          }

          @Override
          public void onUpdate(T oldObj, T newObj) {
            told(type, newObj);
            changed(type, newObj);
          }

          @Override
          public void onDelete(T obj, boolean finalStateUnknown) {
            told(type, obj);
            if (type == KeptnTask.class) {
              // A task leaves the cache when it was deleted, when it got the done label (the
              // server sends DELETED with the object as it was before, without the label), or
              // after a relist that no longer lists it (finalStateUnknown, a stale copy). Only
              // the API server can tell these apart: see gone().
              left((KeptnTask) obj);
            } else {
              changed(type, obj);
            }
          }
        });
    informer.start();
    informers.add(informer);
    return informer;
  }

  /**
   * Those who want to know of every change of a KeptnTask on this replica, leader or not (the
   * verdict's waiting requests): told the task's trigger hash.
   */
  public void onTaskChange(java.util.function.Consumer<String> listener) {
    taskListeners.add(listener);
  }

  private void told(Class<?> type, HasMetadata obj) {
    if (type == KeptnTask.class && !taskListeners.isEmpty()) {
      String trigger = label(obj, Keys.TRIGGER);
      if (trigger != null) {
        taskListeners.forEach(l -> l.accept(trigger));
      }
    }
  }

  private void changed(Class<?> type, HasMetadata obj) {
    if (!leadership.isLeader()) {
      return;
    }
    String ns = obj.getMetadata().getNamespace();
    String task =
        type == KeptnTask.class
            ? obj.getMetadata().getName()
            : type == Job.class ? taskOfJob((Job) obj) : taskOfPod((Pod) obj);
    if (task != null) {
      queue.enqueue(new Work.Reconcile(new TaskKey(ns, task)));
    }
  }

  private void left(KeptnTask task) {
    TaskKey key = TaskKey.of(task);
    deleted.put(key, task);
    queue.enqueue(new Work.Cancel(key));
  }

  private void handle(Work work) {
    if (!leadership.isLeader()) {
      if (work instanceof Work.Cancel cancel) {
        deleted.remove(cancel.task()); // the leader handles it
      }
      return;
    }
    if (work instanceof Work.SettlePhase phase) {
      List<KeptnTask> byTrigger = tasksOfTrigger(phase.trigger());
      reporter.settlePhase(phase.trigger(), byTrigger);
      if (!byTrigger.isEmpty()
          && byTrigger.stream().allMatch(t -> TaskFacts.of(t).phasePublished())) {
        reporter.forgetPhase(phase.trigger());
      }
    } else if (work instanceof Work.Cancel cancel) {
      gone(cancel.task());
    } else if (work instanceof Work.Reconcile reconcile) {
      reconciler.reconcile(reconcile.task());
    }
  }

  /**
   * A task left the informer's cache. Asks the API server what happened: still there without a
   * {@code deletionTimestamp}, it only left the selector (done, or a relist's stale view) and what
   * is kept about it in memory is released once it is done; gone (or being deleted) before it
   * ended, it is cancelled. A failure on the way leaves the copy in {@link #deleted} and the work
   * is tried again: a cancel is never lost.
   */
  private void gone(TaskKey key) {
    KeptnTask last = deleted.get(key);
    if (last == null) {
      return;
    }
    String ns = last.getMetadata().getNamespace();
    String name = last.getMetadata().getName();
    KeptnTask now = cluster.task(ns, name).orElse(null);
    if (now != null && now.getMetadata().getDeletionTimestamp() == null) {
      deleted.remove(key);
      if ("true".equals(label(now, Keys.DONE))) {
        release(key, now);
      } else {
        queue.enqueue(new Work.Reconcile(key)); // listed again by the informer; nothing happened
      }
      return;
    }
    KeptnTask known = now != null ? now : last;
    KeptnTaskStatus s = TaskReconciler.status(known);
    if (KeptnState.of(s.status).isTerminal() && TaskFacts.of(known).phasePublished()) {
      deleted.remove(key);
      release(key, known);
      return;
    }
    if (config.runner().mode() == RunnerMode.standalone) {
      cluster.deleteRun(ns, name); // throws while the API does not answer: tried again
    }
    if (!KeptnState.of(s.status).isTerminal()) {
      s.status = KeptnState.Failed.name();
      s.reason = Reasons.CANCELLED;
      s.message = "the KeptnTask was deleted before it finished";
      s.endTime = clock.instant().toString();
      if (cancelCounted.add(key)) {
        metrics.taskFinished(
            known.getSpec().checkType, KeptnState.Failed.name(), Reasons.CANCELLED, null);
      }
    }
    reporter.cancelled(
        key,
        TaskFacts.of(known).withStatus(s),
        () -> {
          deleted.remove(key);
          cancelCounted.remove(key);
          reconciler.forget(key);
        },
        () -> queue.enqueueAfter(new Work.Cancel(key), java.time.Duration.ofSeconds(2)));
  }

  /** Drops what memory holds about a task that owes nothing any more. */
  private void release(TaskKey key, KeptnTask task) {
    reconciler.forget(key);
    reporter.forget(key);
    reporter.forgetPhase(TriggerKey.of(task));
  }

  private void enqueueAllCached() {
    tasks
        .values()
        .forEach(
            i ->
                i.getStore().list().forEach(t -> queue.enqueue(new Work.Reconcile(TaskKey.of(t)))));
  }

  /**
   * The sweep found an unfinished task on the server. If the informer never delivered it (a watch
   * that missed an event), the listed copy stands in for the cache's until the informer has it.
   */
  public void repair(KeptnTask listed) {
    TaskKey key = TaskKey.of(listed);
    if (task(key) == null) {
      LOG.infof("sweep: %s is not in the informer's cache; reconciling the listed copy", key);
      this.listed.put(key, listed);
    }
    enqueue(listed.getMetadata().getNamespace(), listed.getMetadata().getName());
  }

  /** Enqueues a task (used by the sweep and by ingest after creating tasks). */
  public void enqueue(String namespace, String name) {
    if (started && leadership.isLeader()) {
      queue.enqueue(new Work.Reconcile(new TaskKey(namespace, name)));
    }
  }

  public boolean synced() {
    return started && informers.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  public boolean watching() {
    return started && informers.stream().allMatch(SharedIndexInformer::isWatching);
  }

  public int pending() {
    return queue == null ? 0 : queue.pending() + reporter.inFlight();
  }

  @Override
  public KeptnTask task(TaskKey key) {
    var informer = tasks.getOrDefault(key.namespace(), tasks.get("*"));
    KeptnTask cached = informer == null ? null : informer.getIndexer().getByKey(key.cacheKey());
    if (cached != null) {
      listed.remove(key);
      return cached;
    }
    return listed.remove(key); // the sweep's copy, used once
  }

  @Override
  public Job job(String ns, String name) {
    var informer = jobs.getOrDefault(ns, jobs.get("*"));
    return informer == null
        ? null
        : informer.getIndexer().getByKey(Cache.namespaceKeyFunc(ns, name));
  }

  @Override
  public List<Pod> podsOf(Job job) {
    String ns = job.getMetadata().getNamespace();
    var informer = pods.getOrDefault(ns, pods.get("*"));
    return informer == null
        ? List.of()
        : informer.getIndexer().byIndex(JOB_INDEX, ns + "/" + job.getMetadata().getName());
  }

  List<KeptnTask> tasksOfTrigger(TriggerKey trigger) {
    var informer = tasks.getOrDefault(trigger.namespace(), tasks.get("*"));
    return informer == null
        ? List.of()
        : informer.getIndexer().byIndex(TRIGGER_INDEX, trigger.indexKey());
  }

  /** Every cached task, for the sweep. */
  public List<KeptnTask> cachedTasks() {
    List<KeptnTask> all = new ArrayList<>();
    tasks.values().forEach(i -> all.addAll(i.getStore().list()));
    return all;
  }

  double active(String checkType) {
    long n = 0;
    for (var i : tasks.values()) {
      for (KeptnTask t : i.getStore().list()) {
        if (t.getSpec() != null
            && checkType.equals(t.getSpec().checkType)
            && !KeptnState.of(t.getStatus() == null ? null : t.getStatus().status).isTerminal()) {
          n++;
        }
      }
    }
    return n;
  }

  /** Our pods carry the task's name; Keptn's are found through their Job. */
  private String taskOfPod(Pod pod) {
    String task = label(pod, Keys.TASK);
    if (task != null) {
      return task;
    }
    Job job = job(pod.getMetadata().getNamespace(), jobOf(pod));
    return job == null ? null : taskOfJob(job);
  }

  private static String taskOfJob(Job job) {
    if (job.getMetadata().getOwnerReferences() != null) {
      for (var o : job.getMetadata().getOwnerReferences()) {
        if ("KeptnTask".equals(o.getKind())) {
          return o.getName();
        }
      }
    }
    String t = label(job, Keys.TASK);
    if (t == null && job.getMetadata().getAnnotations() != null) {
      t = job.getMetadata().getAnnotations().get(Keys.KEPTN_TASK_NAME);
    }
    return t != null ? t : job.getMetadata().getName();
  }

  static String jobOf(Pod p) {
    String j = label(p, "batch.kubernetes.io/job-name");
    j = j != null ? j : label(p, "job-name");
    return j != null ? j : String.valueOf(label(p, Keys.TASK));
  }

  static String label(HasMetadata o, String key) {
    var l = o.getMetadata().getLabels();
    return l == null ? null : l.get(key);
  }

  void onStop(@Observes ShutdownEvent ev) {
    informers.forEach(SharedIndexInformer::stop);
    if (queue != null) {
      queue.close();
    }
    if (taskEvents != null) {
      taskEvents.close();
    }
  }
}
