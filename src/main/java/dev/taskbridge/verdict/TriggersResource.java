package dev.taskbridge.verdict;

import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.contract.Safe;
import dev.taskbridge.keptn.GoDuration;
import dev.taskbridge.kube.ApiErrors;
import dev.taskbridge.security.Access;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /triggers/{triggerId}[?wait=]}: the verdict of one deployment event, held until it is
 * no longer pending or the wait ran out (capped by {@code bridge.http.max-wait}).
 */
@Path("/triggers")
public class TriggersResource {
  static final String PROBLEM = "application/problem+json";

  private final VerdictService verdicts;
  private final Access access;
  private final SecurityIdentity identity;
  private final Duration maxWait;

  public TriggersResource(
      VerdictService verdicts, Access access, SecurityIdentity identity, BridgeConfig config) {
    this.verdicts = verdicts;
    this.access = access;
    this.identity = identity;
    this.maxWait = config.http().maxWait();
  }

  @GET
  @Path("{triggerId}")
  @Produces({MediaType.APPLICATION_JSON, PROBLEM})
  public Uni<Response> verdict(
      @PathParam("triggerId") String triggerId, @QueryParam("wait") String wait) {
    Optional<Duration> w = wait(wait, maxWait);
    if (w.isEmpty()) {
      return Uni.createFrom().item(badWait(wait));
    }
    return verdicts
        .await(triggerId, access.scopeOf(identity), w.get())
        .map(
            v ->
                v.map(x -> Response.ok(x.json()).type(MediaType.APPLICATION_JSON).build())
                    .orElseGet(() -> notFound(triggerId)))
        .onFailure(ApiErrors.Transient.class)
        .recoverWithItem(TriggersResource::unavailable);
  }

  /** {@code ?wait=}: absent is no wait; a Go duration, capped; empty when it does not parse. */
  public static Optional<Duration> wait(String wait, Duration max) {
    if (wait == null || wait.isEmpty()) {
      return Optional.of(Duration.ZERO);
    }
    return GoDuration.parse(wait)
        .filter(d -> !d.isNegative())
        .map(d -> d.compareTo(max) > 0 ? max : d);
  }

  public static Response badWait(String wait) {
    return problem(
        400,
        "invalid-wait",
        "Invalid wait",
        "wait must be a duration such as 30s, 5m or 1h, was " + Safe.excerpt(wait));
  }

  static Response notFound(String triggerId) {
    return problem(
        404,
        "unknown-trigger",
        "No such trigger",
        "no KeptnTask of trigger "
            + Safe.excerpt(triggerId)
            + " in a namespace this caller may see");
  }

  static Response unavailable(Throwable t) {
    return Response.fromResponse(
            problem(
                503,
                "kubernetes-unavailable",
                "Kubernetes API unavailable",
                "the verdict cannot be read now; ask again"))
        .header("Retry-After", "5")
        .build();
  }

  static Response problem(int status, String type, String title, String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "https://taskbridge.dev/problems/" + type);
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    return Response.status(status).type(PROBLEM).entity(body).build();
  }
}
