package dev.rungate.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.rungate.api.checks.SecretKeyRef;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Fabric8 adapter against a small real HTTP server speaking the Secret endpoints of the
 * Kubernetes API: it reads only the named Secret, decodes data, and never puts a value in errors.
 */
@Tag("real")
class KubernetesSecretReaderTest {
  static final String VALUE = "Quokka-3141-auth-string";
  static HttpServer api;
  static final List<String> requests = new CopyOnWriteArrayList<>();
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
    api.createContext(
        "/",
        ex -> {
          requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
          String path = ex.getRequestURI().getPath();
          int status;
          String body;
          if (path.equals("/api/v1/namespaces/apps/secrets/redis-auth")) {
            status = 200;
            body =
                "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"redis-auth\",\"namespace\":\"apps\"},"
                    + "\"data\":{\"password\":\""
                    + Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8))
                    + "\"}}";
          } else if (path.startsWith("/api/v1/namespaces/locked/")) {
            status = 403;
            body =
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403,"
                    + "\"message\":\"secrets is forbidden\"}";
          } else {
            status = 404;
            body =
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}";
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(status, bytes.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
          }
        });
    api.start();
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl("http://127.0.0.1:" + api.getAddress().getPort())
            .withRequestRetryBackoffLimit(0)
            .build();
    client = new KubernetesClientBuilder().withConfig(config).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    api.stop(0);
  }

  @Test
  void readsAndDecodesOnlyTheNamedSecret() {
    requests.clear();
    SecretReader reader = new KubernetesSecretReader(client);
    assertThat(reader.read("apps", new SecretKeyRef("redis-auth", "password"))).contains(VALUE);
    assertThat(requests).containsExactly("GET /api/v1/namespaces/apps/secrets/redis-auth");
  }

  @Test
  void missingSecretOrKeyIsEmpty() {
    SecretReader reader = new KubernetesSecretReader(client);
    assertThat(reader.read("apps", new SecretKeyRef("redis-auth", "other-key"))).isEmpty();
    assertThat(reader.read("apps", new SecretKeyRef("nope", "password"))).isEmpty();
  }

  @Test
  void forbiddenIsAReadErrorWithStatusAndNoValue() {
    SecretReader reader = new KubernetesSecretReader(client);
    assertThatThrownBy(() -> reader.read("locked", new SecretKeyRef("redis-auth", "password")))
        .isInstanceOf(SecretReader.SecretReadException.class)
        .hasMessageContaining("locked/redis-auth")
        .hasMessageContaining("HTTP 403")
        .hasMessageNotContaining(VALUE);
  }
}
