package dev.rungate.reconciler.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs one model case again, printing every round: {@code
 * -Drungate.model.replay='false;1;false;[DEPLOY(3), ...]'} with the test classpath, or from code.
 * The case is what a failing {@link GateModelTest} prints.
 */
public final class ModelReplay {
  private ModelReplay() {}

  static GateModelTest.Case parse(String text) {
    String[] parts = text.split(";", 4);
    List<ModelEvent.Step> steps = new ArrayList<>();
    String events = parts[3].trim().replaceAll("^\\[|\\]$", "");
    for (String e : events.isBlank() ? new String[0] : events.split(",")) {
      String[] ea = e.trim().split("[()]");
      steps.add(new ModelEvent.Step(ModelEvent.valueOf(ea[0]), Integer.parseInt(ea[1])));
    }
    return new GateModelTest.Case(
        Boolean.parseBoolean(parts[0]),
        Integer.parseInt(parts[1]),
        Boolean.parseBoolean(parts[2]),
        steps);
  }

  public static void main(String[] args) {
    System.setProperty("rungate.model.debug", "true");
    String result =
        GateModelTest.run(
            parse(args.length > 0 ? args[0] : System.getProperty("rungate.model.replay")));
    System.out.println(result == null ? "no invariant broken" : result);
  }
}
