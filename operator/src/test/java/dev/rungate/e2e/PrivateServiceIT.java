package dev.rungate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTargetStatus;
import dev.rungate.api.Phase;
import dev.rungate.e2e.stack.Stack;
import dev.rungate.emulator.EmulatorClients;
import dev.rungate.testing.Processes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A private service (deployed without --allow-unauthenticated): its tag URL refuses anonymous
 * requests, and the operator, given the emulator's metadata server through GCE_METADATA_HOST as on
 * GKE, probes the candidate with Google ID tokens and promotes it.
 */
@Tag("real")
@Order(3) // the longest classes start first (scripts/test runs several at once)
class PrivateServiceIT {
  @Test
  void candidateOfAPrivateServiceIsPromotedWithIdTokenProbes() throws Exception {
    try (Stack s = new Stack("private")) {
      s.publicService = false;
      s.withStableAndCandidate();
      String tagUrl;
      try (EmulatorClients admin = new EmulatorClients(s.emulator.endpoint())) {
        Service svc =
            admin
                .services()
                .getService(
                    "projects/"
                        + Stack.PROJECT
                        + "/locations/"
                        + Stack.REGION
                        + "/services/"
                        + s.service);
        tagUrl =
            svc.getTrafficStatusesList().stream()
                .filter(t -> t.getTag().equals("candidate"))
                .map(TrafficTargetStatus::getUri)
                .findFirst()
                .orElseThrow();
      }
      HttpResponse<String> anonymous =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(tagUrl + "/health/ready"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(403);
      long refusedBefore = s.emulator.ingressRejected();

      s.operatorEnv.putAll(Map.of("GCE_METADATA_HOST", s.emulator.metadataHost()));
      s.startOperator();
      s.apply(s.policy(s.candidate, "2s"));

      Processes.Result wait = s.kubectlWaitPromoted();
      assertThat(wait.exitCode()).as(wait.stderr() + s.operator.log()).isZero();
      var status = s.get().getStatus();
      assertThat(status.phase).isEqualTo(Phase.Promoted);
      assertThat(status.checks).extracting(c -> c.name).contains("ready", "golden-path");
      assertThat(status.checks).allSatisfy(c -> assertThat(c.passed).as(c.message).isTrue());
      assertThat(s.emulator.ingressRejected())
          .as("no probe of the operator was refused")
          .isEqualTo(refusedBefore);
    }
  }
}
