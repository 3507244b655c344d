package dev.taskbridge.ingest;

import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.keptn.KeptnAppContext;
import dev.taskbridge.metrics.BridgeMetrics;
import dev.taskbridge.plan.DeploymentEvent;
import dev.taskbridge.plan.DesiredTask;
import dev.taskbridge.plan.FoundDefinition;
import dev.taskbridge.plan.Names;
import dev.taskbridge.plan.Plan;
import dev.taskbridge.plan.PlannedTask;
import dev.taskbridge.plan.Planner;
import dev.taskbridge.plan.TaskSelection;
import dev.taskbridge.report.PhaseFacts;
import dev.taskbridge.report.ResultFactory;
import dev.taskbridge.report.ResultPublisher;
import dev.taskbridge.run.ApiErrors;
import dev.taskbridge.run.Cluster;
import dev.taskbridge.run.Watchers;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    metrics.rejectionReasons(ErrorCode.all());
  }

  /** Reads and validates one record or request; counts it as received. */
  public Intake read(Map<String, byte[]> headers, byte[] body, String fallbackSubject) {
    Intake intake;
    if (body != null && body.length > config.limits().maxEventBytes()) {
      // the body is not read, but binary-mode headers may still say which event this was
      Map<String, String> id = CloudEventReader.identity(headers);
      String source = id.get("source");
      String eventId = id.get("id");
      String subject =
          source != null && eventId != null ? Names.triggerHash(source, eventId) : fallbackSubject;
      intake =
          new Intake.Rejected(
              subject,
              source,
              eventId,
              EventValidator.UNKNOWN,
              List.of(
                  new FieldError(
                      "",
                      ErrorCode.TOO_LARGE,
                      "the event has "
                          + body.length
                          + " bytes, more than bridge.limits.max-event-bytes="
                          + config.limits().maxEventBytes())));
    } else {
      intake = validator.validate(reader.read(headers, body), fallbackSubject);
    }
    metrics.eventReceived(
        intake instanceof Intake.Accepted a
            ? a.event().checkType().name()
            : ((Intake.Rejected) intake).checkType());
    return intake;
  }

  /** Plans the event and creates its KeptnTasks (each once, whatever the redelivery). */
  public Accepted accept(DeploymentEvent event) {
    Instant received = clock.instant();
    Optional<KeptnAppContext> appContext =
        TaskSelection.needsAppContext(event)
            ? cluster.appContext(event.namespace(), event.appName())
            : Optional.empty();
    List<String> names = TaskSelection.select(event, appContext, config.rules());
    Map<String, FoundDefinition> found = new HashMap<>();
    for (String name : names) {
      cluster
          .definition(event.namespace(), config.keptnNamespace(), name)
          .ifPresent(d -> found.put(name, d));
    }
    Plan plan = planner.plan(event, names, found);
    if (plan.tasks().isEmpty()) {
      publisher.publishAndWait(results.phase(noTasks(event, received), clock.instant()));
      return new Accepted(plan, false);
    }
    int created = 0;
    for (PlannedTask task : plan.tasks()) {
      if (cluster.createTask(DesiredTask.of(plan, task, received))) {
        created++;
      }
      watchers.enqueue(event.namespace(), task.name());
    }
    boolean duplicate = created == 0;
    if (duplicate) {
      metrics.eventDuplicate();
      LOG.debugf(
          "event %s was seen before; its %d KeptnTasks exist",
          plan.triggerHash(), plan.tasks().size());
    }
    return new Accepted(plan, duplicate);
  }

  /** Publishes the rejection result; waits for Kafka's acknowledgement. */
  public void reject(Intake.Rejected r, String topic, Integer partition, Long offset) {
    metrics.eventRejected(r.firstCode());
    LOG.infof(
        "rejected event %s: %s",
        r.subject(), r.errors().stream().map(e -> e.field() + " " + e.code()).toList());
    publisher.publishAndWait(results.rejected(r, topic, partition, offset, clock.instant()));
  }

  /** An accepted event the cluster refused for good: rejected like an invalid one. */
  public Intake.Rejected refused(DeploymentEvent e, ApiErrors.Permanent p) {
    return new Intake.Rejected(
        Names.triggerHash(e.source(), e.id()),
        e.source(),
        e.id(),
        e.checkType().name(),
        List.of(
            new FieldError(
                "data.namespace", ErrorCode.REFUSED_BY_CLUSTER, Safe.excerpt(p.getMessage()))));
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
