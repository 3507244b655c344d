package dev.taskbridge.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.SundrioConfig;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.utils.TokenRefreshInterceptor;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A client without a bearer token does not re-read its whole configuration before every request
 * (Fabric8's token interceptor did, once the client was a minute old); a client with a token keeps
 * its once-a-minute refresh.
 */
class NoTokenRefreshTest {
  /** The configuration as the client holds it, counting how often it is read again. */
  static final class Counted extends Config {
    final AtomicInteger refreshes = new AtomicInteger();

    Counted(SundrioConfig config) {
      super(config);
    }

    @Override
    public Config refresh() {
      refreshes.incrementAndGet();
      return this;
    }
  }

  static final class Headers implements BasicBuilder {
    final Map<String, String> set = new HashMap<>();

    @Override
    public BasicBuilder uri(URI uri) {
      return this;
    }

    @Override
    public BasicBuilder header(String k, String v) {
      set.put(k, v);
      return this;
    }

    @Override
    public BasicBuilder setHeader(String k, String v) {
      set.put(k, v);
      return this;
    }
  }

  /** Ten requests of a client that is two minutes old; the headers of the last. */
  static Headers tenRequests(Config config) {
    var interceptor =
        new TokenRefreshInterceptor(
            config,
            Instant.now().minus(Duration.ofMinutes(2)),
            c -> CompletableFuture.completedFuture(null));
    Headers last = null;
    for (int i = 0; i < 10; i++) {
      last = new Headers();
      interceptor.before(last, null, null);
    }
    return last;
  }

  static Counted config(ConfigBuilder b) {
    return new Counted(b.withMasterUrl("https://api.example:6443").withAutoConfigure(true).build());
  }

  @Test
  void aClientWithoutATokenIsNotReconfiguredBeforeEachRequest() {
    Counted config = config(new ConfigBuilder(Config.empty()).withClientCertData("Y2VydA=="));
    new NoTokenRefresh().customize(config);
    Headers sent = tenRequests(config);
    assertThat(config.refreshes).hasValue(0);
    assertThat(sent.set).doesNotContainKey("Authorization");
    assertThat(config.getClientCertData()).isEqualTo("Y2VydA==");
  }

  @Test
  void aClientWithAServiceAccountTokenIsStillRefreshedOnceItIsAMinuteOld() {
    Counted config = config(new ConfigBuilder(Config.empty()));
    config.setAutoOAuthToken("sa-token");
    new NoTokenRefresh().customize(config);
    assertThat(config.getOauthTokenProvider()).isNull();
    Headers sent = tenRequests(config);
    assertThat(sent.set).containsEntry("Authorization", "Bearer sa-token");
    assertThat(config.refreshes).as("refreshed, then not again within the minute").hasValue(1);
  }
}
