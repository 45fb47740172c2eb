/**
 * Session roles (app/domain/session-access.ts), and what the projection of
 * app/domain/capabilities.ts (`decide`, `decideOrganization`) lets them do.
 */
import { describe, expect, it } from "vitest";
import type { Actor } from "../../app/domain/actors.ts";
import { decide, decideOrganization, type SessionAction, type Verdict } from "../../app/domain/capabilities.ts";
import type { ErrorCode } from "../../app/domain/errors.ts";
import type { SessionState, Side } from "../../app/domain/procedure.ts";
import { sessionRolesOf, type SessionRoles } from "../../app/domain/session-access.ts";
import { completeSession, NOW } from "../support/snapshots.ts";

const parties = [
  { organizationId: "union", role: "WORKER" as const },
  { organizationId: "association", role: "EMPLOYER" as const },
  { organizationId: "platform", role: "EMPLOYER" as const },
  { organizationId: "bureau", role: "OBSERVER" as const },
];
const seats = [
  { userId: "u-chief", side: "WORKER" as const, kind: "REPRESENTATIVE" as const, isChief: true },
  { userId: "u-rep", side: "WORKER" as const, kind: "REPRESENTATIVE" as const, isChief: false },
  { userId: "e-chief", side: "EMPLOYER" as const, kind: "REPRESENTATIVE" as const, isChief: true },
  { userId: "recorder", side: null, kind: "RECORDER" as const, isChief: false },
];

const actor = (userId: string, memberships: Actor["memberships"] = []): Actor => ({ userId, memberships });
const roles = (a: Actor | null) => sessionRolesOf(a, parties, seats);

describe("sessionRolesOf", () => {
  it("gives an outsider nothing", () => {
    expect(roles(actor("stranger", [{ organizationId: "elsewhere", role: "ADMIN" }]))).toMatchObject({ canView: false, negotiatorOf: [], caucusSides: [], chiefOf: null, isRecorder: false, isReviewer: false });
    expect(roles(null).canView).toBe(false);
  });

  it("makes union negotiators and admins negotiators of the worker side; members only see and caucus", () => {
    expect(roles(actor("n", [{ organizationId: "union", role: "NEGOTIATOR" }]))).toMatchObject({ canView: true, negotiatorOf: ["WORKER"], caucusSides: ["WORKER"] });
    expect(roles(actor("a", [{ organizationId: "union", role: "ADMIN" }])).negotiatorOf).toEqual(["WORKER"]);
    expect(roles(actor("m", [{ organizationId: "union", role: "MEMBER" }]))).toMatchObject({ canView: true, negotiatorOf: [], caucusSides: ["WORKER"] });
  });

  it("derives chief, representative and recorder from seats", () => {
    expect(roles(actor("u-chief"))).toMatchObject({ canView: true, chiefOf: "WORKER", representativeOf: "WORKER", caucusSides: ["WORKER"] });
    expect(roles(actor("u-rep"))).toMatchObject({ chiefOf: null, representativeOf: "WORKER" });
    expect(roles(actor("recorder"))).toMatchObject({ canView: true, isRecorder: true, caucusSides: [], chiefOf: null });
  });

  it("makes labour bureau members reviewers without any caucus", () => {
    expect(roles(actor("b", [{ organizationId: "bureau", role: "MEMBER" }]))).toMatchObject({ canView: true, isReviewer: true, caucusSides: [], negotiatorOf: [] });
  });
});

const snapshot = (state: SessionState) => completeSession(state);

/** May someone with these roles take the action, in a session in `state` (about `target`)? */
const may = (sessionRoles: SessionRoles, action: SessionAction, state: SessionState, target?: Side): boolean =>
  decide({ snapshot: snapshot(state), roles: sessionRoles }, action, NOW, target).allowed;

