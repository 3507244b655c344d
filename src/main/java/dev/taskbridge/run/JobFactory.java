package dev.taskbridge.run;

import dev.taskbridge.keptn.KeptnDefaults;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskDefinition;
import dev.taskbridge.keptn.KeptnTaskDefinitionSpec;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.keptn.TaskContext;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Job Keptn would run for a KeptnTask (see docs/jobs.md), with the bridge's deliberate
 * differences: deterministic name, configurable restart policy, inline code delivered in the task's
 * own namespace, and a restrictive security context where the definition sets none. Pure.
 */
public final class JobFactory {
  public static final String CONTAINER_NAME = "keptn-function-runner";
  public static final String FUNCTION_VOLUME = "function-mount";
  public static final int DEFAULT_TTL_SECONDS = 300;

  private final RunnerSettings settings;

  public JobFactory(RunnerSettings settings) {
    this.settings = settings;
  }

  public DesiredRun desired(
      KeptnTask task, KeptnTaskDefinition definition, KeptnTaskDefinition parent)
      throws DefinitionProblem {
    KeptnTaskDefinitionSpec def = definition.getSpec();
    Runtime runtime = Runtime.of(definition.getMetadata().getName(), def);
    String context =
        GoJson.write(task.getSpec().context == null ? new TaskContext() : task.getSpec().context);
    ConfigMap code = null;
    Container container;
    Volume volume = null;
    if (runtime == Runtime.container) {
      container = Containers.given(def.container, context);
      volume = Containers.emptyDirFor(container);
    } else {
      FunctionCall call = FunctionCall.resolve(task.getSpec(), definition, parent);
      String configMap = call.configMap();
      if (call.inlineCode() != null) {
        code = codeConfigMap(task, call.inlineCode());
        configMap = code.getMetadata().getName();
      }
      container = function(call, configMap, context);
      if (configMap != null) {
        volume =
            new VolumeBuilder()
                .withName(FUNCTION_VOLUME)
                .withNewConfigMap()
                .withName(configMap)
                .endConfigMap()
                .build();
      }
    }
    if (container.getSecurityContext() == null) {
      container.setSecurityContext(Containers.restricted());
    }
    return new DesiredRun(job(task, definition, container, volume), code);
  }

  Job job(KeptnTask task, KeptnTaskDefinition definition, Container container, Volume volume) {
    KeptnTaskDefinitionSpec def = definition.getSpec();
    String name = task.getMetadata().getName();
    Map<String, String> labels = new LinkedHashMap<>(nonNull(definition.getMetadata().getLabels()));
    labels.putAll(nonNull(task.getMetadata().getLabels()));
    labels.put(Keys.TASK, name);
    Map<String, String> podAnnotations =
        new LinkedHashMap<>(nonNull(definition.getMetadata().getAnnotations()));
    Map<String, String> annotations = new LinkedHashMap<>(podAnnotations);
    annotations.putAll(keptnAnnotations(task));
    annotations.put(Keys.TASK_DEFINITION, definition.getMetadata().getName());
    PodSpec pod =
        new PodSpecBuilder()
            .withRestartPolicy(settings.restartPolicy().name())
            .withServiceAccountName(def.serviceAccount == null ? null : def.serviceAccount.name)
            .withAutomountServiceAccountToken(
                def.automountServiceAccountToken == null
                    ? null
                    : def.automountServiceAccountToken.type)
            .withImagePullSecrets(def.imagePullSecrets)
            .withContainers(container)
            .withVolumes(volume == null ? List.of() : List.of(volume))
            .build();
    return new JobBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(task.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(ownerOf(task))
                .withFinalizers(Keys.JOB_FINALIZER)
                .build())
        .withNewSpec()
        .withBackoffLimit(KeptnDefaults.retries(task.getSpec().retries))
        .withActiveDeadlineSeconds(timeoutSeconds(task))
        .withTtlSecondsAfterFinished(
            def.ttlSecondsAfterFinished == null ? DEFAULT_TTL_SECONDS : def.ttlSecondsAfterFinished)
        .withNewTemplate()
        .withMetadata(
            new ObjectMetaBuilder().withLabels(labels).withAnnotations(podAnnotations).build())
        .withSpec(pod)
        .endTemplate()
        .endSpec()
        .build();
  }

  static long timeoutSeconds(KeptnTask task) {
    return KeptnDefaults.timeout(task.getSpec().timeout).getSeconds();
  }

  /**
   * Keptn's annotations: workload tasks name the workload and its version, app tasks the app
   * version.
   */
  static Map<String, String> keptnAnnotations(KeptnTask task) {
    TaskContext c = task.getSpec().context == null ? new TaskContext() : task.getSpec().context;
    Map<String, String> a = new LinkedHashMap<>();
    a.put(Keys.KEPTN_APP, c.appName);
    if (c.workloadName != null && !c.workloadName.isEmpty()) {
      a.put(Keys.KEPTN_WORKLOAD, c.workloadName);
      a.put(Keys.KEPTN_VERSION, c.workloadVersion);
    } else {
      a.put(Keys.KEPTN_VERSION, c.appVersion);
    }
    a.put(Keys.KEPTN_TASK_NAME, task.getMetadata().getName());
    return a;
  }

  public static OwnerReference ownerOf(KeptnTask task) {
    return new OwnerReferenceBuilder()
        .withApiVersion(KeptnTask.API_VERSION)
        .withKind("KeptnTask")
        .withName(task.getMetadata().getName())
        .withUid(task.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  Container function(FunctionCall call, String configMap, String context) {
    List<EnvVar> env = new ArrayList<>();
    if (!call.parameters().isEmpty()) {
      env.add(new EnvVar("DATA", GoJson.write(call.parameters()), null));
    }
    env.add(new EnvVar("KEPTN_CONTEXT", context, null));
    env.add(new EnvVar("CMD_ARGS", call.cmdParameters(), null));
    if (call.secret() != null) {
      env.add(
          new EnvVarBuilder()
              .withName("SECURE_DATA")
              .withNewValueFrom()
              .withNewSecretKeyRef()
              .withName(call.secret())
              .withKey("SECURE_DATA")
              .endSecretKeyRef()
              .endValueFrom()
              .build());
    }
    String script = configMap != null ? call.runtime().scriptPath() : call.url();
    env.add(new EnvVar("SCRIPT", script, null));
    ContainerBuilder b =
        new ContainerBuilder()
            .withName(CONTAINER_NAME)
            .withImage(
                call.runtime() == Runtime.deno ? settings.denoImage() : settings.pythonImage())
            .withImagePullPolicy("IfNotPresent")
            .withEnv(env);
    if (configMap != null) {
      b.addNewVolumeMount()
          .withName(FUNCTION_VOLUME)
          .withMountPath(call.runtime().scriptPath())
          .withSubPath("code")
          .withReadOnly(true)
          .endVolumeMount();
    }
    return b.build();
  }

  /**
   * Inline code travels in a ConfigMap named like the task, in the task's namespace, owned by the
   * task.
   */
  static ConfigMap codeConfigMap(KeptnTask task, String code) {
    ObjectMeta meta =
        new ObjectMetaBuilder()
            .withName(task.getMetadata().getName())
            .withNamespace(task.getMetadata().getNamespace())
            .withLabels(
                Map.of(Keys.MANAGED_BY, Keys.PRODUCT, Keys.TASK, task.getMetadata().getName()))
            .withOwnerReferences(ownerOf(task))
            .build();
    return new ConfigMapBuilder().withMetadata(meta).withData(Map.of("code", code)).build();
  }

  private static Map<String, String> nonNull(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }
}
