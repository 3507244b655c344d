package dev.taskbridge.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The Kubernetes API server of the test run, with its Job simulator (see {@link TestInfra}): its
 * overrides point the app's Kubernetes client at it.
 */
public class ApiServerResource implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    TestInfra.ensureApiServer();
    return Map.of(
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
