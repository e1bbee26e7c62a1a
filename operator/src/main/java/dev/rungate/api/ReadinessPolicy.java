package dev.rungate.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A deploy gate for one Cloud Run service: verify, then move traffic to a candidate in steps, or
 * roll back.
 */
@Group(ReadinessPolicy.GROUP)
@Version(ReadinessPolicy.VERSION)
@ShortNames("rpol")
@AdditionalPrinterColumn(
    name = "Service",
    jsonPath = ".spec.service.name",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Stable",
    jsonPath = ".status.stableRevision",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Candidate",
    jsonPath = ".status.candidateRevision",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Traffic",
    jsonPath = ".status.candidatePercent",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class ReadinessPolicy extends CustomResource<ReadinessPolicySpec, ReadinessPolicyStatus>
    implements Namespaced {
  public static final String GROUP = "rungate.dev";
  public static final String VERSION = "v1alpha1";
}
