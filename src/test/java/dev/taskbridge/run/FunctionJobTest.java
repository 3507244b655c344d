package dev.taskbridge.run;

import static dev.taskbridge.run.JobFactoryTest.CONTEXT;
import static dev.taskbridge.run.JobFactoryTest.container;
import static dev.taskbridge.run.JobFactoryTest.def;
import static dev.taskbridge.run.JobFactoryTest.env;
import static dev.taskbridge.run.JobFactoryTest.roundTrip;
import static dev.taskbridge.run.JobFactoryTest.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskbridge.config.RestartPolicy;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskDefinition;
import dev.taskbridge.keptn.NameRef;
import dev.taskbridge.keptn.ParameterMap;
import dev.taskbridge.keptn.RuntimeSpec;
import dev.taskbridge.keptn.SecureParameters;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Job of a deno or python definition: Keptn's function-runtime contract (code, data, context).
 */
class FunctionJobTest {
  final JobFactory factory =
      new JobFactory(new RunnerSettings(RestartPolicy.Never, "deno:1", "python:1"));

  @Test
  void denoInlineTaskGetsKeptnsEnvContractAndItsCodeThroughTheTasksOwnConfigMap() throws Exception {
    KeptnTask t = task();
    DesiredRun run =
        factory.desired(
            t,
            def(
                "check",
                s -> {
                  s.deno = new RuntimeSpec();
                  s.deno.inline = new RuntimeSpec.Inline("console.log(1)");
                  s.deno.parameters = new ParameterMap(Map.of("mode", "definition", "extra", "x"));
                  s.deno.cmdParameters = "--quiet";
                }),
            null);
    Job job = roundTrip(run.job());
    assertThat(env(job).keySet())
        .containsExactly("DATA", "KEPTN_CONTEXT", "CMD_ARGS", "SECURE_DATA", "SCRIPT");
    // task (event) parameters win over the definition's; keys sorted; < > & escaped as Go does
    assertThat(env(job).get("DATA").getValue())
        .isEqualTo(
            "{\"extra\":\"x\",\"mode\":\"smoke\",\"url\":\"http://cart\\u003c\\u0026\\u003e\"}");
    assertThat(env(job).get("KEPTN_CONTEXT").getValue()).isEqualTo(CONTEXT);
    assertThat(env(job).get("CMD_ARGS").getValue()).isEqualTo("--quiet");
    assertThat(env(job).get("SECURE_DATA").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("cart-secrets");
    assertThat(env(job).get("SECURE_DATA").getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("SECURE_DATA");
    assertThat(env(job).get("SCRIPT").getValue()).isEqualTo("/var/data/function.ts");
    assertThat(container(job).getImage()).isEqualTo("deno:1");
    assertThat(container(job).getName()).isEqualTo("keptn-function-runner");
    assertThat(container(job).getVolumeMounts().get(0).getMountPath())
        .isEqualTo("/var/data/function.ts");
    assertThat(container(job).getVolumeMounts().get(0).getSubPath()).isEqualTo("code");
    String cm = job.getSpec().getTemplate().getSpec().getVolumes().get(0).getConfigMap().getName();
    assertThat(cm).isEqualTo(t.getMetadata().getName());
    assertThat(run.codeConfigMap().getData()).containsEntry("code", "console.log(1)");
    assertThat(run.codeConfigMap().getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(run.codeConfigMap().getMetadata().getOwnerReferences().get(0).getUid())
        .isEqualTo("uid-1");
  }

  @Test
  void pythonHttpRefRunsTheUrlWithoutAVolume() throws Exception {
    KeptnTask t = task();
    t.getSpec().parameters = null;
    t.getSpec().secureParameters = null;
    Job job =
        factory
            .desired(
                t,
                def(
                    "p",
                    s -> {
                      s.python = new RuntimeSpec();
                      s.python.httpRef = new RuntimeSpec.HttpRef("https://example.com/check.py");
                    }),
                null)
            .job();
    assertThat(env(job).keySet()).containsExactly("KEPTN_CONTEXT", "CMD_ARGS", "SCRIPT");
    assertThat(env(job).get("SCRIPT").getValue()).isEqualTo("https://example.com/check.py");
    assertThat(env(job).get("CMD_ARGS").getValue()).isEmpty();
    assertThat(container(job).getImage()).isEqualTo("python:1");
    assertThat(job.getSpec().getTemplate().getSpec().getVolumes()).isEmpty();
  }

  @Test
  void configMapRefMountsThatConfigMapAtThePythonPath() throws Exception {
    DesiredRun run =
        factory.desired(
            task(),
            def(
                "p",
                s -> {
                  s.python = new RuntimeSpec();
                  s.python.configMapRef = new NameRef("my-code");
                }),
            null);
    assertThat(run.codeConfigMap()).isNull();
    assertThat(env(run.job()).get("SCRIPT").getValue()).isEqualTo("/var/data/function.py");
    assertThat(
            run.job()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getVolumes()
                .get(0)
                .getConfigMap()
                .getName())
        .isEqualTo("my-code");
  }

  @Test
  void functionRefTakesCodeAndRuntimeFromTheParentAndValuesFromParentThenChildThenTask()
      throws Exception {
    KeptnTask t = task();
    t.getSpec().parameters = new ParameterMap(Map.of("user", "from-task"));
    t.getSpec().secureParameters = null;
    KeptnTaskDefinition parent =
        def(
            "parent",
            s -> {
              s.deno = new RuntimeSpec();
              s.deno.httpRef = new RuntimeSpec.HttpRef("https://example.com/parent.ts");
              s.deno.parameters =
                  new ParameterMap(Map.of("user", "parent", "other", "parent", "keep", "parent"));
              s.deno.secureParameters = new SecureParameters("parent-secret");
              s.deno.cmdParameters = "parent-args";
            });
    KeptnTaskDefinition child =
        def(
            "child",
            s -> {
              s.python = new RuntimeSpec();
              s.python.functionRef = new NameRef("parent");
              s.python.parameters = new ParameterMap(Map.of("user", "child", "other", "child"));
            });
    Job job = factory.desired(t, child, parent).job();
    assertThat(container(job).getImage()).isEqualTo("deno:1");
    assertThat(env(job).get("SCRIPT").getValue()).isEqualTo("https://example.com/parent.ts");
    assertThat(env(job).get("DATA").getValue())
        .isEqualTo("{\"keep\":\"parent\",\"other\":\"child\",\"user\":\"from-task\"}");
    assertThat(env(job).get("SECURE_DATA").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("parent-secret");
    assertThat(env(job).get("CMD_ARGS").getValue()).isEqualTo("parent-args");
  }
}
