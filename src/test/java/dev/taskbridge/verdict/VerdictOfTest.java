package dev.taskbridge.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskbridge.config.OnTaskFailure;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskSpec;
import dev.taskbridge.keptn.KeptnTaskStatus;
import dev.taskbridge.keptn.Keys;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The verdict as a table: task states (and outputs) in, result out. */
class VerdictOfTest {

  static KeptnTask task(String name, String state, String output, int expected) {
    KeptnTask t = new KeptnTask();
    Map<String, String> a = new HashMap<>();
    a.put(Keys.TRIGGER_ID, "build-1");
    a.put(Keys.TRIGGER_SOURCE, "ci/jenkins");
    a.put(Keys.TRIGGER_TYPE, "dev.taskbridge.deployment.post");
    a.put(Keys.TRIGGER_TASKS, Integer.toString(expected));
    if (output != null) {
      a.put(Keys.OUTPUT, output);
    }
    t.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("team-a")
            .withLabels(Map.of(Keys.TRIGGER, "0123456789abcdef"))
            .withAnnotations(a)
            .withCreationTimestamp("2026-12-01T10:00:00Z")
            .build());
    t.setSpec(new KeptnTaskSpec());
    t.getSpec().taskDefinition = "def-" + name;
    t.getSpec().checkType = "post";
    t.setStatus(new KeptnTaskStatus());
    t.getStatus().status = state;
    t.getStatus().startTime = "2026-12-01T10:00:01Z";
    if ("Succeeded".equals(state) || "Failed".equals(state)) {
      t.getStatus().endTime = "2026-12-01T10:00:09Z";
      t.getStatus().reason = "Failed".equals(state) ? "BackoffLimitExceeded" : null;
    }
    return t;
  }

  @ParameterizedTest(name = "{0} + {1} (of {3}) -> {4} / on-task-failure={5}")
  @CsvSource({
    "Succeeded, Succeeded, , 2, pass, fail",
    "Succeeded, Progressing, , 2, pending, fail",
    "Succeeded, Pending, , 2, pending, fail",
    "Succeeded, , , 2, pending, fail", // the second task does not exist yet
    "Succeeded, Failed, , 2, fail, fail",
    "Succeeded, Failed, , 2, warning, warning",
    "Succeeded, Succeeded, '{\"result\":\"warning\"}', 2, warning, fail",
    "Failed, Succeeded, '{\"result\":\"warning\"}', 2, fail, fail",
    "Succeeded, Succeeded, 'not json', 2, pass, fail",
  })
  void theResultFollowsTheTasks(
      String first,
      String second,
      String secondOutput,
      int expected,
      String result,
      String onFail) {
    List<KeptnTask> tasks =
        second == null
            ? List.of(task("a", first, null, expected))
            : List.of(task("a", first, null, expected), task("b", second, secondOutput, expected));
    Verdict v = Verdict.of(tasks, OnTaskFailure.valueOf(onFail)).orElseThrow();
    assertThat(v.result()).isEqualTo(result);
    assertThat(v.pending()).isEqualTo(result.equals("pending"));
    assertThat(v.endTime()).isEqualTo(v.pending() ? null : "2026-12-01T10:00:09Z");
    assertThat(v.startTime()).isEqualTo("2026-12-01T10:00:01Z");
    assertThat(v.triggerId()).isEqualTo("0123456789abcdef");
    assertThat(v.id()).isEqualTo("build-1");
    assertThat(v.type()).isEqualTo("dev.taskbridge.deployment.post");
  }

  @org.junit.jupiter.api.Test
  void noTaskNoVerdict() {
    assertThat(Verdict.of(List.of(), OnTaskFailure.fail)).isEmpty();
  }
}
