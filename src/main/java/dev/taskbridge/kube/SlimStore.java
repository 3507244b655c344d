package dev.taskbridge.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * An informer store that keeps only what the bridge reads. Every cached object drops its {@code
 * managedFields} (on a real API server often the largest part of the metadata); Jobs drop their pod
 * template and pods their spec, which the bridge never reads from the cache (it reads Jobs' and
 * pods' metadata and status). With 10,000 tasks in flight a KeptnTask, a Job and a pod each are
 * cached per task: this is what keeps that within the heap docker/Dockerfile.jvm gives.
 */
public final class SlimStore<T extends HasMetadata> extends BasicItemStore<T> {
  public SlimStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public T put(String key, T obj) {
    return super.put(key, slim(obj));
  }

  static <T extends HasMetadata> T slim(T obj) {
    if (obj.getMetadata() != null) {
      obj.getMetadata().setManagedFields(null);
    }
    if (obj instanceof Job job && job.getSpec() != null) {
      job.getSpec().setTemplate(null);
    } else if (obj instanceof Pod pod) {
      pod.setSpec(null);
    }
    return obj;
  }
}
