package dev.rungate.e2e.stack;

import static dev.rungate.e2e.stack.Stack.BUILTIN;
import static dev.rungate.e2e.stack.Stack.PROJECT;
import static dev.rungate.e2e.stack.Stack.REDIS_PASSWORD;
import static dev.rungate.e2e.stack.Stack.REGION;
import static dev.rungate.e2e.stack.Stack.WORKER;

import dev.rungate.emulator.UpdateHistory;
import dev.rungate.emulator.cli.EmulatorCli;
import dev.rungate.testing.Processes;
import dev.rungate.testing.Repo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** A Stack's deploys with the emulator's own CLI, and the traffic history they leave behind. */
final class StackDeploys {
  private final Stack stack;

  StackDeploys(Stack stack) {
    this.stack = stack;
  }

  /**
   * Deploys the worker like a pipeline would, with rungate-emulator deploy (in process); returns
   * the CLI's result.
   */
  Processes.Result deploy(String revision, boolean noTraffic, String... env) {
    return deploy(revision, noTraffic, List.of(), env);
  }

  /** As above, with extra rungate-emulator deploy flags (e.g. --vpc-connector). */
  Processes.Result deploy(String revision, boolean noTraffic, List<String> flags, String... env) {
    return deployTo(stack.service, revision, noTraffic, flags, env);
  }

  /** As above, to another service of this stack's project. */
  Processes.Result deployTo(
      String service, String revision, boolean noTraffic, List<String> flags, String... env) {
    return deployCommand(service, revision, noTraffic, flags, WORKER, env);
  }

  /** As above with another container command (a shell line, run in examples/worker). */
  Processes.Result deployCommand(
      String service,
      String revision,
      boolean noTraffic,
      List<String> flags,
      String command,
      String... env) {
    return deployCommand(PROJECT, service, revision, noTraffic, flags, command, env);
  }

  /**
   * As above, in another project. The emulator's own CLI command ({@code rungate-emulator deploy},
   * the same arguments and gcloud's semantics) runs in this JVM on the real google-cloud-run
   * client: a set-up deploy starts no JVM of its own. What the CLI printed comes back as a process
   * result would.
   */
  Processes.Result deployCommand(
      String project,
      String service,
      String revision,
      boolean noTraffic,
      List<String> flags,
      String command,
      String... env) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "deploy",
                "--endpoint",
                stack.emulator.endpoint(),
                "--project",
                project,
                "--region",
                REGION,
                "--service",
                service,
                "--revision",
                revision,
                "--workdir",
                Repo.path("examples/worker").toString(),
                "--startup-timeout",
                "20",
                "--env",
                "REDIS_HOST=127.0.0.1",
                "--env",
                "REDIS_PORT=" + stack.redis.port,
                "--env",
                "REDIS_PASSWORD=" + REDIS_PASSWORD,
                "--env",
                "STARTUP_TIMEOUT=2",
                "--env",
                "REDIS_TIMEOUT=4"));
    for (String e : env) {
      cmd.add("--env");
      cmd.add(e);
    }
    if (noTraffic) {
      cmd.addAll(List.of("--no-traffic", "--tag", "candidate"));
    }
    if (stack.publicService) {
      cmd.add("--allow-unauthenticated"); // Cloud Run services are private by default
    }
    cmd.addAll(flags);
    cmd.add("--");
    cmd.addAll(command.startsWith(BUILTIN) ? List.of(command) : List.of("/bin/sh", "-c", command));
    return emulatorCli(cmd.toArray(String[]::new));
  }

  /**
   * Runs {@code rungate-emulator ARGS...} in this JVM, its output captured per call; returns it as
   * a process result.
   */
  static Processes.Result emulatorCli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        EmulatorCli.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    return new Processes.Result(code, out.toString(), err.toString());
  }

  /**
   * The traffic every accepted Create/UpdateService call set, in order, as "revision=percent"
   * lists.
   */
  List<List<String>> trafficHistory() {
    return trafficHistory(stack.service);
  }

  /** As above, for another service of this stack. */
  List<List<String>> trafficHistory(String service) {
    List<List<String>> out = new ArrayList<>();
    for (UpdateHistory.Change c : stack.emulator.history().of(service)) {
      if (c.accepted()) {
        out.add(
            c.traffic().stream()
                .map(
                    t ->
                        (t.getRevision().isEmpty() ? "LATEST" : t.getRevision())
                            + "="
                            + t.getPercent())
                .toList());
      }
    }
    return out;
  }
}
