package dev.rungate.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The emulator's Cloud Run Admin API v2 driven by another language's official client: Google's
 * Node.js
 *
 * @google-cloud/run (ServicesClient, RevisionsClient, and its long-running-operation promise()),
 *     over an insecure local channel without credentials. Each check prints one JSON line
 *     (emulator/src/test/node/ conformance-run.js); the revisions are real processes (the test app
 *     answering with its revision name).
 */
@Tag("real")
class NodeRunConformanceTest {
  @Test
  void theNodeClientReadsDeploysMovesTrafficAndFollowsOperations() throws Exception {
    try (EmulatorServer server = EmulatorServer.start(0, EmulatorConfig.defaults())) {
      List<String> out =
          NodeClients.run(
              "conformance-run.js",
              "127.0.0.1",
              Integer.toString(server.port()),
              EmulatorFixture.PARENT,
              EmulatorFixture.PYTHON,
              EmulatorFixture.app("revision_app.py"));

      assertThat(out)
          .contains(
              "{\"check\":\"allowMissing\",\"latestReady\":\"node-svc-a\",\"reconciling\":false,\"generation\":1,"
                  + "\"observedGeneration\":1,\"terminal\":\"CONDITION_SUCCEEDED\",\"traffic\":[\"node-svc-a=100\"]}",
              "{\"check\":\"get\",\"latestReady\":\"node-svc-b\",\"latestCreated\":\"node-svc-b\",\"uri\":true,"
                  + "\"tagUri\":true,\"reconciling\":false,\"generation\":2,\"observedGeneration\":2,"
                  + "\"terminal\":\"CONDITION_SUCCEEDED\",\"traffic\":[\"node-svc-a=100\",\"node-svc-b=0:next\"]}",
              "{\"check\":\"list\",\"names\":[\"node-svc\"]}",
              "{\"check\":\"revisions\",\"revisions\":["
                  + "{\"name\":\"node-svc-b\",\"timeout\":300,\"concurrency\":80,\"cpu\":\"1000m\",\"memory\":\"512Mi\","
                  + "\"port\":8080,\"ready\":\"CONDITION_SUCCEEDED\"},"
                  + "{\"name\":\"node-svc-a\",\"timeout\":300,\"concurrency\":80,\"cpu\":\"1000m\",\"memory\":\"512Mi\","
                  + "\"port\":8080,\"ready\":\"CONDITION_SUCCEEDED\"}]}",
              "{\"check\":\"getRevision\",\"name\":\"node-svc-a\",\"service\":\"node-svc\",\"reconciling\":false}",
              // accepted: reconciling, the previous traffic still reported, observed_generation
              // behind
              "{\"check\":\"moveAccepted\",\"done\":false,\"metadata\":\"node-svc\",\"reconciling\":true,\"generation\":3,"
                  + "\"observedGeneration\":2,\"terminal\":\"CONDITION_RECONCILING\","
                  + "\"traffic\":[\"node-svc-a=100\",\"node-svc-b=0:next\"]}",
              // promise() resolved: settled, observed_generation caught up; update_mask=traffic
              // kept the template
              "{\"check\":\"moveDone\",\"done\":true,\"template\":\"node-svc-b\",\"reconciling\":false,\"generation\":3,"
                  + "\"observedGeneration\":3,\"terminal\":\"CONDITION_SUCCEEDED\","
                  + "\"traffic\":[\"node-svc-a=50\",\"node-svc-b=50:next\"]}",
              // the error arrives inside the operation; the last serving state stays
              "{\"check\":\"missingRevision\",\"accepted\":true,\"code\":13,"
                  + "\"message\":\"Revision 'node-svc-gone' does not exist or is deleted\",\"reconciling\":false,"
                  + "\"generation\":4,\"observedGeneration\":3,\"terminal\":\"CONDITION_FAILED\","
                  + "\"traffic\":[\"node-svc-a=50\",\"node-svc-b=50:next\"],"
                  + "\"terminalMessage\":\"Revision 'node-svc-gone' does not exist or is deleted\"}",
              "{\"check\":\"operations\",\"listed\":4,\"includesMove\":true,\"allDone\":true,\"got\":true,"
                  + "\"afterDelete\":5}");
      assertThat(out)
          .anySatisfy(
              l ->
                  assertThat(l)
                      .startsWith("{\"check\":\"listWildcard\",\"code\":3,")
                      .contains("wildcard"));
      assertThat(out)
          .anySatisfy(
              l ->
                  assertThat(l)
                      .startsWith("{\"check\":\"staleEtag\",\"code\":10,")
                      .contains("etag"));
    }
  }
}
