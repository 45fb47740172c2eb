/**
 * Issue 15: who may do what on a session, checked against a table written here from
 * 《集体合同规定》 (劳动和社会保障部令第22号) and the platform's own rules, not derived from the code.
 * The people are described as the law knows them — memberships of the parties' organizations and
 * seats — and turned into roles by app/domain/session-access.ts, as the server does. Every person ×
 * every procedure step × every action (× side, for actions about one side): allowed exactly where
 * the table says, and not even offered anywhere else. Then the reasons the page shows when an
 * action is the person's but cannot be taken yet, and the rows' citations.
 */
import { describe, expect, it } from "vitest";
import {
  allowedActions,
  decide,
  OPEN_FOR_SEATS,
  PROCEDURE_ACTIONS,
  SESSION_ACTIONS,
  SESSION_RULES,
  type SessionAction,
  type SessionSubject,
} from "../../app/domain/capabilities.ts";
import { SESSION_STATES, type SessionSnapshot, type SessionState, type Side } from "../../app/domain/procedure.ts";
import { sessionRolesOf } from "../../app/domain/session-access.ts";
import { completeSession, DAY, NOW } from "../support/snapshots.ts";
import { EVERYONE, LAW, PARTIES, PEOPLE, SEATS_OPEN, type Person, type Who } from "../support/law.ts";

/** Every clock-dependent step is open at NOW: filed 2 days ago, in force with a month to run (the last 3 months, 第三十八条). */
function session(state: SessionState, overrides: Partial<SessionSnapshot> = {}): SessionSnapshot {
  return completeSession(state, {
    proposedAt: new Date(NOW.getTime() - 5 * DAY),
    answeredAt: null,
    signedAt: new Date(NOW.getTime() - 2 * DAY),
    filedAt: new Date(NOW.getTime() - 2 * DAY),
    effectiveFrom: new Date(NOW.getTime() - 700 * DAY),
    effectiveUntil: new Date(NOW.getTime() + 30 * DAY),
    ...overrides,
  });
}

function subject(who: Who, snapshot: SessionSnapshot, pendingRecorderBy: Side | null = "WORKER"): SessionSubject {
  const person: Person = PEOPLE[who];
  const seats = person.seats.map((seat) => ({ ...seat, userId: who }));
  return { snapshot, roles: sessionRolesOf({ userId: who, memberships: person.memberships }, PARTIES, seats), isVoter: person.isVoter === true, pendingRecorderBy };
}

describe("the projection against the law", () => {
  it("has a row of the law for every action, and the procedure actions are exactly the rows that send an event", () => {
    expect(Object.keys(LAW).sort()).toEqual([...SESSION_ACTIONS].sort());
    const withEvents = SESSION_ACTIONS.filter((action) => "event" in SESSION_RULES[action] && SESSION_RULES[action].event !== undefined);
    expect([...PROCEDURE_ACTIONS].sort()).toEqual(withEvents.sort());
  });

  it("cites an article or names the platform rule behind every row", () => {
    for (const action of SESSION_ACTIONS) expect(SESSION_RULES[action].law, action).toMatch(/第.+条|platform rule/);
  });

  const cases = EVERYONE.flatMap((who) => SESSION_STATES.map((state) => ({ who, state })));
  it.each(cases)("$who in $state", ({ who, state }) => {
    const me = subject(who, session(state));
    const verdicts = allowedActions(me, NOW);
    for (const action of SESSION_ACTIONS) {
      const row = LAW[action];
      const inStep = row.states.includes(state);
      if (Array.isArray(row.who)) {
        const expected = inStep && row.who.includes(who);
        expect(decide(me, action, NOW).allowed, `${action} for ${who} in ${state} (${row.source})`).toBe(expected);
        expect(verdicts[action].allowed, `${action} in the page's verdicts`).toBe(expected);
        if (!expected) expect(verdicts[action], `${action} is not offered to ${who} in ${state}`).toMatchObject({ allowed: false, offered: false });
      } else {
        for (const side of ["WORKER", "EMPLOYER"] as const) {
          const expected = inStep && row.who[side].includes(who);
          expect(decide(me, action, NOW, side).allowed, `${action} about ${side} for ${who} in ${state} (${row.source})`).toBe(expected);
          expect(verdicts[action].sides?.includes(side) ?? false, `${action} sides in the page's verdicts`).toBe(expected);
        }
        // Without a side, an action about one side is never allowed.
        expect(decide(me, action, NOW).allowed).toBe(false);
      }
    }
  });

  it("nobody confirms a recorder when none is pending, and the nominating side never confirms its own nominee", () => {
    for (const who of EVERYONE) expect(decide(subject(who, session("ACCEPTED"), null), "confirmRecorder", NOW).allowed, who).toBe(false);
    const byEmployer = (who: Who) => decide(subject(who, session("ACCEPTED"), "EMPLOYER"), "confirmRecorder", NOW).allowed;
    expect(EVERYONE.filter(byEmployer).sort()).toEqual(["workerChief", "workerNegotiator"].sort());
  });
});

