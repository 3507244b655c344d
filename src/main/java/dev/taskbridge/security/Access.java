package dev.taskbridge.security;

import dev.taskbridge.config.AuthMode;
import dev.taskbridge.config.BridgeConfig;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The HTTP permission policy {@code bridge} (see application.properties: {@code /events} and {@code
 * /triggers/*}): in {@code none} mode everybody, else only an authenticated deployer. An anonymous
 * caller is denied with the mechanism's challenge ({@code 401}).
 */
@ApplicationScoped
public class Access implements HttpSecurityPolicy {
  public static final String DEPLOYER = "deployer";
  public static final String SCOPE = "taskbridge.scope";

  private final AuthMode mode;

  public Access(BridgeConfig config) {
    this.mode = config.auth().mode();
  }

  @Override
  public String name() {
    return "bridge";
  }

  @Override
  public Uni<CheckResult> checkPermission(
      RoutingContext request, Uni<SecurityIdentity> identity, AuthorizationRequestContext ctx) {
    if (mode == AuthMode.none) {
      return Uni.createFrom().item(CheckResult.PERMIT);
    }
    return identity.map(
        id -> !id.isAnonymous() && id.hasRole(DEPLOYER) ? CheckResult.PERMIT : CheckResult.DENY);
  }

  /** The caller's scope: everything in {@code none} mode, else what its token or claims allow. */
  public Scope scopeOf(SecurityIdentity identity) {
    if (mode == AuthMode.none) {
      return Scope.UNRESTRICTED;
    }
    Object s = identity == null ? null : identity.getAttribute(SCOPE);
    return s instanceof Scope scope ? scope : new Scope("nobody", List.of(), List.of(), List.of());
  }
}
