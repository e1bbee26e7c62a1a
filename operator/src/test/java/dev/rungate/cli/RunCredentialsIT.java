package dev.rungate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.testing.RungateJar;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * rungate run without Google credentials: one line naming what is missing and the three ways to fix
 * it.
 */
@Tag("real")
class RunCredentialsIT {
  @Test
  void runWithoutGoogleCredentialsSaysWhatIsMissingInOneLine() throws Exception {
    Path home = Files.createTempDirectory("rungate-no-adc");
    ProcessBuilder pb =
        new ProcessBuilder(
            RungateJar.java(), "-jar", RungateJar.jar().toString(), "run", "--metrics-port", "0");
    Map<String, String> env = pb.environment();
    List.of(
            "GOOGLE_APPLICATION_CREDENTIALS",
            "GCE_METADATA_HOST",
            "RUNGATE_CLOUD_RUN_ENDPOINT",
            "RUNGATE_LOGGING_ENDPOINT")
        .forEach(env::remove);
    env.put("HOME", home.toString());
    env.put("CLOUDSDK_CONFIG", home.resolve("gcloud").toString());
    env.put("NO_GCE_CHECK", "true"); // no metadata server lookup: nothing leaves the machine
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(stderr.strip().lines())
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .contains("no Google credentials")
                    .contains("serviceAccount.gcpServiceAccount")
                    .contains("gcloud auth application-default login")
                    .contains("--cloud-run-endpoint"));
    assertThat(stdout + stderr).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
