package dev.taskbridge.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskbridge.config.BridgeConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Refuses a {@code POST /events} whose {@code Content-Length} is over {@code
 * bridge.limits.max-event-bytes} before its body is read: the same problem+json {@code 413}, the
 * same {@code event.rejected} and the same count as every other size refusal, whatever the size
 * (the HTTP layer's own cap, {@code quarkus.http.limits.max-body-size}, answered a bare 413 above 1
 * MiB). It runs after authentication and the {@code bridge} policy: a caller who may not post gets
 * its 401/403, never a rejection on the topic. The body is streamed through SHA-256 (for the
 * rejection's {@code http-<hash>} subject, up to 64 MiB) and never held; the connection is closed.
 */
@ApplicationScoped
public class SizeLimit {
  private static final Logger LOG = Logger.getLogger(SizeLimit.class);
  static final long HASH_CAP = 64L * 1024 * 1024;

  /** After authentication (-200) and authorization (-100), before Quarkus' upload limit (-2). */
  static final int ORDER = -3;

  private final IngestService ingest;
  private final int max;
  private final ObjectMapper json = new ObjectMapper();

  public SizeLimit(IngestService ingest, BridgeConfig config) {
    this.ingest = ingest;
    this.max = config.limits().maxEventBytes();
  }

  /** The declared length, or -1 when there is none (chunked) or it is not a number. */
  static long declared(String contentLength) {
    if (contentLength == null) {
      return -1;
    }
    try {
      return Long.parseLong(contentLength.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  void install(@Observes Router router) {
    router.route(HttpMethod.POST, "/events").order(ORDER).handler(this::handle);
  }

  void handle(RoutingContext ctx) {
    long length = declared(ctx.request().getHeader("Content-Length"));
    if (length <= max) {
      ctx.next();
      return;
    }
    HttpServerRequest req = ctx.request();
    MessageDigest sha = sha256();
    long[] seen = {0};
    boolean[] done = {false};
    Runnable refuse =
        () -> {
          if (done[0]) {
            return;
          }
          done[0] = true;
          String subject = "http-" + HexFormat.of().formatHex(sha.digest()).substring(0, 16);
          Map<String, byte[]> headers = new LinkedHashMap<>();
          req.headers()
              .forEach(
                  h ->
                      headers.putIfAbsent(
                          h.getKey().toLowerCase(java.util.Locale.ROOT),
                          h.getValue().getBytes(StandardCharsets.UTF_8)));
          ctx.vertx()
              .executeBlocking(
                  () ->
                      json.writeValueAsBytes(
                          EventsResource.problemBody(
                              413,
                              "Event too large",
                              ingest.tooLargeHttp(headers, length, subject))))
              .onComplete(
                  ar -> {
                    if (ctx.response().ended()) {
                      return;
                    }
                    if (ar.failed()) {
                      LOG.warnf("size refusal of %s failed: %s", subject, ar.cause().toString());
                      ctx.response().setStatusCode(413).putHeader("Connection", "close").end();
                      return;
                    }
                    ctx.response()
                        .setStatusCode(413)
                        .putHeader("Content-Type", EventsResource.PROBLEM)
                        .putHeader("Connection", "close")
                        .end(io.vertx.core.buffer.Buffer.buffer(ar.result()));
                  });
        };
    req.handler(
        chunk -> {
          if (done[0]) {
            return;
          }
          int n = (int) Math.min(chunk.length(), HASH_CAP - seen[0]);
          sha.update(chunk.getBytes(0, n));
          seen[0] += chunk.length();
          if (seen[0] >= HASH_CAP) {
            refuse.run();
          }
        });
    req.endHandler(v -> refuse.run());
    req.exceptionHandler(e -> refuse.run());
    req.resume();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
