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

  public static Processes.Result run(Path kubeconfig, String... args) {
    List<String> cmd = new ArrayList<>(List.of(java(), "-jar", jar().toString()));
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
