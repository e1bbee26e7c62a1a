package dev.rungate.gate.spec;

import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.ReadinessPolicyStatus;
import dev.rungate.api.spec.DeployWindow;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.Optional;
import java.util.TimeZone;
import org.quartz.CronExpression;

/** Quartz cron arithmetic for deploy windows and re-verification; pure: the time comes in. */
public final class Schedules {
  private Schedules() {}

  /** Empty when steps may happen at {@code now}; otherwise the next time the window opens. */
  public static Optional<Instant> outsideWindow(DeployWindow window, Instant now) {
    if (window == null || window.schedule == null) {
      return Optional.empty();
    }
    CronExpression cron = cron(window.schedule, window.timeZone);
    if (cron.isSatisfiedBy(Date.from(now))) {
      return Optional.empty();
    }
    Date next = cron.getNextValidTimeAfter(Date.from(now));
    return Optional.of(next == null ? Instant.MAX : next.toInstant());
  }

  /** The most a policy's re-verification waits after its cron fired: the jitter's upper bound. */
  public static final Duration MAX_SPREAD = Duration.ofSeconds(60);

  /**
   * True when spec.verification.schedule has fired since the last verification (or never ran) and
   * the policy's offset after that fire time has passed.
   */
  public static boolean verificationDue(
      ReadinessPolicySpec spec, ReadinessPolicyStatus status, Instant now) {
    return verificationFiredAt(spec, status, now).isPresent();
  }

  /**
   * The fire time a re-verification answers, when one is due: results older than it do not count.
   * It is due at the fire time plus {@link #verificationOffset}, so many policies on one cron do
   * not probe at once.
   */
  public static Optional<Instant> verificationFiredAt(
      ReadinessPolicySpec spec, ReadinessPolicyStatus status, Instant now) {
    if (spec.verification == null
        || spec.verification.schedule == null
        || !CronExpression.isValidExpression(spec.verification.schedule)) {
      return Optional.empty();
    }
    if (status == null || status.lastVerifiedAt == null) {
      return Optional.of(Instant.EPOCH);
    }
    CronExpression cron = cron(spec.verification.schedule, null);
    Date next = cron.getNextValidTimeAfter(Date.from(Instant.parse(status.lastVerifiedAt)));
    if (next == null) {
      return Optional.empty();
    }
    Instant fire = next.toInstant();
    Instant due =
        fire.plus(verificationOffset(spec.verification.schedule, policyIdentity(spec), fire));
    return due.isAfter(now) ? Optional.empty() : Optional.of(fire);
  }

  /**
   * What the jitter offset is derived from: the gated service's resource name (stable across
   * restarts).
   */
  public static String policyIdentity(ReadinessPolicySpec spec) {
    return spec.service == null ? "" : spec.service.resourceName();
  }

  /**
   * The policy's stable delay after a fire time of {@code schedule} (UTC): in [0, spread) where
   * spread is a quarter of the interval to the next fire, at most {@link #MAX_SPREAD}; from a
   * SHA-256 of {@code identity}.
   */
  public static Duration verificationOffset(String schedule, String identity, Instant fire) {
    Date after = cron(schedule, null).getNextValidTimeAfter(Date.from(fire));
    long interval =
        after == null ? MAX_SPREAD.toMillis() * 4 : after.getTime() - fire.toEpochMilli();
    long spread = Math.min(interval / 4, MAX_SPREAD.toMillis());
    if (spread <= 0) {
      return Duration.ZERO;
    }
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return Duration.ofMillis(Long.remainderUnsigned(ByteBuffer.wrap(h).getLong(), spread));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }

  static CronExpression cron(String expression, String timeZone) {
    try {
      CronExpression cron = new CronExpression(expression);
      cron.setTimeZone(
          TimeZone.getTimeZone(
              ZoneId.of(timeZone == null || timeZone.isBlank() ? "UTC" : timeZone)));
      return cron;
    } catch (ParseException e) {
      throw new IllegalArgumentException(
          "'" + expression + "' is not a Quartz cron expression: " + e.getMessage(), e);
    }
  }
}
