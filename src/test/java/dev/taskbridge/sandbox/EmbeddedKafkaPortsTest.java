package dev.taskbridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The broker's and controller's ports are picked free and released before the broker binds them, as
 * the test harness picks the side listener's port: a port released may be picked again, and a
 * broker with two listeners on one port refuses to start ("two listeners on the same port").
 */
class EmbeddedKafkaPortsTest {

  @Test
  void aPortPickedForTheBrokerIsNeverOneAlreadyTaken() {
    Set<Integer> taken = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      taken.add(EmbeddedKafka.freePort());
    }
    for (int i = 0; i < 200; i++) {
      int port = EmbeddedKafka.freePortOtherThan(taken);
      assertThat(taken).doesNotContain(port);
      assertThat(port).isPositive();
    }
  }
}
