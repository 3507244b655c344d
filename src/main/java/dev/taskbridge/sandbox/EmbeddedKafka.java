package dev.taskbridge.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) inside this JVM, for the
 * sandbox and the tests. It can be stopped and started again on the same port with its data, like a
 * broker restart.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private final int brokerPort;
  private final int controllerPort;
  private final Path dataDir;
  private final int partitions;
  private KafkaRaftServer server;
  // a second listener whose advertised port is another (a proxy's): clients that bootstrap there
  // reach the broker only through that proxy (tests cut one client off while others go on)
  private final int sidePort;
  private final int sideAdvertised;

  private EmbeddedKafka(int brokerPort, int partitions, int sidePort, int sideAdvertised)
      throws IOException {
    // a port picked free and released may be picked again: none may be another listener's
    this.brokerPort = brokerPort == 0 ? freePortOtherThan(Set.of(sidePort)) : brokerPort;
    this.controllerPort = freePortOtherThan(Set.of(sidePort, this.brokerPort));
    this.sidePort = sidePort;
    this.sideAdvertised = sideAdvertised;
    this.partitions = partitions;
    this.dataDir = Files.createTempDirectory("taskbridge-kraft-");
  }

  private static void refuse(String what, int code, String message) {
    org.jboss.logging.Logger.getLogger(EmbeddedKafka.class)
        .errorf(
            new IllegalStateException(what + "(" + code + ")"),
            "the embedded Kafka broker asked the JVM to %s(%d): %s",
            what,
            code,
            message);
  }

  /** Formats storage and starts a broker; {@code port} 0 picks a free one. */
  public static EmbeddedKafka start(int port, int partitions) {
    return start(port, partitions, 0, 0);
  }

  /**
   * Also listens on {@code sidePort} and advertises {@code sideAdvertised} there: a client that
   * bootstraps through a proxy on {@code sideAdvertised} (forwarding to {@code sidePort}) keeps
   * going through it. 0, 0: no side listener.
   */
  public static EmbeddedKafka start(int port, int partitions, int sidePort, int sideAdvertised) {
    // The broker shares its JVM with the service or the tests: a broker that gives up must not
    // take the whole JVM with it (Kafka calls System.exit/halt on fatal errors). Say so loudly.
    Exit.setExitProcedure((code, message) -> refuse("exit", code, message));
    Exit.setHaltProcedure((code, message) -> refuse("halt", code, message));
    try {
      EmbeddedKafka k = new EmbeddedKafka(port, partitions, sidePort, sideAdvertised);
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(1)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(k.dataDir.toString()))
          .setMetadataLogDirectory(k.dataDir.toString())
          .setControllerListenerName("CONTROLLER")
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
      k.startServer();
      return k;
    } catch (Exception e) {
      throw new IllegalStateException("could not start the embedded Kafka broker", e);
    }
  }

  /** Creates the topics that do not exist yet, with the broker's partition count. */
  public void createTopics(String... names) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing =
          Arrays.stream(names)
              .distinct()
              .filter(n -> !existing.contains(n))
              .map(n -> new NewTopic(n, partitions, (short) 1))
              .toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("could not create the sandbox's topics", e);
    }
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  public synchronized boolean running() {
    return server != null;
  }

  /** Stops the broker, keeping its data (a broker outage). */
  public synchronized void stopBroker() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  /** Starts the stopped broker again on the same port with the same data. */
  public synchronized void startBroker() {
    if (server == null) {
      try {
        startServer();
      } catch (Exception e) {
        throw new IllegalStateException("could not restart the embedded Kafka broker", e);
      }
    }
  }

  private void startServer() throws Exception {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    String side = sidePort > 0 ? ",SIDE://127.0.0.1:" + sidePort : "";
    p.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort + side);
    p.put(
        "advertised.listeners",
        "PLAINTEXT://127.0.0.1:"
            + brokerPort
            + (sidePort > 0 ? ",SIDE://127.0.0.1:" + sideAdvertised : ""));
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put(
        "listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT" + (sidePort > 0 ? ",SIDE:PLAINTEXT" : ""));
    p.put("log.dirs", dataDir.toString());
    p.put("num.partitions", Integer.toString(partitions));
    p.put("auto.create.topics.enable", "true");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // a small dedupe buffer: the default (128 MB of heap per broker, allocated at start) ran a test
    // JVM out of memory once a test profile's class loader started a broker of its own
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
    p.put("log.cleaner.threads", "1");
    KafkaRaftServer s = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM);
    s.startup();
    server = s;
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
    }
  }

  @Override
  public synchronized void close() {
    stopBroker();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind is harmless
    }
  }

  /** A free port that is none of {@code taken}. */
  static int freePortOtherThan(Set<Integer> taken) {
    for (int i = 0; ; i++) {
      int port = freePort();
      if (!taken.contains(port) || i == 100) {
        return port;
      }
    }
  }

  /** A port nothing listens on right now (shared by the test harness). */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
