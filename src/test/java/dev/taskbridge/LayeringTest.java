package dev.taskbridge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The arrows of src/main that hold today, guarded: the pure core imports no I/O, {@code run} does
 * not reach back into {@code ingest}, and only the sandbox uses the sandbox (the packaged app drops
 * its libraries). Not yet true, and so not asserted here: {@code report} still imports {@code run}
 * (the Reporter records results through {@code Cluster} and wakes the {@code WorkQueue}) and {@code
 * ingest} (the rejection result is built from {@code Intake.Rejected}).
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
  void planningAndKeptnsVocabularyKnowNothingOfTheStagesAroundThem() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.taskbridge.plan..", "dev.taskbridge.keptn..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.taskbridge.ingest..",
            "dev.taskbridge.run..",
            "dev.taskbridge.report..",
            "dev.taskbridge.verdict..",
            "dev.taskbridge.sweep..",
            "dev.taskbridge.health..",
            "dev.taskbridge.security..",
            "dev.taskbridge.sandbox..")
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
