package dev.rungate.signals;

import dev.rungate.api.spec.ServiceRef;
import dev.rungate.domain.ContainerExit;
import java.time.Instant;
import java.util.List;

/** Container exits Cloud Run logged ("Container called exit(N).") for one revision. */
public interface ExitSignals {
  /** Exits of the revision at or after {@code since}, oldest first. */
  List<ContainerExit> exitsOf(ServiceRef service, String revision, Instant since);
}
