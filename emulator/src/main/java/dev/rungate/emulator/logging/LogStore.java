package dev.rungate.emulator.logging;

import com.google.api.MonitoredResource;
import com.google.logging.type.LogSeverity;
import com.google.logging.v2.LogEntry;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * In-memory Cloud Logging: container stdout/stderr and the system entries Cloud Run writes. An
 * entry becomes visible to list and tail only after its ingestion delay (drawn per entry, so
 * entries arrive out of order); a JSON object line becomes a jsonPayload entry, as on Cloud Run.
 * Timestamps and ingestion delays are on the emulator's clock; list and tail see what is due when
 * they read.
 */
public final class LogStore {
  public static final String STDOUT = "run.googleapis.com%2Fstdout";
  public static final String STDERR = "run.googleapis.com%2Fstderr";
  public static final String SYSTEM = "run.googleapis.com%2Fvarlog%2Fsystem";
  private static final int MAX_ENTRIES = 100_000;
  private static final String LABELS_FIELD = "logging.googleapis.com/labels";

  private record Pending(long visibleAtMillis, LogEntry entry) {}

  private final LoggingConfig config;
  private final Clock clock;

  /** Everything written, in writing order: the ground truth tests and benchmarks look at. */
  private final List<LogEntry> written = new ArrayList<>();

  private final PriorityQueue<Pending> pending =
      new PriorityQueue<>((a, b) -> Long.compare(a.visibleAtMillis, b.visibleAtMillis));

  /** Visible entries in timestamp order, for ListLogEntries. */
  private final NavigableMap<LogPosition, LogEntry> visible = new TreeMap<>();

  /**
   * Visible entries in the order they became visible, for TailLogEntries; index = arrivalBase + i.
   */
  private final List<LogEntry> arrivals = new ArrayList<>();

  private long arrivalBase;
  private final AtomicLong sequence = new AtomicLong();
  private long lastNanos;

  public LogStore() {
    this(LoggingConfig.defaults());
  }

  public LogStore(LoggingConfig config) {
    this(config, Clock.systemUTC());
  }

