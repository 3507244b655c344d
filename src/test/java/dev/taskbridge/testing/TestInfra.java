package dev.taskbridge.testing;

import dev.taskbridge.sandbox.ApiServer;
import dev.taskbridge.sandbox.EmbeddedKafka;
import dev.taskbridge.sandbox.JobSimulator;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * The real dependencies of the test run, started once per JVM and shared by every test class: a
 * Kafka broker (KRaft, in this JVM), the Fabric8 Kubernetes API server with Keptn's CRDs, and the
 * Job simulator. Test classes isolate themselves by namespace and by unique event ids.
 */
public final class TestInfra {
  public static final List<String> NAMESPACES = List.of("default", "team-a", "keptn-system");

  private static EmbeddedKafka kafka;
  private static ApiServer api;
  private static JobSimulator simulator;
  private static KubernetesClient client;

  private TestInfra() {}

  /** Both dependencies. */
  public static void ensureStarted() {
    ensureKafka();
    ensureApiServer();
  }

  /** The broker, with the proxy the app's result producer reaches it through. */
  public static synchronized void ensureKafka() {
    if (kafka != null) {
      return;
    }
    // the app's result producer reaches the broker through a proxy of its own (a side listener
    // advertised at the proxy's port): ResultTopicOutageTest cuts it off while ingest goes on
    int side = EmbeddedKafka.freePort();
    resultsProxy = FaultProxy.to(side);
    kafka = EmbeddedKafka.start(0, 3, side, resultsProxy.port());
    Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
  }

  /** The API server with the test namespaces, and the Job simulator acting on it. */
  public static synchronized void ensureApiServer() {
    if (api != null) {
      return;
    }
    api = ApiServer.start(0);
    client = api.client();
    for (String ns : NAMESPACES) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    simulator = new JobSimulator(api).start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // who ended the JVM? (a System.exit from a library shows here, with its stack)
                  Thread.getAllStackTraces()
                      .forEach(
                          (t, stack) -> {
                            for (StackTraceElement f : stack) {
                              if (f.getClassName().equals("java.lang.Shutdown")
                                  || f.getClassName().equals("java.lang.Runtime")
                                      && f.getMethodName().equals("exit")) {
                                System.err.println("JVM exit called from thread " + t.getName());
                                for (StackTraceElement e : stack) {
                                  System.err.println("    at " + e);
                                }
                                break;
                              }
                            }
                          });
                  simulator.close();
                  client.close();
                  api.close();
                }));
  }

  private static FaultProxy resultsProxy;

  /** The proxy between the app's result producer and the broker. */
  public static FaultProxy resultsProxy() {
    ensureKafka();
    return resultsProxy;
  }

  public static EmbeddedKafka kafka() {
    ensureKafka();
    return kafka;
  }

  public static ApiServer api() {
    ensureApiServer();
    return api;
  }

  public static JobSimulator simulator() {
    ensureApiServer();
    return simulator;
  }

  /** A client of the test API server (not the application's). */
  public static KubernetesClient client() {
    ensureApiServer();
    return client;
  }
}