describe("actions that are the person's but cannot be taken yet, with the reason shown", () => {
  const verdict = (who: Who, snapshot: SessionSnapshot, action: SessionAction) => allowedActions(subject(who, snapshot), NOW)[action];

  it("start: a chief sees why while a delegation or the recorder is missing (第十九条, 第三十三条（五）)", () => {
    expect(verdict("workerChief", session("ACCEPTED", { hasRecorder: false }), "startBargaining")).toEqual({ allowed: false, offered: true, reason: "procedure.delegationIncomplete" });
    expect(verdict("employerChief", session("ACCEPTED", { delegation: [{ side: "WORKER", isChief: true }] }), "startBargaining")).toEqual({
      allowed: false,
      offered: true,
      reason: "procedure.delegationIncomplete",
    });
  });

  it("agreeing the draft and signing: the chief who agreed or signed waits for the other", () => {
    expect(verdict("workerChief", session("BARGAINING", { agreements: { DRAFT: ["WORKER"] } }), "agreeDraft")).toEqual({ allowed: false, offered: true, reason: "procedure.alreadyDone" });
    expect(verdict("employerChief", session("BARGAINING", { agreements: { DRAFT: ["WORKER"] } }), "agreeDraft")).toEqual({ allowed: true });
    expect(verdict("employerChief", session("RATIFIED", { signatures: ["EMPLOYER"] }), "sign")).toEqual({ allowed: false, offered: true, reason: "procedure.alreadyDone" });
  });

  it("objecting: not after the 15 days of review (第四十五条)", () => {
    expect(verdict("bureauReviewer", session("FILED", { filedAt: new Date(NOW.getTime() - 20 * DAY) }), "object")).toEqual({ allowed: false, offered: true, reason: "procedure.reviewPeriodOver" });
  });

  it("renewal: not before the last 3 months (第三十八条)", () => {
    expect(verdict("employerChief", session("IN_FORCE", { effectiveUntil: new Date(NOW.getTime() + 200 * DAY) }), "requestRenewal")).toEqual({
      allowed: false,
      offered: true,
      reason: "procedure.renewalWindowClosed",
    });
  });

  it("refusals name the page's message: outsiders learn nothing, seats and rounds say why", () => {
    expect(decide(subject("rider", session("BARGAINING")), "view", NOW)).toEqual({ allowed: false, offered: false, reason: "notFound" });
    expect(decide(subject("workerNegotiator", session("IN_FORCE")), "appointRepresentative", NOW, "WORKER")).toEqual({ allowed: false, offered: false, reason: "seat.closed" });
    expect(decide(subject("workerChief", session("ACCEPTED")), "scheduleRound", NOW)).toEqual({ allowed: false, offered: false, reason: "round.wrongState" });
    expect(decide(subject("workerRepresentative", session("RATIFICATION")), "vote", NOW)).toEqual({ allowed: false, offered: false, reason: "ratification.notOnRoll" });
    expect(decide(subject("employerAdmin", session("PROPOSED")), "withdraw", NOW)).toEqual({ allowed: false, offered: false, reason: "procedure.notAllowed" });
  });

  it("seat rules follow OPEN_FOR_SEATS, the steps from acceptance to filing", () => {
    expect([...OPEN_FOR_SEATS]).toEqual(SEATS_OPEN);
  });
});
