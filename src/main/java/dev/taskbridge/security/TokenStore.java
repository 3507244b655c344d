package dev.taskbridge.security;

import dev.taskbridge.config.AuthMode;
import dev.taskbridge.config.BridgeConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The tokens file of {@code token} mode, re-read when it changes (a rotated Secret: Kubernetes
 * swaps the mounted file), checked at most once a second, so no restart is needed. A missing or
 * unreadable file lets nobody in and says so.
 */
@ApplicationScoped
public class TokenStore {
  private static final Logger LOG = Logger.getLogger(TokenStore.class);
  static final Duration CHECK_EVERY = Duration.ofSeconds(1);

  private final Path file;
  private final boolean active;
  private final Clock clock;
  private volatile TokenFile tokens = TokenFile.none("not read yet");
  private volatile String stamp = "";
  private volatile Instant checkedAt = Instant.EPOCH;

  public TokenStore(BridgeConfig config, Clock clock) {
    this.file = Path.of(config.auth().tokensFile());
    this.active = config.auth().mode() == AuthMode.token;
    this.clock = clock;
  }

  void onStart(@Observes StartupEvent ev) {
    if (active) {
      reload(true);
    }
  }

  /** The scope of the client presenting {@code token}, if any. */
  public Optional<Scope> find(String token) {
    current();
    return tokens.find(token);
  }

  /** Clients known now (for readiness detail). */
  public int clients() {
    return current().size();
  }

  /** Why nobody or somebody is refused, for readiness detail; empty when all is well. */
  public String problem() {
    return String.join("; ", current().problems());
  }

  private TokenFile current() {
    Instant now = clock.instant();
    if (Duration.between(checkedAt, now).compareTo(CHECK_EVERY) >= 0) {
      checkedAt = now;
      reload(false);
    }
    return tokens;
  }

  private synchronized void reload(boolean atStart) {
    String seen;
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      seen = a.lastModifiedTime() + "/" + a.size() + "/" + file.toRealPath();
    } catch (IOException e) {
      seen = "missing";
    }
    if (seen.equals(stamp) && !atStart) {
      return;
    }
    stamp = seen;
    TokenFile next;
    try {
      next = TokenFile.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      next =
          TokenFile.none(
              "the tokens file "
                  + file
                  + " cannot be read ("
                  + e.getClass().getSimpleName()
                  + "): every request is refused");
    }
    tokens = next;
    if (next.size() == 0) {
      LOG.errorf(
          "bridge.auth.mode=token and no client can be let in: %s",
          String.join("; ", next.problems()));
    } else {
      LOG.infof(
          "%s %d client(s) from %s%s",
          atStart ? "loaded" : "re-read",
          next.size(),
          file,
          next.problems().isEmpty() ? "" : "; skipped: " + String.join("; ", next.problems()));
    }
  }
}
