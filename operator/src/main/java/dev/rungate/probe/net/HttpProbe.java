package dev.rungate.probe.net;

import dev.rungate.api.checks.HttpCheck;
import dev.rungate.api.status.CheckResult;
import dev.rungate.probe.step.Attempt;
import dev.rungate.probe.step.Failures;
import dev.rungate.probe.step.StepFailure;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * GET a URL: CONNECT, TLS, RESPONSE within the timeout, STATUS in expectStatus, BODY contains text.
 */
final class HttpProbe {
  private static final int MAX_BODY_SHOWN = 120;
  private final HttpClients clients;

  HttpProbe(HttpClients clients) {
    this.clients = clients;
  }

  CheckResult probe(Attempt a, String url, HttpCheck check) {
    return probe(a, url, check, null);
  }

  /** {@code bearer}: an ID token sent as Authorization: Bearer, or null. */
  CheckResult probe(Attempt a, String url, HttpCheck check, String bearer) {
    URI uri = ProbeUris.parse(url, "http", "https");
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .GET()
            .timeout(Duration.ofMillis(a.remainingMillis()))
            .header("User-Agent", "rungate-probe");
    if (bearer != null) {
      builder.header("Authorization", "Bearer " + bearer);
    }
    HttpRequest request = builder.build();
    CompletableFuture<HttpResponse<String>> f =
        clients
            .pick(check.insecureSkipVerify)
            .sendAsync(request, HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> response;
    try {
      response = f.get(a.remainingMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new StepFailure(
          "RESPONSE",
          "RESPONSE failed: no response from "
              + a.target
              + " within "
              + a.timeout.toMillis()
              + "ms (TimeoutException)");
    } catch (ExecutionException e) {
      StepFailure mapped = NetFailures.map("RESPONSE", e, a.target, a.timeout.toMillis());
      if (mapped == null) {
        throw new IllegalStateException("HTTP request failed", Failures.unwrap(e));
      }
      throw mapped;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailure("RESPONSE", "RESPONSE failed: interrupted (InterruptedException)");
    }
    List<Integer> expected =
        check.expectStatus == null || check.expectStatus.isEmpty()
            ? List.of(200)
            : check.expectStatus;
    String body = response.body() == null ? "" : response.body();
    if (!expected.contains(response.statusCode())) {
      throw new StepFailure(
          "STATUS",
          "STATUS failed: HTTP "
              + response.statusCode()
              + ", expected one of "
              + expected
              + " (UnexpectedStatus)"
              + ProbeAuth.hint(response.statusCode(), bearer)
              + "; body starts: "
              + excerpt(body));
    }
    if (check.bodyContains != null && !body.contains(check.bodyContains)) {
      throw new StepFailure(
          "BODY",
          "BODY failed: HTTP "
              + response.statusCode()
              + " but the body does not contain '"
              + check.bodyContains
              + "' (BodyMismatch); body starts: "
              + excerpt(body));
    }
    return a.passed(
        "HTTP "
            + response.statusCode()
            + " in "
            + a.elapsedMillis()
            + "ms"
            + (check.bodyContains == null ? "" : ", body contains '" + check.bodyContains + "'"));
  }

  private static String excerpt(String body) {
    String oneLine = body.strip().replaceAll("\\s+", " ");
    return "'"
        + (oneLine.length() > MAX_BODY_SHOWN
            ? oneLine.substring(0, MAX_BODY_SHOWN) + "..."
            : oneLine)
        + "'";
  }
}
