/**
 * Issue 15: the projection of what each role may do on a session, checked against a table written
 * here from 《集体合同规定》 (劳动和社会保障部令第22号), not derived from the code. Every role × every
 * state × every procedure action: offered and allowed exactly where the table says, absent
 * everywhere else. Then the reasons the page shows when an action is the role's but cannot be
 * taken yet.
 */
import { describe, expect, it } from "vitest";
import { PROCEDURE_ACTIONS, procedureActions, type ProcedureAction } from "../../app/domain/capabilities.ts";
import { SESSION_STATES, type SessionActor, type SessionSnapshot, type SessionState } from "../../app/domain/procedure.ts";

const NOW = new Date("2026-06-01T04:00:00Z");
const DAY = 24 * 60 * 60 * 1000;

/** The union (worker side) proposed; both delegations and the recorder are complete. */
function session(state: SessionState, overrides: Partial<SessionSnapshot> = {}): SessionSnapshot {
  const side = (s: "WORKER" | "EMPLOYER") => [0, 1, 2].map((i) => ({ side: s, isChief: i === 0 }));
  return {
    state,
    proposerSide: "WORKER",
    proposedAt: new Date(NOW.getTime() - 5 * DAY),
    answeredAt: null,
    representativesPerSide: 3,
    termMonths: 24,
    plannedEffectiveFrom: null,
    signedAt: new Date(NOW.getTime() - 2 * DAY),
    filedAt: new Date(NOW.getTime() - 2 * DAY),
    effectiveFrom: new Date(NOW.getTime() - 700 * DAY),
    // In force, with a month to run: inside the last 3 months (第三十八条).
    effectiveUntil: new Date(NOW.getTime() + 30 * DAY),
    agreements: {},
    signatures: [],
    delegation: [...side("WORKER"), ...side("EMPLOYER")],
    hasRecorder: true,
    ...overrides,
  };
}

const person = (overrides: Partial<SessionActor>): SessionActor => ({ userId: "u", negotiatorOf: [], representativeOf: null, chiefOf: null, isRecorder: false, isReviewer: false, ...overrides });

/** The people of a session, as the law knows them. */
const ROLES = {
  workerChief: person({ negotiatorOf: ["WORKER"], representativeOf: "WORKER", chiefOf: "WORKER" }),
  employerChief: person({ negotiatorOf: ["EMPLOYER"], representativeOf: "EMPLOYER", chiefOf: "EMPLOYER" }),
  workerNegotiator: person({ negotiatorOf: ["WORKER"] }),
  employerNegotiator: person({ negotiatorOf: ["EMPLOYER"] }),
  workerRepresentative: person({ representativeOf: "WORKER" }),
  employerRepresentative: person({ representativeOf: "EMPLOYER" }),
  recorder: person({ isRecorder: true }),
  bureauReviewer: person({ isReviewer: true }),
  rider: person({}),
} as const;
type Role = keyof typeof ROLES;

/**
 * Who may take each procedure action, and in which step. Written from the regulation: each row
 * names its article. The union proposed, so the employer side is the one that answers.
 */
