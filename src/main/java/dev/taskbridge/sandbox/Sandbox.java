package dev.taskbridge.sandbox;

import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.ingest.DeadLetters;
import dev.taskbridge.ingest.KafkaIngest;
import dev.taskbridge.report.ResultPublisher;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code ./mvnw quarkus:dev}: starts a real Kafka broker and a Kubernetes API server (Keptn's CRDs,
 * sample task definitions and an app context loaded) inside the dev JVM, and the Job simulator.
 * Exists only in the dev build profile; {@code bridge.sandbox.enabled=false} (or your own broker /
 * API server) turns it off.
 */
@IfBuildProfile("dev")
@ApplicationScoped
public class Sandbox {
  private static final Logger LOG = Logger.getLogger(Sandbox.class);
  static final String SAMPLES = "sandbox/samples.yaml";

  // static: they are closed by a static observer once the application context is gone
  private static EmbeddedKafka kafka;
  private static ApiServer api;
  private JobSimulator simulator;

  void start(
      @Observes @Priority(1) StartupEvent ev,
      BridgeConfig config,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
      @ConfigProperty(name = "quarkus.kubernetes-client.api-server-url") Optional<String> apiUrl)
      throws IOException {
    if (!config.sandbox().enabled()) {
      LOG.info("sandbox off: using the configured Kafka broker and Kubernetes API server");
      return;
    }
    long t0 = System.nanoTime();
    BridgeConfig.Sandbox s = config.sandbox();
    if (bootstrap.equals("127.0.0.1:" + s.kafkaPort())
        || bootstrap.equals("localhost:" + s.kafkaPort())) {
      kafka = EmbeddedKafka.start(s.kafkaPort(), 3);
      // created at start, so that a consumer subscribing before the first record finds them
      var c = ConfigProvider.getConfig();
      kafka.createTopics(
          c.getOptionalValue("mp.messaging.incoming.deployment-events.topic", String.class)
              .orElse(KafkaIngest.CHANNEL),
          c.getOptionalValue("mp.messaging.outgoing.task-results.topic", String.class)
              .orElse(ResultPublisher.CHANNEL),
          c.getOptionalValue("mp.messaging.outgoing.deployment-events-dlq.topic", String.class)
              .orElse(DeadLetters.CHANNEL));
    }
    if (apiUrl.map(u -> u.contains(":" + s.apiServerPort())).orElse(false)) {
      api = ApiServer.start(s.apiServerPort());
      try (KubernetesClient c = api.client()) {
        for (String ns : List.of("default", config.keptnNamespace())) {
          c.namespaces()
              .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
              .create();
        }
        loadSamples(c);
      }
      simulator =
          scripted(new JobSimulator(api))
              .defaultScript(Script.succeed().taking(Duration.ofSeconds(2)))
              .start();
    }
    String banner =
        """

        ================================== SANDBOX ==================================
         keptn-task-bridge is running against EMBEDDED test infrastructure:
           Kafka broker        %s   (topics deployment-events, task-results, deployment-events-dlq)
           Kubernetes API      %s   (Keptn CRDs, sample definitions loaded)
           Job simulator       %s   (no real pods run: Jobs are simulated)
         Nothing here is a real cluster. Turn it off with -Dbridge.sandbox.enabled=false
        ============================ sandbox ready in %d ms ============================
        """
            .formatted(
                kafka != null ? kafka.bootstrapServers() : bootstrap + " (yours)",
                api != null ? api.url() : apiUrl.orElse("(kubeconfig)") + " (yours)",
                simulator != null ? "on" : "off",
                (System.nanoTime() - t0) / 1_000_000);
    LOG.warn(banner);
  }

  void stopSimulator(@Observes ShutdownEvent ev) {
    if (simulator != null) {
      simulator.close();
    }
  }

  /**
   * The broker and the API server go last: after the messaging connectors closed their Kafka
   * clients (they do so before the application context is destroyed) and the informers stopped, so
   * that stopping dev mode does not end in a dozen clients' warnings about a vanished broker.
   */
  void stop(
      @Observes @Priority(Integer.MAX_VALUE) @BeforeDestroyed(ApplicationScoped.class) Object ev,
      KafkaClientService clients) {
    if (kafka != null) {
      // the connectors began closing their producers (asynchronously): wait for each to be closed
      for (String channel : clients.getProducerChannels()) {
        try {
          clients.getProducer(channel).unwrap().close(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
          LOG.debugf("producer of %s: %s", channel, e.getMessage());
        }
      }
    }
    if (api != null) {
      api.close();
      api = null;
    }
    if (kafka != null) {
      kafka.close();
      kafka = null;
    }
  }

  /** The sample definitions and app context of {@code sandbox/samples.yaml}, created or updated. */
  public static void loadSamples(KubernetesClient c) {
    try (InputStream in = Sandbox.class.getClassLoader().getResourceAsStream(SAMPLES)) {
      List<HasMetadata> samples = Serialization.unmarshal(in);
      for (HasMetadata o : samples) {
        c.resource(o).inNamespace(o.getMetadata().getNamespace()).createOr(r -> r.update());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * How the samples behave: {@code sandbox-flaky} fails twice, {@code sandbox-always-fails} fails.
   */
  public static JobSimulator scripted(JobSimulator simulator) {
    return simulator
        .script("sandbox-always-fails", Script.failAlways())
        .script("sandbox-flaky", Script.failTimesThenSucceed(2));
  }
}
