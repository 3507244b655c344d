package dev.taskbridge.kube;

import dev.taskbridge.keptn.KeptnAppContext;
import dev.taskbridge.keptn.KeptnState;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskDefinition;
import dev.taskbridge.keptn.KeptnTaskStatus;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.plan.FoundDefinition;
import dev.taskbridge.plan.TriggerRecord;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.smallrye.faulttolerance.api.ApplyGuard;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Every Kubernetes API call the bridge makes, each retried with backoff on transient failures (no
 * answer, 5xx, 429) through SmallRye Fault Tolerance; permanent refusals surface as {@link
 * ApiErrors.Permanent}.
 */
@ApplicationScoped
public class Cluster {
  private final KubernetesClient client;
  private final DefinitionCache definitions;

  public Cluster(KubernetesClient client, DefinitionCache definitions) {
    this.client = client;
    this.definitions = definitions;
  }

  /*
   * The calls of ingest (the KeptnTasks of an event, the app context, definitions) retry for a few
   * seconds only: an HTTP caller gets its 503 within a bounded time, and the Kafka consumer waits
   * and tries again itself, keeping the record uncommitted for as long as the API does not answer.
   */

  /**
   * Creates a KeptnTask and returns it as the API server made it (with its uid); empty when it
   * already existed.
   */
  @ApplyGuard(ApiGuards.INGEST)
  public Optional<KeptnTask> createTask(KeptnTask task) {
    KeptnTask[] made = new KeptnTask[1];
    boolean created =
        create(
            "create KeptnTask " + task.getMetadata().getName(),
            () -> made[0] = client.resources(KeptnTask.class).resource(task).create());
    return created ? Optional.ofNullable(made[0]) : Optional.empty();
  }

  /** A KeptnTask as the API server has it now, read at ingest. */
  @ApplyGuard(ApiGuards.INGEST)
  public Optional<KeptnTask> existingTask(String namespace, String name) {
    return get(
        "get KeptnTask " + name,
        () -> client.resources(KeptnTask.class).inNamespace(namespace).withName(name).get());
  }

  /**
   * The record of the event first seen under a trigger hash (the ConfigMap {@code
   * taskbridge-trigger-<hash>}), found by name; empty when there is none.
   */
  @ApplyGuard(ApiGuards.INGEST)
  public Optional<TriggerRecord> triggerRecord(String namespace, String triggerHash) {
    return get(
            "get ConfigMap " + TriggerRecord.objectName(triggerHash),
            () ->
                client
                    .configMaps()
                    .inNamespace(namespace)
                    .withName(TriggerRecord.objectName(triggerHash))
                    .get())
        .flatMap(TriggerRecord::fromConfigMap);
  }

  /** Writes a trigger's record; false when it existed (another delivery wrote it). */
  @ApplyGuard(ApiGuards.INGEST)
  public boolean writeTriggerRecord(ConfigMap record) {
    return create(
        "create ConfigMap " + record.getMetadata().getName(),
        () -> client.configMaps().resource(record).create());
  }

  /** Notes on a KeptnTask, at ingest, which of its siblings the cluster refused for good. */
  @ApplyGuard(ApiGuards.INGEST)
  public void noteRefused(String namespace, String name, String refusedJson) {
    patchMetadata(namespace, name, Map.of("annotations", Map.of(Keys.REFUSED_TASKS, refusedJson)));
  }

  @ApplyGuard(ApiGuards.RUN)
  public boolean createJob(Job job) {
    return create(
        "create Job " + job.getMetadata().getName(),
        () -> client.batch().v1().jobs().resource(job).create());
  }

  @ApplyGuard(ApiGuards.RUN)
  public boolean createConfigMap(ConfigMap cm) {
    return create(
        "create ConfigMap " + cm.getMetadata().getName(),
        () -> client.configMaps().resource(cm).create());
  }

  @ApplyGuard(ApiGuards.INGEST)
  public Optional<KeptnAppContext> appContext(String namespace, String name) {
    return get(
        "get KeptnAppContext " + name,
        () -> client.resources(KeptnAppContext.class).inNamespace(namespace).withName(name).get());
  }

  /**
   * Looks a definition up in {@code namespace}, then in {@code fallbackNamespace}: in the
   * informer's cache first, then (a miss may be a definition created a moment ago) by asking the
   * API server.
   */
  @ApplyGuard(ApiGuards.INGEST)
  public Optional<FoundDefinition> definition(
      String namespace, String fallbackNamespace, String name) {
    for (String ns : new String[] {namespace, fallbackNamespace}) {
      if (ns == null) {
        continue;
      }
      Optional<KeptnTaskDefinition> cached = definitions.find(ns, name);
      if (cached.isPresent()) {
        return Optional.of(new FoundDefinition(ns, cached.get()));
      }
      Optional<KeptnTaskDefinition> d =
          get(
              "get KeptnTaskDefinition " + name,
              () ->
                  client.resources(KeptnTaskDefinition.class).inNamespace(ns).withName(name).get());
      if (d.isPresent()) {
        return Optional.of(new FoundDefinition(ns, d.get()));
      }
    }
    return Optional.empty();
  }

