package dev.rungate.gate.instances;

import dev.rungate.api.checks.MemorystoreCheck;
import dev.rungate.api.checks.RevisionEnv;
import dev.rungate.api.checks.TlsSpec;
import dev.rungate.domain.MemorystoreInstance;
import dev.rungate.domain.RevisionSnapshot;
import dev.rungate.gate.status.Block;
import dev.rungate.gate.status.Reasons;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration drift: the revision's environment variables named in {@code revisionEnv} must point
 * where the dependency really is (the instance's host, port and in-transit encryption, or the
 * check's host/port/TLS when it names no instance). Pure: no I/O.
 */
public final class ConfigDrift {
  private ConfigDrift() {}

  /** Where a check's dependency really is. */
  record Target(String where, String host, int port, boolean tls) {}

  /**
   * @param instances the instances found, by check name (a check whose instance was not found is
   *     skipped: its probe fails)
   * @return a ConfigDrift block naming each variable, its value and the real value, or empty
   */
  public static Optional<Block> check(
      List<MemorystoreCheck> checks,
      Map<String, MemorystoreInstance> instances,
      RevisionSnapshot revision) {
    if (checks == null || revision == null) {
      return Optional.empty();
    }
    List<String> drifts = new ArrayList<>();
    List<String> fixes = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      MemorystoreCheck c = checks.get(i);
      Optional<Target> target = targetOf(c, instances.get(c.name));
      if (c.revisionEnv == null || target.isEmpty()) {
        continue;
      }
      compare(c.revisionEnv, target.get(), revision.env(), drifts, fixes);
    }
    if (drifts.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Block(
            Reasons.CONFIG_DRIFT,
            "Revision "
                + revision.name()
                + " is configured for another"
                + " Redis than the one it depends on: "
                + String.join("; ", drifts)
                + ". Redeploy it with "
                + String.join(" ", fixes)
                + " (e.g. gcloud run services update SERVICE --update-env-vars "
                + String.join(",", fixes)
                + "), or correct revisionEnv in the policy."));
  }

  static Optional<Target> targetOf(MemorystoreCheck c, MemorystoreInstance instance) {
    if (c.instance != null) {
      return instance == null
          ? Optional.empty()
          : Optional.of(
              new Target(
                  "instance " + instance.name() + " (check " + c.name + ")",
                  instance.host(),
                  instance.port(),
                  instance.transitEncryption()));
    }
    if (c.host == null) {
      return Optional.empty();
    }
    boolean tls = c.tls != null && c.tls.mode != TlsSpec.Mode.Disabled;
    return Optional.of(new Target("check " + c.name, c.host, c.port == null ? 6379 : c.port, tls));
  }

  private static void compare(
      RevisionEnv vars,
      Target t,
      Map<String, String> env,
      List<String> drifts,
      List<String> fixes) {
    String where =
        " but "
            + t.where()
            + " is at "
            + t.host()
            + ":"
            + t.port()
            + (t.tls() ? " with TLS" : " without TLS");
    if (vars.host != null) {
      String value = env.get(vars.host);
      if (!env.containsKey(vars.host)) {
        drifts.add(vars.host + " is not set" + where);
        fixes.add(vars.host + "=" + t.host());
      } else if (value != null && !sameHost(value, t.host())) {
        drifts.add(vars.host + "=" + value + where);
        fixes.add(vars.host + "=" + t.host());
      }
    }
    if (vars.port != null) {
      String value = env.get(vars.port);
      if (!env.containsKey(vars.port)) {
        drifts.add(vars.port + " is not set" + where);
        fixes.add(vars.port + "=" + t.port());
      } else if (value != null && !String.valueOf(t.port()).equals(value.trim())) {
        drifts.add(vars.port + "=" + value + where);
        fixes.add(vars.port + "=" + t.port());
      }
    }
    if (vars.tls != null && env.get(vars.tls) != null) {
      Boolean on = bool(env.get(vars.tls));
      if (on == null || on != t.tls()) {
        drifts.add(vars.tls + "=" + env.get(vars.tls) + where);
        fixes.add(vars.tls + "=" + t.tls());
      }
    } else if (vars.tls != null && !env.containsKey(vars.tls) && t.tls()) {
      drifts.add(vars.tls + " is not set" + where);
      fixes.add(vars.tls + "=true");
    }
    if (vars.url != null) {
      compareUrl(vars.url, env, t, where, drifts, fixes);
    }
  }

  private static void compareUrl(
      String name,
      Map<String, String> env,
      Target t,
      String where,
      List<String> drifts,
      List<String> fixes) {
    String fixed = (t.tls() ? "rediss://" : "redis://") + t.host() + ":" + t.port();
    if (!env.containsKey(name)) {
      drifts.add(name + " is not set" + where);
      fixes.add(name + "=" + fixed);
      return;
    }
    String value = env.get(name);
    if (value == null) {
      return;
    }
    String shown = redacted(value);
    try {
      URI u = URI.create(value.trim());
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      int port = u.getPort() == -1 ? 6379 : u.getPort();
      boolean ok =
          (scheme.equals("redis") || scheme.equals("rediss"))
              && u.getHost() != null
              && sameHost(u.getHost(), t.host())
              && port == t.port()
              && scheme.equals("rediss") == t.tls();
      if (!ok) {
        drifts.add(name + "=" + shown + where);
        fixes.add(name + "=" + fixed);
      }
    } catch (IllegalArgumentException e) {
      drifts.add(name + "=" + shown + " is not a redis:// URL" + where.replace(" but ", "; "));
      fixes.add(name + "=" + fixed);
    }
  }

  /** A URL without its user info (redis://:PASSWORD@host is common): never show a secret. */
  static String redacted(String url) {
    return url.replaceAll("(?<=://)[^@/]*@", "***@");
  }

  /**
   * Equal ignoring case. A DNS name cannot be compared with an IP without resolving it: such a pair
   * is not reported (the dependency probe still runs); two different IPs or names are.
   */
  static boolean sameHost(String value, String real) {
    String v = value.trim();
    if (v.equalsIgnoreCase(real)) {
      return true;
    }
    return isIp(v) != isIp(real); // a name and an IP: cannot tell without DNS
  }

  private static boolean isIp(String s) {
    return s.matches("^\\d{1,3}(\\.\\d{1,3}){3}$")
        || (s.contains(":") && s.matches("^[0-9a-fA-F:\\[\\]]+$"));
  }

  static Boolean bool(String s) {
    switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "true":
      case "1":
      case "yes":
      case "on":
        return true;
      case "false":
      case "0":
      case "no":
      case "off":
      case "":
        return false;
      default:
        return null;
    }
  }
}
