package dev.taskbridge.metrics;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;

/**
 * {@code /q/metrics} answers in Prometheus' text format unless the scraper asks for OpenMetrics by
 * name. Quarkus' handler answers {@code Accept: *}{@code /*} (curl, promtool's users, most ad-hoc
 * scrapers) with OpenMetrics, which {@code promtool check metrics} and older tools cannot read;
 * Prometheus itself names OpenMetrics in its Accept header and keeps getting it.
 */
@ApplicationScoped
public class ScrapeFormat {
  static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** The Accept header the metrics handler should see for the scraper's {@code accept}. */
  public static String accept(String accept) {
    if (accept != null && accept.toLowerCase(Locale.ROOT).contains("openmetrics")) {
      return accept;
    }
    return TEXT;
  }

  void install(@Observes Router router) {
    router
        .route("/q/metrics")
        .order(Integer.MIN_VALUE + 1)
        .handler(
            ctx -> {
              String accept = ctx.request().getHeader("Accept");
              ctx.request().headers().set("Accept", accept(accept));
              ctx.next();
            });
  }
}
