package dev.taskbridge.ingest;

import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.plan.Names;
import dev.taskbridge.plan.PlannedTask;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /events}: a deployment event over the CloudEvents HTTP binding (binary or
 * structured).
 */
@Path("/events")
public class EventsResource {
  static final String PROBLEM = "application/problem+json";

  private final IngestService ingest;
  private final BridgeConfig config;

  public EventsResource(IngestService ingest, BridgeConfig config) {
    this.ingest = ingest;
    this.config = config;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @Produces({MediaType.APPLICATION_JSON, PROBLEM})
  public Response post(byte[] body, @Context HttpHeaders http) {
    byte[] b = body == null ? new byte[0] : body;
    String subject = "http-" + Names.sha256Hex(b).substring(0, 16);
    Map<String, byte[]> headers = new LinkedHashMap<>();
    http.getRequestHeaders()
        .forEach(
            (k, v) -> {
              if (!v.isEmpty()) {
                headers.put(k, v.get(0).getBytes(StandardCharsets.UTF_8));
              }
            });
    Intake intake = ingest.readSafely(headers, b, subject);
    if (intake instanceof Intake.Accepted a) {
      Admission admission = ingest.admit(a.event());
      if (admission instanceof Admission.Admitted done) {
        return Response.accepted(accepted(done.accepted()))
            .type(MediaType.APPLICATION_JSON)
            .build();
      }
      if (admission instanceof Admission.Unavailable u) {
        return unavailable(u);
      }
      intake = ((Admission.Refused) admission).rejection();
    }
    Intake.Rejected r = (Intake.Rejected) intake;
    ingest.rejectHttp(r);
    return switch (r.firstCode()) {
      case ErrorCode.TOO_LARGE -> problem(413, "Event too large", r);
      case ErrorCode.ID_CONFLICT -> problem(409, "Event id used for another event", r);
      default -> problem(400, "Invalid deployment event", r);
    };
  }

  /** 503: the Kubernetes API did not answer; nothing is wrong with the event. */
  static Response unavailable(Admission.Unavailable u) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "https://taskbridge.dev/problems/kubernetes-unavailable");
    body.put("title", "Kubernetes API unavailable");
    body.put("status", 503);
    body.put("detail", "the KeptnTasks could not be created yet; send the event again");
    return Response.status(503)
        .type(PROBLEM)
        .header("Retry-After", Integer.toString(u.retryAfterSeconds()))
        .entity(body)
        .build();
  }

  static Map<String, Object> accepted(IngestService.Accepted done) {
    List<Map<String, String>> tasks = new ArrayList<>();
    for (PlannedTask t : done.plan().tasks()) {
      tasks.add(Map.of("name", t.name(), "taskDefinition", t.definitionName()));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("triggerId", done.plan().triggerHash());
    body.put("source", done.plan().event().source());
    body.put("id", done.plan().event().id());
    body.put("duplicate", done.duplicate());
    body.put("tasks", tasks);
    return body;
  }

  static Response problem(int status, String title, Intake.Rejected r) {
    List<Map<String, String>> errors = new ArrayList<>();
    r.errors()
        .forEach(
            e -> errors.add(Map.of("field", e.field(), "code", e.code(), "message", e.message())));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(
        "type",
        "https://taskbridge.dev/problems/"
            + (status == 413 ? "too-large" : status == 409 ? "id-conflict" : "invalid-event"));
    body.put("title", title);
    body.put("status", status);
    body.put("detail", r.errors().size() + " error(s); the first: " + r.errors().get(0).message());
    body.put("subject", r.subject());
    body.put("errors", errors);
    return Response.status(status).type(PROBLEM).entity(body).build();
  }
}
