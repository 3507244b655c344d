package dev.taskbridge.run;

import dev.taskbridge.keptn.KeptnState;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskDefinition;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.keptn.TaskKey;
import dev.taskbridge.keptn.TriggerKey;
import dev.taskbridge.kube.DefinitionCache;
import dev.taskbridge.kube.SlimStore;
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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The informers on the bridge's KeptnTasks, Jobs and pods (label {@code
 * app.kubernetes.io/managed-by}) and on KeptnTaskDefinitions, and the read-only cache they make.
 * Every change of a task, its Job or its pods is told to the {@link Listener} as the task it
 * concerns. No polling.
 */
final class Informers implements TaskCache {
  static final String TRIGGER_INDEX = "trigger";
  static final String JOB_INDEX = "job";

  /** Told of what the informers see. */
  interface Listener {
    /** A KeptnTask, its Job or one of its pods changed. */
    void changed(TaskKey task);

    /** A KeptnTask was added, changed or left the cache (for those waiting on its trigger). */
    void told(KeptnTask task);

    /**
     * A task left the cache: deleted, labelled done (the server sends DELETED with the object as it
     * was before, without the label), or gone from a relist (a stale copy). Only the API server can
     * tell these apart.
     */
    void left(KeptnTask task);
  }

  private final KubernetesClient client;
  private final Listener listener;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final Map<String, SharedIndexInformer<KeptnTask>> tasks = new ConcurrentHashMap<>();
  private final Map<String, SharedIndexInformer<Job>> jobs = new ConcurrentHashMap<>();
  private final Map<String, SharedIndexInformer<Pod>> pods = new ConcurrentHashMap<>();
  private final StandIns standIns;
  private final long pageSize; // objects per list answer: a relist of 10,000 tasks comes in pages

  Informers(KubernetesClient client, Listener listener, long pageSize, StandIns standIns) {
    this.client = client;
    this.listener = listener;
    this.pageSize = pageSize;
    this.standIns = standIns;
  }

  /**
   * Starts the informers of {@code namespaces} (or {@code *}), and of KeptnTaskDefinitions there
   * and in {@code keptnNamespace}.
   */
  void start(List<String> namespaces, String keptnNamespace, DefinitionCache definitionCache) {
    for (String ns : namespaces) {
      tasks.put(ns, inform(client.resources(KeptnTask.class), ns, KeptnTask.class));
      jobs.put(ns, inform(client.batch().v1().jobs(), ns, Job.class));
      pods.put(ns, inform(client.pods(), ns, Pod.class));
    }
    Set<String> definitionNamespaces = new LinkedHashSet<>(namespaces);
    if (!definitionNamespaces.contains("*")) {
      definitionNamespaces.add(keptnNamespace);
    }
    for (String ns : definitionNamespaces) {
      var op = client.resources(KeptnTaskDefinition.class);
      var informer =
          ns.equals("*")
              ? op.inAnyNamespace().runnableInformer(0)
              : op.inNamespace(ns).runnableInformer(0);
      informer.start();
      informers.add(informer);
      definitionCache.register(ns, informer);
    }
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
        (type == KeptnTask.class ? selected.withoutLabel(Keys.DONE) : selected)
            .withLimit(pageSize)
            .runnableInformer(0);
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
                  p -> List.of(p.getMetadata().getNamespace() + "/" + Owners.jobOf((Pod) p))));
    }
    informer.addEventHandler(
        new ResourceEventHandler<T>() {
          @Override
          public void onAdd(T obj) {
            changed(type, obj);
          }

          @Override
          public void onUpdate(T oldObj, T newObj) {
            changed(type, newObj);
          }

          @Override
          public void onDelete(T obj, boolean finalStateUnknown) {
            if (type == KeptnTask.class) {
              listener.told((KeptnTask) obj);
              // deleted, labelled done or gone from a relist: see Listener.left, Departures
              listener.left((KeptnTask) obj);
            } else {
              changed(type, obj);
            }
          }
        });
    informer.start();
    informers.add(informer);
    return informer;
  }

  private void changed(Class<?> type, HasMetadata obj) {
    if (type == KeptnTask.class) {
      listener.told((KeptnTask) obj);
    }
    String ns = obj.getMetadata().getNamespace();
    String task =
        type == KeptnTask.class
            ? obj.getMetadata().getName()
            : type == Job.class ? Owners.taskOfJob((Job) obj) : taskOfPod((Pod) obj);
    if (task != null) {
      listener.changed(new TaskKey(ns, task));
    }
  }

  /**
   * The sweep found an unfinished task on the server. If the informer never delivered it (a watch
   * that missed an event), the listed copy stands in ({@link StandIns}) until the informer has it.
   */
  boolean standIn(KeptnTask listedCopy) {
    TaskKey key = TaskKey.of(listedCopy);
    if (task(key) == null) {
      standIns.offer(listedCopy);
      return true;
    }
    return false;
  }

  boolean synced() {
    return informers.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  boolean watching() {
    return informers.stream().allMatch(SharedIndexInformer::isWatching);
  }

  void stop() {
    informers.forEach(SharedIndexInformer::stop);
  }

  @Override
  public KeptnTask task(TaskKey key) {
    var informer = tasks.getOrDefault(key.namespace(), tasks.get("*"));
    KeptnTask cached = informer == null ? null : informer.getIndexer().getByKey(key.cacheKey());
    if (cached != null) {
      standIns.take(key);
      return cached;
    }
    return standIns.take(key); // the sweep's copy, used once
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

  public List<KeptnTask> tasksOfTrigger(TriggerKey trigger) {
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

  /** Cached tasks of {@code checkType} that have not ended, for the gauge. */
  double active(String checkType) {
    return cachedTasks().stream()
        .filter(t -> t.getSpec() != null && checkType.equals(t.getSpec().checkType))
        .filter(t -> !KeptnState.of(t).isTerminal())
        .count();
  }

  /** Our pods carry the task's name; Keptn's are found through their Job. */
  private String taskOfPod(Pod pod) {
    String task = Owners.label(pod, Keys.TASK);
    if (task != null) {
      return task;
    }
    Job job = job(pod.getMetadata().getNamespace(), Owners.jobOf(pod));
    return job == null ? null : Owners.taskOfJob(job);
  }
}
