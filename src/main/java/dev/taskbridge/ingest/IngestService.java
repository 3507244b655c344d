package dev.taskbridge.ingest;

import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.contract.FieldError;
import dev.taskbridge.contract.RejectionCode;
import dev.taskbridge.contract.Safe;
import dev.taskbridge.keptn.KeptnAppContext;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.kube.ApiErrors;
import dev.taskbridge.kube.Cluster;
import dev.taskbridge.metrics.BridgeMetrics;
import dev.taskbridge.plan.DeploymentEvent;
import dev.taskbridge.plan.DesiredTask;
import dev.taskbridge.plan.EventIdentity;
import dev.taskbridge.plan.FoundDefinition;
import dev.taskbridge.plan.Names;
import dev.taskbridge.plan.Plan;
import dev.taskbridge.plan.PlannedTask;
import dev.taskbridge.plan.Planner;
import dev.taskbridge.plan.TaskSelection;
import dev.taskbridge.plan.TriggerRecord;
import dev.taskbridge.report.PhaseFacts;
import dev.taskbridge.report.ResultFactory;
import dev.taskbridge.report.ResultPublisher;
import dev.taskbridge.run.Watchers;
import dev.taskbridge.security.Scope;
import io.fabric8.kubernetes.client.utils.Serialization;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The ingest pipeline shared by Kafka and HTTP: read, validate, plan, create the KeptnTasks; or
 * reject. Returns only once the outcome is safe in the cluster or acknowledged by Kafka, so the
 * caller may commit.
 */
@ApplicationScoped
public class IngestService {
  private static final Logger LOG = Logger.getLogger(IngestService.class);

  /** What happened to an accepted event. */
  public record Accepted(Plan plan, boolean duplicate) {}

  private final BridgeConfig config;
  private final Cluster cluster;
  private final ResultPublisher publisher;
  private final BridgeMetrics metrics;
  private final Watchers watchers;
  private final Clock clock;
  private final CloudEventReader reader;
  private final EventValidator validator;
  private final Planner planner;
  private final ResultFactory results;
  private final OnePerTrigger oneAtATime = new OnePerTrigger();

  public IngestService(
      BridgeConfig config,
      Cluster cluster,
      ResultPublisher publisher,
      BridgeMetrics metrics,
      Watchers watchers,
      Clock clock) {
    this.config = config;
    this.cluster = cluster;
    this.publisher = publisher;
    this.metrics = metrics;
    this.watchers = watchers;
    this.clock = clock;
    this.reader = new CloudEventReader(config.limits().maxEventBytes());
    this.validator = new EventValidator(config);
    this.planner = new Planner(config.tasks());
    this.results = new ResultFactory(config.source(), config.results().onTaskFailure());
    metrics.rejectionReasons();
  }

  /** {@link #read}, with anything unforeseen turned into a rejection instead of an exception. */
  public Intake readSafely(Map<String, byte[]> headers, byte[] body, String fallbackSubject) {
    try {
      return read(headers, body, fallbackSubject);
    } catch (RuntimeException e) {
      LOG.errorf(
          "record %s could not be read: %s",
          Safe.excerpt(fallbackSubject), Safe.excerpt(String.valueOf(e)));
      LOG.debug("stack of the unreadable record", e);
      return new Intake.Rejected(
          fallbackSubject,
          null,
          null,
          EventValidator.UNKNOWN,
          List.of(
              new FieldError(
                  "",
                  RejectionCode.UNPROCESSABLE,
                  "the bridge could not read this event: "
                      + Safe.excerpt(e.getClass().getSimpleName()))));
    }
  }

  /**
   * The refusal of a body over {@code bridge.limits.max-event-bytes}, which is not read: the
   * binary-mode headers may still say which event it was.
   */
  Intake.Rejected tooLarge(Map<String, byte[]> headers, long size, String fallbackSubject) {
    Map<String, String> id = CloudEventReader.identity(headers);
    String source = id.get("source");
    String eventId = id.get("id");
    String subject =
        source != null && eventId != null ? Names.triggerHash(source, eventId) : fallbackSubject;
    return new Intake.Rejected(
        subject,
        source,
        eventId,
        EventValidator.UNKNOWN,
        List.of(
            new FieldError(
                "",
                RejectionCode.TOO_LARGE,
                "the event has "
                    + size
                    + " bytes, more than bridge.limits.max-event-bytes="
                    + config.limits().maxEventBytes())));
  }

