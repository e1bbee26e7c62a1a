package dev.rungate.cloudrun;

import dev.rungate.api.ServiceRef;
import dev.rungate.api.TrafficEntry;
import java.util.List;

/**
 * The in-memory Cloud Run of {@code rungate run --fake-cloud-run}: a service seen for the first time
 * gets a stable revision at 100% and a ready candidate at 0%, so a policy can be walked without Google.
 */
public class SeededCloudRun extends InMemoryCloudRun {
  @Override
  public synchronized ServiceSnapshot getService(ServiceRef ref) {
    try {
      return super.getService(ref);
    } catch (CloudRunException e) {
      String stable = ref.name + "-00001-stable";
      deploy(ref, readyRevision(stable));
      setTrafficByHand(ref, List.of(new TrafficEntry(stable, 100, null)));
      deploy(ref, readyRevision(ref.name + "-00002-candidate"));
      return super.getService(ref);
    }
  }
}
