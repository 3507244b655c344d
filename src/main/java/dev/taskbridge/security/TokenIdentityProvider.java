package dev.taskbridge.security;

import dev.taskbridge.config.AuthMode;
import dev.taskbridge.config.BridgeConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns a bearer token into the identity of its client, with its scope; or refuses it. */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {
  private final TokenStore tokens;
  private final boolean active;

  public TokenIdentityProvider(TokenStore tokens, BridgeConfig config) {
    this.tokens = tokens;
    this.active = config.auth().mode() == AuthMode.token;
  }

  /** First in token mode; in the other modes it never answers (OIDC's provider does). */
  @Override
  public int priority() {
    return SYSTEM_FIRST;
  }

  @Override
  public Class<TokenAuthenticationRequest> getRequestType() {
    return TokenAuthenticationRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      TokenAuthenticationRequest request, AuthenticationRequestContext context) {
    if (!active) {
      return Uni.createFrom().nullItem(); // not ours: another provider (OIDC) decides
    }
    return tokens
        .find(request.getToken().getToken())
        .<Uni<SecurityIdentity>>map(
            scope ->
                Uni.createFrom()
                    .item(
                        QuarkusSecurityIdentity.builder()
                            .setPrincipal(new QuarkusPrincipal(scope.client()))
                            .addRole(Access.DEPLOYER)
                            .addAttribute(Access.SCOPE, scope)
                            .build()))
        .orElseGet(
            () -> Uni.createFrom().failure(new AuthenticationFailedException("unknown token")));
  }
}
