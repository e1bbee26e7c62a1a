package dev.rungate.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs operator/target/rungate.jar as a pipeline would: its own JVM, its exit code and output. */
public final class RungateJar {
  private RungateJar() {}

  public static Path jar() {
    return Repo.path("operator/target/rungate.jar");
  }

  /**
   * {@code java -jar rungate.jar} for a short-lived CLI command (wait, status, abort, check): C1
   * only and the serial collector, which start a JVM that lives seconds faster on 2 cores; the
   * operator itself ({@code run}) keeps the defaults it ships with.
   */
  public static List<String> cli() {
    return List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar().toString());
  }

  private static final AtomicInteger OPERATORS = new AtomicInteger();

  /**
   * JVM flags of the operator run as its own process ({@code java -jar rungate.jar run}), plus any
   * in -Drungate.operator.jvm (e.g. a flight recording; {n} numbers the operator processes).
   */
  public static List<String> operatorFlags() {
    String extra = System.getProperty("rungate.operator.jvm", "").trim();
    if (extra.isEmpty()) {
      return List.of();
    }
    String n = String.valueOf(OPERATORS.incrementAndGet());
    return List.of(extra.replace("{n}", n).split("\\s+"));
  }

  /**
   * With -Drungate.operator.cpulog=FILE, appends the CPU time an operator process has used (user +
   * system, from /proc) before it is stopped: what the flags above cost, compared run to run.
   */
  public static void noteCpu(Process process) {
    String file = System.getProperty("rungate.operator.cpulog");
    if (file == null || process == null || !process.isAlive()) {
      return;
    }
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (1/100 s)
      Files.writeString(
          Path.of(file),
          process.pid() + " " + ticks * 10 + " ms\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException | RuntimeException e) {
      // a measurement only: the process may have gone meanwhile
    }
  }

  public static Processes.Result run(Path kubeconfig, String... args) {
    List<String> cmd = new ArrayList<>(cli());
    cmd.addAll(List.of(args));
    if (kubeconfig != null) {
      cmd.add("--kubeconfig");
      cmd.add(kubeconfig.toString());
    }
    return Processes.exec(cmd.toArray(String[]::new));
  }

  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
