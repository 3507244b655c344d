package dev.taskbridge.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points the application at the shared test broker and API server (see {@link TestInfra}). */
public class InfraResource implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    TestInfra.ensureStarted();
    return Map.of(
        "kafka.bootstrap.servers",
        TestInfra.kafka().bootstrapServers(),
        "mp.messaging.outgoing.task-results.bootstrap.servers",
        "127.0.0.1:" + TestInfra.resultsProxy().port(),
        "quarkus.kubernetes-client.api-server-url",
        TestInfra.api().url(),
        "quarkus.kubernetes-client.trust-certs",
        "true",
        "quarkus.kubernetes-client.namespace",
        "default");
  }

  @Override
  public void stop() {
    // shared by every test class of the run; stopped by a shutdown hook
  }
}
