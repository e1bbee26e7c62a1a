package dev.rungate.runtime;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.LeaderElectionManager;
import io.javaoperatorsdk.operator.Operator;
import java.lang.reflect.Field;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a replica leaves the leader-election Lease. Losing the Lease while running ends the process
 * (it must never reconcile alongside the new leader). A graceful stop (SIGTERM) first stops
 * reconciling and then gives the Lease up, so a stand-by takes over at its next try instead of
 * waiting for the Lease to expire.
 *
 * <p>JOSDK's own exit-on-stop-leading calls {@code System.exit} from the stop-leading callback,
 * which runs inside the JVM shutdown hook when the operator is stopped there, and blocks forever;
 * and it never releases the Lease. So JOSDK is configured not to exit, and this class decides.
 */
final class LeaseHandoff {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseHandoff.class);

  private final String namespace;
  private final String name;
  private final String identity;
  private final boolean exitOnLoss;
  private final AtomicBoolean stopping = new AtomicBoolean();

  LeaseHandoff(String namespace, String name, String identity, boolean exitOnLoss) {
    this.namespace = namespace;
    this.name = name;
    this.identity = identity;
    this.exitOnLoss = exitOnLoss;
  }

  String identity() {
    return identity;
  }

  /** The callbacks JOSDK calls besides its own (which only log when not configured to exit). */
  LeaderCallbacks callbacks() {
    return new LeaderCallbacks(
        () -> LOG.info("Leading as {} (Lease {}/{})", identity, namespace, name),
        this::stoppedLeading,
        leader -> {});
  }

  private void stoppedLeading() {
    if (stopping.get()) {
      return;
    }
    LOG.warn(
        "Lost the Lease {}/{} (another replica leads now); exiting so two replicas never reconcile at once",
        namespace,
        name);
    if (exitOnLoss) {
      // not from the shutdown hook (stopping is false): exit runs the hook, which stops the
      // operator
      Thread exit = new Thread(() -> System.exit(1), "rungate-lease-lost");
      exit.start();
    }
  }

  /**
   * Stops this replica's leader election (JOSDK's {@code LeaderElectionManager.stop()}), so it
   * neither renews nor takes back a Lease it released. JOSDK 5.2 stops it only at the end of {@code
   * Operator.stop()}, after the informers and executors, and offers no accessor: the field is read
   * reflectively. False when it cannot be (another JOSDK version): the Lease is then released after
   * {@code Operator.stop()}, as before.
   */
  static boolean stopElection(Operator operator) {
    try {
      Field field = Operator.class.getDeclaredField("leaderElectionManager");
      field.setAccessible(true);
      ((LeaderElectionManager) field.get(operator)).stop();
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("Cannot stop the leader election before the operator: {}", e.toString());
      return false;
    }
  }

  /** Called before the operator stops: losing the Lease from now on is expected. */
  void stopping() {
    stopping.set(true);
  }

  /**
   * Gives the Lease up if this replica still holds it: no holder, a one-second duration, renewed
   * now. It is a PUT of the Lease as read (its resourceVersion), so a Lease another replica took
   * meanwhile is left alone (409). Not Fabric8's {@code LeaseLock.update}: its JSON merge patch
   * leaves a null holderIdentity out, so the holder stayed and a stand-by had to wait for the
   * one-second duration to run out. Returns whether it released.
   */
  boolean release(KubernetesClient client) {
    try {
      Lease lease = client.resources(Lease.class).inNamespace(namespace).withName(name).get();
      if (lease == null
          || lease.getSpec() == null
          || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return false;
      }
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setAcquireTime(now);
      lease.getSpec().setRenewTime(now);
      client.resource(lease).update();
      LOG.info("Released the Lease {}/{} held as {}", namespace, name, identity);
      return true;
    } catch (KubernetesClientException e) {
      LOG.warn(
          "Could not release the Lease {}/{} ({}); a stand-by takes over when it expires",
          namespace,
          name,
          e.getStatus() == null ? e.getMessage() : e.getStatus().getReason());
      return false;
    }
  }
}
