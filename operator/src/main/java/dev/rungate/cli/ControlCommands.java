package dev.rungate.cli;

import dev.rungate.gate.Commands;
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
    @Mixin
    PolicyRef policy;

    abstract String patch();

    abstract String done();

    @Override
    public Integer call() throws Exception {
      if (policy.resource().get() == null) {
        System.err.println("rungate: ReadinessPolicy " + policy.describe() + " not found");
        return 2;
      }
      policy.resource().patch(PatchContext.of(PatchType.JSON_MERGE), patch());
      System.out.println(policy.name + ": " + done());
      return 0;
    }

    static String annotate(String command) {
      return "{\"metadata\":{\"annotations\":{\"" + Commands.PREFIX + command + "\":\"" + Instant.now() + "\"}}}";
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Holds the rollout at its current step (spec.paused=true).")
  public static class Pause extends Control {
    String patch() { return "{\"spec\":{\"paused\":true}}"; }
    String done() { return "paused; traffic stays where it is until 'rungate resume'"; }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Continues a paused rollout (spec.paused=false).")
  public static class Resume extends Control {
    String patch() { return "{\"spec\":{\"paused\":false}}"; }
    String done() { return "resumed"; }
  }

  @Command(name = "abort", mixinStandardHelpOptions = true, description = "Rolls the candidate back to the stable revision now.")
  public static class Abort extends Control {
    String patch() { return annotate(Commands.ABORT); }
    String done() { return "abort requested; traffic returns to the stable revision"; }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true, description = "Skips the remaining steps: candidate to 100%%.")
  public static class Promote extends Control {
    String patch() { return annotate(Commands.PROMOTE); }
    String done() { return "promote requested; the candidate moves to 100%"; }
  }

  @Command(name = "retry", mixinStandardHelpOptions = true, description = "Verifies a rolled-back candidate again from step 0.")
  public static class Retry extends Control {
    String patch() { return annotate(Commands.RETRY); }
    String done() { return "retry requested; the candidate is verified again from 0%"; }
  }
}
