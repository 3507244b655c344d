package dev.taskbridge.report;

import static dev.taskbridge.report.ResultFactoryTest.NOW;
import static dev.taskbridge.report.ResultFactoryTest.facts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskbridge.config.OnTaskFailure;
import dev.taskbridge.config.ResultFormat;
import dev.taskbridge.contract.FieldError;
import dev.taskbridge.contract.RejectionCode;
import dev.taskbridge.contract.ResultType;
import dev.taskbridge.ingest.Intake;
import dev.taskbridge.testing.CdEventsSchemas;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Our results as CDEvents 0.5, each checked against the official schemas. */
class CdEventsOutTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final ResultFactory factory =
      new ResultFactory(
          "keptn-task-bridge",
          OnTaskFailure.fail,
          Optional.of("https://logs.example/{namespace}/{pod}"),
          false);
  final ResultFactory.LogTails logs =
      new ResultFactory.LogTails() {
        @Override
        public String tail(TaskFacts task, int attempt) {
          return "log " + attempt;
        }

        @Override
        public String pod(TaskFacts task, int attempt) {
          return task.name() + "-pod-" + attempt;
        }
      };
  final CdEventsOut out = new CdEventsOut("keptn-task-bridge");

  JsonNode cdEvent(Result r) {
    Result c = out.of(r).orElseThrow();
    JsonNode data = JSON.valueToTree(c.data());
    assertThat(CdEventsSchemas.problems(data)).as(c.id()).isEmpty();
    assertThat(c.type().text()).isEqualTo(data.path("context").path("type").asText());
    assertThat(c.id()).isEqualTo(data.path("context").path("id").asText()).isNotEqualTo(r.id());
    assertThat(c.key()).isEqualTo(r.key());
    assertThat(c.triggerId()).isEqualTo(r.triggerId());
    assertThat(data.path("context").path("links").path(0).path("target").path("contextId").asText())
        .as("linked to the triggering event")
        .isEqualTo(r.triggerId());
    assertThat(data.path("customData")).isEqualTo(JSON.valueToTree(r.data()));
    return data;
  }

  @Test
  void aTaskThatRetriedAndSucceededIsOneStartedAndOneSuccessfulTaskRun() {
    List<Result> owed =
        factory.owed(facts("t", "Succeeded", "t", 1, 3, Set.of(), null), false, logs, NOW);
    assertThat(owed).extracting(Result::type).contains(ResultType.TASK_RETRYING);
    assertThat(owed.stream().map(out::of).flatMap(Optional::stream).map(Result::type))
        .containsExactly(ResultType.CDEVENTS_TASKRUN_STARTED, ResultType.CDEVENTS_TASKRUN_FINISHED);
    JsonNode started = cdEvent(owed.get(0));
    assertThat(started.path("subject").path("id").asText()).isEqualTo("t");
    assertThat(started.path("subject").path("content").path("taskName").asText())
        .isEqualTo("def-t");
    assertThat(started.path("subject").path("content").path("pipelineRun").path("id").asText())
        .isEqualTo("trig");
    JsonNode finished = cdEvent(owed.get(owed.size() - 1));
    assertThat(finished.path("subject").path("content").path("outcome").asText())
        .isEqualTo("success");
    assertThat(finished.path("subject").path("content").has("errors")).isFalse();
    assertThat(finished.path("subject").path("content").path("uri").asText())
        .isEqualTo("https://logs.example/team-a/t-pod-2");
    assertThat(finished.path("context").path("chainId").asText()).isEqualTo("trig");
  }

  @Test
  void aFailedTaskIsAFailureWithItsReasonAndOneThatNeverRanIsAnError() {
    Result failed =
        factory
            .owed(
                facts("t", "Failed", "t", 3, 2, Set.of("started"), "BackoffLimitExceeded"),
                false,
                logs,
                NOW)
            .get(2);
    JsonNode content = cdEvent(failed).path("subject").path("content");
    assertThat(content.path("outcome").asText()).isEqualTo("failure");
    assertThat(content.path("errors").asText()).startsWith("BackoffLimitExceeded: ");
    Result neverRan =
        factory
            .owed(
                facts("n", "Failed", null, 0, 1, Set.of(), "DefinitionNotFound"), false, logs, NOW)
            .get(0);
    JsonNode error = cdEvent(neverRan).path("subject").path("content");
    assertThat(error.path("outcome").asText()).isEqualTo("error");
    assertThat(error.path("errors").asText()).startsWith("DefinitionNotFound: ");
  }

  @Test
  void thePhaseIsAPipelineRunWhoseOutcomeFollowsPassFailAndWarning() {
    var ok = facts("a", "Succeeded", "a", 0, 1, Set.of("started", "succeeded"), null);
    var bad = facts("b", "Failed", "b", 1, 0, Set.of("started", "failed"), "BackoffLimitExceeded");
    var ok2 = facts("c", "Succeeded", "c", 0, 1, Set.of("started", "succeeded"), null);
    PhaseFacts pass = PhaseFacts.finished(List.of(ok, ok2)).orElseThrow(); // two tasks planned
    PhaseFacts fail = PhaseFacts.finished(List.of(ok, bad)).orElseThrow();
    JsonNode passed = cdEvent(factory.phase(pass, NOW)).path("subject");
    assertThat(passed.path("id").asText()).isEqualTo("trig");
    assertThat(passed.path("content").path("pipelineName").asText())
        .isEqualTo("pre-deployment/shop");
    assertThat(passed.path("content").path("outcome").asText()).isEqualTo("success");
    JsonNode failedPhase = cdEvent(factory.phase(fail, NOW)).path("subject").path("content");
    assertThat(failedPhase.path("outcome").asText()).isEqualTo("failure");
    assertThat(failedPhase.path("errors").asText()).isEqualTo("b: BackoffLimitExceeded");
    Result warned = new ResultFactory("s", OnTaskFailure.warning).phase(fail, NOW);
    assertThat(warned.data()).containsEntry("result", "warning");
    JsonNode warning = cdEvent(warned).path("subject").path("content");
    assertThat(warning.path("outcome").asText()).isEqualTo("success");
    assertThat(warning.path("errors").asText()).isEqualTo("b: BackoffLimitExceeded");
  }

  @Test
  void theFormatChoosesTheRecordsAndRejectionsStayOurs() {
    List<Result> owed =
        factory.owed(facts("t", "Succeeded", "t", 1, 3, Set.of(), null), false, logs, NOW);
    Result retrying = owed.get(1);
    Result succeeded = owed.get(2);
    Result rejected =
        new Intake.Rejected(
                "h",
                "ci",
                "1",
                "post",
                List.of(new FieldError("type", RejectionCode.UNKNOWN_TYPE, "no")))
            .result("deployment-events", 0, 7L, NOW);
    assertThat(ResultPublisher.records(succeeded, ResultFormat.taskbridge, out))
        .containsExactly(succeeded);
    assertThat(ResultPublisher.records(succeeded, ResultFormat.cdevents, out))
        .extracting(Result::type)
        .containsExactly(ResultType.CDEVENTS_TASKRUN_FINISHED);
    assertThat(ResultPublisher.records(succeeded, ResultFormat.both, out))
        .extracting(Result::type)
        .containsExactly(ResultType.TASK_SUCCEEDED, ResultType.CDEVENTS_TASKRUN_FINISHED);
    assertThat(ResultPublisher.records(retrying, ResultFormat.cdevents, out)).isEmpty();
    assertThat(ResultPublisher.records(rejected, ResultFormat.cdevents, out))
        .containsExactly(rejected);
  }

  @Test
  void theSchemaCheckItselfRefusesABrokenCdEvent() {
    Result started =
        factory.owed(facts("t", "Progressing", "t", 0, 1, Set.of(), null), false, logs, NOW).get(0);
    var broken = (ObjectNode) JSON.valueToTree(out.of(started).orElseThrow().data());
    ((ObjectNode) broken.path("subject").path("content")).put("outcome", "started");
    ((ObjectNode) broken.path("context")).put("timestamp", "yesterday");
    assertThat(CdEventsSchemas.problems(broken)).hasSizeGreaterThanOrEqualTo(2);
  }
}
