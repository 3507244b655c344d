package dev.taskbridge.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskbridge.testing.ApiServerResource;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.InCluster;
import dev.taskbridge.testing.KafkaResource;
import dev.taskbridge.testing.TestInfra;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * OIDC mode: JWTs signed by a key this test makes (no identity provider), verified by quarkus-oidc
 * (issuer, audience, expiry, signature); their claims give the scope.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(ApiServerResource.class)
@TestProfile(OidcTest.OidcMode.class)
class OidcTest {
  static final String NS = "team-a";
  static final String ISSUER = "https://ci.example";
  // the profile and the test may be loaded by different class loaders: one key for the JVM
  static final KeyPair KEY = sharedKeyPair();
  static final KeyPair OTHER_KEY = keyPair();

  /**
   * The profile and the test may be loaded by different class loaders, and Quarkus restores system
   * properties around a start: the key pair lives in a file, so both sides read the same one.
   */
  static synchronized KeyPair sharedKeyPair() {
    try {
      Path file = Path.of("target", "oidc-test-key.txt");
      var f = java.security.KeyFactory.getInstance("RSA");
      if (!Files.exists(file)) {
        KeyPair k = keyPair();
        Files.createDirectories(file.getParent());
        Files.writeString(
            file,
            Base64.getEncoder().encodeToString(k.getPublic().getEncoded())
                + "\n"
                + Base64.getEncoder().encodeToString(k.getPrivate().getEncoded()));
      }
      String[] lines = Files.readString(file).split("\n");
      return new KeyPair(
          f.generatePublic(
              new java.security.spec.X509EncodedKeySpec(Base64.getDecoder().decode(lines[0]))),
          f.generatePrivate(
              new java.security.spec.PKCS8EncodedKeySpec(Base64.getDecoder().decode(lines[1]))));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static class OidcMode implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "bridge.auth.mode", "oidc",
          "quarkus.oidc.tenant-enabled", "true",
          "quarkus.oidc.application-type", "service",
          "quarkus.oidc.public-key",
              Base64.getEncoder().encodeToString(KEY.getPublic().getEncoded()),
          "quarkus.oidc.token.issuer", ISSUER,
          "quarkus.oidc.token.audience", "keptn-task-bridge",
          "bridge.leader-election.lease-name", "oidc-test");
    }
  }

  static KeyPair keyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String b64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A compact RS256 JWT. */
  static String jwt(KeyPair key, String audience, Instant expires, String namespacesClaim) {
    String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
    String payload =
        b64(
            "{\"iss\":\""
                + ISSUER
                + "\",\"sub\":\"repo:shop/deploy:ref:refs/heads/main\",\"aud\":\""
                + audience
                + "\",\"iat\":"
                + (Instant.now().getEpochSecond() - 60)
                + ",\"exp\":"
                + expires.getEpochSecond()
                + (namespacesClaim == null ? "" : ",\"taskbridge_namespaces\":" + namespacesClaim)
                + ",\"taskbridge_definitions\":\"oidc-*\"}");
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(key.getPrivate());
      s.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
      return header
          + "."
          + payload
          + "."
          + Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Response post(Events e, String token) {
    return given()
        .contentType("application/cloudevents+json")
        .header("Authorization", "Bearer " + token)
        .body(e.structuredJson())
        .post("/events");
  }

  static void nothingHappened(Events e) {
    for (String ns : TestInfra.NAMESPACES) {
      assertThat(InCluster.tasksOf(ns, e.trigger())).isEmpty();
    }
    assertThat(Bus.results().forTrigger(e.trigger())).isEmpty();
  }

  @Test
  void aValidTokenWithinItsClaimsRunsTheEvent() {
    Defs.apply(Defs.container(NS, "oidc-check"));
    Instant in1h = Instant.now().plusSeconds(3600);
    Events e = Events.post(NS, "shop", "1").tasks("oidc-check");
    post(e, jwt(KEY, "keptn-task-bridge", in1h, "[\"team-a\"]")).then().statusCode(202);
    Bus.awaitPhase(e.trigger(), Duration.ofSeconds(30));
    // a space-separated claim works as well
    Events e2 = Events.post(NS, "shop", "2").tasks("oidc-check");
    post(e2, jwt(KEY, "keptn-task-bridge", in1h, "\"default team-a\"")).then().statusCode(202);
  }

  @Test
  void expiredWrongAudienceAndWrongSignatureAre401() {
    Defs.apply(Defs.container(NS, "oidc-check"));
    Instant in1h = Instant.now().plusSeconds(3600);
    Map<String, String> tokens =
        Map.of(
            "expired",
                jwt(KEY, "keptn-task-bridge", Instant.now().minusSeconds(3600), "[\"team-a\"]"),
            "wrong audience", jwt(KEY, "someone-else", in1h, "[\"team-a\"]"),
            "wrong signature", jwt(OTHER_KEY, "keptn-task-bridge", in1h, "[\"team-a\"]"),
            "not a JWT", "opaque-token");
    tokens.forEach(
        (why, token) -> {
          Events e = Events.post(NS, "shop", "1").tasks("oidc-check");
          assertThat(post(e, token).statusCode()).as(why).isEqualTo(401);
          nothingHappened(e);
        });
  }

  @Test
  void claimsOutsideTheScopeAre403() {
    Defs.apply(Defs.container(NS, "oidc-check"));
    Defs.apply(Defs.container(NS, "not-allowed"));
    Instant in1h = Instant.now().plusSeconds(3600);
    Map<String, Object[]> cases =
        Map.of(
            "namespace", new Object[] {"[\"default\"]", "oidc-check"},
            "definition", new Object[] {"[\"team-a\"]", "not-allowed"},
            "no namespaces claim", new Object[] {null, "oidc-check"});
    cases.forEach(
        (why, c) -> {
          Events e = Events.post(NS, "shop", "1").tasks((String) c[1]);
          Response r = post(e, jwt(KEY, "keptn-task-bridge", in1h, (String) c[0]));
          assertThat(r.statusCode()).as(why + ": " + r.asString()).isEqualTo(403);
          nothingHappened(e);
        });
  }
}
