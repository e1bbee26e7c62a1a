package dev.rungate.cli;

import dev.rungate.api.ReadinessPolicy;
import dev.rungate.gate.commands.Commands;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Manual controls, carried out through the resource so the API server audits them. */
public final class ControlCommands {
  private ControlCommands() {}

  abstract static class Control implements Callable<Integer> {
    @Mixin PolicyRef policy;

    abstract String patch(ReadinessPolicy current);

    abstract String done();

    @Override
    public Integer call() throws Exception {
      ReadinessPolicy current = policy.resource().get();
      if (current == null) {
        System.err.println("rungate: ReadinessPolicy " + policy.describe() + " not found");
        return 2;
      }
      policy.resource().patch(PatchContext.of(PatchType.JSON_MERGE), patch(current));
      System.out.println(policy.name + ": " + done());
      return 0;
    }

    /**
     * The command's annotation, bound to the candidate and generation this user sees: the operator
     * ignores it (with an Event and status.lastCommand) if by the time it looks the policy gates
     * another candidate or its spec changed.
     */
    static String annotate(String command, ReadinessPolicy current) {
      String candidate = current.getStatus() == null ? null : current.getStatus().candidateRevision;
      String value =
          Commands.value(candidate, current.getMetadata().getGeneration(), Instant.now());
      return "{\"metadata\":{\"annotations\":{\""
          + Commands.PREFIX
          + command
          + "\":\""
          + value
          + "\"}}}";
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Holds the rollout at its current step (spec.paused=true).")
  public static class Pause extends Control {
    String patch(ReadinessPolicy current) {
      return "{\"spec\":{\"paused\":true}}";
    }

    String done() {
      return "paused; traffic stays where it is until 'rungate resume'";
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Continues a paused rollout (spec.paused=false).")
  public static class Resume extends Control {
    String patch(ReadinessPolicy current) {
      return "{\"spec\":{\"paused\":false}}";
    }

    String done() {
      return "resumed";
    }
  }

  @Command(
      name = "abort",
      mixinStandardHelpOptions = true,
      description = "Rolls the candidate back to the stable revision now.")
  public static class Abort extends Control {
    String patch(ReadinessPolicy current) {
      return annotate(Commands.ABORT, current);
    }

    String done() {
      return "abort requested; traffic returns to the stable revision (see status.lastCommand)";
    }
  }

  @Command(
      name = "promote",
      mixinStandardHelpOptions = true,
      description = "Skips the remaining steps: candidate to 100%%.")
  public static class Promote extends Control {
    String patch(ReadinessPolicy current) {
      return annotate(Commands.PROMOTE, current);
    }

    String done() {
      return "promote requested; the candidate moves to 100% (see status.lastCommand)";
    }
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description = "Verifies a rolled-back candidate again from step 0.")
  public static class Retry extends Control {
    String patch(ReadinessPolicy current) {
      return annotate(Commands.RETRY, current);
    }

    String done() {
      return "retry requested; the candidate is verified again from 0% (see status.lastCommand)";
    }
  }
}
