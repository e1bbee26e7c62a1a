package dev.rungate.emulator.logging;

import com.google.api.MonitoredResource;
import com.google.logging.type.LogSeverity;
import com.google.logging.v2.LogEntry;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/** In-memory Cloud Logging: container stdout/stderr and the system entries Cloud Run writes. */
public final class LogStore {
  public static final String STDOUT = "run.googleapis.com%2Fstdout";
  public static final String STDERR = "run.googleapis.com%2Fstderr";
  public static final String SYSTEM = "run.googleapis.com%2Fvarlog%2Fsystem";
  private static final int MAX_ENTRIES = 100_000;

  private final List<LogEntry> entries = new ArrayList<>();
  private final AtomicLong sequence = new AtomicLong();
  private long lastNanos;

  /** The labels of one revision's monitored resource (cloud_run_revision). */
  public record Source(String project, String location, String service, String revision) {
    MonitoredResource resource() {
      return MonitoredResource.newBuilder().setType("cloud_run_revision")
          .putLabels("project_id", project).putLabels("location", location)
          .putLabels("service_name", service).putLabels("revision_name", revision)
          .putLabels("configuration_name", service).build();
    }
  }

  public void stdout(Source source, String line) {
    append(source, STDOUT, LogSeverity.DEFAULT, line);
  }

  public void stderr(Source source, String line) {
    append(source, STDERR, LogSeverity.ERROR, line);
  }

  public void system(Source source, LogSeverity severity, String text) {
    append(source, SYSTEM, severity, text);
  }

  private synchronized void append(Source source, String logId, LogSeverity severity, String text) {
    Timestamp now = nextTimestamp();
    entries.add(LogEntry.newBuilder()
        .setLogName("projects/" + source.project() + "/logs/" + logId)
        .setResource(source.resource())
        .setSeverity(severity)
        .setTextPayload(text)
        .setTimestamp(now).setReceiveTimestamp(now)
        .setInsertId(Long.toHexString(sequence.incrementAndGet()))
        .build());
    if (entries.size() > MAX_ENTRIES) {
      entries.subList(0, entries.size() - MAX_ENTRIES).clear();
    }
    notifyAll();
  }

  /** Strictly increasing timestamps, so "timestamp asc" is the order of writing. */
  private Timestamp nextTimestamp() {
    Instant now = Instant.now();
    long nanos = Math.max(now.getEpochSecond() * 1_000_000_000L + now.getNano(), lastNanos + 1000);
    lastNanos = nanos;
    return Timestamp.newBuilder().setSeconds(nanos / 1_000_000_000L).setNanos((int) (nanos % 1_000_000_000L)).build();
  }

  public synchronized List<LogEntry> matching(Predicate<LogEntry> filter) {
    return entries.stream().filter(filter).toList();
  }

  /** Entries after the given count of entries seen, waiting up to {@code waitMillis} for new ones. */
  synchronized List<LogEntry> after(int seen, long waitMillis) throws InterruptedException {
    if (entries.size() <= seen && waitMillis > 0) {
      wait(waitMillis);
    }
    return entries.size() <= seen ? List.of() : List.copyOf(entries.subList(seen, entries.size()));
  }

  synchronized int size() {
    return entries.size();
  }
}
