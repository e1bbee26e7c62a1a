package dev.rungate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.testing.Repo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * scripts/kubectl-rungate on PATH: the real kubectl finds the plugin and runs the CLI through it.
 */
@Tag("real")
class KubectlPluginIT {
  record Run(int code, String out) {}

  static Run kubectl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Repo.kubectl()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Path scripts = Repo.path("scripts");
    pb.environment()
        .put(
            "PATH",
            scripts
                + ":"
                + Path.of(System.getProperty("java.home"), "bin")
                + ":"
                + System.getenv("PATH"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  void kubectlListsThePluginAndRunsLintThroughIt() throws Exception {
    assertThat(kubectl("plugin", "list").out()).contains("kubectl-rungate");
    Run ok =
        kubectl("rungate", "lint", "-f", Repo.path("examples/readinesspolicy.yaml").toString());
    assertThat(ok.code()).as(ok.out()).isZero();
    assertThat(ok.out()).contains("netra-backend-staging: valid");
    Run help = kubectl("rungate", "--help");
    assertThat(help.out()).contains("wait", "status", "lint", "check");
  }
}
