package dev.rungate.gate.commands;

import dev.rungate.api.status.CommandAnswer;
import dev.rungate.domain.ServiceSnapshot;
import dev.rungate.gate.observed.Observation;
import dev.rungate.gate.round.Round;
import dev.rungate.gate.spec.GateSettings;
import dev.rungate.gate.status.Reasons;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Manual controls, carried out through annotations so the API server audits who asked: the CLI sets
 * {@code rungate.dev/<command>} to a fresh value that names the candidate and the policy generation
 * it was given for ({@link #value}). Every command is answered in the first round that sees it:
 * applied, or ignored with the reason (an Event and status.lastCommand), and recorded in
 * status.handledCommands, so no command waits to be applied later to a candidate or a spec it was
 * not given for. A value that names no candidate (kubectl annotate) belongs to the candidate the
 * status named before the round.
 */
public final class Commands {
  public static final String PREFIX = "rungate.dev/";
  public static final String ABORT = "abort";
  public static final String PROMOTE = "promote";
  public static final String RETRY = "retry";
  private static final List<String> IN_ORDER = List.of(RETRY, ABORT, PROMOTE);

  private Commands() {}

  /** A command's value as the CLI writes it: {@code candidate=REV,generation=G,at=TIME}. */
  public static String value(String candidate, Long generation, Instant at) {
    return (candidate == null ? "" : "candidate=" + candidate + ",")
        + (generation == null ? "" : "generation=" + generation + ",")
        + "at="
        + at;
  }

  /** What a value says it was given for; null fields when it does not say. */
  record Given(String candidate, Long generation) {
    static Given parse(String value) {
      String candidate = null;
      Long generation = null;
      for (String part : value.split(",")) {
        String[] kv = part.trim().split("=", 2);
        if (kv.length == 2 && kv[0].equals("candidate")) {
          candidate = kv[1];
        } else if (kv.length == 2 && kv[0].equals("generation")) {
          try {
            generation = Long.parseLong(kv[1]);
          } catch (NumberFormatException e) {
            generation = -1L;
          }
        }
      }
      return new Given(candidate, generation);
    }
  }

  /**
   * Answers every command not handled yet with "not carried out" (a round that cannot carry
   * commands out).
   */
  public static void ignoreAll(Round r, Map<String, String> annotations, String why) {
    for (String command : IN_ORDER) {
      pending(r, annotations, command).ifPresent(value -> ignore(r, command, value, why));
    }
  }

  /**
   * Applies the commands not handled yet, in the order retry, abort, promote; {@code before} is the
   * candidate the status named before this round. Returns true when abort or promote decided the
   * round.
   */
  public static boolean apply(
      Round r,
      GateSettings s,
      List<String> errors,
      Map<String, String> annotations,
      Observation obs,
      String before) {
    ServiceSnapshot svc = obs.service();
    boolean decided = false;
    for (String command : IN_ORDER) {
      Optional<String> value = pending(r, annotations, command);
      if (value.isEmpty()) {
        continue;
      }
      String mismatch = mismatch(r, Given.parse(value.get()), before);
      if (mismatch != null) {
        ignore(r, command, value.get(), mismatch);
        continue;
      }
      String refusal =
          switch (command) {
            case RETRY -> ManualCommands.retry(r, errors, svc);
            case ABORT -> ManualCommands.abort(r, s, svc);
            default -> ManualCommands.promote(r, s, errors, obs);
          };
      if (refusal != null) {
        ignore(r, command, value.get(), refusal);
      } else {
        answer(
            r,
            command,
            value.get(),
            "Applied",
            "rungate "
                + command
                + " carried out for candidate "
                + r.status.candidateRevision
                + ".");
        decided |= !command.equals(RETRY);
      }
    }
    return decided;
  }

  /** Why the command does not belong to this candidate and spec, or null when it does. */
  private static String mismatch(Round r, Given given, String before) {
    String now = r.status.candidateRevision;
    if (given.candidate() != null && !given.candidate().equals(now)) {
      return "it was given for candidate "
          + given.candidate()
          + ", and the policy now gates "
          + now;
    }
    if (given.candidate() == null && !now.equals(before)) {
      return "it names no candidate and a new candidate, "
          + now
          + ", was detected in the same round";
    }
    if (given.generation() != null && !given.generation().equals(r.generation)) {
      return "it was given at generation "
          + given.generation()
          + " of the policy, and its spec has changed since"
          + " (generation "
          + r.generation
          + ")";
    }
    return null;
  }

  private static Optional<String> pending(
      Round r, Map<String, String> annotations, String command) {
    String value = annotations == null ? null : annotations.get(PREFIX + command);
    if (value == null || value.equals(r.status.handledCommands.get(command))) {
      return Optional.empty();
    }
    return Optional.of(value);
  }

  private static void ignore(Round r, String command, String value, String why) {
    String message =
        "rungate "
            + command
            + " was not carried out: "
            + why
            + ". Run it again if it still applies.";
    answer(r, command, value, "Ignored", message);
    r.emit("Warning", Reasons.COMMAND_IGNORED, message);
  }

  private static void answer(
      Round r, String command, String value, String outcome, String message) {
    r.status.handledCommands.put(command, value);
    r.status.lastCommand = new CommandAnswer(command, value, outcome, message, r.now.toString());
  }
}
