package dev.rungate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of rungate.jar: the operator and the pipeline commands. */
@Command(
    name = "rungate",
    mixinStandardHelpOptions = true,
    version = "rungate 0.1.0",
    description = "A deploy gate for Google Cloud Run, as a Kubernetes operator.",
    subcommands = {
      RunCommand.class,
      WaitCommand.class,
      StatusCommand.class,
      ControlCommands.Pause.class,
      ControlCommands.Resume.class,
      ControlCommands.Abort.class,
      ControlCommands.Promote.class,
      ControlCommands.Retry.class,
      CommandLine.HelpCommand.class,
      CheckCommand.class,
      LintCommand.class,
    })
public final class Main {
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code (for tests). */
  public static int execute(String... args) {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }
}
