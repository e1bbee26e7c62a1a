package dev.rungate.gate.instances;

import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.api.checks.RevisionEnv;
import dev.rungate.domain.MemorystoreInstance;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.domain.VpcSettings;
import dev.rungate.gate.Fixtures;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Memorystore instances, checks and revisions for the instance decisions' tests. */
public final class Instances {
  public static final String NAME =
      "projects/netra-staging/locations/us-central1/instances/session-store";
  static final String NETWORK = "projects/netra-staging/global/networks/default";

  private Instances() {}

  public static MemorystoreInstance ready(String host, int port, boolean tls) {
    return new MemorystoreInstance(
        NAME,
        host,
        port,
        null,
        0,
        true,
        tls,
        tls ? List.of("PEM") : List.of(),
        "READY",
        null,
        null,
        List.of(),
        NETWORK,
        "DIRECT_PEERING");
  }

  public static MemorystoreInstance inState(String state, String message) {
    return new MemorystoreInstance(
        NAME,
        "10.0.0.3",
        6379,
        null,
        0,
        true,
        false,
        List.of(),
        state,
        message,
        null,
        List.of(),
        NETWORK,
        "DIRECT_PEERING");
  }

  public static MemorystoreInstance withMaintenance(Instant start, Instant end) {
    return new MemorystoreInstance(
        NAME,
        "10.0.0.3",
        6379,
        null,
        0,
        true,
        false,
        List.of(),
        "READY",
        null,
        new MemorystoreInstance.Window(start, end),
        List.of(),
        NETWORK,
        "DIRECT_PEERING");
  }

  static MemorystoreInstance onNetwork(String network, String name) {
    return new MemorystoreInstance(
        name,
        "10.0.0.3",
        6379,
        null,
        0,
        true,
        false,
        List.of(),
        "READY",
        null,
        null,
        List.of(),
        network,
        "DIRECT_PEERING");
  }

  /**
   * The check "session-store" naming the instance, with revisionEnv host/port/tls/url as given
   * (null = not named).
   */
  public static MemorystoreCheck check(
      String hostVar, String portVar, String tlsVar, String urlVar) {
    MemorystoreCheck c = new MemorystoreCheck();
    c.name = "session-store";
    c.instance = NAME;
    c.revisionEnv = new RevisionEnv(hostVar, portVar, tlsVar, urlVar);
    return c;
  }

  public static RevisionSnapshot revision(Map<String, String> env) {
    return revision(
        env,
        new VpcSettings(
            "projects/netra-staging/locations/us-central1/connectors/c", null, null, null));
  }

  static RevisionSnapshot revision(Map<String, String> env, VpcSettings vpc) {
    return new RevisionSnapshot(
        Fixtures.CANDIDATE,
        RevisionSnapshot.ReadyState.SUCCEEDED,
        null,
        null,
        vpc,
        Fixtures.T0,
        env);
  }
}
