package dev.taskbridge.health;

import dev.taskbridge.config.AuthMode;
import dev.taskbridge.config.BridgeConfig;
import dev.taskbridge.security.TokenStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Says who can be let in over HTTP. Always UP (Kafka ingest works whatever the tokens file says),
 * but a missing or unreadable tokens file shows here: {@code clients: 0} and the problem.
 */
@Readiness
@ApplicationScoped
public class AuthReadiness implements HealthCheck {
  private final AuthMode mode;
  private final TokenStore tokens;

  public AuthReadiness(BridgeConfig config, TokenStore tokens) {
    this.mode = config.auth().mode();
    this.tokens = tokens;
  }

  @Override
  public HealthCheckResponse call() {
    var r = HealthCheckResponse.named("http-auth").up().withData("mode", mode.name());
    if (mode == AuthMode.token) {
      r.withData("clients", tokens.clients());
      String problem = tokens.problem();
      if (!problem.isEmpty()) {
        r.withData("problem", problem);
      }
    }
    return r.build();
  }
}
