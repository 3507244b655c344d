package dev.taskbridge.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskbridge.config.BridgeConfig;
import io.vertx.core.buffer.Buffer;
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
import java.util.Locale;
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
    if (length < 0 && !ctx.request().isEnded()) {
      chunked(ctx);
      return;
    }
    if (length <= max) {
      ctx.next();
      return;
    }
    refuse(ctx, length, null);
  }

  /**
   * A body without {@code Content-Length} (chunked): read here up to the limit and handed on as the
   * request's body; one byte over, refused like a declared one (the HTTP layer would answer a bare
   * 413 above its own cap, or hold the whole body first).
   */
  private void chunked(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    Buffer body = Buffer.buffer();
    boolean[] over = {false};
    req.handler(
        chunk -> {
          if (over[0]) {
            return;
          }
          if (body.length() + chunk.length() > max) {
            over[0] = true;
            req.pause();
            req.handler(null);
            req.endHandler(null);
            refuse(ctx, -1, body.appendBuffer(chunk));
            return;
          }
          body.appendBuffer(chunk);
        });
    req.endHandler(
        v -> {
          if (!over[0]) {
            ctx.setBody(body);
            ctx.next();
          }
        });
    req.resume();
  }

  /**
   * Streams the rest of the body through SHA-256 ({@code head}: what was read already) and answers
   * the size refusal; {@code length} is the declared length, or -1 for a chunked body (then the
   * bytes seen are reported).
   */
  private void refuse(RoutingContext ctx, long declaredLength, Buffer head) {
    HttpServerRequest req = ctx.request();
    MessageDigest sha = sha256();
    long[] seen = {0};
    boolean[] done = {false};
    if (head != null) {
      sha.update(head.getBytes());
      seen[0] = head.length();
    }
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
                          h.getKey().toLowerCase(Locale.ROOT),
                          h.getValue().getBytes(StandardCharsets.UTF_8)));
          ctx.vertx()
              .executeBlocking(
                  () ->
                      json.writeValueAsBytes(
                          EventsResource.problemBody(
                              413,
                              "Event too large",
                              ingest.tooLargeHttp(
                                  headers,
                                  declaredLength < 0 ? seen[0] : declaredLength,
                                  subject))))
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
                        .end(Buffer.buffer(ar.result()));
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