  /**
   * An HTTP body over the size limit, refused before it is read (and before the HTTP layer's own
   * cap could answer a bare 413): counted as received, rejected and published like any rejection.
   */
  public Intake.Rejected tooLargeHttp(Map<String, byte[]> headers, long size, String subject) {
    Intake.Rejected r = tooLarge(headers, size, subject);
    metrics.eventReceived(r.checkType());
    rejectHttp(r);
    return r;
  }

  /** Reads and validates one record or request; counts it as received. */
  public Intake read(Map<String, byte[]> headers, byte[] body, String fallbackSubject) {
    Intake intake;
    if (body != null && body.length > config.limits().maxEventBytes()) {
      intake = tooLarge(headers, body.length, fallbackSubject);
    } else {
      intake = validator.validate(reader.read(headers, body), fallbackSubject);
    }
    metrics.eventReceived(
        intake instanceof Intake.Accepted a
            ? a.event().checkType().name()
            : ((Intake.Rejected) intake).checkType());
    return intake;
  }

  /**
   * Admits one valid event: plans it and creates its KeptnTasks (each once, whatever the
   * redelivery). Never throws: what is wrong with the event is {@link Admission.Refused}, what is
   * wrong with the world (the API does not answer) is {@link Admission.Unavailable}.
   */
  public Admission admit(DeploymentEvent event) {
    return admit(event, Scope.UNRESTRICTED);
  }

  /**
   * {@link #admit(DeploymentEvent)} for a caller with a scope (HTTP): the event's namespace, source
   * and every definition it names or resolves to must be in it, checked before anything is created.
   */
  public Admission admit(DeploymentEvent event, Scope scope) {
    return oneAtATime.admit(event.triggerHash(), () -> admitNow(event, scope));
  }

  private Admission admitNow(DeploymentEvent event, Scope scope) {
    try {
      return new Admission.Admitted(accept(event, scope));
    } catch (Forbidden f) {
      return new Admission.Forbidden(f.refusal);
    } catch (ApiErrors.Transient t) {
      return new Admission.Unavailable(t.getMessage(), Math.max(t.retryAfterSeconds(), 5));
    } catch (ApiErrors.Permanent p) {
      return new Admission.Refused(refused(event, p));
    } catch (Refusal r) {
      return new Admission.Refused(rejection(event, r.error()));
    } catch (RuntimeException e) {
      // a bug or data nobody foresaw: rejected, so the consumer goes on (never a crash loop)
      LOG.errorf(
          "event %s could not be processed: %s",
          Safe.excerpt(event.triggerHash()), Safe.excerpt(String.valueOf(e)));
      LOG.debug("stack of the unprocessable event", e);
      return new Admission.Refused(
          rejection(
              event,
              new FieldError(
                  "",
                  RejectionCode.UNPROCESSABLE,
                  "the bridge could not process this event: "
                      + Safe.excerpt(e.getClass().getSimpleName() + ": " + e.getMessage()))));
    }
  }

  /** Something about the event (or what it resolves to) that no retry can fix. */
  static final class Refusal extends RuntimeException {
    private final transient FieldError error;

    Refusal(FieldError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }

    FieldError error() {
      return error;
    }
  }

  /** The caller's scope refused the event. */
  static final class Forbidden extends RuntimeException {
    private final transient Scope.Refusal refusal;

    Forbidden(Scope.Refusal refusal) {
      super(refusal.message(), null, false, false);
      this.refusal = refusal;
    }
  }

