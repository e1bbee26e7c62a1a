package dev.rungate.node;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an operator container uses, read inside it: the cgroup's (v1) usage, working set (usage
 * minus inactive file cache, what the kubelet compares with the limit), peak usage and limit, and
 * the JVM process's resident set and its peak (VmRSS, VmHWM).
 */
record PodMemory(long usage, long workingSet, long peak, long limit, long rss, long rssPeak) {
  static final String CGROUP = "/sys/fs/cgroup/memory/";

  static PodMemory of(NodeStack s, String pod) {
    String out =
        NodeStack.output(
            s.node.kubectl(
                NodeStack.execArgs(
                    pod,
                    "cat",
                    CGROUP + "memory.usage_in_bytes",
                    CGROUP + "memory.max_usage_in_bytes",
                    CGROUP + "memory.limit_in_bytes",
                    CGROUP + "memory.stat",
                    "/proc/1/status")));
    String[] lines = out.split("\n");
    long usage = Long.parseLong(lines[0].trim());
    long inactiveFile = field(out, "(?m)^total_inactive_file (\\d+)$");
    return new PodMemory(
        usage,
        Math.max(0, usage - inactiveFile),
        Long.parseLong(lines[1].trim()),
        Long.parseLong(lines[2].trim()),
        field(out, "VmRSS:\\s+(\\d+) kB") << 10,
        field(out, "VmHWM:\\s+(\\d+) kB") << 10);
  }

  private static long field(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("no " + regex + " in:\n" + text);
    }
    return Long.parseLong(m.group(1));
  }

  static String mib(long bytes) {
    return (bytes >> 20) + " MiB";
  }

  @Override
  public String toString() {
    return "working set "
        + mib(workingSet)
        + " (usage "
        + mib(usage)
        + ", cgroup peak "
        + mib(peak)
        + ", limit "
        + mib(limit)
        + "), JVM RSS "
        + mib(rss)
        + " (peak "
        + mib(rssPeak)
        + ")";
  }
}
