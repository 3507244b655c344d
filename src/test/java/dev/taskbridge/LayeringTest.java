package dev.taskbridge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The arrows of src/main, guarded: the pure core imports no I/O, {@code run} does not reach back
 * into {@code ingest}, {@code report} knows neither {@code run} nor {@code ingest} (it records and
 * asks to be woken through its own {@code TaskNotes} and {@code Wakeups}), and only the sandbox
 * uses the sandbox (the packaged app drops its libraries).
 */
class LayeringTest {
  static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.taskbridge");

  static final String[] IO = {
    "io.fabric8.kubernetes.client.dsl..",
    "io.fabric8.kubernetes.client.informers..",
    "io.micrometer..",
    "org.apache.kafka..",
    "io.smallrye.reactive.messaging..",
    "org.eclipse.microprofile.reactive.messaging..",
    "io.vertx..",
    "jakarta.ws.rs.."
  };

  /** Everything above the vocabulary (contract, keptn, plan) and Kubernetes access (kube). */
  static final String[] STAGES = {
    "dev.taskbridge.ingest..",
    "dev.taskbridge.run..",
    "dev.taskbridge.report..",
    "dev.taskbridge.verdict..",
    "dev.taskbridge.sweep..",
    "dev.taskbridge.health..",
    "dev.taskbridge.security..",
    "dev.taskbridge.sandbox.."
  };

  @Test
  void planningAndKeptnsVocabularyDoNoIo() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.taskbridge.plan..", "dev.taskbridge.keptn..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(IO)
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.fabric8.kubernetes.client.KubernetesClient")
        .check(MAIN);
    noClasses()
        .that()
        .resideInAPackage("dev.taskbridge.plan..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.fabric8.kubernetes.client..")
        .check(MAIN);
  }

  @Test
  void theContractsVocabularyDependsOnNothingButTheJdk() {
    noClasses()
        .that()
        .resideInAPackage("dev.taskbridge.contract..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages("dev.taskbridge.contract..", "java..")
        .check(MAIN);
  }

  @Test
  void planningAndKeptnsVocabularyKnowNothingOfTheStagesAroundThem() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.taskbridge.plan..", "dev.taskbridge.keptn..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(STAGES)
        .check(MAIN);
  }

  @Test
  void thePureDecisionsDoNoIo() {
    noClasses()
        .that()
        .haveFullyQualifiedName("dev.taskbridge.run.JobView")
        .or()
        .haveFullyQualifiedName("dev.taskbridge.report.ResultFactory")
        .or()
        .haveFullyQualifiedName("dev.taskbridge.report.PhaseFacts")
        .or()
        .haveFullyQualifiedName("dev.taskbridge.report.CdEventsOut")
        .or()
        .haveFullyQualifiedName("dev.taskbridge.report.CloudEventWriter")
        .or()
        .haveFullyQualifiedName("dev.taskbridge.ingest.EventValidator")
        .or()
        .haveFullyQualifiedName("dev.taskbridge.ingest.CdEventsIn")
        .or()
        .haveFullyQualifiedName("dev.taskbridge.run.WorkQueue")
        .or()
        .haveNameMatching("dev\\.taskbridge\\.run\\.(NextStep|Step|Seen)(\\$.*)?")
        .or()
        .haveNameMatching("dev\\.taskbridge\\.report\\.(ResultLedger|PhaseLedger)(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(IO)
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("io.fabric8.kubernetes.client..")
        .check(MAIN);
  }

  @Test
  void runDoesNotReachBackIntoIngest() {
    noClasses()
        .that()
        .resideInAPackage("dev.taskbridge.run..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.taskbridge.ingest..", "dev.taskbridge.verdict..")
        .check(MAIN);
  }

  @Test
  void reportKnowsNeitherTheRunStageNorIngest() {
    noClasses()
        .that()
        .resideInAPackage("dev.taskbridge.report..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.taskbridge.run..", "dev.taskbridge.ingest..", "dev.taskbridge.verdict..")
        .check(MAIN);
  }

  @Test
  void kubernetesAccessIsNeutralAndKnowsNoStage() {
    noClasses()
        .that()
        .resideInAPackage("dev.taskbridge.kube..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(STAGES)
        .check(MAIN);
  }

  @Test
  void noFileOfTheMiddleLayerIsOver250Lines() throws IOException {
    for (String stage : new String[] {"run", "report"}) {
      try (var files = Files.list(Path.of("src/main/java/dev/taskbridge", stage))) {
        for (var f : files.toList()) {
          assertThat(Files.readAllLines(f)).as(f.toString()).hasSizeLessThanOrEqualTo(250);
        }
      }
    }
  }

  @Test
  void onlyTheSandboxUsesTheSandbox() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.taskbridge.sandbox..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.taskbridge.sandbox..")
        .check(MAIN);
  }
}
