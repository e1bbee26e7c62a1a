package dev.rungate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import java.io.BufferedInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * helm package, as the release does before pushing the chart to an OCI registry: the archive lands
 * in helm-tests/target/chart and carries the CRD, the templates and the values schema.
 */
class ChartPackageTest {
  @Test
  void packagesTheChartWithItsCrd() throws Exception {
    Path out = Repo.path("helm-tests/target/chart");
    Files.createDirectories(out);
    new Helm(Chart.dir()).packageIt().withDestination(out).call();
    Path tgz = out.resolve("rungate-0.1.0.tgz");
    assertThat(tgz).isRegularFile();
    assertThat(entries(tgz))
        .contains(
            "rungate/Chart.yaml",
            "rungate/values.yaml",
            "rungate/values.schema.json",
            "rungate/crds/readinesspolicies.rungate.dev-v1.yml",
            "rungate/templates/deployment.yaml",
            "rungate/templates/pdb.yaml",
            "rungate/templates/NOTES.txt");
  }

  /**
   * The file names in a .tgz (ustar headers: name in the first 100 bytes, size in octal at 124).
   */
  static List<String> entries(Path tgz) throws Exception {
    List<String> names = new ArrayList<>();
    try (var in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz)))) {
      byte[] header = new byte[512];
      while (in.readNBytes(header, 0, 512) == 512) {
        String name = new String(header, 0, 100, StandardCharsets.US_ASCII).replace("\0", "");
        if (name.isEmpty()) {
          break;
        }
        String prefix = new String(header, 345, 155, StandardCharsets.US_ASCII).replace("\0", "");
        long size =
            Long.parseLong(new String(header, 124, 11, StandardCharsets.US_ASCII).trim(), 8);
        names.add(prefix.isEmpty() ? name : prefix + "/" + name);
        in.skipNBytes((size + 511) / 512 * 512);
      }
    }
    return names;
  }
}
