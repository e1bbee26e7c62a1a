package dev.rungate.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
