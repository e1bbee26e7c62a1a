package dev.rungate.signals;

import com.google.logging.v2.LogEntry;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.rungate.domain.ContainerExit;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Cloud Logging has delivered for one revision: its "Container called exit(N)." entries and
 * the container's lines (text or jsonPayload.message, redacted), keyed by (timestamp, insertId) so
 * late, out-of-order and repeated deliveries land in place once.
 */
final class RevisionLog {
  static final String SYSTEM_LOG = "run.googleapis.com%2Fvarlog%2Fsystem";
  private static final Pattern EXIT = Pattern.compile("Container called exit\\((-?\\d+)\\)\\.");
  private static final int MAX_LINES = 5000;

  record Position(Instant at, String insertId) implements Comparable<Position> {
    @Override
    public int compareTo(Position o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : insertId.compareTo(o.insertId);
    }
  }

  /**
   * A span no stream delivered (a stream was lost) and no backfill has read yet: from the loss
   * minus the lookback, to where the next stream took over ({@code to} null until one has); {@code
   * outage} when the stream failed.
   */
  private static final class Hole {
    final Instant from;
    Instant to;
    boolean outage;

    Hole(Instant from, boolean outage) {
      this.from = from;
      this.outage = outage;
    }
  }

  final String service;
  final String revision;
  volatile long lastAskedMillis = System.currentTimeMillis();

  /**
   * The earliest {@code since} asked for; complete from {@code coveredFrom} on but for the holes
   * (null: not yet).
   */
  private Instant wantedFrom;

  private Instant coveredFrom;
  private final List<Hole> holes = new ArrayList<>();
  private final NavigableMap<Position, Integer> exits = new TreeMap<>();
  private final NavigableMap<Position, String> lines = new TreeMap<>();

  RevisionLog(String service, String revision) {
    this.service = service;
    this.revision = revision;
  }

  synchronized void want(Instant since) {
    lastAskedMillis = System.currentTimeMillis();
    if (wantedFrom == null || since.isBefore(wantedFrom)) {
      wantedFrom = since;
    }
  }

  /** Where a backfill must start for this revision, or null if what was asked is covered. */
  synchronized Instant uncoveredFrom() {
    return wantedFrom != null && (coveredFrom == null || wantedFrom.isBefore(coveredFrom))
        ? wantedFrom
        : null;
  }

  /**
   * A backfill read every page of [from, to] for this revision, and a stream was delivering from
   * before {@code to}: the log is complete from {@code from} on, and the holes within [from, to]
   * are filled.
   */
  synchronized void read(Instant from, Instant to) {
    if (coveredFrom == null || from.isBefore(coveredFrom)) {
      coveredFrom = from;
    }
    holes.removeIf(h -> h.to != null && !h.from.isBefore(from) && !h.to.isAfter(to));
  }

  /**
   * The stream delivering this revision was lost: what it may have missed from {@code from} on is a
   * hole.
   */
  synchronized void lost(Instant from, boolean outage) {
    for (Hole h : holes) {
      if (h.to == null) { // still open: the next stream is not up yet
        h.outage |= outage;
        return;
      }
    }
    holes.add(new Hole(from, outage));
  }

  /**
   * A new stream has delivered since before {@code to}: the open hole ends there; returns where it
   * began (or null).
   */
  synchronized Instant bound(Instant to) {
    for (Hole h : holes) {
      if (h.to == null) {
        h.to = to;
        return h.from;
      }
    }
    return null;
  }

  /**
   * Null when every entry at or after {@code since} has been read (or is on an open stream); else
   * what is not.
   */
  synchronized String unread(Instant since) {
    if (coveredFrom == null || since.isBefore(coveredFrom)) {
      return "reading what revision "
          + revision
          + " logged before it was first asked about: entries from "
          + shown(since)
          + (coveredFrom == null ? " on" : " to " + shown(coveredFrom))
          + " not read yet";
    }
    for (Hole h : holes) {
      if (h.to == null || !h.to.isBefore(since)) {
        Instant from = h.from.isBefore(since) ? since : h.from;
        return "catching up on Cloud Logging after "
            + (h.outage ? "an outage" : "its tail session ended")
            + ": entries of revision "
            + revision
            + " from "
            + shown(from)
            + (h.to == null ? " on" : " to " + shown(h.to))
            + " not read yet";
      }
    }
    return null;
  }

  private static String shown(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  synchronized void add(LogEntry e) {
    Position at =
        new Position(
            Instant.ofEpochSecond(e.getTimestamp().getSeconds(), e.getTimestamp().getNanos()),
            e.getInsertId());
    if (e.getLogName().endsWith(SYSTEM_LOG)) {
      Matcher m = EXIT.matcher(e.getTextPayload());
      if (m.find()) {
        exits.put(at, Integer.parseInt(m.group(1)));
      }
      return;
    }
    String text = text(e);
    if (!text.isEmpty()) {
      lines.put(at, Redaction.line(text));
      if (lines.size() > MAX_LINES) {
        lines.pollFirstEntry();
      }
    }
  }

  /**
   * Exits at or after {@code since}, oldest first, each with the last lines before it (since the
   * previous exit).
   */
  synchronized List<ContainerExit> exitsSince(Instant since) {
    List<ContainerExit> out = new ArrayList<>();
    Position previous = new Position(since, "");
    for (Map.Entry<Position, Integer> exit : exits.tailMap(previous, true).entrySet()) {
      List<String> evidence = new ArrayList<>();
      for (String line :
          lines.subMap(previous, true, exit.getKey(), true).descendingMap().values()) {
        evidence.add(line);
        if (evidence.size() == LoggingExitSignals.EVIDENCE_LINES) {
          break;
        }
      }
      Collections.reverse(evidence);
      out.add(new ContainerExit(revision, exit.getValue(), exit.getKey().at(), evidence));
      previous = exit.getKey();
    }
    return out;
  }

  /** textPayload, or a structured entry's message (the JSON itself when it has none). */
  static String text(LogEntry e) {
    if (e.hasTextPayload()) {
      return e.getTextPayload();
    }
    if (e.hasJsonPayload()) {
      Struct json = e.getJsonPayload();
      Value message = json.getFieldsOrDefault("message", null);
      if (message != null && message.hasStringValue()) {
        return message.getStringValue();
      }
      try {
        return JsonFormat.printer().omittingInsignificantWhitespace().print(json);
      } catch (InvalidProtocolBufferException e2) {
        return "";
      }
    }
    return "";
  }
}
