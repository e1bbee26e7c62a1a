package dev.rungate.signals;

import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Cloud Logging query of a project's feed, the same for its tail stream and its backfill: the
 * revisions' entries that {@link RevisionLog} keeps, and no others. That is the "Container called
 * exit(N)." entries of Cloud Run's system log and every other line of the revision (stdout, stderr,
 * an app's own logs: any of them can be the evidence just before an exit, and an app's access log
 * on stdout is such a line). Left out: Cloud Run's request log (an httpRequest without text, one
 * entry per request, never an exit nor evidence) and the system log's other entries ("Starting new
 * instance", probe failures), which RevisionLog drops anyway.
 */
final class LogQueries {
  static final String EXIT_TEXT = "Container called exit";
  static final String REQUEST_LOG = "run.googleapis.com%2Frequests";

  private LogQueries() {}

  /** The stream's query. */
  static String tail(String project, Set<String> revisions) {
    return "resource.type=\"cloud_run_revision\" AND " + names(revisions) + " AND " + kept(project);
  }

  /** The backfill's query: the same entries with timestamps in [from, to]. */
  static String between(String project, Set<String> revisions, Instant from, Instant to) {
    return tail(project, revisions)
        + " AND timestamp>=\""
        + from
        + "\" AND timestamp<=\""
        + to
        + "\"";
  }

  private static String names(Set<String> revisions) {
    return revisions.stream()
        .map(r -> "resource.labels.revision_name=\"" + r + "\"")
        .collect(Collectors.joining(" OR ", "(", ")"));
  }

  /** Explicit parentheses: in Cloud Logging's query language OR binds tighter than AND. */
  private static String kept(String project) {
    String system = "\"projects/" + project + "/logs/" + RevisionLog.SYSTEM_LOG + "\"";
    String requests = "\"projects/" + project + "/logs/" + REQUEST_LOG + "\"";
    return "((logName="
        + system
        + " AND textPayload:\""
        + EXIT_TEXT
        + "\") OR (logName!="
        + system
        + " AND logName!="
        + requests
        + "))";
  }
}
