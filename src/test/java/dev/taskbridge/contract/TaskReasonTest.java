package dev.taskbridge.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TaskReasonTest {

  @Test
  void aReasonTheBridgeDoesNotNameIsTaggedOtherSoTheMetricStaysBounded() {
    assertThat(TaskReason.tag("BackoffLimitExceeded")).isEqualTo("BackoffLimitExceeded");
    assertThat(TaskReason.tag("PodFailurePolicy")).isEqualTo("PodFailurePolicy");
    assertThat(TaskReason.tag("SomeReasonKubernetes1.40Adds")).isEqualTo("Other");
    assertThat(TaskReason.tag("backofflimitexceeded")).as("exact text only").isEqualTo("Other");
    assertThat(TaskReason.tag(null)).isEqualTo("none");
    assertThat(TaskReason.tag("")).isEqualTo("none");
  }

  @Test
  void everyTagValueIsOneOfAClosedSet() {
    Set<String> allowed =
        Arrays.stream(TaskReason.values()).map(TaskReason::text).collect(Collectors.toSet());
    for (String any : new String[] {"x", "Other", "Failed", "DeadlineExceeded", "a\nb"}) {
      assertThat(allowed).contains(TaskReason.tag(any));
    }
    assertThat(TaskReason.named("Other")).as("Other is never a status reason").isEmpty();
  }

  @Test
  void rejectionCodesAndResultTypesReadAsTheContractWritesThem() {
    assertThat(RejectionCode.TOO_LARGE).hasToString("TooLarge");
    assertThat(RejectionCode.values()).hasSize(26);
    assertThat(ResultType.TASK_RETRYING.tag()).isEqualTo("task.retrying");
    assertThat(ResultType.CDEVENTS_TASKRUN_STARTED.tag())
        .isEqualTo("cdevents.taskrun.started.0.3.0");
    assertThat(ResultType.of("dev.taskbridge.phase.finished")).contains(ResultType.PHASE_FINISHED);
    assertThat(ResultType.of("dev.taskbridge.task.unknown")).isEmpty();
  }
}
