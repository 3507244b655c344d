package dev.taskbridge.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ThrottleTest {
  Instant now = Instant.parse("2026-12-01T10:00:00Z");

  final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  @Test
  void noRequestIsSentBeforeTheServersRetryAfterHasPassed() {
    Throttle t = new Throttle(clock);
    assertThatCode(() -> t.check("create Job a")).doesNotThrowAnyException();
    RuntimeException seen = t.seen(new ApiErrors.Throttled("create Job a: 429", null, 3));
    assertThat(seen).isInstanceOf(ApiErrors.Throttled.class);

    now = now.plus(Duration.ofMillis(1200));
    assertThatThrownBy(() -> t.check("create Job b"))
        .isInstanceOfSatisfying(
            ApiErrors.Throttled.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(2))
        .hasMessageContaining("create Job b");

    now = now.plus(Duration.ofMillis(1800));
    assertThatCode(() -> t.check("create Job b")).doesNotThrowAnyException();
  }

  @Test
  void otherFailuresAndShorterWaitsDoNotMoveTheWait() {
    Throttle t = new Throttle(clock);
    t.seen(new ApiErrors.Transient("500", null));
    assertThatCode(() -> t.check("x")).doesNotThrowAnyException();
    t.seen(new ApiErrors.Throttled("429", null, 10));
    t.seen(new ApiErrors.Throttled("429", null, 1));
    now = now.plusSeconds(5);
    assertThatThrownBy(() -> t.check("x"))
        .isInstanceOfSatisfying(
            ApiErrors.Throttled.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(5));
  }
}
