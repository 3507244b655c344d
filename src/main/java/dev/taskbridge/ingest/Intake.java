package dev.taskbridge.ingest;

import dev.taskbridge.plan.DeploymentEvent;
import java.util.List;

/** What reading one inbound record or request gives: a valid event or a rejection. */
public sealed interface Intake {

  /** A valid event. */
  record Accepted(DeploymentEvent event) implements Intake {}

  /**
   * An invalid one. {@code subject} is the trigger hash when the event had a source and an id, else
   * the transport's fallback ({@code topic-partition-offset}, {@code http-<hash of body>}).
   */
  record Rejected(
      String subject, String source, String id, String checkType, List<FieldError> errors)
      implements Intake {
    public String firstCode() {
      return errors.get(0).code();
    }
  }
}
