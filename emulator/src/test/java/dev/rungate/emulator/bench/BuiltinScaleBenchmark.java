package dev.rungate.emulator.bench;

import com.google.cloud.run.v2.Service;
import com.google.longrunning.Operation;
import dev.rungate.emulator.BuiltinRevisions;
import dev.rungate.emulator.EmulatorConfig;
import dev.rungate.emulator.EmulatorServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test (surefire does not run it): run with scripts/bench-builtin [services]. How many
 * builtin revisions (the benchmark aid: no process each) one emulator holds: deploys N services
 * through the long-running operation (default reconcile time), then calls every service URL once
 * through the router with an ID token, and prints the deploy time, the request latencies
 * p50/p95/max, threads and heap used.
 */
public final class BuiltinScaleBenchmark {
  private static final String PARENT = "projects/bench/locations/europe-west1";

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    try (EmulatorServer emulator = EmulatorServer.start(0, EmulatorConfig.defaults())) {
      long start = System.nanoTime();
      List<Operation> ops = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ops.add(
            emulator.deploy(
                PARENT + "/services/s" + i,
                BuiltinRevisions.template("s" + i + "-ok", BuiltinRevisions.ok()),
                null));
      }
      long accepted = System.nanoTime();
      List<String> urls = new ArrayList<>();
      for (Operation op : ops) {
        Operation done = emulator.await(op, Duration.ofMinutes(5));
        if (!done.getDone() || done.hasError()) {
          throw new IllegalStateException("deploy did not succeed: " + done);
        }
        urls.add(done.getResponse().unpack(Service.class).getUri());
      }
      long settled = System.nanoTime();
      HttpClient http = HttpClient.newHttpClient();
      List<Long> micros = new ArrayList<>();
      int ok = 0;
      for (String url : urls) {
        long t0 = System.nanoTime();
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url + "/"))
                    .header("Authorization", "Bearer " + emulator.tokens().mint(url))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        micros.add((System.nanoTime() - t0) / 1000);
        ok += r.statusCode() == 200 ? 1 : 0;
      }
      micros.sort(Long::compare);
      Runtime rt = Runtime.getRuntime();
      rt.gc();
      System.out.printf(
          "builtin revisions: %d services; deploys accepted in %d ms, all settled after %d ms%n",
          n, (accepted - start) / 1_000_000, (settled - start) / 1_000_000);
      System.out.printf(
          "one GET per service URL (ID token, private ingress): %d of %d answered 200; latency p50 "
              + "%.1f ms, p95 %.1f ms, max %.1f ms%n",
          ok,
          n,
          micros.get(n / 2) / 1000.0,
          micros.get(Math.min(n - 1, n * 95 / 100)) / 1000.0,
          micros.get(n - 1) / 1000.0);
      System.out.printf(
          "processes: %d; JVM threads: %d; heap used: %d MB%n",
          emulator.processIds().size(),
          Thread.activeCount(),
          (rt.totalMemory() - rt.freeMemory()) >> 20);
    }
  }
}
