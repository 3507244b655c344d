package dev.taskbridge.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskbridge.config.RestartPolicy;
import dev.taskbridge.contract.CheckType;
import dev.taskbridge.contract.TaskReason;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskDefinition;
import dev.taskbridge.keptn.KeptnTaskDefinitionSpec;
import dev.taskbridge.keptn.Keys;
import dev.taskbridge.keptn.NameRef;
import dev.taskbridge.keptn.ParameterMap;
import dev.taskbridge.keptn.RuntimeSpec;
import dev.taskbridge.plan.DesiredTask;
import dev.taskbridge.plan.Plan;
import dev.taskbridge.plan.Planner;
import dev.taskbridge.testing.Samples;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What every task's Job carries whatever its runtime (name, owner, labels, limits, security,
 * restart policy) and the definitions that cannot run. The runtimes: {@link ContainerJobTest},
 * {@link FunctionJobTest}; the fixtures below are theirs too.
 */
class JobFactoryTest {
  static final String CONTEXT =
      "{\"workloadName\":\"cart\",\"appName\":\"shop\",\"appVersion\":\"1.2.3\","
          + "\"workloadVersion\":\"0.9.1\",\"taskType\":\"pre\",\"objectType\":\"Workload\",\"metadata\":{\"commit\":"
          + "\"abc123\",\"traceparent\":\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\"}}";

  final JobFactory factory =
      new JobFactory(new RunnerSettings(RestartPolicy.Never, "deno:1", "python:1"));

  static KeptnTask task() {
    var e = Samples.workloadEvent(CheckType.pre, List.of("check"));
    Plan plan = new Planner(Samples.config().tasks()).plan(e, e.tasks(), Map.of());
    KeptnTask t = DesiredTask.of(plan, plan.tasks().get(0), Instant.parse("2026-11-24T10:00:00Z"));
    t.getMetadata().setUid("uid-1");
    return t;
  }

