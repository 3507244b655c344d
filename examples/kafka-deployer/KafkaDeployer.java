// A deployer that speaks Kafka with the official CloudEvents Java SDK: it publishes one deployment
// event to keptn-task-bridge's input topic and waits on the result topic for that event's
// phase.finished, then exits 0 on pass (and warning, unless --fail-on-warning), 1 on fail, 2 when
// no phase result came in time, 3 when the bridge rejected the event.
//
// A single source file (Java 17's source launcher); its classpath needs io.cloudevents:cloudevents-kafka
// and io.cloudevents:cloudevents-json-jackson (4.0.1) with their dependencies (kafka-clients, Jackson):
//
//   java -cp "$(cat deployer.classpath)" examples/kafka-deployer/KafkaDeployer.java \
//     --bootstrap localhost:9092 --mode binary post team-a shop 1.2.3
//
// Options: --bootstrap (default localhost:9092), --mode binary|structured (default binary),
// --events-topic (default deployment-events), --results-topic (default task-results), --source
// (default kafka-deployer/<app>), --id (default: a fresh one; use your build's id so that a resend is
// a duplicate), --timeout seconds (default 600), --fail-on-warning.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.cloudevents.kafka.CloudEventSerializer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class KafkaDeployer {
  static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] argv) throws Exception {
    Map<String, String> opt = new HashMap<>();
    Deque<String> args = new ArrayDeque<>(List.of(argv));
    List<String> positional = new ArrayList<>();
    while (!args.isEmpty()) {
      String a = args.poll();
      if (a.equals("--fail-on-warning")) {
        opt.put("fail-on-warning", "true");
      } else if (a.startsWith("--")) {
        opt.put(a.substring(2), args.poll());
      } else {
        positional.add(a);
      }
    }
    if (positional.size() < 4) {
      System.err.println(
          "usage: KafkaDeployer [options] pre|post namespace app version [workload workload-version]");
      System.exit(3);
    }
    String phase = positional.get(0);
    String app = positional.get(2);
    ObjectNode data = JSON.createObjectNode();
    data.put("namespace", positional.get(1));
    data.put("appName", app);
    data.put("appVersion", positional.get(3));
    if (positional.size() >= 6) {
      data.put("workloadName", positional.get(4));
      data.put("workloadVersion", positional.get(5));
    }
    String bootstrap = opt.getOrDefault("bootstrap", "localhost:9092");
    String source = opt.getOrDefault("source", "kafka-deployer/" + app);
    String id = opt.getOrDefault("id", UUID.randomUUID().toString());
    String resultsTopic = opt.getOrDefault("results-topic", "task-results");
    Encoding encoding =
        "structured".equals(opt.get("mode")) ? Encoding.STRUCTURED : Encoding.BINARY;
    Duration timeout = Duration.ofSeconds(Long.parseLong(opt.getOrDefault("timeout", "600")));

    CloudEvent event =
        CloudEventBuilder.v1()
            .withId(id)
            .withSource(URI.create(source))
            .withType("dev.taskbridge.deployment." + phase)
            .withTime(OffsetDateTime.now(ZoneOffset.UTC))
            .withDataContentType("application/json")
            .withData(JSON.writeValueAsBytes(data))
            .build();

    try (KafkaConsumer<String, CloudEvent> results = consumer(bootstrap)) {
      // Read from the end of the result topic as it is now, before the event can have results.
      List<TopicPartition> partitions =
          results.partitionsFor(resultsTopic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      if (partitions.isEmpty()) {
        System.err.println("kafka-deployer: the result topic " + resultsTopic + " does not exist");
        System.exit(3);
      }
      results.assign(partitions);
      results.seekToEnd(partitions);
      partitions.forEach(results::position);

      try (KafkaProducer<String, CloudEvent> producer = producer(bootstrap, encoding)) {
        producer
            .send(
                new ProducerRecord<>(
                    opt.getOrDefault("events-topic", "deployment-events"), id, event))
            .get();
      }
      System.out.printf("kafka-deployer: sent %s (%s, %s mode)%n", id, event.getType(), encoding);

      Instant deadline = Instant.now().plus(timeout);
      while (Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, CloudEvent> record : results.poll(Duration.ofMillis(500))) {
          CloudEvent result = record.value();
          if (result == null
              || !id.equals(result.getExtension("triggerid"))
              || !source.equals(result.getExtension("triggersource"))) {
            continue;
          }
          JsonNode body =
              result.getData() == null
                  ? JSON.createObjectNode()
                  : JSON.readTree(result.getData().toBytes());
          switch (result.getType()) {
            case "dev.taskbridge.event.rejected" -> {
              System.out.println("kafka-deployer: rejected: " + body.path("errors"));
              System.exit(3);
            }
            case "dev.taskbridge.phase.finished" -> {
              for (JsonNode task : body.path("tasks")) {
                String reason = task.path("reason").asText("");
                System.out.printf(
                    "  %s: %s%s%n",
                    task.path("taskDefinition").asText(),
                    task.path("status").asText(),
                    reason.isEmpty() ? "" : " (" + reason + ")");
              }
              String verdict = body.path("result").asText();
              System.out.printf(
                  "kafka-deployer: %s-deployment of %s: %s%n", phase, app, verdict);
              boolean ok =
                  verdict.equals("pass")
                      || (verdict.equals("warning") && !opt.containsKey("fail-on-warning"));
              System.exit(ok ? 0 : 1);
            }
            default ->
                System.out.printf(
                    "  %s %s%n", result.getType().substring("dev.taskbridge.".length()),
                    result.getSubject());
          }
        }
      }
      System.out.println("kafka-deployer: no phase result within " + timeout);
      System.exit(2);
    }
  }

  static KafkaProducer<String, CloudEvent> producer(String bootstrap, Encoding encoding) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CloudEventSerializer.class);
    p.put(CloudEventSerializer.ENCODING_CONFIG, encoding);
    p.put(CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE);
    return new KafkaProducer<>(p);
  }

  static KafkaConsumer<String, CloudEvent> consumer(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, CloudEventDeserializer.class);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(p);
  }

}
