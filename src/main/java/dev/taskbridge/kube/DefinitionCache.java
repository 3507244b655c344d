package dev.taskbridge.kube;

import dev.taskbridge.keptn.KeptnTaskDefinition;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * KeptnTaskDefinitions as an informer sees them, so that planning and Job building do not ask the
 * API server for every task. A miss is not an answer: callers then ask the API server (a definition
 * created a moment ago may not have reached the informer yet).
 */
@ApplicationScoped
public class DefinitionCache {
  private final Map<String, SharedIndexInformer<KeptnTaskDefinition>> informers =
      new ConcurrentHashMap<>();

  public void register(String namespace, SharedIndexInformer<KeptnTaskDefinition> informer) {
    informers.put(namespace, informer);
  }

  /** The cached definition, when an informer for its namespace ("*" for all) has it. */
  public Optional<KeptnTaskDefinition> find(String namespace, String name) {
    var informer = informers.getOrDefault(namespace, informers.get("*"));
    if (informer == null || !informer.hasSynced()) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        informer.getIndexer().getByKey(Cache.namespaceKeyFunc(namespace, name)));
  }
}
