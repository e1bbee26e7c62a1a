package dev.rungate.gate.spec;

import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.checks.Durations;
import dev.rungate.api.checks.HttpCheck;
import dev.rungate.api.checks.NetworkCheck;
import dev.rungate.api.checks.WebSocketCheck;
import dev.rungate.api.spec.RevisionProbe;
import dev.rungate.api.spec.RolloutStep;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.quartz.CronExpression;

/**
 * The checks the CRD schema cannot express. Each error names the field and the fix, e.g.
 * "spec.rollout.steps[2].percent: must be greater than 50 (steps strictly increase); ...".
 */
public final class SpecValidator {
  private SpecValidator() {}

  public static List<String> validate(ReadinessPolicySpec spec) {
    List<String> errors = new ArrayList<>();
    if (spec == null || spec.service == null) {
      errors.add("spec.service: required; set project, region and name of the Cloud Run service");
      return errors;
    }
    requireText(errors, "spec.service.project", spec.service.project);
    requireText(errors, "spec.service.region", spec.service.region);
    requireText(errors, "spec.service.name", spec.service.name);
    validateTagLength(errors, spec);
    validateRollout(errors, spec);
    validateRevision(errors, spec);
    validateDependencies(errors, spec);
    validateNamesUnique(errors, spec);
    if (spec.verification != null
        && spec.verification.schedule != null
        && !CronExpression.isValidExpression(spec.verification.schedule)) {
      errors.add(
          "spec.verification.schedule: '"
              + spec.verification.schedule
              + "' is not a Quartz cron expression; use six or seven fields, e.g. '0 */5 * * * ?'");
    }
    return errors;
  }

  /**
   * Cloud Run refuses a tag that with the service name exceeds 46 characters (platform-facts.md,
   * "Names").
   */
  private static void validateTagLength(List<String> errors, ReadinessPolicySpec spec) {
    String tag =
        spec.candidate == null || spec.candidate.tag == null ? "candidate" : spec.candidate.tag;
    String name = spec.service.name == null ? "" : spec.service.name;
    if (tag.length() + name.length() > 46) {
      errors.add(
          "spec.candidate.tag: '"
              + tag
              + "' and the service name '"
              + name
              + "' together have "
              + (tag.length() + name.length())
              + " characters; Cloud Run allows at most 46: use a tag of at most "
              + Math.max(0, 46 - name.length())
              + " characters");
    }
  }

  private static void validateRollout(List<String> errors, ReadinessPolicySpec spec) {
    if (spec.rollout == null) {
      return;
    }
    duration(errors, "spec.rollout.progressDeadline", spec.rollout.progressDeadline);
    var window = spec.rollout.window;
    if (window != null) {
      if (window.schedule == null || !CronExpression.isValidExpression(window.schedule)) {
        errors.add(
            "spec.rollout.window.schedule: '"
                + window.schedule
                + "' is not a Quartz cron expression;"
                + " match the seconds inside the window, e.g. '* * 9-16 ? * MON-FRI'");
      }
      if (window.timeZone != null && !ZoneId.getAvailableZoneIds().contains(window.timeZone)) {
        errors.add(
            "spec.rollout.window.timeZone: '"
                + window.timeZone
                + "' is not an IANA time zone; use e.g. Europe/Berlin or UTC");
      }
    }
    List<RolloutStep> steps = spec.rollout.steps;
    if (steps == null || steps.isEmpty()) {
      return;
    }
    int previous = 0;
    for (int i = 0; i < steps.size(); i++) {
      RolloutStep s = steps.get(i);
      String field = "spec.rollout.steps[" + i + "]";
      if (s == null || s.percent == null || s.percent < 1 || s.percent > 100) {
        errors.add(field + ".percent: required, 1-100");
        return;
      }
      if (s.percent <= previous) {
        errors.add(
            field
                + ".percent: "
                + s.percent
                + " must be greater than "
                + previous
                + "; steps must strictly increase");
      }
      previous = s.percent;
      duration(errors, field + ".pause", s.pause);
    }
    if (previous != 100) {
      errors.add(
          "spec.rollout.steps["
              + (steps.size() - 1)
              + "].percent: the last step must be 100, not "
              + previous
              + "; add {percent: 100}");
    }
  }

