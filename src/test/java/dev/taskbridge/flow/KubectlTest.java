package dev.taskbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskbridge.sandbox.Script;
import dev.taskbridge.testing.ApiServerResource;
import dev.taskbridge.testing.Bus;
import dev.taskbridge.testing.Defs;
import dev.taskbridge.testing.Events;
import dev.taskbridge.testing.InCluster;
import dev.taskbridge.testing.KafkaResource;
import dev.taskbridge.testing.TestInfra;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real {@code kubectl} against the same API server the sandbox runs (discovery documents,
 * Keptn's CRDs): what the README and docs/operations.md tell users to type works. kubectl comes
 * with Debian's {@code kubernetes-client}; .ci/run installs it when missing.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(ApiServerResource.class)
class KubectlTest {
  static final String NS = "team-a";

  record Run(int exit, String output) {}

  static Run kubectl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--server=" + TestInfra.api().url()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
    return new Run(p.exitValue(), out);
  }

  static Run ok(String... args) throws Exception {
    Run r = kubectl(args);
    assertThat(r.exit()).as("kubectl %s: %s", String.join(" ", args), r.output()).isZero();
    return r;
  }

  @Test
  void kubectlFindsTheTasksJobsAndPodsOfAnEvent() throws Exception {
    // a task that keeps running, so that its Job and pod are there to be seen
    Defs.apply(Defs.container(NS, "kubectl-check"));
    TestInfra.simulator().script("kubectl-check", Script.hang());
    Events e = Events.pre(NS, "shop", "1").tasks("kubectl-check");
    Bus.send(e.binary(Bus.EVENTS));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                !InCluster.tasksOf(NS, e.trigger()).isEmpty()
                    && "Progressing"
                        .equals(
                            String.valueOf(
                                InCluster.tasksOf(NS, e.trigger()).get(0).getStatus() == null
                                    ? null
                                    : InCluster.tasksOf(NS, e.trigger()).get(0).getStatus().status))
                    && !TestInfra.client().pods().inNamespace(NS).list().getItems().isEmpty());
    String task = InCluster.tasksOf(NS, e.trigger()).get(0).getMetadata().getName();

    assertThat(ok("get", "keptntasks", "-n", NS).output()).contains("NAME").contains(task);
    assertThat(
            ok("get", "keptntasks", "-n", NS, "-l", "taskbridge.dev/trigger=" + e.trigger())
                .output())
        .contains(task);
    assertThat(
            ok("get", "keptntasks", "-n", NS, "-l", "taskbridge.dev/trigger=0000000000000000")
                .output())
        .contains("No resources found")
        .doesNotContain(task);
    assertThat(ok("get", "jobs", "-n", NS).output()).contains(task);
    assertThat(ok("get", "pods", "-n", NS).output()).contains(task);
    assertThat(ok("get", "keptntask", task, "-n", NS, "-o", "yaml").output())
        .contains("kind: KeptnTask")
        .contains("status: Progressing")
        .contains("taskbridge.dev/trigger: " + e.trigger());
    assertThat(ok("describe", "keptntask", task, "-n", NS).output())
        .containsPattern("Name:\\s+" + task)
        .containsPattern("Task Definition:\\s+kubectl-check")
        .containsPattern("Status:\\s+Progressing")
        .as("the bridge's Kubernetes Events of this task, and no other task's")
        .containsPattern("Events:[\\s\\S]*Normal\\s+Started")
        .doesNotContainPattern("created Job (?!" + task + ")");
    assertThat(ok("get", "keptntaskdefinitions", "-n", NS).output()).contains("kubectl-check");
    ok("get", "leases", "-n", "default");
    assertThat(ok("api-resources", "--api-group=lifecycle.keptn.sh").output())
        .contains("keptntasks")
        .contains("keptnappcontexts");
  }
}
