package dev.taskbridge.ingest;

import dev.taskbridge.contract.FieldError;
import dev.taskbridge.contract.RejectionCode;
import dev.taskbridge.contract.ResultType;
import dev.taskbridge.plan.DeploymentEvent;
import dev.taskbridge.report.Result;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    public RejectionCode firstCode() {
      return errors.get(0).code();
    }

    /**
     * The rejection result: its subject is the rejection's, and it says where the event was read
     * ({@code topic}, {@code partition}, {@code offset}; null for HTTP).
     */
    public Result result(String topic, Integer partition, Long offset, Instant now) {
      Map<String, Object> d = new LinkedHashMap<>();
      List<Map<String, Object>> fields = new ArrayList<>();
      for (FieldError e : errors) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("field", e.field());
        m.put("code", e.code().text());
        m.put("message", e.message());
        fields.add(m);
      }
      d.put("errors", fields);
      d.put("topic", topic);
      d.put("partition", partition);
      d.put("offset", offset);
      return new Result(
          subject + ".rejected", ResultType.EVENT_REJECTED, subject, subject, id, source, now, d);
    }
  }
}
