package dev.rungate.probe.net;

import dev.rungate.api.checks.TcpCheck;
import dev.rungate.api.status.CheckResult;
import dev.rungate.api.status.CheckStep;
import dev.rungate.probe.step.Attempt;
import dev.rungate.probe.step.Failures;
import dev.rungate.probe.step.HostResolver;
import dev.rungate.probe.step.StepFailure;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

/** Opens a TCP connection within the timeout and closes it again. */
final class TcpProbe {
  private final HostResolver resolver;

  TcpProbe(HostResolver resolver) {
    this.resolver = resolver;
  }

  CheckResult probe(Attempt a, TcpCheck check) {
    if (check.host == null
        || check.host.isBlank()
        || check.port == null
        || check.port < 1
        || check.port > 65535) {
      throw new StepFailure(
          CheckStep.SPEC.name(), "SPEC failed: tcp needs host and a port 1-65535 (InvalidSpec)");
    }
    List<String> addresses = resolver.resolve(check.host, a);
    String ip = addresses.isEmpty() ? check.host : addresses.get(0);
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(ip, check.port),
          (int) Math.min(Integer.MAX_VALUE, a.remainingMillis()));
      return a.passed(
          "connected to " + socket.getRemoteSocketAddress() + " in " + a.elapsedMillis() + "ms");
    } catch (IOException e) {
      StepFailure f = NetFailures.map("CONNECT", e, a.target, a.timeout.toMillis());
      throw f != null ? f : new StepFailure("CONNECT", "CONNECT failed: " + Failures.describe(e));
    }
  }
}
