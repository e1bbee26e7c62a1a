package dev.rungate.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The committed CRD YAML must be what the build generates from the Java classes. */
class CrdFilesTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "crds/readinesspolicies.rungate.dev-v1.yml",
        "helm/rungate/crds/readinesspolicies.rungate.dev-v1.yml"
      })
  void committedCopyMatchesTheGeneratedCrd(String committed) throws IOException {
    String generated = Files.readString(Repo.generatedCrd());
    assertThat(Files.exists(Repo.path(committed)))
        .as(committed + " exists; run scripts/regenerate-crds")
        .isTrue();
    assertThat(Files.readString(Repo.path(committed)))
        .as(
            committed
                + " is out of date with the Java API classes; run scripts/regenerate-crds and commit the result")
        .isEqualTo(generated);
  }

  /**
   * docs/api-reference.md is rendered from the CRD; -Drungate.regenerate=true rewrites it
   * (scripts/regenerate-crds).
   */
  @Test
  void apiReferenceMatchesTheCrd() throws IOException {
    String rendered = ApiReference.render(Repo.generatedCrd());
    var doc = Repo.path("docs/api-reference.md");
    if (Boolean.getBoolean("rungate.regenerate")) {
      Files.createDirectories(doc.getParent());
      Files.writeString(doc, rendered);
    }
    assertThat(Files.exists(doc) ? Files.readString(doc) : "")
        .as("docs/api-reference.md is out of date; run scripts/regenerate-crds")
        .isEqualTo(rendered);
  }
}
