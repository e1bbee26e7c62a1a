package dev.rungate.gate.instances;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.domain.VpcSettings;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The candidate's VPC path against the instance's authorized network and region, table-style. */
class InstanceNetworkTest {
  static final String OTHER =
      "projects/netra-staging/locations/europe-west1/instances/session-store";

  static Stream<Arguments> cases() {
    String connector = "projects/netra-staging/locations/us-central1/connectors/run-to-vpc";
    return Stream.of(
        Arguments.of(
            Instances.NETWORK,
            Instances.NAME,
            new VpcSettings(null, "default", null, null),
            List.of()),
        Arguments.of(
            Instances.NETWORK,
            Instances.NAME,
            new VpcSettings(
                null,
                "https://www.googleapis.com/compute/v1/projects/netra-staging/global/networks/default",
                null,
                null),
            List.of()),
        Arguments.of(
            Instances.NETWORK,
            Instances.NAME,
            new VpcSettings(connector, null, null, null),
            List.of()),
        Arguments.of(
            Instances.NETWORK,
            Instances.NAME,
            new VpcSettings(null, "shared-vpc", null, null),
            List.of(
                "projects/netra-staging/global/networks/shared-vpc",
                "accepts connections only from " + Instances.NETWORK)),
        Arguments.of(
            Instances.NETWORK,
            Instances.NAME,
            VpcSettings.NONE,
            List.of("no VPC access", Instances.NETWORK)),
        Arguments.of(
            Instances.NETWORK,
            OTHER,
            new VpcSettings(null, "default", null, null),
            List.of("region europe-west1", "runs in us-central1")),
        Arguments.of(
            "projects/host-project/global/networks/shared",
            Instances.NAME,
            new VpcSettings(null, "projects/host-project/global/networks/shared", null, null),
            List.of()));
  }

  @ParameterizedTest(name = "[{index}] {2}")
  @MethodSource("cases")
  void decides(String authorizedNetwork, String instance, VpcSettings vpc, List<String> expected) {
    var found = Map.of("session-store", Instances.onNetwork(authorizedNetwork, instance));
    var check = Instances.check("REDIS_HOST", null, null, null);
    check.instance = instance;
    var block =
        InstanceNetwork.mismatch(List.of(check), found, "netra-staging", "us-central1", vpc);
    if (expected.isEmpty()) {
      assertThat(block).isEmpty();
    } else {
      assertThat(block)
          .hasValueSatisfying(
              b -> {
                assertThat(b.reason()).isEqualTo("VpcAccessMismatch");
                assertThat(b.message()).contains(expected);
              });
    }
  }
}
