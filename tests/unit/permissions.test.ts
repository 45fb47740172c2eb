/**
 * The permission matrix of app/domain/capabilities.ts, written out by hand so that a change to a
 * rule has to change this table too. Organizations (`decideOrganization` over ORGANIZATION_RULES):
 * every action × anonymous, an outsider and every membership role, roles held in another
 * organization, and who may propose a session for which type of organization. Sessions (`decide`
 * over SESSION_RULES): who may see the session, the caucuses, the draft, the feedback and the
 * vote, and in which steps of the procedure.
 */
import { describe, it, expect } from "vitest";
import { MEMBERSHIP_ROLES, ORGANIZATION_TYPES, type Actor, type MembershipRole, type OrganizationType } from "../../app/domain/actors.ts";
import { decide, decideOrganization, ORGANIZATION_ACTIONS, type OrganizationAction, type SessionAction, type Verdict } from "../../app/domain/capabilities.ts";
import type { ErrorCode } from "../../app/domain/errors.ts";
import { SESSION_STATES, type SessionState, type Side } from "../../app/domain/procedure.ts";
import type { SessionRoles } from "../../app/domain/session-access.ts";
import { completeSession, NOW } from "../support/snapshots.ts";

// ---------------------------------------------------------------------------------------------
// Organizations
// ---------------------------------------------------------------------------------------------

type Standing = "ANONYMOUS" | "OUTSIDER" | MembershipRole;
const STANDINGS: readonly Standing[] = ["ANONYMOUS", "OUTSIDER", ...MEMBERSHIP_ROLES];

const ORG_A = { id: "org_a", type: "UNION" as OrganizationType };
const ORG_B = { id: "org_b", type: "UNION" as OrganizationType };

const ALLOWED: Verdict = { allowed: true };
const refused = (reason: ErrorCode): Verdict => ({ allowed: false, offered: false, reason });
const AUTH = refused("auth.required");
const NO = refused("forbidden");

const anyone = { ANONYMOUS: AUTH, OUTSIDER: ALLOWED, MEMBER: ALLOWED, NEGOTIATOR: ALLOWED, ADMIN: ALLOWED } as const;
const members = { ANONYMOUS: AUTH, OUTSIDER: NO, MEMBER: ALLOWED, NEGOTIATOR: ALLOWED, ADMIN: ALLOWED } as const;
const negotiators = { ANONYMOUS: AUTH, OUTSIDER: NO, MEMBER: NO, NEGOTIATOR: ALLOWED, ADMIN: ALLOWED } as const;
const admins = { ANONYMOUS: AUTH, OUTSIDER: NO, MEMBER: NO, NEGOTIATOR: NO, ADMIN: ALLOWED } as const;

/** Every organization action × every standing, on a union (a type that may propose). */
const EXPECTED: Record<OrganizationAction, Record<Standing, Verdict>> = {
  createOrganization: anyone,
  viewOrganization: anyone,
  viewMembers: members,
  leaveOrganization: members,
  updateOrganization: admins,
  requestVerification: admins,
  answerForOrganization: negotiators,
  manageMembers: admins,
  createInvitation: admins,
  revokeInvitation: admins,
  inviteWorkers: negotiators,
  proposeSession: negotiators,
};

/** Actions any signed-in user may take, whatever organization they are about. */
const GLOBAL_ACTIONS: readonly OrganizationAction[] = ["createOrganization", "viewOrganization"];

function actorWith(standing: Standing, organizationId = ORG_A.id): Actor | null {
  if (standing === "ANONYMOUS") return null;
  return {
    userId: `user_${standing.toLowerCase()}`,
    memberships: standing === "OUTSIDER" ? [] : [{ organizationId, role: standing }],
  };
}

function organizationFor(action: OrganizationAction, organization = ORG_A) {
  return action === "createOrganization" ? undefined : organization;
}

