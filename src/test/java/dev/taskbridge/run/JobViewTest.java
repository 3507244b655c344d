package dev.taskbridge.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskbridge.keptn.KeptnState;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Job status to task state, as a table. */
class JobViewTest {

  static Job job(String conditions, int failed, int succeeded, int active) {
    var status =
        new JobBuilder()
            .withNewStatus()
            .withFailed(failed)
            .withSucceeded(succeeded)
            .withActive(active);
    if (!conditions.isEmpty()) {
      for (String c : conditions.split(" ")) {
        String[] p = c.split(":");
        status.addToConditions(
            new JobConditionBuilder()
                .withType(p[0])
                .withStatus(p[1])
                .withReason(p.length > 2 ? p[2] : null)
                .withMessage(p.length > 2 ? "msg " + p[2] : null)
                .build());
      }
    }
    return status.endStatus().build();
  }

  @ParameterizedTest(name = "{0} -> {4} {5}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "                                               |0|0|1| Progressing | -",
        "Suspended:True                                 |0|0|0| Progressing | -",
        "Complete:True                                  |0|1|0| Succeeded   | -",
        "SuccessCriteriaMet:True                        |0|0|1| Progressing | -",
        "SuccessCriteriaMet:True Complete:True          |2|1|0| Succeeded   | -",
        "Failed:True:BackoffLimitExceeded               |3|0|0| Failed      | BackoffLimitExceeded",
        "FailureTarget:True:DeadlineExceeded            |0|0|1| Progressing | -",
        "FailureTarget:True:BackoffLimitExceeded Failed:True:BackoffLimitExceeded|3|0|0|Failed|BackoffLimitExceeded",
        "Suspended:True Failed:True:DeadlineExceeded    |1|0|0| Failed      | DeadlineExceeded",
        "Failed:False:BackoffLimitExceeded              |1|0|1| Progressing | -",
        "Complete:False                                 |0|0|1| Progressing | -"
      })
  void mapsJobConditionsToTaskStates(
      String conditions, int failed, int succeeded, int active, KeptnState state, String reason) {
    JobView v =
        JobView.of(job(conditions == null ? "" : conditions.trim(), failed, succeeded, active));
    assertThat(v.state()).isEqualTo(state);
    assertThat(v.reason()).isEqualTo(reason);
    assertThat(v.failed()).isEqualTo(failed);
    if (reason != null) {
      assertThat(v.message()).isEqualTo("msg " + reason);
    }
  }

  @org.junit.jupiter.api.Test
  void jobWithoutStatusIsProgressing() {
    assertThat(JobView.of(new JobBuilder().build()).state()).isEqualTo(KeptnState.Progressing);
  }

  @Test
  void failedAttemptsAddTheContainersRestartsAndNeverExceedWhatTheJobAllows() {
    // OnFailure at its backoff limit of 3: three restarts, and the killed pod counted failed
    JobView ended = JobView.of(job("Failed:True:BackoffLimitExceeded", 1, 0, 0));
    assertThat(ended.failedAttempts(3, 3)).isEqualTo(3);
    // Never: each failed attempt is a failed pod
    assertThat(JobView.of(job("", 2, 0, 1)).failedAttempts(0, 4)).isEqualTo(2);
  }

  @Test
  void aTaskStartsWhenItsJobWasCreatedNotWhenTheBridgeNextLooked() {
    Instant created = Instant.parse("2026-12-03T08:00:00.123456Z");
    Instant later = created.plusSeconds(40);
    Job job =
        new JobBuilder()
            .withNewMetadata()
            .withCreationTimestamp("2026-12-03T08:00:00Z")
            .endMetadata()
            .withNewStatus()
            .withStartTime("2026-12-03T08:00:01Z")
            .endStatus()
            .build();
    // created by this bridge: that moment (to the millisecond), however late the task is marked
    assertThat(JobView.taskStart(created, job, later)).isEqualTo("2026-12-03T08:00:00.123Z");
    // after a restart: when the Job says it started, else when it was created
    assertThat(JobView.taskStart(null, job, later)).isEqualTo("2026-12-03T08:00:01Z");
    job.getStatus().setStartTime(null);
    assertThat(JobView.taskStart(null, job, later)).isEqualTo("2026-12-03T08:00:00Z");
    // nothing known: now
    assertThat(JobView.taskStart(null, null, later)).isEqualTo("2026-12-03T08:00:40.123Z");
  }
}
