package dev.rungate.api.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** When traffic steps may happen. Rollbacks are never held back by a window. */
public class DeployWindow {
  @Required
  @JsonPropertyDescription(
      "Quartz cron expression that matches every second inside the window, e.g. '* * 9-16 ? * MON-FRI' = weekdays 09:00:00-16:59:59.")
  public String schedule;

  @JsonPropertyDescription("IANA time zone of the schedule, e.g. Europe/Berlin. Default UTC.")
  public String timeZone;
}