  static KeptnTaskDefinition def(String name, Consumer<KeptnTaskDefinitionSpec> spec) {
    KeptnTaskDefinition d = new KeptnTaskDefinition();
    d.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("team-a")
            .withLabels(Map.of("team", "shop"))
            .withAnnotations(Map.of("sidecar.istio.io/inject", "false"))
            .build());
    d.setSpec(new KeptnTaskDefinitionSpec());
    spec.accept(d.getSpec());
    return d;
  }

  static Map<String, EnvVar> env(Job job) {
    Map<String, EnvVar> m = new LinkedHashMap<>();
    container(job).getEnv().forEach(e -> m.put(e.getName(), e));
    return m;
  }

  static Container container(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  /** The built Job is a valid Fabric8 model: it survives the Kubernetes JSON form unchanged. */
  static Job roundTrip(Job job) {
    String json = Serialization.asJson(job);
    Job back = Serialization.unmarshal(json, Job.class);
    assertThat(Serialization.asJson(back)).isEqualTo(json);
    assertThat(job.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
    assertThat(container(job).getName()).isNotBlank();
    assertThat(container(job).getImage()).isNotBlank();
    assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isIn("Never", "OnFailure");
    return job;
  }

  @Test
  void jobCarriesNameOwnerLimitsAnnotationsLabelsAndPodSettingsOfTheDefinition() throws Exception {
    KeptnTask t = task();
    Job job =
        roundTrip(
            factory
                .desired(
                    t,
                    def(
                        "check",
                        s -> {
                          s.container =
                              new ContainerBuilder().withName("c").withImage("busybox").build();
                          s.ttlSecondsAfterFinished = 60;
                          s.serviceAccount = new NameRef("runner");
                          s.automountServiceAccountToken =
                              new KeptnTaskDefinitionSpec.AutomountToken(false);
                          s.imagePullSecrets = List.of(new LocalObjectReference("regcred"));
                        }),
                    null)
                .job());
    assertThat(job.getMetadata().getName()).isEqualTo(t.getMetadata().getName());
    assertThat(job.getMetadata().getNamespace()).isEqualTo("team-a");
    var owner = job.getMetadata().getOwnerReferences().get(0);
    assertThat(owner.getKind()).isEqualTo("KeptnTask");
    assertThat(owner.getApiVersion()).isEqualTo("lifecycle.keptn.sh/v1");
    assertThat(owner.getController()).isTrue();
    assertThat(owner.getBlockOwnerDeletion()).isTrue();
    assertThat(job.getMetadata().getFinalizers())
        .as("held until its outcome is recorded")
        .containsExactly("taskbridge.dev/outcome");
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(3);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(90L);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(60);
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry(Keys.KEPTN_APP, "shop")
        .containsEntry(Keys.KEPTN_WORKLOAD, "cart")
        .containsEntry(Keys.KEPTN_VERSION, "0.9.1")
        .containsEntry(Keys.KEPTN_TASK_NAME, t.getMetadata().getName())
        .containsEntry("sidecar.istio.io/inject", "false");
    assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("sidecar.istio.io/inject", "false")
        .doesNotContainKey(Keys.KEPTN_APP);
    assertThat(job.getMetadata().getLabels())
        .containsEntry("team", "shop")
        .containsEntry(Keys.MANAGED_BY, "keptn-task-bridge")
        .containsEntry(Keys.TASK, t.getMetadata().getName());
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("team", "shop")
        .containsEntry(Keys.TRIGGER, t.getMetadata().getLabels().get(Keys.TRIGGER));
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getServiceAccountName()).isEqualTo("runner");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getImagePullSecrets())
        .extracting(LocalObjectReference::getName)
        .containsExactly("regcred");
  }

  @Test
  void appLevelTaskAnnotatesTheAppVersionAndDefaultsTtlToThreeHundred() throws Exception {
    var e = Samples.appEvent(CheckType.post, List.of("d"));
    Plan plan = new Planner(Samples.config().tasks()).plan(e, e.tasks(), Map.of());
    KeptnTask t = DesiredTask.of(plan, plan.tasks().get(0), Instant.now());
    Job job =
        factory
            .desired(
                t,
                def(
                    "d",
                    s -> s.container = new ContainerBuilder().withName("c").withImage("i").build()),
                null)
            .job();
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry(Keys.KEPTN_VERSION, "1.2.3")
        .doesNotContainKey(Keys.KEPTN_WORKLOAD);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(300);
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(10);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(300L);
  }

  @Test
  void restrictiveSecurityContextUnlessTheDefinitionSetsOne() throws Exception {
    Job plain =
        factory
            .desired(
                task(),
                def(
                    "c",
                    s -> s.container = new ContainerBuilder().withName("c").withImage("i").build()),
                null)
            .job();
    var sc = container(plain).getSecurityContext();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    Job own =
        factory
            .desired(
                task(),
                def(
                    "c",
                    s ->
                        s.container =
                            new ContainerBuilder()
                                .withName("c")
                                .withImage("i")
                                .withSecurityContext(
                                    new SecurityContextBuilder().withPrivileged(true).build())
                                .build()),
                null)
            .job();
    assertThat(container(own).getSecurityContext().getPrivileged()).isTrue();
    assertThat(container(own).getSecurityContext().getCapabilities()).isNull();
  }

  @Test
  void onFailureRestartPolicyIsKeptnsWhenConfigured() throws Exception {
    JobFactory keptnLike = new JobFactory(new RunnerSettings(RestartPolicy.OnFailure, "d", "p"));
    Job job =
        keptnLike
            .desired(
                task(),
                def(
                    "c",
                    s -> s.container = new ContainerBuilder().withName("c").withImage("i").build()),
                null)
            .job();
    assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("OnFailure");
  }

  @Test
  void definitionsThatCannotRunFailWithAClearReason() {
    assertThatThrownBy(() -> factory.desired(task(), def("none", s -> {}), null))
        .isInstanceOf(DefinitionProblem.class)
        .hasMessageContaining("none of container, deno, python")
        .extracting(e -> ((DefinitionProblem) e).reason())
        .isEqualTo(TaskReason.INVALID_DEFINITION);
    assertThatThrownBy(
            () ->
                factory.desired(
                    task(),
                    def(
                        "both",
                        s -> {
                          s.container = new ContainerBuilder().withName("c").withImage("i").build();
                          s.deno = new RuntimeSpec();
                          s.deno.inline = new RuntimeSpec.Inline("x");
                        }),
                    null))
        .hasMessageContaining("more than one");
    assertThatThrownBy(
            () ->
                factory.desired(
                    task(),
                    def(
                        "nocode",
                        s -> {
                          s.deno = new RuntimeSpec();
                          s.deno.parameters = new ParameterMap(Map.of("a", "b"));
                        }),
                    null))
        .hasMessageContaining("has no code");
    assertThatThrownBy(
            () ->
                factory.desired(
                    task(),
                    def(
                        "orphan",
                        s -> {
                          s.deno = new RuntimeSpec();
                          s.deno.functionRef = new NameRef("gone");
                        }),
                    null))
        .extracting(e -> ((DefinitionProblem) e).reason())
        .isEqualTo(TaskReason.DEFINITION_NOT_FOUND);
  }
}
