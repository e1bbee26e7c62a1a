package dev.rungate.emulator.rules;

import com.google.cloud.run.v2.ServicesClient;
import com.google.iam.v1.Binding;
import com.google.iam.v1.GetIamPolicyRequest;
import com.google.iam.v1.Policy;
import com.google.iam.v1.SetIamPolicyRequest;

/**
 * gcloud's --[no-]allow-unauthenticated: allUsers as roles/run.invoker in the service's IAM policy.
 * Without it a service is private: its URLs need an ID token (platform-facts.md, "Private
 * services").
 */
public final class Invokers {
  public static final String INVOKER = "roles/run.invoker";
  public static final String ALL_USERS = "allUsers";

  private Invokers() {}

  public static boolean isPublic(Policy policy) {
    return policy.getBindingsList().stream()
        .anyMatch(b -> b.getRole().equals(INVOKER) && b.getMembersList().contains(ALL_USERS));
  }

  public static void allowUnauthenticated(
      ServicesClient services, String serviceName, boolean allow) {
    Policy current =
        services.getIamPolicy(GetIamPolicyRequest.newBuilder().setResource(serviceName).build());
    Policy.Builder next = current.toBuilder().clearBindings();
    for (Binding b : current.getBindingsList()) {
      Binding kept =
          b.getRole().equals(INVOKER)
              ? b.toBuilder()
                  .clearMembers()
                  .addAllMembers(
                      b.getMembersList().stream().filter(m -> !m.equals(ALL_USERS)).toList())
                  .build()
              : b;
      if (kept.getMembersCount() > 0) {
        next.addBindings(kept);
      }
    }
    if (allow) {
      next.addBindings(Binding.newBuilder().setRole(INVOKER).addMembers(ALL_USERS));
    }
    services.setIamPolicy(
        SetIamPolicyRequest.newBuilder().setResource(serviceName).setPolicy(next).build());
  }
}
