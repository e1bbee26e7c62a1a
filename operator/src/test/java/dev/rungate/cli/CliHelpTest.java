package dev.rungate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * --help of every command exits 0 and prints no picocli warning (a % in a description must be %%).
 */
class CliHelpTest {

  @Test
  void everyCommandsHelpExitsZeroWithoutPicocliWarnings() {
    for (String sub : new CommandLine(new Main()).getSubcommands().keySet()) {
      if (sub.equals("help")) {
        continue;
      }
      PrintStream out = System.out;
      PrintStream err = System.err;
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      ByteArrayOutputStream stderr = new ByteArrayOutputStream();
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      int code;
      try {
        code = Main.execute(sub, "--help");
      } finally {
        System.setOut(out);
        System.setErr(err);
      }
      assertThat(code).as(sub + " --help").isZero();
      assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("Usage: rungate " + sub);
      assertThat(stderr.toString(StandardCharsets.UTF_8)).as(sub + " --help on stderr").isEmpty();
    }
  }
}