  Accepted accept(DeploymentEvent event, Scope scope) {
    Instant received = clock.instant();
    // namespace and source are known before anything is read from the cluster
    scope
        .refusal(event.namespace(), List.of(), event.source())
        .ifPresent(
            r -> {
              throw new Forbidden(r);
            });
    Optional<KeptnAppContext> appContext =
        TaskSelection.needsAppContext(event) && EventValidator.isObjectName(event.appName())
            ? cluster.appContext(event.namespace(), event.appName())
            : Optional.empty();
    List<String> names = TaskSelection.select(event, appContext, config.rules());
    for (int i = 0; i < names.size(); i++) {
      if (!EventValidator.isObjectName(names.get(i))) {
        // names from a KeptnAppContext or a rule are checked like names in events
        String where =
            event.tasks() != null
                ? "data.tasks[" + i + "]"
                : appContext.isPresent()
                    ? "KeptnAppContext "
                        + event.appName()
                        + " spec."
                        + event.checkType().name()
                        + "DeploymentTasks["
                        + i
                        + "]"
                    : "bridge.rules tasks[" + i + "]";
        throw new Refusal(
            new FieldError(
                where,
                RejectionCode.INVALID_NAME,
                where
                    + " is not a KeptnTaskDefinition name (DNS-1123 subdomain): "
                    + Safe.excerpt(names.get(i))));
      }
    }
    scope
        .refusal(event.namespace(), names, event.source())
        .ifPresent(
            r -> {
              throw new Forbidden(r);
            });
    Map<String, FoundDefinition> found = new HashMap<>();
    for (String name : names) {
      cluster
          .definition(event.namespace(), config.keptnNamespace(), name)
          .ifPresent(d -> found.put(name, d));
    }
    Plan plan = planner.plan(event, names, found);
    String ns = event.namespace();
    Optional<TriggerRecord> record = Optional.empty();
    List<KeptnTask> listed = null;
    boolean indexed = !unwritable.contains(ns);
    if (indexed) {
      try {
        record = cluster.triggerRecord(ns, plan.triggerHash());
      } catch (ApiErrors.Permanent p) {
        // no leave to read ConfigMaps (an upgrade that kept the old ClusterRole)
        warnNoRecords(ns, p);
        indexed = false;
      }
    }
    if (!indexed) {
      listed = cluster.tasksOfTrigger(ns, plan.triggerHash());
    }
    Optional<String> conflict =
        listed == null
            ? EventIdentity.conflict(plan, record)
            : EventIdentity.conflict(plan, listed);
    if (conflict.isPresent()) {
      throw new Refusal(new FieldError("id", RejectionCode.ID_CONFLICT, conflict.get()));
    }
    if (plan.tasks().isEmpty()) {
      publisher.publishAndWait(results.phase(noTasks(event, received), clock.instant()));
      return new Accepted(plan, false);
    }
    if (record.isPresent()) {
      // written once every task of the event existed: nothing to create again (and a task deleted
      // since stays deleted, reported cancelled, instead of running again)
      plan.tasks().forEach(t -> watchers.enqueue(ns, t.name()));
      return duplicate(plan);
    }
    int created = 0;
    List<KeptnTask> owners = new ArrayList<>();
    Map<String, String> refused = new TreeMap<>();
    ApiErrors.Permanent refusal = null;
    for (PlannedTask task : plan.tasks()) {
      KeptnTask desired = DesiredTask.of(plan, task, received);
      try {
        Optional<KeptnTask> made = cluster.createTask(desired);
        if (made.isPresent()) {
          created++;
          owners.add(made.get());
        } else {
          // it existed: this delivery's own when a create whose answer was lost was retried
          // (it carries this delivery's received-at), else an earlier delivery's
          Optional<KeptnTask> there = cluster.existingTask(ns, task.name());
          there.ifPresent(owners::add);
          if (there.isPresent() && sameReceipt(there.get(), desired)) {
            created++;
          }
        }
      } catch (ApiErrors.Permanent p) {
        refused.put(task.name(), task.definitionName());
        refusal = refusal == null ? p : refusal;
        continue;
      }
      watchers.enqueue(ns, task.name());
    }
    if (refusal != null) {
      noteRefused(ns, plan, refused);
      throw refusal;
    }
    if (indexed && owners.size() == plan.tasks().size()) {
      writeRecord(plan, owners);
    }
    return created == 0 ? duplicate(plan) : new Accepted(plan, false);
  }

  private Accepted duplicate(Plan plan) {
    metrics.eventDuplicate();
    LOG.debugf(
        "event %s was seen before; its %d KeptnTasks exist",
        plan.triggerHash(), plan.tasks().size());
    return new Accepted(plan, true);
  }

  private static boolean sameReceipt(KeptnTask there, KeptnTask desired) {
    Map<String, String> a = there.getMetadata().getAnnotations();
    return a != null
        && Objects.equals(
            a.get(Keys.RECEIVED_AT), desired.getMetadata().getAnnotations().get(Keys.RECEIVED_AT));
  }