  /**
   * The KeptnTasks the cluster already has for one deployment event (its trigger label): a list the
   * API server answers by matching every KeptnTask of the namespace, so admission uses it only
   * where it may not read trigger records.
   */
  @ApplyGuard(ApiGuards.INGEST)
  public List<KeptnTask> tasksOfTrigger(String namespace, String triggerHash) {
    List<KeptnTask> found =
        call(
            "list KeptnTasks of trigger " + triggerHash,
            () ->
                client
                    .resources(KeptnTask.class)
                    .inNamespace(namespace)
                    .withLabel(Keys.TRIGGER, triggerHash)
                    .withLabel(Keys.MANAGED_BY, Keys.PRODUCT)
                    .list()
                    .getItems());
    return found == null ? List.of() : found;
  }

  /**
   * The bridge's KeptnTasks in {@code namespace} ({@code *}: all) that are not labelled done, as
   * the API server has them now: the unfinished work, not history. Read in pages of {@code
   * pageSize} ({@code limit} and {@code continue}), each handed to {@code each} before the next is
   * asked for, so that 10,000 tasks in flight are never one answer in memory. For the sweep, which
   * runs again anyway: no retries here (an expired continue token, 410, ends this sweep).
   */
  public void forEachUnfinishedTask(String namespace, int pageSize, Consumer<KeptnTask> each) {
    var op = client.resources(KeptnTask.class);
    var scoped =
        (namespace.equals("*") ? op.inAnyNamespace() : op.inNamespace(namespace))
            .withLabel(Keys.MANAGED_BY, Keys.PRODUCT)
            .withoutLabel(Keys.DONE);
    String next = null;
    do {
      ListOptions page =
          new ListOptionsBuilder().withLimit((long) pageSize).withContinue(next).build();
      var found = call("list unfinished KeptnTasks", () -> scoped.list(page));
      if (found == null) {
        return;
      }
      found.getItems().forEach(each);
      next = found.getMetadata() == null ? null : found.getMetadata().getContinue();
    } while (next != null && !next.isEmpty());
  }

  /** A KeptnTask as the API server has it now (not the informer's copy). */
  @ApplyGuard(ApiGuards.RUN)
  public Optional<KeptnTask> task(String namespace, String name) {
    return get(
        "get KeptnTask " + name,
        () -> client.resources(KeptnTask.class).inNamespace(namespace).withName(name).get());
  }

  /**
   * Takes the bridge's finalizer off a Job (its outcome is recorded): a JSON patch that tests the
   * entry before removing it, so a list that changed meanwhile is refused instead of losing another
   * controller's finalizer. Nothing to do when the Job is gone or does not carry it.
   */
  @ApplyGuard(ApiGuards.RUN)
  public void releaseJob(Job job) {
    if (!release(job)) {
      // gone (404), or its finalizers changed meanwhile (the test fails): once more, as it is now
      job(job.getMetadata().getNamespace(), job.getMetadata().getName()).ifPresent(this::release);
    }
  }

  private boolean release(Job job) {
    List<String> finalizers = job.getMetadata().getFinalizers();
    int i = finalizers == null ? -1 : finalizers.indexOf(Keys.JOB_FINALIZER);
    if (i < 0) {
      return true;
    }
    String at = "/metadata/finalizers/" + i;
    String patch =
        "[{\"op\":\"test\",\"path\":\""
            + at
            + "\",\"value\":\""
            + Keys.JOB_FINALIZER
            + "\"},{\"op\":\"remove\",\"path\":\""
            + at
            + "\"}]";
    try {
      call(
          "release Job " + job.getMetadata().getName(),
          () ->
              client
                  .batch()
                  .v1()
                  .jobs()
                  .resource(job)
                  .patch(PatchContext.of(PatchType.JSON), patch));
      return true;
    } catch (ApiErrors.Permanent e) {
      return false;
    }
  }

  @ApplyGuard(ApiGuards.RUN)
  public Optional<Job> job(String namespace, String name) {
    return get(
        "get Job " + name,
        () -> client.batch().v1().jobs().inNamespace(namespace).withName(name).get());
  }

