package dev.taskbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class EventsLagTest {
  static final TopicPartition P0 = new TopicPartition("deployment-events", 0);
  static final TopicPartition P1 = new TopicPartition("deployment-events", 1);

  @Test
  void lagIsEndMinusCommittedAndFromTheEarliestOffsetWhereNothingWasCommitted() {
    assertThat(EventsLag.lag(Map.of(P0, 120L, P1, 40L), Map.of(P0, 0L, P1, 30L), Map.of(P0, 100L)))
        .isEqualTo(20 + 10);
  }

  @Test
  void aCommitAheadOfTheEndIsNoNegativeLag() {
    assertThat(EventsLag.lag(Map.of(P0, 5L), Map.of(P0, 0L), Map.of(P0, 7L))).isZero();
  }
}
