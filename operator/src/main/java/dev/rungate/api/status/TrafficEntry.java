package dev.rungate.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrafficEntry {
  @JsonPropertyDescription("Revision name.")
  public String revision;

  @JsonPropertyDescription("Percent of traffic.")
  public Integer percent;

  @JsonPropertyDescription("Tag, if any.")
  public String tag;

  public TrafficEntry() {}

  public TrafficEntry(String revision, int percent, String tag) {
    this.revision = revision;
    this.percent = percent;
    this.tag = tag;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrafficEntry t
        && Objects.equals(revision, t.revision)
        && Objects.equals(percent, t.percent)
        && Objects.equals(tag, t.tag);
  }

  @Override
  public int hashCode() {
    return Objects.hash(revision, percent, tag);
  }

  @Override
  public String toString() {
    return revision + "=" + percent + "%" + (tag == null ? "" : "(" + tag + ")");
  }
}