  /**
   * Writes the status through the status subresource: a merge patch carrying the {@code
   * resourceVersion} the decision was made on, so that a write based on a stale copy (an old
   * leader, a lagging cache) is refused ({@link ApiErrors.Conflict}) instead of moving the task
   * backwards.
   */
  @ApplyGuard(ApiGuards.STATUS)
  public KeptnTask writeStatus(KeptnTask task, KeptnTaskStatus status) {
    if (backwards(task.getStatus(), status)) {
      // a terminal status never goes back, whoever decided otherwise on an older view
      return task;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    String rv = task.getMetadata().getResourceVersion();
    if (rv != null && !rv.isEmpty()) {
      body.put("metadata", Map.of("resourceVersion", rv));
    }
    body.put("status", status);
    String patch = Serialization.asJson(body);
    String what = "write status of KeptnTask " + task.getMetadata().getName();
    try {
      return client
          .resources(KeptnTask.class)
          .resource(ref(task.getMetadata().getNamespace(), task.getMetadata().getName()))
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    } catch (KubernetesClientException e) {
      if (ApiErrors.isNotFound(e)) {
        return null;
      }
      if (ApiErrors.isConflict(e)) {
        throw new ApiErrors.Conflict(what + ": changed since it was read", e);
      }
      throw ApiErrors.classify(what, e);
    }
  }

  /** Whether writing {@code next} over {@code current} would move an ended task back. */
  static boolean backwards(KeptnTaskStatus current, KeptnTaskStatus next) {
    return current != null
        && KeptnState.of(current.status).isTerminal()
        && !KeptnState.of(next.status).isTerminal();
  }

  /** Merges annotations into a KeptnTask (the bridge's bookkeeping). */
  @ApplyGuard(ApiGuards.WRITE)
  public KeptnTask annotate(String namespace, String name, Map<String, String> annotations) {
    return patchMetadata(namespace, name, Map.of("annotations", annotations));
  }

  /**
   * Merges annotations into a KeptnTask and labels it {@link Keys#DONE} in the same write: it owes
   * nothing any more, leaves the informer's cache and the sweep's selection.
   */
  @ApplyGuard(ApiGuards.WRITE)
  public KeptnTask markDone(String namespace, String name, Map<String, String> annotations) {
    return patchMetadata(
        namespace, name, Map.of("annotations", annotations, "labels", Map.of(Keys.DONE, "true")));
  }

  private KeptnTask patchMetadata(String namespace, String name, Map<String, Object> meta) {
    String patch = Serialization.asJson(Map.of("metadata", meta));
    return call(
        "annotate KeptnTask " + name,
        () ->
            client
                .resources(KeptnTask.class)
                .resource(ref(namespace, name))
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch));
  }

  /**
   * The task to patch, by name only. A patch through {@code withName(..)} makes Fabric8 GET the
   * object first (one extra request per write); given an object, it sends the PATCH alone.
   */
  private static KeptnTask ref(String namespace, String name) {
    KeptnTask t = new KeptnTask();
    t.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    return t;
  }

  /** Stops a cancelled task's Job (and its pods) and removes its code ConfigMap. */
  @ApplyGuard(ApiGuards.RUN)
  public void deleteRun(String namespace, String name) {
    call(
        "delete Job " + name,
        () ->
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .withName(name)
                .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                .delete());
    job(namespace, name).ifPresent(this::releaseJob); // nothing left to record: let it go
    call(
        "delete ConfigMap " + name,
        () -> client.configMaps().inNamespace(namespace).withName(name).delete());
  }

  /**
   * The last {@code lines} of a pod's log ({@code previous}: its last terminated container's);
   * empty when the server refuses or the pod is gone, {@code null} when it did not answer now.
   */
  public String podLogTail(String namespace, String pod, int lines, boolean previous) {
    try {
      var p = client.pods().inNamespace(namespace).withName(pod);
      return previous
          ? p.terminated().tailingLines(lines).getLog()
          : p.tailingLines(lines).getLog();
    } catch (KubernetesClientException e) {
      // not now (no answer, 5xx, 429): null, read again; refused or gone for good: no log
      return ApiErrors.classify("log of " + pod, e) instanceof ApiErrors.Transient ? null : "";
    }
  }

  private boolean create(String what, Runnable create) {
    try {
      create.run();
      return true;
    } catch (KubernetesClientException e) {
      if (ApiErrors.isConflict(e)) {
        return false;
      }
      throw ApiErrors.classify(what, e);
    }
  }

  private <T> Optional<T> get(String what, Supplier<T> get) {
    try {
      return Optional.ofNullable(get.get());
    } catch (KubernetesClientException e) {
      if (ApiErrors.isNotFound(e)) {
        return Optional.empty();
      }
      throw ApiErrors.classify(what, e);
    }
  }

  private <T> T call(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      if (ApiErrors.isNotFound(e)) {
        return null;
      }
      throw ApiErrors.classify(what, e);
    }
  }
}
