package dev.rungate.reconciler.model;

import java.util.List;

/**
 * Shrunk reproducers the model test found (pinned;steps;foreign;events), kept so they stay fixed.
 */
final class ModelRegressions {
  private ModelRegressions() {}

  static final List<String> ALL =
      List.of(
          // a failure while the first step's move was sent but not yet reached was taken for
          // someone else's routing
          "false;3;false;[SECRET_DELETED(883), DEPLOY(212), SECRET_RESTORED(229), UNPAUSE(512), CANDIDATE_EXIT(559)]",
          // a candidate superseded twice while paused kept its share as if it were someone else's
          // route
          "true;3;false;[DEPLOY(172), PROBE_HEALS(692), PAUSE(666), CANDIDATE_EXIT(141), DEPLOY(227), DEPLOY(164)]",
          // seed 3188 of the old model (issue 18, V9 and V4): a stale promote and a manual route
          // after a rollback
          "false;1;false;[DEPLOY(907), REVISION_FAILS(888), SECRET_DELETED(797), FIX_SPEC(665), DEPLOY(22), DEPLOY(498),"
              + " PROMOTE(17), ROUTE_BY_HAND(14), SECRET_RESTORED(766), CANDIDATE_EXIT(8)]",
          // soak seed 5502: after a rollback a person routed half to an earlier failed candidate,
          // then ran retry; the
          // gate's own rollback update, accepted before the hand-back, was taken as proof that
          // someone undid its plan
          "false;4;false;[DEPLOY(442), QUIET(661), PROBE_HEALS(592), DEPLOY(68), REVISION_FAILS(655), QUIET(397),"
              + " DEPLOY(545), QUIET(452), SECOND_POLICY_GONE(702), SECOND_POLICY_GONE(899), CHECKS_SLOW(245),"
              + " UPDATE_FAULT(704), FOREIGN_TAG(875), CRASH_AFTER_WRITE(495), DEPLOY(987), QUIET(671),"
              + " DEPENDENCY_HEALS(436), DEPENDENCY_FAILS(363), ROUTE_BY_HAND(364), RETRY(510)]",
          // seed 36 once deploys moved the candidate tag (gcloud run deploy --tag candidate): a
          // re-applied policy's first plan takes its tag from the revision a deploy gave it to
          "false;1;false;[PIN_OLDER(812), DEPLOY(552), DELETE_POLICY(335), DEPLOY(791)]",
          // seed 1641 with tagged deploys: an older revision carrying a person's tag, pinned while
          // the old candidate was gone; the round took the old candidate's absence for the new
          // one's
          // and planned without it, dropping the person's tag
          "false;4;false;[DEPLOY_TAGGED(977), FOREIGN_TAG(661), SECRET_DELETED(166), DEPLOY(719),"
              + " DEPLOY(942), DEPLOY(632), DEPLOY(817), DELETE_REVISION(23), ROUTE_BY_HAND(771),"
              + " SECRET_RESTORED(389), PIN_OLDER(391)]",
          // seed 1960: pinned after a promotion to the revision a person's route made stable, while
          // the person routed the traffic elsewhere; the status kept Promoted=True of the old
          // candidate and claimed the pinned revision served all traffic
          "false;0;false;[DEPLOY(799), DEPLOY(651), QUIET(678), ETAG_RACE(902), DELETE_REVISION(944),"
              + " PROBE_HEALS(450), UPDATE_FAULT(156), ROUTE_BY_HAND(258), ROUTE_BY_HAND(478),"
              + " PIN_STABLE(435)]",
          // seed 6547: reverted, then a person routed half to the reverted revision, then it was
          // pinned again and its probe failed; the gate's revert update, sent for the earlier
          // gating, was taken as proof that someone undid the new plan (no rollback, held Paused)
          "false;5;false;[DEPLOY(886), PIN_STABLE(467), PROBE_FAILS(911), ROUTE_BY_HAND(850),"
              + " PIN_OLDER(869)]",
          // seed 25749: a person routed by hand while a second policy blocked the gate; the next
          // round saw it together with a new deploy still reconciling (no traffic change) and
          // overwrote the person's routing
          "false;0;true;[DEPLOY(805), DEPLOY(589), ROUTE_BY_HAND(696), SECOND_POLICY(768),"
              + " ROUTE_BY_HAND(30), DEPLOY(748)]",
          // seed 45831: a steps edit, a person's rollback, pause and resume: the resumed gate sends
          // its current step again (the model took that for a skipped step)
          "true;5;true;[DEPLOY(931), QUIET(763), EDIT_STEPS(877), ROUTE_BY_HAND(448), PAUSE(282),"
              + " UNPAUSE(498)]",
          // seed 377 with tagged deploys: a service gated afresh with two revisions at 50% each;
          // the model took the one that served all earlier as stable, the gate either of the two
          "false;3;false;[DEPLOY_TAGGED(864), SERVICE_EDIT(156), DEPLOY(680), DEPLOY_TAGGED(849),"
              + " ROUTE_BY_HAND(650), SECRET_DELETED(890), DEPLOY(116), ROUTE_BY_HAND(868),"
              + " READ_FAULT(502), CANDIDATE_EXIT(731), DEPLOY(959), EDIT_STEPS(508),"
              + " SECRET_RESTORED(831)]",
          // seed 1119 with tagged deploys: after a rollback, a person routed all traffic to the
          // failed candidate while a second policy blocked the gate; the next round met a deploy
          // still reconciling (no traffic change), did not adopt the person's route and took the
          // traffic back to the old stable revision
          "false;4;false;[DEPLOY_TAGGED(307), CANDIDATE_EXIT(233), SECOND_POLICY(574), DEPLOY(644),"
              + " ROUTE_BY_HAND(31), DEPLOY_TAGGED(664), SECOND_POLICY_GONE(775)]",
          // soak seed 6083: as seed 377, but the gate recorded its first stable revision in the
          // round it gated the service afresh, while a deploy reconciled
          "false;2;false;[DEPLOY_TAGGED(7), SERVICE_EDIT(380), DEPLOY_TAGGED(896), SERVICE_EDIT(804),"
              + " DEPLOY(557), ROUTE_BY_HAND(302), DEPLOY_TAGGED(92)]",
          // soak seed 25008: a re-applied policy recorded a person's route of all traffic as its
          // stable revision while invalid, before its status named the service; the model took
          // that for a first pick and required the busiest of the traffic a later routing split
          "true;0;false;[DEPLOY(738), SECRET_DELETED(453), DEPLOY(548), DEPLOY(706), DELETE_POLICY(620),"
              + " DEPLOY_TAGGED(261), DEPLOY_TAGGED(637), EDIT_STEPS(592), ROUTE_BY_HAND(985),"
              + " DEPENDENCY_HEALS(858)]",
          // soak seed 6099: a person's routing also zeroed a foreign route; restoring the gate's
          // plan (the foreign route back at its percent) was not taken as the hand-back, and the
          // candidate's exit 3 left it at 4%
          "false;3;true;[DEPLOY(134), REVISION_READY(950), ROUTE_BY_HAND(901), RESTORE_ROUTING(198),"
              + " CANDIDATE_EXIT(154)]",
          // soak seed 5748 (with a first fix of 6099 that took any plan again for a hand-back): a
          // person's 50/50 with an old stable revision left as someone's route fits a plan of the
          // gate; only the other routes as they were before the hold hand control back
          "true;4;false;[DEPLOY(340), DEPLOY(30), DEPLOY(722), ROUTE_BY_HAND(289), STABLE_EXIT(215),"
              + " ROUTE_BY_HAND(565)]",
          // soak seed 27717: during a second policy's block a person routed 50/50, then back to
          // what it was before; the gate could not tell, and the model held it to their routing
          "false;0;true;[ROUTE_BY_HAND(555), DEPLOY(852), DEPLOY(768), SECOND_POLICY(245),"
              + " DEPLOY_TAGGED(175), ROUTE_BY_HAND(25), ROUTE_BY_HAND(464), DEPLOY_TAGGED(591)]",
          // seed 2843 with tagged deploys: spec.service edited away and back while a revert's
          // rollback was held by a pause; the model took the service back as gated afresh (its
          // busiest revision, a person's earlier route, as stable) though the status never left it
          "false;4;false;[DEPLOY_TAGGED(36), ROUTE_BY_HAND(297), UPDATE_FAULT(984), REVISION_READY(188),"
              + " PIN_OLDER(162), UPDATE_FAULT(71), PAUSE(528), SERVICE_EDIT(878), CANDIDATE_EXIT(286),"
              + " EDIT_STEPS(37), DEPLOY(719), SERVICE_EDIT(138), UNPAUSE(550)]");
}