  public LogStore(LoggingConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  public LoggingConfig config() {
    return config;
  }

  /** The clock entries are stamped and released on. */
  public Clock clock() {
    return clock;
  }

  /** The labels of one revision's monitored resource (cloud_run_revision). */
  public record Source(String project, String location, String service, String revision) {
    MonitoredResource resource() {
      return MonitoredResource.newBuilder()
          .setType("cloud_run_revision")
          .putLabels("project_id", project)
          .putLabels("location", location)
          .putLabels("service_name", service)
          .putLabels("revision_name", revision)
          .putLabels("configuration_name", service)
          .build();
    }
  }

  public void stdout(Source source, String line) {
    append(source, STDOUT, LogSeverity.DEFAULT, line);
  }

  /**
   * A stdout line that becomes visible after exactly {@code ingestionDelay} (for tests of late
   * entries).
   */
  public void stdout(Source source, String line, Duration ingestionDelay) {
    append(source, STDOUT, LogSeverity.DEFAULT, line, ingestionDelay.toMillis());
  }

  /** A system entry that becomes visible after exactly {@code ingestionDelay}. */
  public void system(Source source, LogSeverity severity, String text, Duration ingestionDelay) {
    append(source, SYSTEM, severity, text, ingestionDelay.toMillis());
  }

  public void stderr(Source source, String line) {
    append(source, STDERR, LogSeverity.ERROR, line);
  }

  public void system(Source source, LogSeverity severity, String text) {
    append(source, SYSTEM, severity, text);
  }

  private void append(Source source, String logId, LogSeverity severity, String text) {
    append(
        source,
        logId,
        severity,
        text,
        ThreadLocalRandom.current()
            .nextLong(
                config.minIngestionDelay().toMillis(), config.maxIngestionDelay().toMillis() + 1));
  }

  private synchronized void append(
      Source source, String logId, LogSeverity severity, String text, long delay) {
    Timestamp now = nextTimestamp();
    long visibleAt = clock.millis() + delay;
    LogEntry.Builder entry =
        LogEntry.newBuilder()
            .setLogName("projects/" + source.project() + "/logs/" + logId)
            .setResource(source.resource())
            .setSeverity(severity)
            .setTimestamp(now)
            .setReceiveTimestamp(
                Timestamp.newBuilder()
                    .setSeconds(visibleAt / 1000)
                    .setNanos((int) (visibleAt % 1000) * 1_000_000))
            .setInsertId(String.format(Locale.ROOT, "%016x", sequence.incrementAndGet()));
    Struct json = logId.equals(SYSTEM) ? null : jsonObject(text);
    if (json == null) {
      entry.setTextPayload(text);
    } else {
      structured(entry, json);
    }
    LogEntry built = entry.build();
    written.add(built);
    if (written.size() > MAX_ENTRIES) {
      written.subList(0, written.size() - MAX_ENTRIES).clear();
    }
    pending.add(new Pending(visibleAt, built));
    release();
    notifyAll();
  }

  /**
   * Cloud Run's structured logging: severity and labels are lifted out of the JSON; the rest is
   * jsonPayload.
   */
  private static void structured(LogEntry.Builder entry, Struct json) {
    Struct.Builder payload = json.toBuilder();
    Value severity = json.getFieldsOrDefault("severity", null);
    if (severity != null && severity.hasStringValue()) {
      try {
        entry.setSeverity(LogSeverity.valueOf(severity.getStringValue().toUpperCase(Locale.ROOT)));
        payload.removeFields("severity");
      } catch (IllegalArgumentException unknown) {
        // stays in the payload, as Cloud Logging keeps fields it does not understand
      }
    }
    Value labels = json.getFieldsOrDefault(LABELS_FIELD, null);
    if (labels != null && labels.hasStructValue()) {
      for (Map.Entry<String, Value> l : labels.getStructValue().getFieldsMap().entrySet()) {
        entry.putLabels(l.getKey(), l.getValue().getStringValue());
      }
      payload.removeFields(LABELS_FIELD);
    }
    entry.setJsonPayload(payload);
  }

  private static Struct jsonObject(String line) {
    String t = line.trim();
    if (!t.startsWith("{") || !t.endsWith("}")) {
      return null;
    }
    Struct.Builder b = Struct.newBuilder();
    try {
      JsonFormat.parser().merge(t, b);
      return b.build();
    } catch (InvalidProtocolBufferException | RuntimeException notJson) {
      return null;
    }
  }

  /** Strictly increasing timestamps, so the order of writing is the timestamp order. */
  private Timestamp nextTimestamp() {
    Instant now = clock.instant();
    long nanos = Math.max(now.getEpochSecond() * 1_000_000_000L + now.getNano(), lastNanos + 1000);
    lastNanos = nanos;
    return Timestamp.newBuilder()
        .setSeconds(nanos / 1_000_000_000L)
        .setNanos((int) (nanos % 1_000_000_000L))
        .build();
  }

  /** Makes visible every entry whose ingestion delay has passed. */
  private void release() {
    long now = clock.millis();
    while (!pending.isEmpty() && pending.peek().visibleAtMillis() <= now) {
      LogEntry e = pending.poll().entry();
      visible.put(LogPosition.of(e), e);
      arrivals.add(e);
    }
    while (visible.size() > MAX_ENTRIES) {
      visible.pollFirstEntry();
    }
    if (arrivals.size() > MAX_ENTRIES) {
      int drop = arrivals.size() - MAX_ENTRIES;
      arrivals.subList(0, drop).clear();
      arrivalBase += drop;
    }
  }

  /**
   * Every entry written so far, visible or not yet (the ground truth; the API sees only visible
   * ones).
   */
  public synchronized List<LogEntry> matching(Predicate<LogEntry> filter) {
    return written.stream().filter(filter).toList();
  }

  /**
   * One page of a scan in timestamp order; {@code next} is where the next page starts, null at the
   * end.
   */
  record Scan(List<LogEntry> entries, LogPosition next) {}

  /**
   * Visible entries after {@code after} (exclusive; null = from the start) matching the filter, at
   * most {@code pageSize}, looking at no more than the config's scan budget: a page can be short or
   * empty and still have a next position.
   */
  synchronized Scan scan(
      Predicate<LogEntry> filter, boolean descending, LogPosition after, int pageSize) {
    release();
    NavigableMap<LogPosition, LogEntry> view = descending ? visible.descendingMap() : visible;
    if (after != null) {
      view = view.tailMap(after, false);
    }
    List<LogEntry> page = new ArrayList<>();
    int scanned = 0;
    LogPosition last = null;
    for (Iterator<Map.Entry<LogPosition, LogEntry>> it = view.entrySet().iterator();
        it.hasNext(); ) {
      if (page.size() == pageSize || scanned == config.listScanBudget()) {
        return new Scan(page, last);
      }
      Map.Entry<LogPosition, LogEntry> e = it.next();
      scanned++;
      last = e.getKey();
      if (filter.test(e.getValue())) {
        page.add(e.getValue());
      }
    }
    return new Scan(page, null);
  }

  /** The arrival index the next entry to become visible will have. */
  synchronized long arrivalCursor() {
    release();
    return arrivalBase + arrivals.size();
  }

  /** Entries that became visible at or after arrival index {@code cursor}, in arrival order. */
  synchronized List<LogEntry> arrivedSince(long cursor) {
    release();
    int from = (int) Math.max(0, cursor - arrivalBase);
    return from >= arrivals.size()
        ? List.of()
        : List.copyOf(arrivals.subList(from, arrivals.size()));
  }
}
