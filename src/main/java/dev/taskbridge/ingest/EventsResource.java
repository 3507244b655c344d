package dev.taskbridge.ingest;

import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.plan.Names;
import dev.taskbridge.plan.PlannedTask;
import dev.taskbridge.security.Access;
import dev.taskbridge.security.Scope;
import dev.taskbridge.verdict.TriggersResource;
import dev.taskbridge.verdict.VerdictService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /events}: a deployment event over the CloudEvents HTTP binding (binary or
 * structured).
 */
@Path("/events")
public class EventsResource {
  static final String PROBLEM = "application/problem+json";

  private final IngestService ingest;
  private final Access access;
  private final SecurityIdentity identity;
  private final VerdictService verdicts;
  private final Duration maxWait;

  public EventsResource(
      IngestService ingest,
      Access access,
      SecurityIdentity identity,
      VerdictService verdicts,
      BridgeConfig config) {
    this.ingest = ingest;
    this.access = access;
    this.identity = identity;
    this.verdicts = verdicts;
    this.maxWait = config.http().maxWait();
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @Produces({MediaType.APPLICATION_JSON, PROBLEM})
  @Blocking
  public Uni<Response> post(
      byte[] body, @Context HttpHeaders http, @QueryParam("wait") String wait) {
    Optional<Duration> w = wait == null ? Optional.empty() : TriggersResource.wait(wait, maxWait);
    if (wait != null && w.isEmpty()) {
      return Uni.createFrom().item(TriggersResource.badWait(wait));
    }
    Response now = admit(body, http);
    if (w.isEmpty() || now.getStatus() != 202 || !(now.getEntity() instanceof Map<?, ?> m)) {
      return Uni.createFrom().item(now);
    }
    // ?wait=: answer like GET /triggers/{triggerId}?wait=, 200 once final, 202 while pending
    String trigger = String.valueOf(m.get("triggerId"));
    if (((List<?>) m.get("tasks")).isEmpty()) {
      return Uni.createFrom().item(Response.ok(m).type(MediaType.APPLICATION_JSON).build());
    }
    return verdicts
        .await(trigger, access.scopeOf(identity), w.get())
        .map(
            v ->
                v.map(
                        x ->
                            Response.status(x.pending() ? 202 : 200)
                                .type(MediaType.APPLICATION_JSON)
                                .entity(x.json())
                                .build())
                    .orElse(now))
        .onFailure()
        .recoverWithItem(now);
  }

  private Response admit(byte[] body, HttpHeaders http) {
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
      Admission admission = ingest.admit(a.event(), access.scopeOf(identity));
      if (admission instanceof Admission.Forbidden f) {
        return forbidden(f.refusal());
      }
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
      case TOO_LARGE -> problem(413, "Event too large", r);
      case ID_CONFLICT -> problem(409, "Event id used for another event", r);
      default -> problem(400, "Invalid deployment event", r);
    };
  }

  /** 403: the caller's token or claims do not cover the event; nothing created or published. */
  static Response forbidden(Scope.Refusal refusal) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "https://taskbridge.dev/problems/forbidden");
    body.put("title", "Not within the caller's scope");
    body.put("status", 403);
    body.put("detail", refusal.message());
    body.put("scope", refusal.part());
    return Response.status(403).type(PROBLEM).entity(body).build();
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
    if (tasks.isEmpty()) {
      // nothing to run: the verdict is known at once
      body.put("result", "pass");
      body.put("namespace", done.plan().event().namespace());
      body.put("checkType", done.plan().event().checkType().name());
    }
    return body;
  }

  static Response problem(int status, String title, Intake.Rejected r) {
    return Response.status(status).type(PROBLEM).entity(problemBody(status, title, r)).build();
  }

  /** The problem+json body of a rejection. */
  static Map<String, Object> problemBody(int status, String title, Intake.Rejected r) {
    List<Map<String, String>> errors = new ArrayList<>();
    r.errors()
        .forEach(
            e ->
                errors.add(
                    Map.of("field", e.field(), "code", e.code().text(), "message", e.message())));
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
    return body;
  }
}
