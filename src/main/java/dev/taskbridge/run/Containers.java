package dev.taskbridge.run;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.ArrayList;
import java.util.List;

/** A container runtime's pieces of the Job, as Keptn makes them, and the bridge's safe default. */
final class Containers {
  private Containers() {}

  /** The user's container as given, with {@code KEPTN_CONTEXT} replaced or appended. */
  static Container given(Container given, String context) {
    Container c = new ContainerBuilder(given).build();
    List<EnvVar> env = new ArrayList<>();
    for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
      if (!"KEPTN_CONTEXT".equals(e.getName())) {
        env.add(e);
      }
    }
    env.add(new EnvVar("KEPTN_CONTEXT", context, null));
    c.setEnv(env);
    return c;
  }

  /**
   * Keptn adds one in-memory emptyDir for the first volume mount; sized by the memory limit, else
   * 1Gi.
   */
  static Volume emptyDirFor(Container c) {
    if (c.getVolumeMounts() == null || c.getVolumeMounts().isEmpty()) {
      return null;
    }
    Quantity size =
        c.getResources() != null
                && c.getResources().getLimits() != null
                && c.getResources().getLimits().get("memory") != null
            ? c.getResources().getLimits().get("memory")
            : new Quantity("1Gi");
    return new VolumeBuilder()
        .withName(c.getVolumeMounts().get(0).getName())
        .withNewEmptyDir()
        .withMedium("Memory")
        .withSizeLimit(size)
        .endEmptyDir()
        .build();
  }

  /** The security context of a container whose definition sets none. */
  static SecurityContext restricted() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }
}
