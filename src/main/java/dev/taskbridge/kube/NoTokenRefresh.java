package dev.taskbridge.kube;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.kubernetes.client.KubernetesConfigCustomizer;
import jakarta.inject.Singleton;

/**
 * A Kubernetes client that authenticates without a bearer token (client certificates, as a kind or
 * k3s kubeconfig has, or no authentication at all, as in the sandbox) has no token to refresh. Yet
 * Fabric8's token interceptor (7.5) then re-reads the whole configuration (environment, kubeconfig
 * files, service-account files) before every request once the client is a minute old: a refresh
 * that finds no token never records that it ran. A profile of the bridge under load had 14 % of its
 * CPU samples there. Such a client is given a token source that has none, which the interceptor
 * asks instead; nothing else about it changes (no Authorization header, the same certificates). A
 * client with a token (a service account's, an exec plugin's, OIDC) or a user name is left as it
 * is: its token is still refreshed once a minute, as a rotated service-account token needs.
 */
@Singleton
public class NoTokenRefresh implements KubernetesConfigCustomizer {
  @Override
  public void customize(Config config) {
    if (config.getOauthTokenProvider() == null
        && empty(config.getOauthToken())
        && empty(config.getAutoOAuthToken())
        && config.getAuthProvider() == null
        && empty(config.getUsername())) {
      config.setOauthTokenProvider(() -> null);
    }
  }

  private static boolean empty(String s) {
    return s == null || s.isEmpty();
  }
}
