package dev.rungate.runtime;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Gives every meter registered without a description (JOSDK's operator.sdk.* meters) a HELP text,
 * so the Prometheus exposition passes promtool's lint ("no help text") and dashboards show one.
 */
final class MetricHelp implements MeterFilter {
  @Override
  public Meter.Id map(Meter.Id id) {
    if (id.getDescription() != null && !id.getDescription().isBlank()) {
      return id;
    }
    String help =
        id.getName().startsWith("operator.sdk.")
            ? "Java Operator SDK metric " + id.getName()
            : id.getName();
    return new Meter.Id(
        id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), help, id.getType());
  }
}