describe("decideOrganization", () => {
  it("has an expected verdict for exactly the organization actions, for every standing (the matrix is exhaustive)", () => {
    expect([...ORGANIZATION_ACTIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
    expect([...MEMBERSHIP_ROLES].sort()).toEqual(["ADMIN", "MEMBER", "NEGOTIATOR"]);
    for (const row of Object.values(EXPECTED)) expect(Object.keys(row).sort()).toEqual([...STANDINGS].sort());
  });

  describe("within the actor's own organization", () => {
    const cases = ORGANIZATION_ACTIONS.flatMap((action) => STANDINGS.map((standing) => [action, standing, EXPECTED[action][standing]] as const));

    it.each(cases)("%s as %s → %o", (action, standing, expected) => {
      expect(decideOrganization(actorWith(standing), action, organizationFor(action))).toEqual(expected);
    });
  });

  describe("a role in organization A grants nothing on organization B", () => {
    const cases = ORGANIZATION_ACTIONS.flatMap((action) => MEMBERSHIP_ROLES.map((role) => [action, role] as const));

    it.each(cases)("%s on B as %s of A", (action, role) => {
      const expected = GLOBAL_ACTIONS.includes(action) ? ALLOWED : NO;
      expect(decideOrganization(actorWith(role, ORG_A.id), action, organizationFor(action, ORG_B))).toEqual(expected);
    });
  });

  describe("proposeSession per organization type: only unions, associations and platforms bargain", () => {
    const PROPOSES: Record<OrganizationType, boolean> = { UNION: true, ASSOCIATION: true, PLATFORM: true, PARTNER: false, BUREAU: false };

    it("the table covers every organization type", () => {
      expect(Object.keys(PROPOSES).sort()).toEqual([...ORGANIZATION_TYPES].sort());
    });

    const cases = ORGANIZATION_TYPES.flatMap((type) => STANDINGS.map((standing) => [type, standing] as const));

    it.each(cases)("for a %s as %s", (type, standing) => {
      const expected =
        standing === "ANONYMOUS"
          ? AUTH
          : standing === "OUTSIDER" || standing === "MEMBER"
            ? NO
            : PROPOSES[type]
              ? ALLOWED
              : refused("session.proposerType");
      expect(decideOrganization(actorWith(standing), "proposeSession", { id: ORG_A.id, type })).toEqual(expected);
    });

    it("a negotiator of another organization may not propose for this one, whatever its type", () => {
      for (const type of ORGANIZATION_TYPES) {
        expect(decideOrganization(actorWith("NEGOTIATOR", ORG_B.id), "proposeSession", { id: ORG_A.id, type })).toEqual(NO);
      }
    });

    it("without the organization's type, a negotiator is refused as for a type that may not propose", () => {
      expect(decideOrganization(actorWith("NEGOTIATOR"), "proposeSession", { id: ORG_A.id })).toEqual(refused("session.proposerType"));
      expect(decideOrganization(actorWith("NEGOTIATOR"), "proposeSession")).toEqual(NO);
    });
  });

  it("uses the role held in the organization asked about when the actor belongs to several", () => {
    const actor: Actor = {
      userId: "user_multi",
      memberships: [
        { organizationId: ORG_B.id, role: "ADMIN" },
        { organizationId: ORG_A.id, role: "MEMBER" },
      ],
    };
    expect(decideOrganization(actor, "manageMembers", ORG_B)).toEqual(ALLOWED);
    expect(decideOrganization(actor, "manageMembers", ORG_A)).toEqual(NO);
    expect(decideOrganization(actor, "createInvitation", ORG_A)).toEqual(NO);
    expect(decideOrganization(actor, "viewMembers", ORG_A)).toEqual(ALLOWED);
    expect(decideOrganization(actor, "viewMembers", { id: "org_c" })).toEqual(NO);
    expect(decideOrganization(actor, "proposeSession", ORG_B)).toEqual(ALLOWED);
    expect(decideOrganization(actor, "proposeSession", ORG_A)).toEqual(NO);
  });

  it("gives workers' invitation codes only for a union (issue 25)", () => {
    for (const type of ORGANIZATION_TYPES) {
      expect(decideOrganization(actorWith("ADMIN"), "inviteWorkers", { id: ORG_A.id, type })).toEqual(type === "UNION" ? ALLOWED : refused("invite.workersByUnion"));
    }
    expect(decideOrganization(actorWith("MEMBER"), "inviteWorkers", ORG_A)).toEqual(NO);
  });

  it("never allows an action it does not know (deny by default)", () => {
    const unknown = "deleteEverything" as unknown as OrganizationAction;
    expect(decideOrganization(null, unknown, ORG_A)).toEqual(AUTH);
    // For a signed-in actor an unknown action has no row: the projection throws rather than allow.
    let verdict: Verdict | null = null;
    try {
      verdict = decideOrganization(actorWith("ADMIN"), unknown, ORG_A);
    } catch {
      verdict = null;
    }
    expect(verdict?.allowed).not.toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Sessions: seeing, the caucuses, the draft, the feedback, the vote
// ---------------------------------------------------------------------------------------------

const snapshot = (state: SessionState) => completeSession(state);

const roles = (overrides: Partial<SessionRoles>): SessionRoles => ({
  userId: "u",
  canView: true,
  negotiatorOf: [],
  caucusSides: [],
  representativeOf: null,
  chiefOf: null,
  isRecorder: false,
  isReviewer: false,
  ...overrides,
});

/** The people of a session, with the roles session-access.ts derives for them. */
const PEOPLE = {
  workerChief: { roles: roles({ negotiatorOf: ["WORKER"], representativeOf: "WORKER", chiefOf: "WORKER", caucusSides: ["WORKER"] }) },
  employerChief: { roles: roles({ negotiatorOf: ["EMPLOYER"], representativeOf: "EMPLOYER", chiefOf: "EMPLOYER", caucusSides: ["EMPLOYER"] }) },
  workerNegotiator: { roles: roles({ negotiatorOf: ["WORKER"], caucusSides: ["WORKER"] }) },
  employerNegotiator: { roles: roles({ negotiatorOf: ["EMPLOYER"], caucusSides: ["EMPLOYER"] }) },
  workerRepresentative: { roles: roles({ representativeOf: "WORKER", caucusSides: ["WORKER"] }) },
  employerRepresentative: { roles: roles({ representativeOf: "EMPLOYER", caucusSides: ["EMPLOYER"] }) },
  unionMember: { roles: roles({ caucusSides: ["WORKER"] }) },
  recorder: { roles: roles({ isRecorder: true }) },
  reviewer: { roles: roles({ isReviewer: true }) },
  /** A worker representative on the vote's roll who is nothing else in the session. */
  voter: { roles: roles({ canView: false }), isVoter: true },
  outsider: { roles: roles({ canView: false }) },
} as const;
type Person = keyof typeof PEOPLE;
const EVERYONE = Object.keys(PEOPLE) as Person[];

/**
 * Who may, written by hand: per action (and side, for the caucus), the step it is tried in, the
 * people allowed, and the refusal everyone else gets.
 */
const SESSION_EXPECTED: Array<{ action: SessionAction; target?: Side; state: SessionState; who: Person[]; reason: ErrorCode }> = [
  { action: "view", state: "BARGAINING", who: ["workerChief", "employerChief", "workerNegotiator", "employerNegotiator", "workerRepresentative", "employerRepresentative", "unionMember", "recorder", "reviewer"], reason: "notFound" },
  { action: "viewAgreement", state: "RATIFICATION", who: ["workerChief", "employerChief", "workerNegotiator", "employerNegotiator", "workerRepresentative", "employerRepresentative", "unionMember", "recorder", "reviewer", "voter"], reason: "notFound" },
  { action: "readCaucus", target: "WORKER", state: "BARGAINING", who: ["workerChief", "workerNegotiator", "workerRepresentative", "unionMember"], reason: "forbidden" },
  { action: "readCaucus", target: "EMPLOYER", state: "BARGAINING", who: ["employerChief", "employerNegotiator", "employerRepresentative"], reason: "forbidden" },
  { action: "writeCaucus", target: "WORKER", state: "BARGAINING", who: ["workerChief", "workerNegotiator", "workerRepresentative", "unionMember"], reason: "forbidden" },
  { action: "writeCaucus", target: "EMPLOYER", state: "BARGAINING", who: ["employerChief", "employerNegotiator", "employerRepresentative"], reason: "forbidden" },
  { action: "editDraft", state: "BARGAINING", who: ["workerChief", "workerNegotiator", "workerRepresentative"], reason: "forbidden" },
  { action: "commentDraft", state: "BARGAINING", who: ["workerChief", "employerChief", "workerNegotiator", "employerNegotiator", "workerRepresentative", "employerRepresentative"], reason: "forbidden" },
  { action: "offerDraft", state: "BARGAINING", who: ["workerChief", "employerChief", "workerNegotiator", "employerNegotiator", "workerRepresentative", "employerRepresentative"], reason: "forbidden" },
  { action: "viewFeedback", state: "BARGAINING", who: ["workerChief", "employerChief", "workerNegotiator", "employerNegotiator", "workerRepresentative", "employerRepresentative"], reason: "forbidden" },
  { action: "moderateFeedback", state: "BARGAINING", who: ["workerChief", "workerNegotiator", "workerRepresentative"], reason: "forbidden" },
  { action: "vote", state: "RATIFICATION", who: ["voter"], reason: "ratification.notOnRoll" },
  { action: "closeVote", state: "RATIFICATION", who: ["workerChief", "recorder"], reason: "forbidden" },
];

/** The steps in which each action can be taken at all, written by hand, and the refusal in the others. */
const SESSION_STEPS: Array<{ action: SessionAction; person: Person; states: readonly SessionState[]; reason?: ErrorCode }> = [
  { action: "view", person: "unionMember", states: SESSION_STATES },
  { action: "viewFeedback", person: "employerRepresentative", states: SESSION_STATES },
  { action: "moderateFeedback", person: "workerRepresentative", states: SESSION_STATES },
  { action: "editDraft", person: "workerRepresentative", states: ["ACCEPTED", "BARGAINING"], reason: "procedure.wrongState" },
  { action: "commentDraft", person: "employerRepresentative", states: ["ACCEPTED", "BARGAINING", "SUSPENDED", "DRAFT_AGREED"], reason: "procedure.wrongState" },
  { action: "offerDraft", person: "employerNegotiator", states: ["BARGAINING"], reason: "procedure.wrongState" },
  { action: "vote", person: "voter", states: ["RATIFICATION"], reason: "ratification.notOpen" },
  { action: "closeVote", person: "recorder", states: ["RATIFICATION"], reason: "ratification.notOpen" },
];

const decideFor = (person: Person, action: SessionAction, state: SessionState, target?: Side) =>
  decide({ snapshot: snapshot(state), ...PEOPLE[person] }, action, NOW, target);

describe("decide: who may act on a session", () => {
  const cases = SESSION_EXPECTED.flatMap(({ action, target, state, who, reason }) =>
    EVERYONE.map((person) => ({ action, side: target ?? "-", target, state, person, expected: who.includes(person) ? ALLOWED : { allowed: false, offered: false, reason } })),
  );

  it.each(cases)("$action ($side) in $state as $person", ({ action, target, state, person, expected }) => {
    expect(decideFor(person, action, state, target)).toEqual(expected);
  });

  it("a caucus asked about without a side is nobody's", () => {
    for (const person of EVERYONE) expect(decideFor(person, "readCaucus", "BARGAINING")).toEqual(NO);
  });
});

describe("decide: in which steps", () => {
  const cases = SESSION_STEPS.flatMap(({ action, person, states, reason }) =>
    SESSION_STATES.map((state) => ({ action, person, state, expected: states.includes(state) ? ALLOWED : { allowed: false, offered: false, reason } })),
  );

  it.each(cases)("$action as $person in $state", ({ action, person, state, expected }) => {
    expect(decideFor(person, action, state)).toEqual(expected);
  });
});