describe("decide: session permissions of these roles", () => {
  const platformNegotiator = roles(actor("p", [{ organizationId: "platform", role: "NEGOTIATOR" }]));
  const unionMember = roles(actor("m", [{ organizationId: "union", role: "MEMBER" }]));
  const reviewer = roles(actor("b", [{ organizationId: "bureau", role: "MEMBER" }]));

  it("lets each side read and write only its own caucus", () => {
    expect(may(unionMember, "readCaucus", "BARGAINING", "WORKER")).toBe(true);
    expect(may(unionMember, "readCaucus", "BARGAINING", "EMPLOYER")).toBe(false);
    expect(may(platformNegotiator, "readCaucus", "BARGAINING", "WORKER")).toBe(false);
    expect(may(reviewer, "writeCaucus", "BARGAINING", "WORKER")).toBe(false);
    expect(may(unionMember, "readCaucus", "BARGAINING")).toBe(false);
  });

  it("lets negotiators appoint seats of their own side only; any negotiator the neutral recorder", () => {
    expect(may(platformNegotiator, "appointRepresentative", "ACCEPTED", "EMPLOYER")).toBe(true);
    expect(may(platformNegotiator, "appointRepresentative", "ACCEPTED", "WORKER")).toBe(false);
    expect(may(platformNegotiator, "nominateRecorder", "ACCEPTED")).toBe(true);
    expect(may(unionMember, "appointRepresentative", "ACCEPTED", "WORKER")).toBe(false);
    expect(may(unionMember, "nominateRecorder", "ACCEPTED")).toBe(false);
  });

  it("lets only the recorder keep minutes, and only a chief sign them", () => {
    const recorder = roles(actor("recorder"));
    const chief = roles(actor("u-chief"));
    expect(may(recorder, "recordRound", "BARGAINING")).toBe(true);
    expect(may(chief, "recordRound", "BARGAINING")).toBe(false);
    expect(may(chief, "signMinutes", "BARGAINING")).toBe(true);
    expect(may(recorder, "signMinutes", "BARGAINING")).toBe(false);
    // The minutes are signed for the chief's own side; the projection takes the side from the seat.
    expect(chief.chiefOf).toBe("WORKER");
  });

  it("refuses everything to anonymous users and outsiders", () => {
    for (const sessionRoles of [roles(null), roles(actor("stranger"))]) {
      for (const action of ["view", "scheduleRound", "recordRound"] as const) {
        expect(may(sessionRoles, action, "BARGAINING")).toBe(false);
      }
      // Outsiders learn nothing: the session is "not found".
      expect(decide({ snapshot: snapshot("BARGAINING"), roles: sessionRoles }, "view", NOW)).toEqual({ allowed: false, offered: false, reason: "notFound" });
    }
  });

  it("gives the derived roles of each person what they are due on the draft, the vote and the agreement", () => {
    const workerChief = roles(actor("u-chief"));
    const workerRep = roles(actor("u-rep"));
    const employerChief = roles(actor("e-chief"));
    const recorder = roles(actor("recorder"));
    // The worker side holds the pen; both sides comment and offer.
    expect(may(workerRep, "editDraft", "BARGAINING")).toBe(true);
    expect(may(employerChief, "editDraft", "BARGAINING")).toBe(false);
    expect(may(platformNegotiator, "commentDraft", "BARGAINING")).toBe(true);
    expect(may(platformNegotiator, "offerDraft", "BARGAINING")).toBe(true);
    expect(may(unionMember, "commentDraft", "BARGAINING")).toBe(false);
    expect(may(reviewer, "offerDraft", "BARGAINING")).toBe(false);
    // Feedback: both sides read it, the worker side moderates it.
    expect(may(platformNegotiator, "viewFeedback", "BARGAINING")).toBe(true);
    expect(may(platformNegotiator, "moderateFeedback", "BARGAINING")).toBe(false);
    expect(may(workerRep, "moderateFeedback", "BARGAINING")).toBe(true);
    expect(may(unionMember, "viewFeedback", "BARGAINING")).toBe(false);
    // The vote: the roll votes; the worker chief or the recorder closes it.
    const onRoll = roles(actor("voter"));
    expect(decide({ snapshot: snapshot("RATIFICATION"), roles: onRoll, isVoter: true }, "vote", NOW).allowed).toBe(true);
    expect(decide({ snapshot: snapshot("RATIFICATION"), roles: onRoll, isVoter: true }, "viewAgreement", NOW).allowed).toBe(true);
    expect(may(onRoll, "viewAgreement", "RATIFICATION")).toBe(false);
    expect(may(workerChief, "vote", "RATIFICATION")).toBe(false);
    expect(may(workerChief, "closeVote", "RATIFICATION")).toBe(true);
    expect(may(recorder, "closeVote", "RATIFICATION")).toBe(true);
    expect(may(employerChief, "closeVote", "RATIFICATION")).toBe(false);
    // The chiefs sign the ratified text; a change of the published one is a new proposal.
    expect(may(workerChief, "sign", "RATIFIED")).toBe(true);
    expect(may(employerChief, "sign", "RATIFIED")).toBe(true);
    expect(may(workerRep, "sign", "RATIFIED")).toBe(false);
    expect(may(platformNegotiator, "proposeChange", "IN_FORCE")).toBe(true);
    expect(may(platformNegotiator, "proposeChange", "SIGNED")).toBe(false);
    expect(may(workerRep, "proposeChange", "IN_FORCE")).toBe(false);
  });
});

describe("decideOrganization: proposing a session", () => {
  it("lets union, association and platform negotiators propose; not members, partners or bureaus", () => {
    const negotiatorOf = (organizationId: string): Actor => actor("x", [{ organizationId, role: "NEGOTIATOR" }]);
    const refused = (reason: ErrorCode): Verdict => ({ allowed: false, offered: false, reason });
    expect(decideOrganization(negotiatorOf("o"), "proposeSession", { id: "o", type: "UNION" })).toEqual({ allowed: true });
    expect(decideOrganization(negotiatorOf("o"), "proposeSession", { id: "o", type: "ASSOCIATION" })).toEqual({ allowed: true });
    expect(decideOrganization(negotiatorOf("o"), "proposeSession", { id: "o", type: "PLATFORM" })).toEqual({ allowed: true });
    expect(decideOrganization(negotiatorOf("o"), "proposeSession", { id: "o", type: "PARTNER" })).toEqual(refused("session.proposerType"));
    expect(decideOrganization(negotiatorOf("o"), "proposeSession", { id: "o", type: "BUREAU" })).toEqual(refused("session.proposerType"));
    expect(decideOrganization(actor("x", [{ organizationId: "o", role: "MEMBER" }]), "proposeSession", { id: "o", type: "UNION" })).toEqual(refused("forbidden"));
    expect(decideOrganization(negotiatorOf("other"), "proposeSession", { id: "o", type: "UNION" })).toEqual(refused("forbidden"));
    expect(decideOrganization(null, "proposeSession", { id: "o", type: "UNION" })).toEqual(refused("auth.required"));
  });
});
