package dev.taskbridge.keptn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  @Test
  void readsZuluAndOffsetTimestampsAndNothingElse() {
    assertThat(Timestamps.parse("2026-11-24T10:00:00.123Z"))
        .contains(Instant.parse("2026-11-24T10:00:00.123Z"));
    assertThat(Timestamps.parse("2026-11-24T12:00:00+02:00"))
        .contains(Instant.parse("2026-11-24T10:00:00Z"));
    assertThat(Timestamps.parse(null)).isEmpty();
    assertThat(Timestamps.parse("")).isEmpty();
    assertThat(Timestamps.parse("yesterday")).isEmpty();
    assertThat(Timestamps.orEpoch("yesterday")).isEqualTo(Instant.EPOCH);
  }

  @Test
  void earliestAndLatestCompareInstantsNotStrings() {
    String utc = "2026-11-24T10:30:00Z";
    String offset = "2026-11-24T11:00:00+01:00"; // 10:00Z: earlier, though it sorts later as text
    assertThat(Timestamps.earliest(utc, offset)).isEqualTo(offset);
    assertThat(Timestamps.latest(utc, offset)).isEqualTo(utc);
    assertThat(Timestamps.earliest(null, utc)).isEqualTo(utc);
    assertThat(Timestamps.latest(utc, null)).isEqualTo(utc);
  }
}
