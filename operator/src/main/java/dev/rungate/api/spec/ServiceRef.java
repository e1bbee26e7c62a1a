package dev.rungate.api.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

public class ServiceRef {
  @Required
  @Pattern("^[a-z][-a-z0-9]{4,28}[a-z0-9]$")
  @JsonPropertyDescription("Google Cloud project ID, e.g. netra-staging.")
  public String project;

  @Required
  @Pattern("^[a-z]+-[a-z]+[0-9]+$")
  @JsonPropertyDescription("Cloud Run region, e.g. us-central1.")
  public String region;

  @Required
  @Pattern("^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$")
  @JsonPropertyDescription("Cloud Run service name.")
  public String name;

  public ServiceRef() {}

  public ServiceRef(String project, String region, String name) {
    this.project = project;
    this.region = region;
    this.name = name;
  }

  /** The reference a resource name projects/P/locations/R/services/S names. */
  public static ServiceRef parse(String resourceName) {
    String[] p = resourceName.split("/");
    if (p.length != 6
        || !p[0].equals("projects")
        || !p[2].equals("locations")
        || !p[4].equals("services")) {
      throw new IllegalArgumentException("not a Cloud Run service name: " + resourceName);
    }
    return new ServiceRef(p[1], p[3], p[5]);
  }

  /** The resource name the Admin API v2 uses: projects/P/locations/R/services/S. */
  public String resourceName() {
    return "projects/" + project + "/locations/" + region + "/services/" + name;
  }
}
