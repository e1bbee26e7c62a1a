package dev.rungate.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The committed CRD YAML must be what the build generates from the Java classes. */
class CrdFilesTest {
  @ParameterizedTest
  @ValueSource(strings = {"crds/readinesspolicies.rungate.dev-v1.yml", "helm/rungate/crds/readinesspolicies.rungate.dev-v1.yml"})
  void committedCopyMatchesTheGeneratedCrd(String committed) throws IOException {
    String generated = Files.readString(Repo.generatedCrd());
    assertThat(Files.exists(Repo.path(committed))).as(committed + " exists; run scripts/regenerate-crds").isTrue();
    assertThat(Files.readString(Repo.path(committed)))
        .as(committed + " is out of date with the Java API classes; run scripts/regenerate-crds and commit the result")
        .isEqualTo(generated);
  }
}
