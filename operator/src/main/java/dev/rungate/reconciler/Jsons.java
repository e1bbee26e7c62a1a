package dev.rungate.reconciler;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Compares objects by their JSON form. */
final class Jsons {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Jsons() {}

  static String of(Object o) {
    return o == null ? null : SERIALIZATION.asJson(o);
  }
}
