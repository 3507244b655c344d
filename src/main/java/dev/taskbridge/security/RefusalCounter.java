package dev.taskbridge.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Counts what the HTTP layer refused, wherever the refusal came from (the security layer's
 * challenge or a scope check): {@code taskbridge_http_refused_total{reason=unauthenticated |
 * forbidden}}.
 */
@ApplicationScoped
public class RefusalCounter {
  private final Counter unauthenticated;
  private final Counter forbidden;

  public RefusalCounter(MeterRegistry registry) {
    this.unauthenticated = counter(registry, "unauthenticated");
    this.forbidden = counter(registry, "forbidden");
  }

  private static Counter counter(MeterRegistry registry, String reason) {
    return Counter.builder("taskbridge.http.refused")
        .description("HTTP requests refused: no or unknown credentials, or outside the scope")
        .tag("reason", reason)
        .register(registry);
  }

  void install(@Observes Router router) {
    router
        .route()
        .order(Integer.MIN_VALUE)
        .handler(
            ctx -> {
              String path = ctx.normalizedPath();
              if (path.startsWith("/events") || path.startsWith("/triggers")) {
                ctx.addHeadersEndHandler(
                    v -> {
                      int status = ctx.response().getStatusCode();
                      if (status == 401) {
                        unauthenticated.increment();
                      } else if (status == 403) {
                        forbidden.increment();
                      }
                    });
              }
              ctx.next();
            });
  }
}
