package dev.taskbridge.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The real Kafka broker of the test run (see {@link TestInfra}): its overrides point the app's
 * consumers and producers at it, the result producer through its fault proxy.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    TestInfra.ensureKafka();
    return Map.of(
        "kafka.bootstrap.servers",
        TestInfra.kafka().bootstrapServers(),
        "mp.messaging.outgoing.task-results.bootstrap.servers",
        "127.0.0.1:" + TestInfra.resultsProxy().port());
  }

  @Override
  public void stop() {
    // shared by every test class of the run; stopped by a shutdown hook
  }
}
