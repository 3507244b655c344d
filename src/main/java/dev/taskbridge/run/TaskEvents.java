package dev.taskbridge.run;

import dev.taskbridge.keptn.KeptnTask;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Kubernetes Events on each KeptnTask, one per transition ({@code Started}, {@code AttemptFailed},
 * {@code Succeeded}, {@code Failed}), so {@code kubectl describe keptntask} tells the story the
 * result topic tells. Names are deterministic: after a restart a transition already told is not
 * told twice (the API server answers 409). Best effort: an Event that cannot be written is logged,
 * never a reason to hold up the task.
 */
final class TaskEvents {
  private static final Logger LOG = Logger.getLogger(TaskEvents.class);
  static final String COMPONENT = "keptn-task-bridge";

  private final KubernetesClient client;
  private final Clock clock;
  private final String host = System.getenv().getOrDefault("HOSTNAME", "bridge");

  // written off the reconcile path, in order, dropped (and logged) when far behind
  private final ThreadPoolExecutor writer =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(10_000),
          r -> {
            Thread th = new Thread(r, "task-events");
            th.setDaemon(true);
            return th;
          },
          (r, ex) -> LOG.debug("event queue full; a Kubernetes Event is dropped"));

  TaskEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  void close() {
    writer.shutdownNow();
  }

  void started(KeptnTask t, String jobName) {
    tell(t, "started", "Normal", "Started", "created Job " + jobName);
  }

  void attemptFailed(KeptnTask t, int attempt, int maxAttempts) {
    tell(
        t,
        "attempt-failed." + attempt,
        "Warning",
        "AttemptFailed",
        "attempt " + attempt + " of " + maxAttempts + " failed");
  }

  void finished(KeptnTask t, boolean succeeded, String reason, String message) {
    if (succeeded) {
      tell(t, "succeeded", "Normal", "Succeeded", "the task succeeded");
    } else {
      tell(
          t,
          "failed",
          "Warning",
          "Failed",
          reason + (message == null || message.isEmpty() ? "" : ": " + message));
    }
  }

  private void tell(KeptnTask t, String kind, String type, String reason, String message) {
    // queued lean: a burst of transitions (10,000 tasks admitted at once) must not hold a built
    // Event, let alone the task copy it came from, per queued line
    Told told =
        new Told(
            t.getMetadata().getNamespace(),
            t.getMetadata().getName(),
            t.getMetadata().getUid(),
            kind,
            type,
            reason,
            message.length() > 1024 ? message.substring(0, 1024) : message,
            clock.instant().toString());
    writer.execute(() -> write(told));
  }

  /** One transition to tell, as little as its Event needs. */
  private record Told(
      String namespace,
      String task,
      String uid,
      String kind,
      String type,
      String reason,
      String message,
      String at) {}

  private void write(Told t) {
    Event e =
        new EventBuilder()
            .withNewMetadata()
            .withName(t.task() + "." + t.kind())
            .withNamespace(t.namespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion("lifecycle.keptn.sh/v1")
            .withKind("KeptnTask")
            .withName(t.task())
            .withNamespace(t.namespace())
            .withUid(t.uid())
            .endInvolvedObject()
            .withType(t.type())
            .withReason(t.reason())
            .withMessage(t.message())
            .withNewSource()
            .withComponent(COMPONENT)
            .withHost(host)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withReportingInstance(host)
            .withFirstTimestamp(t.at())
            .withLastTimestamp(t.at())
            .withCount(1)
            .build();
    try {
      client.v1().events().inNamespace(t.namespace()).resource(e).create();
    } catch (KubernetesClientException ex) {
      if (ex.getCode() != 409) {
        LOG.debugf("event %s of %s not written: %s", t.reason(), t.task(), ex.getMessage());
      }
    }
  }
}
