package dev.rungate.gate;

import dev.rungate.api.DeployWindow;
import dev.rungate.api.ReadinessPolicySpec;
import dev.rungate.api.ReadinessPolicyStatus;
import java.text.ParseException;
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
  static Optional<Instant> outsideWindow(DeployWindow window, Instant now) {
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

  /** True when spec.verification.schedule has fired since the last verification (or never ran). */
  public static boolean verificationDue(ReadinessPolicySpec spec, ReadinessPolicyStatus status, Instant now) {
    return verificationFiredAt(spec, status, now).isPresent();
  }

  /** The fire time a re-verification answers, when one is due: results older than it do not count. */
  static Optional<Instant> verificationFiredAt(ReadinessPolicySpec spec, ReadinessPolicyStatus status, Instant now) {
    if (spec.verification == null || spec.verification.schedule == null
        || !CronExpression.isValidExpression(spec.verification.schedule)) {
      return Optional.empty();
    }
    if (status == null || status.lastVerifiedAt == null) {
      return Optional.of(Instant.EPOCH);
    }
    Date next = cron(spec.verification.schedule, null).getNextValidTimeAfter(Date.from(Instant.parse(status.lastVerifiedAt)));
    return next == null || next.toInstant().isAfter(now) ? Optional.empty() : Optional.of(next.toInstant());
  }

  static CronExpression cron(String expression, String timeZone) {
    try {
      CronExpression cron = new CronExpression(expression);
      cron.setTimeZone(TimeZone.getTimeZone(ZoneId.of(timeZone == null || timeZone.isBlank() ? "UTC" : timeZone)));
      return cron;
    } catch (ParseException e) {
      throw new IllegalArgumentException("'" + expression + "' is not a Quartz cron expression: " + e.getMessage(), e);
    }
  }
}
