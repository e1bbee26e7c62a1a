package dev.rungate.emulator.cli;

import com.google.api.gax.longrunning.OperationFuture;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.HTTPGetAction;
import com.google.cloud.run.v2.Probe;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TCPSocketAction;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import com.google.cloud.run.v2.VpcAccess;
import com.google.protobuf.Any;
import dev.rungate.emulator.EmulatorClients;
import dev.rungate.emulator.Names;
import dev.rungate.emulator.admin.ServiceStore;
import dev.rungate.emulator.rules.GcloudTraffic;
import dev.rungate.emulator.rules.Invokers;
import dev.rungate.emulator.rules.RevisionNames;
import java.io.File;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "deploy",
    description = "Deploy COMMAND ARGS... as a new revision (creates the service if missing).")
final class DeployCommand implements Callable<Integer> {
  @Mixin ClientOptions client;

  /**
   * Prints through its command line's out and err (System.out and System.err unless a caller in
   * process sets them).
   */
  @Spec CommandSpec spec;

  @Option(names = "--service", required = true)
  String service;

  @Option(
      names = "--revision",
      description = "Revision name (must start with SERVICE-); generated if absent.")
  String revision;

  @Option(
      names = "--no-traffic",
      description =
          "Keep the current traffic (LATEST is pinned to the revision it serves now); the new revision gets 0%%.")
  boolean noTraffic;

  @Option(names = "--tag", description = "Tag the new revision (its own URL).")
  String tag;

  @Option(names = "--env", description = "K=V, repeatable.")
  Map<String, String> env = Map.of();

  @Option(names = "--workdir", description = "Working directory of the revision's process.")
  File workdir;

  @Option(
      names = "--image",
      defaultValue = "local/emulated:latest",
      description = "Image name (a label only).")
  String image;

  @Option(names = "--startup-probe", description = "tcp (default) or http:PATH")
  String startupProbe;

  @Option(
      names = "--startup-timeout",
      defaultValue = "30",
      description = "Seconds the startup probe may take.")
  int startupSeconds;

  @Option(
      names = "--vpc-connector",
      description =
          "Serverless VPC Access connector, projects/P/locations/R/connectors/C (as gcloud run deploy --vpc-connector).")
  String vpcConnector;

  @Option(
      names = "--vpc-egress",
      description = "all-traffic or private-ranges-only (as gcloud run deploy --vpc-egress).")
  String vpcEgress;

  @Option(
      names = "--allow-unauthenticated",
      negatable = true,
      description =
          "Let anyone invoke the service "
              + "(roles/run.invoker for allUsers); --no-allow-unauthenticated removes that. Unset: the IAM policy is "
              + "left as it is, and a new service is private (its URLs need an ID token).")
  Boolean allowUnauthenticated;

  @Option(names = "--async", description = "Return without waiting for the revision to be ready.")
  boolean async;