const LAW: Record<ProcedureAction, { state: SessionState; roles: Role[]; source: string }> = {
  accept: { state: "PROPOSED", roles: ["employerChief", "employerNegotiator"], source: "第三十二条: the other side answers the written proposal" },
  decline: { state: "PROPOSED", roles: ["employerChief", "employerNegotiator"], source: "第三十二条: the other side answers (refusing with its reasons)" },
  withdraw: { state: "PROPOSED", roles: ["workerChief", "workerNegotiator"], source: "the proposer's own written proposal (第三十二条), withdrawn by its side before an answer" },
  startBargaining: { state: "ACCEPTED", roles: ["workerChief", "employerChief"], source: "第十九条 (equal delegations, a chief each), 第三十三条（五） (the recorder), 第三十四条 (chiefs chair)" },
  agreeDraft: { state: "BARGAINING", roles: ["workerChief", "employerChief"], source: "第三十四条（四）: a draft agreed by both sides is signed by both chiefs" },
  suspend: { state: "BARGAINING", roles: ["workerChief", "employerChief"], source: "第三十五条: talks may be suspended by agreement of both sides" },
  resume: { state: "SUSPENDED", roles: ["workerChief", "employerChief"], source: "第三十五条: talks resume as both agreed" },
  openRatification: { state: "DRAFT_AGREED", roles: ["workerChief"], source: "第三十六条: the draft goes to the workers' congress (the worker side brings it)" },
  sign: { state: "RATIFIED", roles: ["workerChief", "employerChief"], source: "第三十七条: signed by both chiefs once the congress passed it" },
  file: { state: "SIGNED", roles: ["employerChief"], source: "第四十二条: 由用人单位一方 files the text within 10 days" },
  object: { state: "FILED", roles: ["bureauReviewer"], source: "第四十四条、第四十五条: the bureau reviews and may object within 15 days" },
  requestRenewal: { state: "IN_FORCE", roles: ["workerChief", "employerChief"], source: "第三十八条: either side may ask to renew in the last 3 months" },
};

describe("the projection against the law", () => {
  it("has a row of the law for every action it offers", () => {
    expect(Object.keys(LAW).sort()).toEqual(Object.keys(PROCEDURE_ACTIONS).sort());
  });

  const cases = (Object.keys(ROLES) as Role[]).flatMap((role) => SESSION_STATES.map((state) => ({ role, state })));
  it.each(cases)("$role in $state", ({ role, state }) => {
    const offered = procedureActions(session(state), ROLES[role], NOW);
    for (const [action, rule] of Object.entries(LAW) as Array<[ProcedureAction, (typeof LAW)[ProcedureAction]]>) {
      const expected = rule.state === state && rule.roles.includes(role);
      expect(offered[action]?.allowed === true, `${action} for ${role} in ${state} (${rule.source})`).toBe(expected);
      if (!expected) expect(offered[action], `${action} is not offered to ${role} in ${state}`).toBeUndefined();
    }
  });
});

describe("actions that are the role's but cannot be taken yet, with the reason shown", () => {
  it("start: a chief sees why while a delegation or the recorder is missing (第十九条, 第三十三条（五）)", () => {
    const noRecorder = procedureActions(session("ACCEPTED", { hasRecorder: false }), ROLES.workerChief, NOW);
    expect(noRecorder.startBargaining).toEqual({ allowed: false, reason: "procedure.delegationIncomplete" });
    const short = procedureActions(session("ACCEPTED", { delegation: [{ side: "WORKER", isChief: true }] }), ROLES.employerChief, NOW);
    expect(short.startBargaining).toEqual({ allowed: false, reason: "procedure.delegationIncomplete" });
  });

  it("agreeing the draft: the chief who agreed waits for the other", () => {
    const offered = procedureActions(session("BARGAINING", { agreements: { DRAFT: ["WORKER"] } }), ROLES.workerChief, NOW);
    expect(offered.agreeDraft).toEqual({ allowed: false, reason: "procedure.alreadyDone" });
    expect(procedureActions(session("BARGAINING", { agreements: { DRAFT: ["WORKER"] } }), ROLES.employerChief, NOW).agreeDraft).toEqual({ allowed: true });
  });

  it("objecting: not after the 15 days of review (第四十五条)", () => {
    const late = procedureActions(session("FILED", { filedAt: new Date(NOW.getTime() - 16 * DAY) }), ROLES.bureauReviewer, NOW);
    expect(late.object).toEqual({ allowed: false, reason: "procedure.reviewPeriodOver" });
  });

  it("renewal: not before the last 3 months (第三十八条)", () => {
    const early = procedureActions(session("IN_FORCE", { effectiveUntil: new Date(NOW.getTime() + 200 * DAY) }), ROLES.employerChief, NOW);
    expect(early.requestRenewal).toEqual({ allowed: false, reason: "procedure.renewalWindowClosed" });
  });
});
