package dev.taskbridge.sandbox;

import dev.taskbridge.keptn.KeptnTask;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Kubernetes' garbage collector the bridge relies on: once a KeptnTask is deleted, a
 * ConfigMap whose owners are all KeptnTasks that no longer exist (by name and uid) is deleted, as
 * kube-controller-manager's collector deletes dependents whose owners are all gone (background
 * propagation). ConfigMaps only: Jobs are left to the bridge, which deletes a cancelled task's run
 * itself. It runs after the deleting request was answered, on its own thread, never on the server's
 * event loop.
 */
final class OwnerCollector implements AutoCloseable {
  private static final Pattern TASKS =
      Pattern.compile(
          "/apis/lifecycle\\.keptn\\.sh/v1/namespaces/([^/]+)/keptntasks(/[^/?]+)?(\\?.*)?");

  private final Supplier<KubernetesClient> clients;
  private KubernetesClient client;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "api-server-gc");
            t.setDaemon(true);
            return t;
          });

  OwnerCollector(Supplier<KubernetesClient> clients) {
    this.clients = clients;
  }

  /** Called with every answered request. */
  void answered(String method, String path, int code) {
    if (!"DELETE".equals(method) || code >= 300) {
      return;
    }
    Matcher m = TASKS.matcher(path);
    if (m.matches()) {
      String namespace = m.group(1);
      worker.execute(() -> collect(namespace));
    }
  }

  private void collect(String namespace) {
    try {
      if (client == null) {
        client = clients.get();
      }
      for (ConfigMap cm : client.configMaps().inNamespace(namespace).list().getItems()) {
        List<OwnerReference> owners = cm.getMetadata().getOwnerReferences();
        if (owners == null
            || owners.isEmpty()
            || !owners.stream().allMatch(o -> "KeptnTask".equals(o.getKind()))) {
          continue;
        }
        if (owners.stream().noneMatch(o -> exists(namespace, o))) {
          client.configMaps().inNamespace(namespace).resource(cm).delete();
        }
      }
    } catch (RuntimeException e) {
      // the next deletion collects again; a sandbox must not die of its collector
    }
  }

  private boolean exists(String namespace, OwnerReference owner) {
    KeptnTask t =
        client.resources(KeptnTask.class).inNamespace(namespace).withName(owner.getName()).get();
    return t != null && owner.getUid() != null && owner.getUid().equals(t.getMetadata().getUid());
  }

  @Override
  public void close() {
    worker.shutdownNow();
    if (client != null) {
      client.close();
    }
  }
}
