package dev.taskbridge.keptn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.taskbridge.contract.CheckType;
import dev.taskbridge.plan.DesiredTask;
import dev.taskbridge.plan.FoundDefinition;
import dev.taskbridge.plan.Plan;
import dev.taskbridge.plan.Planner;
import dev.taskbridge.sandbox.KeptnCrds;
import dev.taskbridge.testing.Samples;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the bridge writes validates against Keptn's real v1 CRDs; what Keptn holds reads back. */
class KeptnSchemaTest {

  @Test
  void keptnTasksForAppAndWorkloadEventsValidate() {
    CrdSchema schema = CrdSchema.keptnTask();
    Planner planner = new Planner(Samples.config().tasks());
    for (var event :
        List.of(
            Samples.appEvent(CheckType.pre, List.of("a")),
            Samples.workloadEvent(CheckType.post, List.of("b", "c")))) {
      Plan plan = planner.plan(event, event.tasks(), Map.of());
      for (var planned : plan.tasks()) {
        KeptnTask task = DesiredTask.of(plan, planned, Instant.parse("2026-11-24T10:00:00Z"));
        assertThat(schema.violations(task)).as(task.getMetadata().getName()).isEmpty();
      }
    }
  }

  @Test
  void keptnTaskWithEveryStatusFieldValidates() {
    var event = Samples.workloadEvent(CheckType.pre, List.of("a"));
    Plan plan = new Planner(Samples.config().tasks()).plan(event, event.tasks(), Map.of());
    KeptnTask task = DesiredTask.of(plan, plan.tasks().get(0), Instant.now());
    KeptnTaskStatus s = new KeptnTaskStatus();
    s.jobName = task.getMetadata().getName();
    s.status = "Failed";
    s.reason = "BackoffLimitExceeded";
    s.message = "Job has reached the specified backoff limit";
    s.startTime = "2026-11-24T10:00:00.123Z";
    s.endTime = "2026-11-24T10:03:12Z";
    task.setStatus(s);
    assertThat(CrdSchema.keptnTask().violations(task)).isEmpty();
  }

  @Test
  void definitionsOfAllThreeRuntimesWithEveryFieldValidate() {
    CrdSchema schema = CrdSchema.keptnTaskDefinition();
    for (String runtime : List.of("container", "deno", "python")) {
      KeptnTaskDefinition d = definition(runtime);
      assertThat(schema.violations(d)).as(runtime).isEmpty();
    }
  }

