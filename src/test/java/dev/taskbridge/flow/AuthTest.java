package dev.taskbridge.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.taskbridge.keptn.KeptnAppContext;
import dev.taskbridge.keptn.KeptnAppContextSpec;
import dev.taskbridge.plan.Names;
import dev.taskbridge.security.TokenFile;
import dev.taskbridge.testing.ApiServerResource;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.InCluster;
import dev.taskbridge.testing.KafkaResource;
import dev.taskbridge.testing.Scrape;
import dev.taskbridge.testing.TestInfra;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Token mode over HTTP: who is let in, what their scope allows, rotation, a missing file. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(ApiServerResource.class)
@TestProfile(AuthTest.TokenMode.class)
class AuthTest {
  static final String NS = "team-a";
  static final String JENKINS = "s3cret-jenkins-token";
  static final String ANSIBLE = "s3cret-ansible-token";
  static final Path FILE = tokensFile();

  public static class TokenMode implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      write(clients(JENKINS));
      return Map.of("bridge.auth.mode", "token", "bridge.auth.tokens-file", FILE.toString());
    }
  }

  /** A fixed path: the profile and the test may be loaded by different class loaders. */
  static Path tokensFile() {
    return Path.of("target", "auth-test", "tokens.yaml").toAbsolutePath();
  }

  static String sha(String token) {
    return HexFormat.of().formatHex(TokenFile.sha256(token));
  }

  /** jenkins-shop: team-a only, definitions auth-*, sources jenkins/shop*; ops: everything. */
  static String clients(String jenkinsToken) {
    return "- name: jenkins-shop\n"
        + "  sha256: "
        + sha(jenkinsToken)
        + "\n  namespaces: [team-a]\n  definitions: [\"auth-*\"]\n  sources: [\"jenkins/shop*\"]\n"
        + "- name: ops\n  sha256: "
        + sha("ops-token")
        + "\n  namespaces: [\"*\"]\n";
  }

  static void write(String yaml) {
    try {
      Files.createDirectories(FILE.getParent());
      Path tmp = FILE.resolveSibling("tokens.yaml.tmp");
      Files.writeString(tmp, yaml);
      // as a rotated Secret: the new file replaces the old one at once
      Files.move(tmp, FILE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Events event(String namespace, String... tasks) {
    return Events.post(namespace, "shop", "1").source("jenkins/shop-main").tasks(tasks);
  }

  static Response post(Events e, String authorization) {
    var r = given().contentType("application/cloudevents+json").body(e.structuredJson());
    if (authorization != null) {
      r = r.header("Authorization", authorization);
    }
    return r.post("/events");
  }

  static double refused(String reason) {
    return new Scrape(given().get("/q/metrics").asString())
        .sum("taskbridge_http_refused_total", "reason", reason);
  }

  /** Nothing in any namespace, nothing on the result topic. */
  static void nothingHappened(Events e) {
    for (String ns : TestInfra.NAMESPACES) {
      assertThat(InCluster.tasksOf(ns, e.trigger())).as(ns).isEmpty();
    }
    assertThat(Bus.results().forTrigger(e.trigger())).isEmpty();
  }

  @Test
  void missingMalformedAndUnknownTokensAre401AndCreateNothing() {
    Defs.apply(Defs.container(NS, "auth-check"));
    double before = refused("unauthenticated");
    List<String> headers =
        Arrays.asList(null, "Basic amVua2luczpzM2NyZXQ=", "Bearer", "Bearer wrong-token");
    for (String h : headers) {
      Events e = event(NS, "auth-check");
      post(e, h)
          .then()
          .statusCode(401)
          .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"));
      nothingHappened(e);
    }
    assertThat(refused("unauthenticated") - before).isEqualTo(headers.size());
    // an oversized body without a token is a 401 too: its size refusal (which publishes a
    // rejection) comes only after authentication
    String id = "big-" + UUID.randomUUID();
    byte[] big = new byte[2 * 1024 * 1024];
    Arrays.fill(big, (byte) ' ');
    given()
        .header("ce-specversion", "1.0")
        .header("ce-id", id)
        .header("ce-source", "ci/auth")
        .header("ce-type", "dev.taskbridge.deployment.pre")
        .contentType("application/json")
        .body(big)
        .post("/events")
        .then()
        .statusCode(401);
    assertThat(Bus.results().forTrigger(Names.triggerHash("ci/auth", id))).isEmpty();
    // health and metrics need no token
    given().get("/q/health/live").then().statusCode(200);
    given().get("/q/metrics").then().statusCode(200);
  }

  @Test
  void aKnownTokenOutsideItsScopeIs403SayingWhichPart() {
    Defs.apply(Defs.container(NS, "auth-check"));
    Defs.apply(Defs.container(NS, "other-check"));
    Defs.apply(Defs.container("default", "auth-check"));
    KeptnAppContext ctx = new KeptnAppContext();
    ctx.setMetadata(new ObjectMetaBuilder().withName("auth-ctx").withNamespace(NS).build());
    ctx.setSpec(new KeptnAppContextSpec());
    ctx.getSpec().postDeploymentTasks = List.of("auth-check", "other-check");
    TestInfra.client().resources(KeptnAppContext.class).resource(ctx).create();
    double before = refused("forbidden");
    Map<String, Events> cases =
        Map.of(
            "namespace", event("default", "auth-check"),
            "definition", event(NS, "other-check"),
            "source", event(NS, "auth-check").source("gitlab/shop"),
            "definition resolved from the app context",
                Events.post(NS, "auth-ctx", "1").source("jenkins/shop-main"));
    cases.forEach(
        (part, e) -> {
          Response r = post(e, "Bearer " + JENKINS);
          assertThat(r.statusCode()).as(part + ": " + r.asString()).isEqualTo(403);
          assertThat(r.contentType()).startsWith("application/problem+json");
          assertThat(r.jsonPath().getString("scope")).isEqualTo(part.split(" ")[0]);
          nothingHappened(e);
        });
    assertThat(refused("forbidden") - before).isEqualTo(cases.size());
  }

  @Test
  void aTokenWithTheFullScopeRunsTheEvent() {
    Defs.apply(Defs.container(NS, "auth-check"));
    Events e = event(NS, "auth-check");
    post(e, "Bearer " + JENKINS).then().statusCode(202).body("triggerId", equalTo(e.trigger()));
    Bus.awaitPhase(e.trigger(), Duration.ofSeconds(30));
    Events anywhere = event("default", "auth-check");
    Defs.apply(Defs.container("default", "auth-check"));
    post(anywhere, "Bearer ops-token").then().statusCode(202);
  }

  @Test
  void aRotatedTokenFileIsReadWithoutARestartAndAMissingOneLetsNobodyIn() {
    Defs.apply(Defs.container(NS, "auth-check"));
    try {
      // rotation: the old and the new token are both listed for a while, then only the new one
      write(
          clients(JENKINS)
              + clients(ANSIBLE)
                  .replace("jenkins-shop", "jenkins-shop-next")
                  .replace(
                      "- name: ops\n  sha256: " + sha("ops-token") + "\n  namespaces: [\"*\"]\n",
                      ""));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> post(event(NS, "auth-check"), "Bearer " + ANSIBLE).statusCode() == 202);
      write(clients(ANSIBLE));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> post(event(NS, "auth-check"), "Bearer " + JENKINS).statusCode() == 401);
      post(event(NS, "auth-check"), "Bearer " + ANSIBLE).then().statusCode(202);

      Files.delete(FILE);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> post(event(NS, "auth-check"), "Bearer " + ANSIBLE).statusCode() == 401);
      post(event(NS, "auth-check"), "Bearer ops-token").then().statusCode(401);
      String ready = given().get("/q/health/ready").asString();
      assertThat(ready.replaceAll("\\s", "")).contains("\"clients\":0");
      assertThat(ready).contains("cannot be read");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      write(clients(JENKINS));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> post(event(NS, "auth-check"), "Bearer " + JENKINS).statusCode() == 202);
  }
}
