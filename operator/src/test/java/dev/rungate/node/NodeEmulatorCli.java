package dev.rungate.node;

import static dev.rungate.node.LocalNode.NODE_IP;
import static dev.rungate.node.NodeStack.EMULATOR_PORT;
import static dev.rungate.node.NodeStack.PROJECT;
import static dev.rungate.node.NodeStack.REDIS_PASSWORD;
import static dev.rungate.node.NodeStack.REDIS_PORT;
import static dev.rungate.node.NodeStack.REGION;
import static dev.rungate.node.NodeStack.SERVICE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rungate.testing.Processes;
import dev.rungate.testing.Repo;
import dev.rungate.testing.RungateJar;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The emulator's CLI (rungate-emulator deploy and history) run inside the node for a NodeStack. */
final class NodeEmulatorCli {
  private final LocalNode node;

  NodeEmulatorCli(LocalNode node) {
    this.node = node;
  }

  /**
   * rungate-emulator deploy inside the node: the worker as a revision, talking to redis on the node
   * IP.
   */
  Processes.Result deploy(String revision, boolean noTraffic, String... env) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                RungateJar.java(),
                "-jar",
                Repo.path("emulator/target/rungate-emulator.jar").toString(),
                "deploy",
                "--endpoint",
                NODE_IP + ":" + EMULATOR_PORT,
                "--project",
                PROJECT,
                "--region",
                REGION,
                "--service",
                SERVICE,
                "--revision",
                revision,
                "--workdir",
                Repo.path("examples/worker").toString(),
                "--startup-timeout",
                "20",
                "--env",
                "REDIS_HOST=" + NODE_IP,
                "--env",
                "REDIS_PORT=" + REDIS_PORT,
                "--env",
                "REDIS_PASSWORD=" + REDIS_PASSWORD,
                "--env",
                "STARTUP_TIMEOUT=2",
                "--env",
                "REDIS_TIMEOUT=0.5"));
    for (String e : env) {
      cmd.addAll(List.of("--env", e));
    }
    if (noTraffic) {
      cmd.addAll(List.of("--no-traffic", "--tag", "candidate"));
    }
    cmd.addAll(
        List.of(
            "--",
            "/bin/sh",
            "-c",
            "exec /usr/bin/gunicorn -k uvicorn.workers.UvicornWorker -w 1 --bind 127.0.0.1:$PORT app:app"));
    return node.exec(cmd.toArray(String[]::new));
  }

  /**
   * The traffic of every accepted Create/UpdateService call, in order, as "revision=percent" lists.
   */
  List<List<String>> trafficHistory() throws IOException {
    Processes.Result r =
        Processes.assertOk(
            node.exec(
                RungateJar.java(),
                "-jar",
                Repo.path("emulator/target/rungate-emulator.jar").toString(),
                "history",
                "--endpoint",
                NODE_IP + ":" + EMULATOR_PORT,
                "--project",
                PROJECT,
                "--region",
                REGION,
                "--service",
                SERVICE));
    List<List<String>> out = new ArrayList<>();
    for (JsonNode c : new ObjectMapper().readTree(r.stdout()).path("changes")) {
      if ("OK".equals(c.path("outcome").asText())) {
        List<String> t = new ArrayList<>();
        c.path("traffic")
            .forEach(x -> t.add(x.path("revision").asText() + "=" + x.path("percent").asInt()));
        out.add(t);
      }
    }
    return out;
  }
}
