package dev.rungate.reconciler;

import java.util.List;

/** Shrunk reproducers the model test found (pinned;steps;foreign;events), kept so they stay fixed. */
final class ModelRegressions {
  private ModelRegressions() {}

  static final List<String> ALL = List.of(
      // a failure while the first step's move was sent but not yet reached was taken for someone else's routing
      "false;3;false;[SECRET_DELETED(883), DEPLOY(212), SECRET_RESTORED(229), UNPAUSE(512), CANDIDATE_EXIT(559)]",
      // a candidate superseded twice while paused kept its share as if it were someone else's route
      "true;3;false;[DEPLOY(172), PROBE_HEALS(692), PAUSE(666), CANDIDATE_EXIT(141), DEPLOY(227), DEPLOY(164)]",
      // seed 3188 of the old model (issue 18, V9 and V4): a stale promote and a manual route after a rollback
      "false;1;false;[DEPLOY(907), REVISION_FAILS(888), SECRET_DELETED(797), FIX_SPEC(665), DEPLOY(22), DEPLOY(498),"
          + " PROMOTE(17), ROUTE_BY_HAND(14), SECRET_RESTORED(766), CANDIDATE_EXIT(8)]");
}
