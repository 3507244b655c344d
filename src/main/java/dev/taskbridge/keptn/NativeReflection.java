package dev.taskbridge.keptn;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The Keptn model is (de)serialised by Jackson through reflection; in a native image every class of
 * it, nested ones included, must be registered (the Kubernetes client extension registers only the
 * custom resources and their spec and status roots).
 */
@RegisterForReflection(
    targets = {
      KeptnTask.class,
      KeptnTaskSpec.class,
      KeptnTaskStatus.class,
      TaskContext.class,
      ParameterMap.class,
      SecureParameters.class,
      KeptnTaskDefinition.class,
      KeptnTaskDefinitionSpec.class,
      KeptnTaskDefinitionSpec.AutomountToken.class,
      KeptnTaskDefinitionStatus.class,
      KeptnTaskDefinitionStatus.Function.class,
      RuntimeSpec.class,
      RuntimeSpec.Inline.class,
      RuntimeSpec.HttpRef.class,
      NameRef.class,
      KeptnAppContext.class,
      KeptnAppContextSpec.class,
      KeptnAppContextStatus.class
    })
final class NativeReflection {
  private NativeReflection() {}
}
