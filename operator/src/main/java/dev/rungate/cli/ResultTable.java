package dev.rungate.cli;

import dev.rungate.api.status.CheckResult;
import java.util.ArrayList;
import java.util.List;

/** Renders check results as an aligned text table, one line per probe. */
final class ResultTable {
  private static final String[] HEADER = {
    "NAME", "KIND", "TARGET", "PASSED", "STEP", "LATENCY", "MESSAGE"
  };

  private ResultTable() {}

  static String render(List<CheckResult> results) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (CheckResult r : results) {
      rows.add(
          new String[] {
            r.name,
            r.kind,
            r.target,
            String.valueOf(r.ok()),
            r.failedStep == null ? "-" : r.failedStep,
            r.latencyMillis == null ? "-" : r.latencyMillis + "ms",
            r.message == null ? "" : r.message
          });
    }
    int[] width = new int[HEADER.length - 1];
    for (String[] row : rows) {
      for (int i = 0; i < width.length; i++) {
        width[i] = Math.max(width[i], String.valueOf(row[i]).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < width.length; i++) {
        sb.append(String.format("%-" + width[i] + "s  ", row[i]));
      }
      sb.append(row[HEADER.length - 1]).append('\n');
    }
    return sb.toString().stripTrailing();
  }
}
