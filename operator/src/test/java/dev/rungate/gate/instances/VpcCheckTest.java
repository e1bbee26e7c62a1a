package dev.rungate.gate.instances;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.spec.VpcAccessSpec;
import dev.rungate.domain.VpcSettings;
import org.junit.jupiter.api.Test;

/**
 * Cloud Run stores a connector as the client sent it: a short name and the full path are the same
 * connector.
 */
class VpcCheckTest {
  private static final String FULL = "projects/shop/locations/europe-west1/connectors/redis-conn";

  private static VpcAccessSpec expecting(String connector) {
    VpcAccessSpec spec = new VpcAccessSpec();
    spec.connector = connector;
    return spec;
  }

  private static VpcSettings actual(String connector) {
    return new VpcSettings(connector, null, null, "PRIVATE_RANGES_ONLY");
  }

  @Test
  void shortNameAndFullPathOfTheSameConnectorMatch() {
    assertThat(VpcCheck.mismatch(expecting("redis-conn"), actual(FULL))).isEmpty();
    assertThat(VpcCheck.mismatch(expecting(FULL), actual("redis-conn"))).isEmpty();
    assertThat(VpcCheck.mismatch(expecting(FULL), actual(FULL))).isEmpty();
  }

  @Test
  void anotherConnectorOrProjectIsAMismatchNamingBoth() {
    assertThat(
            VpcCheck.mismatch(expecting("redis-conn"), actual(FULL.replace("redis-conn", "other"))))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("connector is " + FULL.replace("redis-conn", "other"))
                    .contains("expected redis-conn"));
    assertThat(
            VpcCheck.mismatch(
                expecting(FULL), actual(FULL.replace("projects/shop", "projects/other"))))
        .isPresent();
    assertThat(VpcCheck.mismatch(expecting("redis-conn"), actual(null)))
        .hasValueSatisfying(m -> assertThat(m).contains("connector is not set"));
  }
}