  @Test
  void appContextValidates() {
    KeptnAppContext c = new KeptnAppContext();
    c.setMetadata(new ObjectMetaBuilder().withName("shop").withNamespace("team-a").build());
    c.setSpec(new KeptnAppContextSpec());
    c.getSpec().preDeploymentTasks = List.of("a");
    c.getSpec().postDeploymentTasks = List.of("b");
    c.getSpec().preDeploymentEvaluations = List.of("e");
    c.getSpec().postDeploymentEvaluations = List.of("f");
    c.getSpec().promotionTasks = List.of("p");
    c.getSpec().spanLinks = List.of("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    c.getSpec().metadata = Map.of("team", "shop");
    c.setStatus(new KeptnAppContextStatus());
    c.getStatus().status = "Succeeded";
    assertThat(CrdSchema.keptnAppContext().violations(c)).isEmpty();
  }

  /**
   * The generated CRDs (sandbox, tests, standalone installs) name the same group, kinds and scope
   * as Keptn's published ones, serve v1 with a status subresource, and declare every spec and
   * status field of Keptn's v1 schema that the bridge's model has (nothing it writes is pruned).
   */
  @Test
  void theGeneratedCrdsMatchKeptnsWhereTheBridgeWrites() throws Exception {
    var yaml = new ObjectMapper(new YAMLFactory());
    var json = new ObjectMapper();
    var generated = KeptnCrds.generate();
    assertThat(generated).hasSize(3);
    for (var crd : generated) {
      String plural = crd.getSpec().getNames().getPlural();
      var keptn =
          yaml.readTree(
              Files.readString(CrdSchema.KEPTN.resolve("lifecycle.keptn.sh_" + plural + ".yaml")));
      assertThat(crd.getSpec().getGroup()).isEqualTo(keptn.at("/spec/group").asText());
      assertThat(crd.getSpec().getNames().getKind())
          .isEqualTo(keptn.at("/spec/names/kind").asText());
      assertThat(crd.getSpec().getScope()).isEqualTo(keptn.at("/spec/scope").asText());
      var v1 = crd.getSpec().getVersions().get(0);
      assertThat(v1.getName()).isEqualTo("v1");
      assertThat(v1.getServed()).isTrue();
      assertThat(v1.getStorage()).isTrue();
      var ours = json.readTree(Serialization.asJson(v1.getSchema().getOpenAPIV3Schema()));
      JsonNode theirs = null;
      for (var v : keptn.at("/spec/versions")) {
        if (v.path("name").asText().equals("v1")) {
          theirs = v.at("/schema/openAPIV3Schema");
        }
      }
      assertThat(theirs).isNotNull();
      for (String part : List.of("spec", "status")) {
        var ourFields = ours.at("/properties/" + part + "/properties");
        var theirFields = theirs.at("/properties/" + part + "/properties");
        for (var it = ourFields.fieldNames(); it.hasNext(); ) {
          String f = it.next();
          assertThat(theirFields.has(f))
              .as("%s %s.%s is a field of Keptn's CRD", plural, part, f)
              .isTrue();
        }
      }
      assertThat(v1.getSubresources().getStatus()).as(plural + " status subresource").isNotNull();
    }
  }

  @Test
  void schemaCheckCatchesFieldsAServerWouldPrune() {
    KeptnTask task = new KeptnTask();
    task.setMetadata(new ObjectMetaBuilder().withName("x").build());
    task.setSpec(new KeptnTaskSpec());
    task.getSpec().taskDefinition = "d";
    task.getSpec().timeout = "five minutes";
    assertThat(CrdSchema.keptnTask().violations(task)).isNotEmpty();
    Map<String, Object> pruned =
        Map.of(
            "apiVersion",
            "lifecycle.keptn.sh/v1",
            "kind",
            "KeptnTask",
            "metadata",
            Map.of("name", "x"),
            "spec",
            Map.of("taskDefinition", "d"),
            "status",
            Map.of("status", "Failed", "attempts", 3));
    assertThat(CrdSchema.keptnTask().violations(pruned)).isNotEmpty();
  }

  @Test
  void readsWhatAKeptnInstallationHolds() {
    String yaml =
        """
        apiVersion: lifecycle.keptn.sh/v1
        kind: KeptnTaskDefinition
        metadata: {name: hello, namespace: keptn-system}
        spec:
          retries: 0
          timeout: 30s
          ttlSecondsAfterFinished: 60
          python:
            functionRef: {name: parent}
            parameters: {map: {user: me}}
            secureParameters: {secret: creds}
            cmdParameters: "-h"
          serviceAccount: {name: runner}
          automountServiceAccountToken: {type: false}
          imagePullSecrets: [{name: regcred}]
          someFutureField: {kept: ignored}
        status:
          function: {configMap: keptnfn-hello}
        """;
    KeptnTaskDefinition d = Serialization.unmarshal(yaml, KeptnTaskDefinition.class);
    assertThat(d.getSpec().python.functionRef.name).isEqualTo("parent");
    assertThat(d.getSpec().python.parameters.map).containsEntry("user", "me");
    assertThat(d.getSpec().automountServiceAccountToken.type).isFalse();
    assertThat(d.getSpec().imagePullSecrets)
        .extracting(LocalObjectReference::getName)
        .containsExactly("regcred");
    assertThat(d.getStatus().function.configMap).isEqualTo("keptnfn-hello");
    assertThat(new FoundDefinition("keptn-system", d).namespace()).isEqualTo("keptn-system");
  }

  static KeptnTaskDefinition definition(String runtime) {
    KeptnTaskDefinition d = new KeptnTaskDefinition();
    d.setMetadata(
        new ObjectMetaBuilder()
            .withName(runtime + "-def")
            .withNamespace("team-a")
            .withLabels(Map.of("team", "shop"))
            .withAnnotations(Map.of("sidecar.istio.io/inject", "false"))
            .build());
    KeptnTaskDefinitionSpec s = new KeptnTaskDefinitionSpec();
    s.retries = 2;
    s.timeout = "90s";
    s.ttlSecondsAfterFinished = 600;
    s.serviceAccount = new NameRef("task-runner");
    s.automountServiceAccountToken = new KeptnTaskDefinitionSpec.AutomountToken(false);
    s.imagePullSecrets = List.of(new LocalObjectReference("regcred"));
    switch (runtime) {
      case "container" ->
          s.container =
              new ContainerBuilder()
                  .withName("c")
                  .withImage("busybox:1.36")
                  .withCommand("sh", "-c", "echo hi")
                  .addNewEnv()
                  .withName("X")
                  .withValue("1")
                  .endEnv()
                  .addNewVolumeMount()
                  .withName("scratch")
                  .withMountPath("/scratch")
                  .endVolumeMount()
                  .withNewResources()
                  .addToLimits("memory", new Quantity("64Mi"))
                  .endResources()
                  .build();
      case "deno" -> {
        s.deno = new RuntimeSpec();
        s.deno.inline = new RuntimeSpec.Inline("console.log('hi')");
        s.deno.parameters = new ParameterMap(Map.of("a", "b"));
        s.deno.secureParameters = new SecureParameters("creds");
        s.deno.cmdParameters = "";
      }
      default -> {
        s.python = new RuntimeSpec();
        s.python.httpRef = new RuntimeSpec.HttpRef("https://example.com/check.py");
        s.python.configMapRef = new NameRef("code");
        s.python.functionRef = new NameRef("parent");
        s.python.cmdParameters = "-u";
      }
    }
    d.setSpec(s);
    d.setStatus(new KeptnTaskDefinitionStatus());
    d.getStatus().function = new KeptnTaskDefinitionStatus.Function();
    d.getStatus().function.configMap = "keptnfn-" + runtime;
    return d;
  }
}
