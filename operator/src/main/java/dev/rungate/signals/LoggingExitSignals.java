package dev.rungate.signals;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.logging.v2.LoggingClient;
import com.google.logging.v2.ListLogEntriesRequest;
import com.google.logging.v2.LogEntry;
import com.google.protobuf.Timestamp;
import dev.rungate.api.ServiceRef;
import dev.rungate.cloudrun.CloudRunException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link ExitSignals} over Cloud Logging v2: the "Container called exit(N)." system entries of a
 * revision, each with the container's last log lines before it (redacted) as evidence.
 */
public final class LoggingExitSignals implements ExitSignals {
  static final int EVIDENCE_LINES = 10;
  private static final Pattern EXIT = Pattern.compile("Container called exit\\((-?\\d+)\\)\\.");
  private static final String SYSTEM_LOG = "run.googleapis.com%2Fvarlog%2Fsystem";

  private static final int CACHED_EXITS = 1000;
  private final LoggingClient logging;
  /** Evidence of exits already read: log entries do not change, so each exit's lines are fetched once, not every poll. */
  private final Map<String, List<String>> evidenceOf = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
          return size() > CACHED_EXITS;
        }
      });

  public LoggingExitSignals(LoggingClient logging) {
    this.logging = logging;
  }

  @Override
  public List<ContainerExit> exitsOf(ServiceRef service, String revision, Instant since) {
    String ofRevision = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"" + service.name
        + "\" AND resource.labels.revision_name=\"" + revision + "\"";
    List<LogEntry> exitEntries = list(service, ofRevision + " AND logName=\"projects/" + service.project
        + "/logs/" + SYSTEM_LOG + "\" AND textPayload:\"Container called exit\" AND timestamp>=\"" + since + "\"",
        "timestamp asc", 100);
    List<ContainerExit> exits = new ArrayList<>();
    Instant previous = since;
    for (LogEntry entry : exitEntries) {
      Matcher m = EXIT.matcher(entry.getTextPayload());
      if (!m.find()) {
        continue;
      }
      Instant at = instant(entry.getTimestamp());
      String key = service.resourceName() + "/" + revision + "@" + at;
      List<String> lines = evidenceOf.get(key);
      if (lines == null) { // read outside the map's lock: other policies' reconciles must not wait on this call
        lines = evidence(service, ofRevision, previous, at);
        evidenceOf.put(key, lines);
      }
      exits.add(new ContainerExit(revision, Integer.parseInt(m.group(1)), at, lines));
      previous = at;
    }
    return exits;
  }

  /** The container's last lines (stdout/stderr, not system entries) between the previous exit and this one. */
  private List<String> evidence(ServiceRef service, String ofRevision, Instant from, Instant at) {
    List<LogEntry> recent = list(service, ofRevision + " AND timestamp>=\"" + from + "\" AND timestamp<=\"" + at + "\"",
        "timestamp desc", 50);
    List<String> lines = new ArrayList<>();
    for (LogEntry e : recent) {
      if (!e.getLogName().endsWith(SYSTEM_LOG) && !e.getTextPayload().isEmpty()) {
        lines.add(Redaction.line(e.getTextPayload()));
        if (lines.size() == EVIDENCE_LINES) {
          break;
        }
      }
    }
    Collections.reverse(lines);
    return lines;
  }

  private List<LogEntry> list(ServiceRef service, String filter, String order, int pageSize) {
    try {
      List<LogEntry> entries = new ArrayList<>();
      ListLogEntriesRequest request = ListLogEntriesRequest.newBuilder()
          .addResourceNames("projects/" + service.project).setFilter(filter).setOrderBy(order)
          .setPageSize(pageSize).build();
      for (LogEntry e : logging.listLogEntriesCallable().call(request).getEntriesList()) {
        entries.add(e);
      }
      return entries;
    } catch (ApiException e) {
      throw new CloudRunException(e.getStatusCode().getCode().name(), e.getMessage(), e);
    }
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
