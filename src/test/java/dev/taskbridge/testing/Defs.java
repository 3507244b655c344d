package dev.taskbridge.testing;

import dev.taskbridge.keptn.KeptnAppContext;
import dev.taskbridge.keptn.KeptnAppContextSpec;
import dev.taskbridge.keptn.KeptnTaskDefinition;
import dev.taskbridge.keptn.KeptnTaskDefinitionSpec;
import dev.taskbridge.keptn.RuntimeSpec;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;

/** KeptnTaskDefinitions for tests, created in the test API server. */
public final class Defs {
  private Defs() {}

  public static KeptnTaskDefinition container(String namespace, String name) {
    KeptnTaskDefinition d = new KeptnTaskDefinition();
    d.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    KeptnTaskDefinitionSpec spec = new KeptnTaskDefinitionSpec();
    spec.container =
        new ContainerBuilder()
            .withName("check")
            .withImage("busybox:1.36")
            .withCommand("sh", "-c", "echo ok")
            .build();
    d.setSpec(spec);
    return d;
  }

  public static KeptnTaskDefinition deno(String namespace, String name, String code) {
    KeptnTaskDefinition d = new KeptnTaskDefinition();
    d.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    KeptnTaskDefinitionSpec spec = new KeptnTaskDefinitionSpec();
    spec.deno = new RuntimeSpec();
    spec.deno.inline = new RuntimeSpec.Inline(code);
    d.setSpec(spec);
    return d;
  }

  /**
   * Creates (or updates) the KeptnAppContext {@code app} in {@code namespace} whose post-deployment
   * tasks are {@code postTasks}.
   */
  public static KeptnAppContext appContext(String namespace, String app, String... postTasks) {
    KeptnAppContext ctx = new KeptnAppContext();
    ctx.setMetadata(new ObjectMetaBuilder().withName(app).withNamespace(namespace).build());
    ctx.setSpec(new KeptnAppContextSpec());
    ctx.getSpec().postDeploymentTasks = List.of(postTasks);
    return TestInfra.client()
        .resources(KeptnAppContext.class)
        .resource(ctx)
        .createOr(r -> r.update());
  }

  /** Creates (or replaces) the definition in the test API server. */
  public static KeptnTaskDefinition apply(KeptnTaskDefinition d) {
    var op =
        TestInfra.client()
            .resources(KeptnTaskDefinition.class)
            .inNamespace(d.getMetadata().getNamespace())
            .withName(d.getMetadata().getName());
    if (op.get() != null) {
      op.delete();
    }
    return TestInfra.client().resources(KeptnTaskDefinition.class).resource(d).create();
  }
}
