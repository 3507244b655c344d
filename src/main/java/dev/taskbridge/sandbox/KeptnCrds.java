package dev.taskbridge.sandbox;

import dev.taskbridge.keptn.KeptnAppContext;
import dev.taskbridge.keptn.KeptnTask;
import dev.taskbridge.keptn.KeptnTaskDefinition;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keptn's CRDs as the bridge's own model describes them ({@code lifecycle.keptn.sh/v1}), generated
 * with Fabric8's CRD generator: what the sandbox and the tests install. The build writes the same
 * files to {@code target/classes/META-INF/fabric8/} for standalone installs. Keptn's published CRDs
 * are not copied into this project; a test checks that these accept what the bridge writes, as
 * Keptn's do.
 */
public final class KeptnCrds {
  public static final List<Class<? extends HasMetadata>> KINDS =
      List.of(KeptnTask.class, KeptnTaskDefinition.class, KeptnAppContext.class);

  private KeptnCrds() {}

  public static List<CustomResourceDefinition> generate() {
    try {
      Path dir = Files.createTempDirectory("keptn-crds");
      try {
        new CRDGenerator()
            .customResourceClasses(KINDS)
            .forCRDVersions("v1")
            .inOutputDir(dir.toFile())
            .generate();
        List<CustomResourceDefinition> crds = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
          for (Path f : files.sorted().toList()) {
            try (InputStream in = Files.newInputStream(f)) {
              crds.add(Serialization.unmarshal(in, CustomResourceDefinition.class));
            }
          }
        }
        return crds;
      } finally {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(f);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
