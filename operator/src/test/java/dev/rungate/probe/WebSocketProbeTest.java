package dev.rungate.probe;

import static dev.rungate.probe.Checks.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rungate.api.checks.NetworkCheck;
import dev.rungate.api.checks.WebSocketCheck;
import dev.rungate.api.spec.RevisionProbe;
import dev.rungate.api.status.CheckResult;
import dev.rungate.secrets.SecretReader;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** WebSocket conversations against a real Netty WebSocket server. */
@Tag("real")
class WebSocketProbeTest {
  static final String HELLO = "{\"type\":\"chat\",\"text\":\"hello\"}";
  static EventsServer server;
  static DefaultProbes probes;

  @BeforeAll
  static void start() throws Exception {
    server = new EventsServer();
    probes = new DefaultProbes(SecretReader.NONE);
  }

  @AfterAll
  static void stop() {
    probes.close();
    server.close();
  }

  static CheckResult check(NetworkCheck c) {
    return probes.checkDependencies(NS, Checks.deps(List.of(), List.of(c))).get(0);
  }

  @Test
  void fiveAgentEventsInOrderPass() {
    CheckResult r =
        check(Checks.websocket("chat", server.url("/ws/events"), HELLO, EventsServer.EVENTS, "5s"));
    assertThat(r.ok()).as(r.toString()).isTrue();
    assertThat(r.kind).isEqualTo("websocket");
    assertThat(r.message).contains("events in order").contains("agent_completed");
  }

  @Test
  void closeWith1011AfterSecondEventFailsWithCodeAndReason() {
    CheckResult r =
        check(Checks.websocket("chat", server.url("/ws/fail"), HELLO, EventsServer.EVENTS, "5s"));
    assertThat(r.failedStep).as(r.toString()).isEqualTo("EVENTS");
    assertThat(r.message)
        .contains("code 1011")
        .contains("internal server error")
        .contains("redis not ready")
        .contains("before 'tool_executing'")
        .contains("[agent_started, agent_thinking]");
  }

  @Test
  void eventsOutOfOrderFailAtTimeoutListingWhatArrived() {
    CheckResult r =
        check(
            Checks.websocket(
                "chat",
                server.url("/ws/events"),
                HELLO,
                List.of("agent_completed", "agent_started"),
                "700ms"));
    assertThat(r.failedStep).as(r.toString()).isEqualTo("EVENTS");
    assertThat(r.message).contains("waited 700ms for 'agent_started'").contains("agent_thinking");
    assertThat(r.latencyMillis).isLessThan(1500L);
  }

  @Test
  void closeRightAfterUpgradeIsAFailureWithTheCloseCode() {
    CheckResult r =
        check(
            Checks.websocket("chat", server.url("/ws/closenow"), HELLO, EventsServer.EVENTS, "5s"));
    assertThat(r.ok()).isFalse();
    assertThat(r.failedStep).as(r.toString()).isIn("SEND", "EVENTS");
    assertThat(r.message).contains("code 1011").contains("startup validation failed");
  }

  @Test
  void plainHttpPathFailsUpgrade() {
    CheckResult r = check(Checks.websocket("chat", server.url("/nope"), null, null, "5s"));
    assertThat(r.failedStep).as(r.toString()).isEqualTo("UPGRADE");
    assertThat(r.message).contains("HTTP 404").contains("WebSocketHandshakeException");
  }

  @Test
  void upgradeAloneIsEnoughWithoutExpectedEvents() {
    CheckResult r = check(Checks.websocket("chat", server.url("/ws/events"), null, null, "5s"));
    assertThat(r.ok()).as(r.toString()).isTrue();
    assertThat(r.message).contains("101");
  }

  @Test
  void revisionProbeTurnsHttpTagUrlIntoWs() {
    RevisionProbe p = new RevisionProbe();
    p.name = "agent-events";
    p.websocket = new WebSocketCheck();
    p.websocket.path = "/ws/events";
    p.websocket.send = HELLO;
    p.websocket.expectEvents = EventsServer.EVENTS;
    CheckResult r = probes.probeRevision(server.httpBase(), List.of(p)).get(0);
    assertThat(r.ok()).as(r.toString()).isTrue();
    assertThat(r.target).isEqualTo(server.url("/ws/events"));
  }
}