  /**
   * Records the event under its trigger once all its tasks exist. A refusal (no leave to create
   * ConfigMaps, a quota on them) does not fail the event, whose tasks exist and run: the namespace
   * is admitted by listing from then on, so that no later id conflict goes unseen for want of a
   * record.
   */
  private void writeRecord(Plan plan, List<KeptnTask> owners) {
    try {
      cluster.writeTriggerRecord(TriggerRecord.toConfigMap(plan, owners));
    } catch (ApiErrors.Permanent p) {
      unwritable.add(plan.event().namespace());
      warnNoRecords(plan.event().namespace(), p);
    }
  }

  /**
   * Namespaces where the cluster refused to write a trigger record: admitted by listing the
   * trigger's KeptnTasks by label (correct, but a cost that grows with the namespace's KeptnTasks)
   * for the rest of the process's life.
   */
  private final Set<String> unwritable = ConcurrentHashMap.newKeySet();

  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  private void warnNoRecords(String namespace, ApiErrors.Permanent p) {
    if (warned.add(namespace)) {
      LOG.warnf(
          "namespace %s: the bridge may not read or write its trigger records (ConfigMaps"
              + " taskbridge-trigger-<hash>; RBAC: configmaps get, create): %s. Events are admitted"
              + " by listing KeptnTasks by trigger label instead, a cost that grows with the"
              + " namespace's KeptnTasks; apply the current manifest's ClusterRole",
          namespace, Safe.excerpt(p.getMessage()));
    }
  }

  /**
   * Some planned tasks exist and the cluster refused the others for good: the event is rejected,
   * and the tasks that exist (and run) carry the refused ones' names, so their phase ends (as
   * {@code fail}) instead of waiting for tasks that will never exist.
   */
  private void noteRefused(String namespace, Plan plan, Map<String, String> refused) {
    String json = Serialization.asJson(refused);
    for (PlannedTask task : plan.tasks()) {
      if (!refused.containsKey(task.name())) {
        cluster.noteRefused(namespace, task.name(), json);
      }
    }
  }

  /**
   * Publishes the rejection result of a Kafka record; waits for Kafka's acknowledgement (the record
   * is committed only after it).
   */
  public void reject(Intake.Rejected r, String topic, Integer partition, Long offset) {
    counted(r);
    publisher.publishAndWait(r.result(topic, partition, offset, clock.instant()));
  }

  /**
   * Publishes the rejection result of an HTTP request. The caller already has the whole answer, so
   * the request waits for Kafka a few seconds at most; the producer keeps trying after that.
   */
  public void rejectHttp(Intake.Rejected r) {
    counted(r);
    publisher.publishWithin(r.result(null, null, null, clock.instant()), HTTP_PUBLISH);
  }

  static final Duration HTTP_PUBLISH = Duration.ofSeconds(5);

  private void counted(Intake.Rejected r) {
    metrics.eventRejected(r.firstCode());
    LOG.infof(
        "rejected event %s: %s",
        Safe.excerpt(r.subject()),
        r.errors().stream().map(e -> Safe.excerpt(e.field()) + " " + e.code()).toList());
  }

  /** An accepted event the cluster refused for good: rejected like an invalid one. */
  Intake.Rejected refused(DeploymentEvent e, ApiErrors.Permanent p) {
    return rejection(
        e,
        new FieldError(
            "data.namespace", RejectionCode.REFUSED_BY_CLUSTER, Safe.excerpt(p.getMessage())));
  }

  private static Intake.Rejected rejection(DeploymentEvent e, FieldError error) {
    return new Intake.Rejected(
        Names.triggerHash(e.source(), e.id()),
        e.source(),
        e.id(),
        e.checkType().name(),
        List.of(error));
  }

  private static PhaseFacts noTasks(DeploymentEvent e, Instant at) {
    String t = at.toString();
    return new PhaseFacts(
        e.triggerHash(),
        e.id(),
        e.source(),
        e.namespace(),
        e.checkType().name(),
        e.appName(),
        e.appVersion(),
        e.isWorkload() ? e.workloadName() : "",
        e.isWorkload() ? e.workloadVersion() : "",
        List.of(),
        t,
        t);
  }
}