  @Parameters(
      arity = "1..*",
      paramLabel = "COMMAND",
      description =
          "The container's command and args; "
              + "builtin:ok, builtin:status=CODE or builtin:exit=CODE make a revision the emulator serves itself, with no "
              + "process (a benchmark aid, not Cloud Run behaviour).")
  List<String> command;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (EmulatorClients clients = new EmulatorClients(client.endpoint)) {
      Service current = null;
      try {
        current = clients.services().getService(client.service(service));
      } catch (NotFoundException missing) {
        // created below
      }
      String name =
          revision != null
              ? revision
              : noTraffic || tag != null ? generatedName(clients, current) : null;
      RevisionTemplate template = template(name);
      OperationFuture<Service, Service> op;
      if (current == null) {
        Service.Builder fresh = Service.newBuilder().setTemplate(template);
        if (tag != null) {
          fresh.addTraffic(latest(100)).addTraffic(pinned(name, 0, tag));
        }
        op = clients.services().createServiceAsync(client.parent(), fresh.build(), service);
      } else {
        op =
            clients
                .services()
                .updateServiceAsync(
                    current.toBuilder()
                        .setTemplate(template)
                        .clearTraffic()
                        .addAllTraffic(GcloudTraffic.deploy(current, name, tag, noTraffic))
                        .build());
      }
      Object metadata;
      try {
        metadata = op.getInitialFuture().get().getMetadata();
      } catch (ExecutionException e) {
        err.println("Deploy failed: " + e.getCause().getMessage());
        return 1;
      }
      if (allowUnauthenticated != null) {
        Invokers.allowUnauthenticated(
            clients.services(), client.service(service), allowUnauthenticated);
      }
      Service started = metadata instanceof Service s ? s : ((Any) metadata).unpack(Service.class);
      String created = Names.shortName(started.getLatestCreatedRevision());
      out.println(created);
      if (async) {
        return 0;
      }
      try {
        Service done = op.get();
        out.println("Revision " + created + " is ready. Service URL: " + done.getUri());
        return 0;
      } catch (ExecutionException e) {
        err.println("Deploy failed: " + whyFailed(clients, created, e.getCause()));
        return 1;
      }
    }
  }

  /**
   * The revision's own failure message when it has one (as gcloud prints it), else the operation's
   * error.
   */
  private String whyFailed(EmulatorClients clients, String revision, Throwable error) {
    try {
      return clients
          .revisions()
          .getRevision(client.revision(service, revision))
          .getConditionsList()
          .stream()
          .filter(c -> c.getType().equals("Ready") && !c.getMessage().isEmpty())
          .map(
              c ->
                  "Revision '"
                      + revision
                      + "' is not ready and cannot serve traffic. "
                      + c.getMessage())
          .findFirst()
          .orElse(error.getMessage());
    } catch (RuntimeException e) {
      return error.getMessage();
    }
  }

  private RevisionTemplate template(String name) {
    Container.Builder container =
        Container.newBuilder().setName(service).setImage(image).addAllCommand(command);
    env.forEach((k, v) -> container.addEnv(EnvVar.newBuilder().setName(k).setValue(v)));
    Probe.Builder probe =
        Probe.newBuilder().setPeriodSeconds(1).setFailureThreshold(Math.max(1, startupSeconds));
    if (startupProbe != null && startupProbe.startsWith("http:")) {
      probe.setHttpGet(
          HTTPGetAction.newBuilder().setPath(startupProbe.substring("http:".length())));
    } else {
      probe.setTcpSocket(TCPSocketAction.getDefaultInstance());
    }
    container.setStartupProbe(probe);
    RevisionTemplate.Builder template = RevisionTemplate.newBuilder().addContainers(container);
    if (name != null) {
      template.setRevision(name);
    }
    if (workdir != null) {
      template.putAnnotations(ServiceStore.WORKDIR_ANNOTATION, workdir.getAbsolutePath());
    }
    if (vpcConnector != null || vpcEgress != null) {
      VpcAccess.Builder vpc = VpcAccess.newBuilder();
      if (vpcConnector != null) {
        vpc.setConnector(vpcConnector);
      }
      if (vpcEgress != null) {
        vpc.setEgress(VpcAccess.VpcEgress.valueOf(vpcEgress.toUpperCase().replace('-', '_')));
      }
      template.setVpcAccess(vpc);
    }
    template.putAnnotations(
        "run.rungate.dev/deployed-at", Long.toString(System.currentTimeMillis()));
    return template.build();
  }

  /** SERVICE-NNNNN-abc as gcloud names it, NNNNN the generation this deploy creates. */
  private String generatedName(EmulatorClients clients, Service current) {
    return RevisionNames.generated(service, current == null ? 1 : current.getGeneration() + 1);
  }

  static TrafficTarget latest(int percent) {
    return TrafficTarget.newBuilder()
        .setType(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST)
        .setPercent(percent)
        .build();
  }

  static TrafficTarget pinned(String revision, int percent, String tag) {
    return TrafficTarget.newBuilder()
        .setType(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION)
        .setRevision(revision)
        .setPercent(percent)
        .setTag(tag)
        .build();
  }
}
