package dev.taskbridge.security;

import dev.taskbridge.config.AuthMode;
import dev.taskbridge.config.BridgeConfig;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;

/**
 * {@code Authorization: Bearer <token>} in {@code token} mode, through Quarkus' security layer: the
 * token goes to {@link TokenIdentityProvider}; a missing, malformed or unknown one ends in {@code
 * 401} with {@code WWW-Authenticate: Bearer}. In the other modes it steps aside.
 */
@ApplicationScoped
@Priority(2000)
public class BearerTokenMechanism implements HttpAuthenticationMechanism {
  static final String SCHEME = "Bearer";

  private final boolean active;

  public BearerTokenMechanism(BridgeConfig config) {
    this.active = config.auth().mode() == AuthMode.token;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identityProviderManager) {
    if (!active) {
      return Uni.createFrom().optional(Optional.empty());
    }
    String token = bearer(context.request().getHeader("Authorization"));
    if (token == null) {
      return Uni.createFrom().optional(Optional.empty()); // anonymous: the policy asks
    }
    return identityProviderManager.authenticate(
        new TokenAuthenticationRequest(new TokenCredential(token, "bearer")));
  }

  /** The token of a well-formed {@code Bearer} header, else null. */
  static String bearer(String header) {
    if (header == null || header.length() <= SCHEME.length() + 1) {
      return null;
    }
    if (!header.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)) {
      return null;
    }
    String token = header.substring(SCHEME.length() + 1).trim();
    return token.isEmpty() || token.length() > 4096 ? null : token;
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom()
        .item(new ChallengeData(401, "WWW-Authenticate", SCHEME + " realm=\"keptn-task-bridge\""));
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of(TokenAuthenticationRequest.class);
  }

  @Override
  public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
    return Uni.createFrom()
        .item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
  }
}
