package dev.taskbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The native build's inputs can be produced here (no GraalVM on these machines): {@code ./mvnw
 * package -Dnative -Dquarkus.native.sources-only=true} writes target/native-sources, which a
 * machine with GraalVM/Mandrel turns into the executable.
 */
class NativeSourcesIT {

  @Test
  void nativeImageSourcesAreGenerated() throws Exception {
    Path out = Path.of("target", "native-sources");
    Path log = Files.createTempFile("native-sources-", ".log");
    Process p =
        new ProcessBuilder(
                List.of(
                    "./mvnw",
                    "-B",
                    "-q",
                    "package",
                    "-Dnative",
                    "-Dquarkus.native.sources-only=true",
                    "-DskipTests",
                    "-Dspotless.apply.skip=true"))
            .directory(new File("."))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(p.waitFor(8, TimeUnit.MINUTES)).as("finished").isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
    String args = Files.readString(out.resolve("native-image.args"));
    assertThat(args).contains("keptn-task-bridge-0.1.0-SNAPSHOT-runner");
    assertThat(out.resolve("keptn-task-bridge-0.1.0-SNAPSHOT-runner.jar")).exists();
    try (var libs = Files.list(out.resolve("lib"))) {
      assertThat(libs.map(f -> f.getFileName().toString()))
          .noneMatch(n -> n.contains("kafka_2.13") || n.contains("kubernetes-server-mock"));
    }
  }
}
