package dev.rungate.emulator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** rungate-emulator: serve a local Cloud Run, or talk to one like gcloud would. */
@Command(
    name = "rungate-emulator",
    mixinStandardHelpOptions = true,
    version = "rungate-emulator 0.1.0",
    description =
        "A local Cloud Run (Admin API v2 + Logging v2) that runs revisions as local processes.",
    subcommands = {
      ServeCommand.class,
      DeployCommand.class,
      TrafficCommand.class,
      DescribeCommand.class,
      LogsCommand.class,
      FaultCommand.class,
      HistoryCommand.class,
      StatsCommand.class,
      RedisCommand.class
    })
public final class EmulatorCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** Every subcommand answers --help and --version too (and exits 0 for them). */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new EmulatorCli());
    cli.getSubcommands()
        .values()
        .forEach(sub -> sub.getCommandSpec().mixinStandardHelpOptions(true));
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
