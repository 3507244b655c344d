package dev.taskbridge.security;

import dev.taskbridge.config.AuthMode;
import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.contract.Safe;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * {@code oidc} mode: a JWT that quarkus-oidc verified (issuer, audience, expiry, signature) becomes
 * a deployer whose scope its claims say ({@code bridge.auth.oidc.*-claim}). A token without the
 * namespaces claim may do nothing.
 */
@ApplicationScoped
public class OidcScopes implements SecurityIdentityAugmentor {
  private final boolean active;
  private final BridgeConfig.Auth.Oidc claims;

  public OidcScopes(BridgeConfig config) {
    this.active = config.auth().mode() == AuthMode.oidc;
    this.claims = config.auth().oidc();
  }

  @Override
  public Uni<SecurityIdentity> augment(
      SecurityIdentity identity, AuthenticationRequestContext context) {
    if (!active
        || identity.isAnonymous()
        || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
      return Uni.createFrom().item(identity);
    }
    Scope scope =
        scope(
            subject(jwt),
            strings(jwt.getClaim(claims.namespacesClaim())),
            strings(jwt.getClaim(claims.definitionsClaim())),
            strings(jwt.getClaim(claims.sourcesClaim())));
    return Uni.createFrom()
        .item(
            QuarkusSecurityIdentity.builder(identity)
                .addRole(Access.DEPLOYER)
                .addAttribute(Access.SCOPE, scope)
                .build());
  }

  /** The scope a token's claims give. Pure. */
  static Scope scope(
      String who, List<String> namespaces, List<String> definitions, List<String> sources) {
    return new Scope(
        who,
        List.copyOf(namespaces),
        definitions.stream().map(Glob::of).toList(),
        sources.stream().map(Glob::of).toList());
  }

  private static String subject(JsonWebToken jwt) {
    String sub = jwt.getSubject();
    return "oidc:" + (sub == null ? "?" : Safe.excerpt(sub));
  }

  /** A claim as strings: a JSON array of strings, or one space-separated string; else none. */
  static List<String> strings(Object claim) {
    List<String> out = new ArrayList<>();
    if (claim instanceof String s) {
      for (String part : s.trim().split("\\s+")) {
        if (!part.isEmpty()) {
          out.add(part);
        }
      }
    } else if (claim instanceof JsonArray a) {
      for (var v : a) {
        if (v instanceof JsonString js) {
          out.add(js.getString());
        }
      }
    } else if (claim instanceof JsonString js) {
      return strings(js.getString());
    } else if (claim instanceof Collection<?> c) {
      for (Object o : c) {
        if (o instanceof String s) {
          out.add(s);
        } else if (o instanceof JsonString js) {
          out.add(js.getString());
        }
      }
    }
    return out;
  }
}
