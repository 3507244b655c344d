package dev.taskbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskbridge.keptn.KeptnAppContext;
import dev.taskbridge.keptn.KeptnAppContextSpec;
import dev.taskbridge.sandbox.Script;
import dev.taskbridge.security.TokenFile;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.PackagedApp;
import dev.taskbridge.testing.TestInfra;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The deployer examples run against the packaged app in token mode: examples/deploy-gate.sh (curl
 * and jq), which the Jenkinsfile and the GitHub Actions step call.
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
    Path tokens = Files.createTempDirectory("gate-").resolve("tokens.yaml");
    Files.writeString(
        tokens,
        "- name: jenkins-shop\n  sha256: "
            + HexFormat.of().formatHex(TokenFile.sha256(TOKEN))
            + "\n  namespaces: [team-a]\n  sources: [\"jenkins/*\"]\n");
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
    } catch (IOException e) {
      throw e;
    }
  }
}
