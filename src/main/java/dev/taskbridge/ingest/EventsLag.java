package dev.taskbridge.ingest;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code taskbridge_events_lag}: records of the input topic that the consumer group has not
 * committed yet, as the broker sees it (end offsets minus committed offsets, every 15 s). Unlike
 * the Kafka client's {@code records_lag_max}, which is only sampled while the consumer fetches (NaN
 * when idle, and silent exactly when ingest is stuck or paused), it keeps counting while nothing is
 * consumed. The last value stays when the broker cannot be asked.
 */
@ApplicationScoped
public class EventsLag {
  private static final Logger LOG = Logger.getLogger(EventsLag.class);

  private final Map<String, Object> kafka;
  private final String topic;
  private final String group;
  private volatile double lag;
  private Admin admin;
  private boolean closed;

  @Inject
  public EventsLag(
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      @ConfigProperty(name = "mp.messaging.incoming.deployment-events.topic") String topic,
      @ConfigProperty(name = "mp.messaging.incoming.deployment-events.group.id") String group,
      MeterRegistry registry) {
    this.kafka = kafka;
    this.topic = topic;
    this.group = group;
    Gauge.builder("taskbridge.events.lag", this, l -> l.lag)
        .description(
            "records of the input topic not yet committed by the consumer group (broker's view)")
        .strongReference(true)
        .register(registry);
  }

  /** End offsets minus committed offsets (or the earliest offset where nothing was committed). */
  static long lag(
      Map<TopicPartition, Long> end,
      Map<TopicPartition, Long> earliest,
      Map<TopicPartition, Long> committed) {
    long sum = 0;
    for (var e : end.entrySet()) {
      long from = committed.getOrDefault(e.getKey(), earliest.getOrDefault(e.getKey(), 0L));
      sum += Math.max(0, e.getValue() - from);
    }
    return sum;
  }

  @Scheduled(
      every = "15s",
      delayed = "5s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      identity = "events-lag")
  void refresh() {
    try {
      Admin a = admin();
      List<TopicPartition> partitions =
          a
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(10, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      Map<TopicPartition, Long> end = offsets(a, partitions, OffsetSpec.latest());
      Map<TopicPartition, Long> earliest = offsets(a, partitions, OffsetSpec.earliest());
      Map<TopicPartition, Long> committed = new HashMap<>();
      Map<TopicPartition, OffsetAndMetadata> c =
          a.listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      c.forEach(
          (tp, o) -> {
            if (o != null && tp.topic().equals(topic)) {
              committed.put(tp, o.offset());
            }
          });
      lag = lag(end, earliest, committed);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.debugf("events lag not measured: %s", e.toString());
    }
  }

  private static Map<TopicPartition, Long> offsets(
      Admin a, List<TopicPartition> partitions, OffsetSpec spec) throws Exception {
    Map<TopicPartition, ListOffsetsResultInfo> r =
        a.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> spec)))
            .all()
            .get(10, TimeUnit.SECONDS);
    Map<TopicPartition, Long> out = new HashMap<>();
    r.forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  private synchronized Admin admin() {
    if (closed) {
      throw new IllegalStateException("stopping");
    }
    if (admin == null) {
      Map<String, Object> config = new HashMap<>();
      kafka.forEach(
          (k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
              config.put(k, v);
            }
          });
      config.put(AdminClientConfig.CLIENT_ID_CONFIG, "keptn-task-bridge-lag");
      config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
      config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
      admin = Admin.create(config);
    }
    return admin;
  }

  /**
   * Closed when the application stops, before the messaging connectors and a sandbox broker go: not
   * a client left asking a broker that is gone.
   */
  void onStop(@Observes ShutdownEvent ev) {
    close();
  }

  @PreDestroy
  synchronized void close() {
    closed = true;
    if (admin != null) {
      admin.close(Duration.ofSeconds(2));
      admin = null;
    }
  }
}
