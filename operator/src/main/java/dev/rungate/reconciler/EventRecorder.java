package dev.rungate.reconciler;

import dev.rungate.api.ReadinessPolicy;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events on a policy. The same Event again within 10 minutes is folded into the
 * first one (count and lastTimestamp), as Kubernetes' own recorders do. Never fatal: an Event that
 * cannot be written is logged.
 */
public class EventRecorder implements EventSink {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  static final String COMPONENT = "rungate-operator";
  private static final Duration FOLD_WITHIN = Duration.ofMinutes(10);

  private record Key(String uid, String type, String reason, String message) {}

  private record Written(String name, String namespace, Instant last, int count) {}

  private final KubernetesClient client;
  private final Map<Key, Written> recent = new ConcurrentHashMap<>();

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void record(ReadinessPolicy policy, String type, String reason, String message) {
    var meta = policy.getMetadata();
    String text = truncate(message);
    Key key = new Key(meta.getUid(), type, reason, text);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    recent.values().removeIf(w -> w.last().plus(FOLD_WITHIN).isBefore(now));
    try {
      Written seen = recent.get(key);
      if (seen != null && fold(seen, now)) {
        recent.put(key, new Written(seen.name(), seen.namespace(), now, seen.count() + 1));
        return;
      }
      Event created =
          client
              .v1()
              .events()
              .inNamespace(meta.getNamespace())
              .resource(newEvent(policy, type, reason, text, now))
              .create();
      recent.put(key, new Written(created.getMetadata().getName(), meta.getNamespace(), now, 1));
    } catch (KubernetesClientException e) {
      LOG.warn(
          "could not record event {} on {}/{}: {}",
          reason,
          meta.getNamespace(),
          meta.getName(),
          e.getMessage());
    }
  }

  /**
   * Adds one to the count of an Event written before, with a merge patch and no read (the chart
   * grants Events create and patch only); false when it is gone (then a new one is written).
   */
  private boolean fold(Written seen, Instant now) {
    String patch = "{\"count\":" + (seen.count() + 1) + ",\"lastTimestamp\":\"" + now + "\"}";
    try {
      Event known =
          new EventBuilder()
              .withNewMetadata()
              .withName(seen.name())
              .withNamespace(seen.namespace())
              .endMetadata()
              .build(); // given, so the client does not GET the Event first (the chart grants no
      // get)
      client
          .v1()
          .events()
          .inNamespace(seen.namespace())
          .resource(known)
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private static Event newEvent(
      ReadinessPolicy policy, String type, String reason, String message, Instant now) {
    var meta = policy.getMetadata();
    return new EventBuilder()
        .withNewMetadata()
        .withGenerateName(meta.getName() + ".")
        .withNamespace(meta.getNamespace())
        .endMetadata()
        .withInvolvedObject(
            new ObjectReferenceBuilder()
                .withApiVersion(policy.getApiVersion())
                .withKind(policy.getKind())
                .withName(meta.getName())
                .withNamespace(meta.getNamespace())
                .withUid(meta.getUid())
                .build())
        .withType(type)
        .withReason(reason)
        .withMessage(message)
        .withFirstTimestamp(now.toString())
        .withLastTimestamp(now.toString())
        .withCount(1)
        .withNewSource()
        .withComponent(COMPONENT)
        .endSource()
        .withReportingComponent(COMPONENT)
        .withReportingInstance(COMPONENT)
        .build();
  }

  private static String truncate(String message) {
    return message.length() <= 1024 ? message : message.substring(0, 1021) + "...";
  }
}