  private static void validateRevision(List<String> errors, ReadinessPolicySpec spec) {
    var rev = spec.revision;
    if (rev == null) {
      return;
    }
    duration(errors, "spec.revision.observeFor", rev.observeFor);
    if (rev.failOnExitCodes != null) {
      for (int i = 0; i < rev.failOnExitCodes.size(); i++) {
        Integer code = rev.failOnExitCodes.get(i);
        if (code == null || code < 1 || code > 255) {
          errors.add(
              "spec.revision.failOnExitCodes["
                  + i
                  + "]: "
                  + code
                  + " is not an exit code; use 1-255");
        }
      }
    }
    if (rev.probes != null) {
      for (int i = 0; i < rev.probes.size(); i++) {
        RevisionProbe p = rev.probes.get(i);
        String field = "spec.revision.probes[" + i + "]";
        if (count(p.http, p.websocket) != 1) {
          errors.add(field + ": set exactly one of http or websocket");
          continue;
        }
        String path = p.http != null ? p.http.path : p.websocket.path;
        String kind = p.http != null ? ".http" : ".websocket";
        if (path == null || !path.startsWith("/")) {
          errors.add(field + kind + ".path: required and must start with '/', e.g. /health/ready");
        }
        duration(errors, field + ".timeout", p.timeout);
      }
    }
  }

  private static void validateDependencies(List<String> errors, ReadinessPolicySpec spec) {
    var deps = spec.dependencies;
    if (deps == null) {
      return;
    }
    if (deps.memorystore != null) {
      for (int i = 0; i < deps.memorystore.size(); i++) {
        var m = deps.memorystore.get(i);
        String field = "spec.dependencies.memorystore[" + i + "]";
        errors.addAll(MemorystoreRules.validate(field, m));
        if (m.authSecretRef != null
            && (blank(m.authSecretRef.name) || blank(m.authSecretRef.key))) {
          errors.add(
              field
                  + ".authSecretRef: set both name and key of the Secret holding the AUTH string");
        }
        duration(errors, field + ".timeout", m.timeout);
        duration(errors, field + ".maxLatency", m.maxLatency);
      }
    }
    if (deps.network != null) {
      for (int i = 0; i < deps.network.size(); i++) {
        validateNetwork(errors, "spec.dependencies.network[" + i + "]", deps.network.get(i));
      }
    }
  }

  private static void validateNetwork(List<String> errors, String field, NetworkCheck n) {
    if (count(n.tcp, n.http, n.dns, n.websocket) != 1) {
      errors.add(field + ": set exactly one of tcp, http, dns or websocket");
      return;
    }
    HttpCheck http = n.http;
    WebSocketCheck ws = n.websocket;
    if (http != null && (http.url == null || !http.url.matches("^https?://.+"))) {
      errors.add(field + ".http.url: required, an absolute http:// or https:// URL");
    }
    if (ws != null && (ws.url == null || !ws.url.matches("^wss?://.+"))) {
      errors.add(field + ".websocket.url: required, an absolute ws:// or wss:// URL");
    }
    duration(errors, field + ".timeout", n.timeout);
  }

  private static void validateNamesUnique(List<String> errors, ReadinessPolicySpec spec) {
    Set<String> seen = new HashSet<>();
    Stream<String> names =
        Stream.concat(
            spec.dependencies == null
                ? Stream.empty()
                : Stream.concat(
                    spec.dependencies.memorystore == null
                        ? Stream.empty()
                        : spec.dependencies.memorystore.stream().map(m -> m.name),
                    spec.dependencies.network == null
                        ? Stream.empty()
                        : spec.dependencies.network.stream().map(n -> n.name)),
            spec.revision == null || spec.revision.probes == null
                ? Stream.empty()
                : spec.revision.probes.stream().map(p -> p.name));
    names
        .filter(n -> n != null && !seen.add(n))
        .distinct()
        .forEach(
            n ->
                errors.add(
                    "check name '"
                        + n
                        + "' is used twice; give every dependency and probe its own name"));
  }

  private static void duration(List<String> errors, String field, String value) {
    try {
      Durations.parse(value, null);
    } catch (IllegalArgumentException e) {
      errors.add(field + ": " + e.getMessage());
    }
  }

  private static void requireText(List<String> errors, String field, String value) {
    if (blank(value)) {
      errors.add(field + ": required");
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static int count(Object... parts) {
    int n = 0;
    for (Object p : parts) {
      n += p == null ? 0 : 1;
    }
    return n;
  }
}
