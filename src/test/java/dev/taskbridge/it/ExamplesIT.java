package dev.taskbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskbridge.keptn.KeptnAppContext;
import dev.taskbridge.keptn.KeptnAppContextSpec;
import dev.taskbridge.sandbox.Script;
import dev.taskbridge.security.TokenFile;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.PackagedApp;
import dev.taskbridge.testing.TestInfra;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The deployer examples run against the packaged app: examples/deploy-gate.sh (curl and jq), which
 * the Jenkinsfile and the GitHub Actions step call, and the Ansible play, in token mode; the Kafka
 * deployer written with the CloudEvents Java SDK in both content modes; and every result record of
 * these runs decodes with the SDK's Kafka deserializer, binary and structured.
 */
class ExamplesIT {
  static final String NS = "team-a";
  static final String TOKEN = "gate-" + UUID.randomUUID();

  record Run(int exit, String output) {}

  static Run gate(PackagedApp app, String token, String wait, String... args) throws Exception {
    ProcessBuilder pb = new ProcessBuilder();
    pb.command().add("bash");
    pb.command().add(Path.of("examples", "deploy-gate.sh").toString());
    pb.command().addAll(List.of(args));
    pb.environment().put("BRIDGE_URL", "http://127.0.0.1:" + app.port());
    pb.environment().put("BRIDGE_TOKEN", token);
    pb.environment().put("EVENT_SOURCE", "jenkins/shop-main");
    pb.environment().put("GATE_WAIT", wait);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /** A tokens file with one client: {@code token} for namespace team-a and {@code sources}. */
  static Path tokensFile(String client, String token, String sources) throws IOException {
    Path tokens = Files.createTempDirectory("tokens-").resolve("tokens.yaml");
    Files.writeString(
        tokens,
        "- name: "
            + client
            + "\n  sha256: "
            + HexFormat.of().formatHex(TokenFile.sha256(token))
            + "\n  namespaces: [team-a]\n  sources: [\""
            + sources
            + "\"]\n");
    return tokens;
  }

  static void appContext(String app, String... post) {
    KeptnAppContext ctx = new KeptnAppContext();
    ctx.setMetadata(new ObjectMetaBuilder().withName(app).withNamespace(NS).build());
    ctx.setSpec(new KeptnAppContextSpec());
    ctx.getSpec().postDeploymentTasks = List.of(post);
    TestInfra.client().resources(KeptnAppContext.class).resource(ctx).createOr(c -> c.update());
  }

  @Test
  void theShellGateExitsWithTheVerdict() throws Exception {
    Defs.apply(Defs.container(NS, "gate-ok"));
    Defs.apply(Defs.container(NS, "gate-bad"));
    Defs.apply(Defs.container(NS, "gate-slow"));
    TestInfra.simulator()
        .script("gate-bad", Script.failAlways())
        .script("gate-slow", Script.hang())
        .script("gate-warn", Script.succeed().terminationMessage("{\"result\":\"warning\"}"));
    Defs.apply(Defs.container(NS, "gate-warn"));
    appContext("gate-pass-app", "gate-ok");
    appContext("gate-fail-app", "gate-ok", "gate-bad");
    appContext("gate-slow-app", "gate-slow");
    appContext("gate-warn-app", "gate-warn");
    Path tokens = tokensFile("jenkins-shop", TOKEN, "jenkins/*");
    Map<String, String> props =
        PackagedApp.against(TestInfra.kafka().bootstrapServers(), TestInfra.api().url());
    props.put("bridge.auth.mode", "token");
    props.put("bridge.auth.tokens-file", tokens.toString());
    props.put("bridge.leader-election.lease-name", "examples");
    try (PackagedApp app = PackagedApp.start(props)) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);
      Run pass = gate(app, TOKEN, "60s", "post", NS, "gate-pass-app", "1.0.0");
      assertThat(pass.exit()).as(pass.output()).isZero();
      assertThat(pass.output()).contains("gate-ok: Succeeded").contains(": pass");

      Run fail = gate(app, TOKEN, "60s", "post", NS, "gate-fail-app", "1.0.0");
      assertThat(fail.exit()).as(fail.output()).isEqualTo(1);
      assertThat(fail.output())
          .contains("gate-bad: Failed (BackoffLimitExceeded)")
          .contains(": fail");

      Run warn = gate(app, TOKEN, "60s", "post", NS, "gate-warn-app", "1.0.0");
      assertThat(warn.exit()).as(warn.output()).isZero();
      assertThat(warn.output()).contains(": warning");

      Run slow = gate(app, TOKEN, "1s", "post", NS, "gate-slow-app", "1.0.0");
      assertThat(slow.exit()).as(slow.output()).isEqualTo(2);
      assertThat(slow.output()).contains("still pending");

      Run refused = gate(app, "not-the-token", "10s", "post", NS, "gate-pass-app", "1.0.0");
      assertThat(refused.exit()).as(refused.output()).isEqualTo(3);
      assertThat(refused.output()).contains("401");
      assertEveryResultDecodes(Bus.RESULTS, "jenkins/shop-main", 5);
    }
  }

  static Run run(Map<String, String> env, List<String> command, Duration max) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    boolean ended = p.waitFor(max.toSeconds(), TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(ended).as(out).isTrue();
    return new Run(p.exitValue(), out);
  }

  static Run play(PackagedApp app, String token, String... vars) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("ansible-playbook", "examples/ansible/deploy-gate.yml"));
    for (String v : vars) {
      cmd.add("-e");
      cmd.add(v);
    }
    Map<String, String> env = new HashMap<>();
    env.put("BRIDGE_URL", "http://127.0.0.1:" + app.port());
    env.put("BRIDGE_TOKEN", token);
    env.put("ANSIBLE_NOCOLOR", "1");
    env.put("ANSIBLE_LOCALHOST_WARNING", "false");
    env.put("ANSIBLE_INVENTORY_UNPARSED_WARNING", "false");
    env.put("ANSIBLE_PYTHON_INTERPRETER", "auto_silent");
    return run(env, cmd, Duration.ofSeconds(180));
  }

  static Run deployer(String topicIn, String topicOut, String mode, String id, String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Path.of("examples", "kafka-deployer", "KafkaDeployer.java").toString());
    cmd.addAll(
        List.of(
            "--bootstrap", TestInfra.kafka().bootstrapServers(),
            "--events-topic", topicIn,
            "--results-topic", topicOut,
            "--mode", mode,
            "--id", id,
            "--timeout", "120"));
    cmd.addAll(List.of(args));
    return run(Map.of(), cmd, Duration.ofSeconds(180));
  }

  /**
   * Every record of {@code topic} from {@code source}'s events decodes with the CloudEvents SDK's
   * Kafka deserializer into a dev.taskbridge result whose data is a JSON object.
   */
  static void assertEveryResultDecodes(String topic, String source, int atLeast) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafka().bootstrapServers());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, CloudEventDeserializer.class);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<CloudEvent> decoded = new ArrayList<>();
    try (KafkaConsumer<String, CloudEvent> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<String, CloudEvent> r : consumer.poll(Duration.ofMillis(200))) {
                  CloudEvent e = r.value();
                  assertThat(e).as("%s at %d", r.topic(), r.offset()).isNotNull();
                  if (source.equals(e.getExtension("triggersource"))) {
                    decoded.add(e);
                  }
                }
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
              });
    }
    assertThat(decoded).hasSizeGreaterThanOrEqualTo(atLeast);
    for (CloudEvent e : decoded) {
      assertThat(e.getSpecVersion().toString()).isEqualTo("1.0");
      assertThat(e.getType()).startsWith("dev.taskbridge.");
      assertThat(e.getSource().toString()).isEqualTo("keptn-task-bridge");
      assertThat(e.getExtension("triggerid")).isNotNull();
      assertThat(e.getData()).as(e.getId()).isNotNull();
      assertThat(new String(e.getData().toBytes(), StandardCharsets.UTF_8)).startsWith("{");
    }
  }

  @Test
  void theAnsiblePlayAndTheKafkaDeployerWaitForTheVerdict() throws Exception {
    Defs.apply(Defs.container(NS, "play-ok"));
    Defs.apply(Defs.container(NS, "play-bad"));
    TestInfra.simulator().script("play-bad", Script.failAlways());
    appContext("play-pass-app", "play-ok");
    appContext("play-fail-app", "play-ok", "play-bad");
    String token = "play-" + UUID.randomUUID();
    Path tokens = tokensFile("ansible-shop", token, "ansible/*");
    String in = "examples-events";
    String out = "examples-results";
    Map<String, String> props =
        PackagedApp.against(TestInfra.kafka().bootstrapServers(), TestInfra.api().url());
    props.put("bridge.auth.mode", "token");
    props.put("bridge.auth.tokens-file", tokens.toString());
    props.put("bridge.leader-election.lease-name", "examples-sdk");
    props.put("mp.messaging.incoming.deployment-events.topic", in);
    props.put("mp.messaging.incoming.deployment-events.group.id", "examples-sdk");
    props.put("mp.messaging.outgoing.task-results.topic", out);
    // results in structured mode here, binary in the shell gate's run: the SDK reads both
    props.put("bridge.results.content-mode", "structured");
    try (PackagedApp app = PackagedApp.start(props)) {
      await().atMost(Duration.ofSeconds(60)).until(app::ready);

      Run pass =
          play(app, token, "phase=post", "namespace=" + NS, "app=play-pass-app", "version=1.0.0");
      assertThat(pass.exit()).as(pass.output()).isZero();
      assertThat(pass.output()).contains("play-ok: Succeeded").contains("1.0.0 in team-a: pass");

      Run fail =
          play(app, token, "phase=post", "namespace=" + NS, "app=play-fail-app", "version=1.0.0");
      assertThat(fail.exit()).as(fail.output()).isNotZero();
      assertThat(fail.output())
          .contains("play-bad: Failed (BackoffLimitExceeded)")
          .contains("failed=1")
          .contains(": fail (trigger ");

      Run refused =
          play(app, "wrong", "phase=post", "namespace=" + NS, "app=play-pass-app", "version=1");
      assertThat(refused.exit()).as(refused.output()).isNotZero();
      assertThat(refused.output()).contains("401");

      Run binary =
          deployer(
              in, out, "binary", "sdk-" + UUID.randomUUID(), "post", NS, "play-pass-app", "2.0.0");
      assertThat(binary.exit()).as(binary.output()).isZero();
      assertThat(binary.output())
          .contains("BINARY mode")
          .contains("task.started")
          .contains("play-ok: Succeeded")
          .contains("post-deployment of play-pass-app: pass");

      Run structured =
          deployer(
              in,
              out,
              "structured",
              "sdk-" + UUID.randomUUID(),
              "post",
              NS,
              "play-fail-app",
              "2.0.0");
      assertThat(structured.exit()).as(structured.output()).isEqualTo(1);
      assertThat(structured.output())
          .contains("STRUCTURED mode")
          .contains("play-bad: Failed (BackoffLimitExceeded)")
          .contains(": fail");

      Run rejected =
          deployer(
              in,
              out,
              "binary",
              "sdk-" + UUID.randomUUID(),
              "post",
              "Not_A_Namespace",
              "play-pass-app",
              "1");
      assertThat(rejected.exit()).as(rejected.output()).isEqualTo(3);
      assertThat(rejected.output()).contains("rejected");

      assertEveryResultDecodes(out, "ansible/play-pass-app", 3);
      assertEveryResultDecodes(out, "kafka-deployer/play-fail-app", 4);
    }
  }
}
