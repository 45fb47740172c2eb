/**
 * The collective-bargaining procedure of app/domain/procedure.ts (shared/DESIGN.md, "The
 * bargaining procedure"): every event in every state, the delegation guard, the two-step
 * decisions of both chiefs (keyed by the side the event carries), the vote's result
 * (`ratificationClosed`), the review period, the renewal window, the deadlines, and the
 * transitions that time alone causes.
 *
 * `transition` knows steps and time only. Who may send each event is decided by the projection
 * of app/domain/capabilities.ts; the role rules of each event are checked here through `decide`
 * on the action that sends it, so that each event's "who may" sits next to "what changes".
 */
import { describe, it, expect } from "vitest";
import { decide, type SessionAction, type Verdict } from "../../app/domain/capabilities.ts";
import {
  addDays,
  addMonths,
  advanceByClock,
  AGREEMENT_STATES,
  type AgreementKind,
  type AgreementTerms,
  answerDueAt,
  deadlinesOf,
  delegationProblems,
  fileDueAt,
  ratificationClosed,
  renewalWindowOpensAt,
  reviewEndsAt,
  SESSION_STATES,
  SIDES,
  transition,
  vacancyRefillDueAt,
  type ProcedureEvent,
  type SessionSnapshot,
  type SessionState,
  type Side,
  type TransitionResult,
} from "../../app/domain/procedure.ts";
import { PROCEDURE_RULES } from "../../app/domain/procedure-rules.ts";
import type { SessionActor } from "../../app/domain/session-access.ts";

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const PROPOSED_AT = new Date("2026-01-05T02:00:00Z");
const NOW = new Date("2026-06-01T04:00:00Z");
const plus = (date: Date, ms: number) => new Date(date.getTime() + ms);

function seats(side: Side, count: number, chiefs = 1): SessionSnapshot["delegation"] {
  return Array.from({ length: count }, (_, index) => ({ side, isChief: index < chiefs }));
}

function snapshot(overrides: Partial<SessionSnapshot> = {}): SessionSnapshot {
  return {
    state: "PROPOSED",
    proposerSide: "WORKER",
    proposedAt: PROPOSED_AT,
    answeredAt: null,
    representativesPerSide: 3,
    termMonths: 24,
    plannedEffectiveFrom: null,
    signedAt: null,
    filedAt: null,
    effectiveFrom: null,
    effectiveUntil: null,
    agreements: {},
    suspension: null,
    signatures: [],
    delegation: [...seats("WORKER", 3), ...seats("EMPLOYER", 3)],
    hasRecorder: true,
    ...overrides,
  };
}

function actor(overrides: Partial<SessionActor> = {}): SessionActor {
  return {
    userId: "user_test",
    negotiatorOf: [],
    representativeOf: null,
    chiefOf: null,
    isRecorder: false,
    isReviewer: false,
    ...overrides,
  };
}

/** Applies a successful transition's patch, as the caller would. */
function applied(session: SessionSnapshot, result: TransitionResult): SessionSnapshot {
  if (!result.ok) throw new Error(`expected a transition, got refusal ${result.code}`);
  return { ...session, ...result.patch };
}

const chief = (side: Side) => actor({ negotiatorOf: [side], representativeOf: side, chiefOf: side });
const negotiator = (side: Side) => actor({ negotiatorOf: [side] });
/** Everything but a chief: negotiator of both sides, a representative, recorder and reviewer. */
const everythingButChief = actor({ negotiatorOf: ["WORKER", "EMPLOYER"], representativeOf: "WORKER", isRecorder: true, isReviewer: true });

/** The projection's verdict on `action` for `who` in `session` at `now` (a participant, no caucus). */
const verdict = (session: SessionSnapshot, who: SessionActor, action: SessionAction, now: Date = NOW): Verdict =>
  decide({ snapshot: session, roles: { ...who, canView: true, caucusSides: [] } }, action, now);
const allowed: Verdict = { allowed: true };
/** The refusal of a procedure action to someone whose action it is not. */
const notAllowed: Verdict = { allowed: false, offered: false, reason: "procedure.notAllowed" };

// ---------------------------------------------------------------------------------------------
// 1. Every event in every state
// ---------------------------------------------------------------------------------------------

/** A suspension's plan (第三十五条): talks resume a week after NOW, the next meeting that day. */
const PLAN: AgreementTerms["SUSPEND"] = { resumesAt: "2026-06-08T02:00:00.000Z", meetingAt: "2026-06-08T02:00:00.000Z", location: "市总工会 3 楼会议室", agenda: "计件单价" };
const TERMS: AgreementTerms = { SUSPEND: PLAN, RESUME: {}, DRAFT: { startsOn: null }, REOPEN: { reason: "审查意见涉及第 4 条" } };
const agreeEvent = (kind: AgreementKind, side: Side): ProcedureEvent => ({ type: "AGREE", kind, side, terms: TERMS[kind] } as ProcedureEvent);

/** Where each event type applies (AGREE: AGREEMENT_STATES by kind); a Record so that a new event type must be added here. */
const VALID_IN: Record<Exclude<ProcedureEvent["type"], "AGREE">, SessionState> = {
  ANSWER: "PROPOSED",
  WITHDRAW: "PROPOSED",
  START_BARGAINING: "ACCEPTED",
  OPEN_RATIFICATION: "DRAFT_AGREED",
  SIGN: "RATIFIED",
  FILE: "SIGNED",
  OBJECT: "FILED",
  REQUEST_RENEWAL: "IN_FORCE",
};

const EVENTS: Array<[string, ProcedureEvent]> = [
  ["ANSWER accept", { type: "ANSWER", accept: true }],
  ["ANSWER decline", { type: "ANSWER", accept: false, reasons: "not now" }],
  ["WITHDRAW", { type: "WITHDRAW" }],
  ["START_BARGAINING", { type: "START_BARGAINING" }],
  ...SIDES.flatMap((side): Array<[string, ProcedureEvent]> => [
    ...(["SUSPEND", "RESUME", "DRAFT", "REOPEN"] as const).map((kind): [string, ProcedureEvent] => [`AGREE ${kind} by ${side}`, agreeEvent(kind, side)]),
    [`SIGN by ${side}`, { type: "SIGN", side }],
  ]),
  ["OPEN_RATIFICATION", { type: "OPEN_RATIFICATION" }],
  ["FILE", { type: "FILE" }],
  ["OBJECT", { type: "OBJECT" }],
  ["REQUEST_RENEWAL", { type: "REQUEST_RENEWAL" }],
];

/** The end states of the procedure (SESSION_STATES comments: "(end)"). */
const END_STATES: SessionState[] = ["DECLINED", "WITHDRAWN", "EXPIRED", "AMENDED", "TERMINATED"];
const appliesIn = (event: ProcedureEvent): readonly SessionState[] => (event.type === "AGREE" ? AGREEMENT_STATES[event.kind] : [VALID_IN[event.type]]);

/** A session in `state` whose dates let every guard other than the state pass at NOW. */
const permissive = (state: SessionState) =>
  snapshot({
    state,
    answeredAt: plus(NOW, -100 * DAY),
    signedAt: plus(NOW, -2 * DAY),
    filedAt: plus(NOW, -1 * DAY),
    effectiveFrom: plus(NOW, -300 * DAY),
    effectiveUntil: plus(NOW, 30 * DAY),
  });

describe("every event in every state", () => {
  it("the table covers every event type and every state", () => {
    expect(new Set(EVENTS.map(([, event]) => event.type))).toEqual(new Set([...Object.keys(VALID_IN), "AGREE"]));
    expect(SESSION_STATES).toHaveLength(17);
    for (const state of Object.values(VALID_IN)) expect(SESSION_STATES).toContain(state);
  });

  const cases = SESSION_STATES.flatMap((state) =>
    EVENTS.map(([name, event]) => ({ name, event, state, applies: appliesIn(event).includes(state) })),
  );

  it.each(cases)("$name in $state (applies: $applies)", ({ event, state, applies }) => {
    const result = transition(permissive(state), event, NOW);
    if (applies) {
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.from).toBe(state);
    } else {
      expect(result).toEqual({ ok: false, code: "procedure.wrongState" });
    }
  });

  it.each(SESSION_STATES.flatMap((state) => [true, false].map((passed) => ({ state, passed, applies: state === "RATIFICATION" }))))(
    "the vote's result (passed: $passed) in $state (applies: $applies)",
    ({ state, passed, applies }) => {
      const result = ratificationClosed(permissive(state), passed);
      if (applies) expect(result).toMatchObject({ ok: true, from: state });
      else expect(result).toEqual({ ok: false, code: "procedure.wrongState" });
    },
  );

  it.each(END_STATES.map((state) => [state]))("no event moves a session out of the end state %s", (state) => {
    for (const [, event] of EVENTS) {
      expect(transition(permissive(state), event, NOW)).toEqual({ ok: false, code: "procedure.wrongState" });
    }
    for (const passed of [true, false]) expect(ratificationClosed(permissive(state), passed)).toEqual({ ok: false, code: "procedure.wrongState" });
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Each event in its state: who may (through the projection), and what changes
// ---------------------------------------------------------------------------------------------

describe("ANSWER (PROPOSED)", () => {
  const proposed = snapshot();

  it("the recipient side's negotiator accepts: ACCEPTED, answeredAt = now", () => {
    expect(verdict(proposed, negotiator("EMPLOYER"), "accept")).toEqual(allowed);
    expect(transition(proposed, { type: "ANSWER", accept: true }, NOW)).toEqual({
      ok: true,
      from: "PROPOSED",
      to: "ACCEPTED",
      patch: { state: "ACCEPTED", answeredAt: NOW },
    });
  });

  it("the recipient side's negotiator declines: DECLINED, answeredAt = now", () => {
    expect(verdict(proposed, negotiator("EMPLOYER"), "decline")).toEqual(allowed);
    expect(transition(proposed, { type: "ANSWER", accept: false, reasons: "no mandate" }, NOW)).toEqual({
      ok: true,
      from: "PROPOSED",
      to: "DECLINED",
      patch: { state: "DECLINED", answeredAt: NOW },
    });
  });

  it("when the employer proposed, the worker side answers", () => {
    const byEmployer = snapshot({ proposerSide: "EMPLOYER" });
    expect(verdict(byEmployer, negotiator("WORKER"), "accept")).toEqual(allowed);
    expect(transition(byEmployer, { type: "ANSWER", accept: true }, NOW)).toMatchObject({ ok: true, to: "ACCEPTED" });
    expect(verdict(byEmployer, negotiator("EMPLOYER"), "accept")).toEqual(notAllowed);
    expect(verdict(byEmployer, negotiator("EMPLOYER"), "decline")).toEqual(notAllowed);
  });

  it.each([
    ["the proposer side's negotiator", negotiator("WORKER")],
    ["someone with no role", actor()],
    ["a recorder", actor({ isRecorder: true })],
    ["a reviewer", actor({ isReviewer: true })],
    ["a worker-side chief", chief("WORKER")],
  ])("%s cannot answer", (_, who) => {
    expect(verdict(proposed, who, "accept")).toEqual(notAllowed);
    expect(verdict(proposed, who, "decline")).toEqual(notAllowed);
  });
});

describe("WITHDRAW (PROPOSED)", () => {
  it("the proposer side's negotiator withdraws: WITHDRAWN", () => {
    expect(verdict(snapshot(), negotiator("WORKER"), "withdraw")).toEqual(allowed);
    expect(transition(snapshot(), { type: "WITHDRAW" }, NOW)).toEqual({
      ok: true,
      from: "PROPOSED",
      to: "WITHDRAWN",
      patch: { state: "WITHDRAWN" },
    });
  });

  it("when the employer proposed, the employer side withdraws", () => {
    const byEmployer = snapshot({ proposerSide: "EMPLOYER" });
    expect(verdict(byEmployer, negotiator("EMPLOYER"), "withdraw")).toEqual(allowed);
    expect(transition(byEmployer, { type: "WITHDRAW" }, NOW)).toMatchObject({ ok: true, to: "WITHDRAWN" });
    expect(verdict(byEmployer, negotiator("WORKER"), "withdraw")).toEqual(notAllowed);
  });

  it.each([
    ["the recipient side's negotiator", negotiator("EMPLOYER")],
    ["someone with no role", actor()],
    ["a recorder and reviewer", actor({ isRecorder: true, isReviewer: true })],
  ])("%s cannot withdraw", (_, who) => {
    expect(verdict(snapshot(), who, "withdraw")).toEqual(notAllowed);
  });
});

describe("START_BARGAINING (ACCEPTED)", () => {
  const accepted = snapshot({ state: "ACCEPTED", answeredAt: plus(PROPOSED_AT, 3 * DAY) });

  it.each(SIDES.map((side) => [side]))("the %s chief starts bargaining when the delegations are complete", (side) => {
    expect(verdict(accepted, chief(side), "startBargaining")).toEqual(allowed);
    expect(transition(accepted, { type: "START_BARGAINING" }, NOW)).toEqual({
      ok: true,
      from: "ACCEPTED",
      to: "BARGAINING",
      patch: { state: "BARGAINING" },
    });
  });

  it.each([
    ["a non-chief with every other role", everythingButChief],
    ["a negotiator", negotiator("WORKER")],
    ["someone with no role", actor()],
  ])("%s cannot start bargaining", (_, who) => {
    expect(verdict(accepted, who, "startBargaining")).toEqual(notAllowed);
  });
});

describe("AGREE (BARGAINING)", () => {
  it.each(SIDES.map((side) => [side]))("the %s chief may agree a suspension or the draft", (side) => {
    for (const action of ["suspend", "agreeDraft"] as const) {
      expect(verdict(snapshot({ state: "BARGAINING" }), chief(side), action)).toEqual(allowed);
    }
  });

  it.each([
    ["a non-chief with every other role", everythingButChief],
    ["someone with no role", actor()],
  ])("%s cannot agree", (_, who) => {
    for (const action of ["suspend", "agreeDraft"] as const) {
      expect(verdict(snapshot({ state: "BARGAINING" }), who, action)).toEqual(notAllowed);
    }
  });
});

describe("resuming (SUSPENDED, 第三十五条)", () => {
  const suspended = snapshot({ state: "SUSPENDED", suspension: PLAN });

  it.each(SIDES.map((side) => [side]))("the %s chief alone cannot resume early: the other chief must agree", (side) => {
    expect(verdict(suspended, chief(side), "resume")).toEqual(allowed);
    const first = transition(suspended, agreeEvent("RESUME", side), NOW);
    expect(first).toMatchObject({ ok: true, from: "SUSPENDED", to: "SUSPENDED" });
    const second = transition(applied(suspended, first), agreeEvent("RESUME", side === "WORKER" ? "EMPLOYER" : "WORKER"), NOW);
    expect(second).toEqual({ ok: true, from: "SUSPENDED", to: "BARGAINING", patch: { state: "BARGAINING", agreements: {}, suspension: null } });
  });

  it("talks resume by the clock on the agreed date, not a millisecond before", () => {
    const resumesAt = new Date(PLAN.resumesAt);
    expect(advanceByClock(suspended, plus(resumesAt, -1))).toEqual([]);
    expect(advanceByClock(suspended, resumesAt)).toEqual([
      { event: { type: "RESUMED" }, at: resumesAt, from: "SUSPENDED", to: "BARGAINING", patch: { state: "BARGAINING", suspension: null, agreements: {} } },
    ]);
  });

  it("a suspension needs a resumption date in the future and a next meeting not before it", () => {
    expect(transition(snapshot({ state: "BARGAINING" }), { type: "AGREE", kind: "SUSPEND", side: "WORKER", terms: { ...PLAN, resumesAt: NOW.toISOString() } }, NOW)).toEqual({ ok: false, code: "procedure.resumeInPast" });
    expect(transition(snapshot({ state: "BARGAINING" }), { type: "AGREE", kind: "SUSPEND", side: "WORKER", terms: { ...PLAN, meetingAt: "2026-06-07T02:00:00.000Z" } }, NOW)).toEqual({ ok: false, code: "procedure.meetingBeforeResume" });
    // The meeting at the very moment talks resume is fine.
    expect(transition(snapshot({ state: "BARGAINING" }), agreeEvent("SUSPEND", "WORKER"), NOW)).toMatchObject({ ok: true });
  });

  it("the second chief agreeing other terms makes a counter-proposal the first must answer", () => {
    const bargaining = snapshot({ state: "BARGAINING" });
    const first = applied(bargaining, transition(bargaining, agreeEvent("SUSPEND", "WORKER"), NOW));
    const other = { ...PLAN, location: "协会会议室" };
    const counter = transition(first, { type: "AGREE", kind: "SUSPEND", side: "EMPLOYER", terms: other }, NOW);
    expect(counter).toMatchObject({ ok: true, to: "BARGAINING", patch: { agreements: { SUSPEND: ["EMPLOYER"], terms: { SUSPEND: other } } } });
    const countered = applied(first, counter);
    // The worker chief now agrees the counter-proposal (without terms: the pending ones).
    expect(transition(countered, { type: "AGREE", kind: "SUSPEND", side: "WORKER" }, NOW)).toEqual({
      ok: true, from: "BARGAINING", to: "SUSPENDED", patch: { state: "SUSPENDED", agreements: {}, suspension: other },
    });
  });

  it.each([
    ["a non-chief with every other role", everythingButChief],
    ["someone with no role", actor()],
  ])("%s cannot resume", (_, who) => {
    expect(verdict(snapshot({ state: "SUSPENDED" }), who, "resume")).toEqual(notAllowed);
  });
});

describe("OPEN_RATIFICATION (DRAFT_AGREED)", () => {
  const draftAgreed = snapshot({ state: "DRAFT_AGREED" });

  it("the worker chief opens ratification: RATIFICATION", () => {
    expect(verdict(draftAgreed, chief("WORKER"), "openRatification")).toEqual(allowed);
    expect(transition(draftAgreed, { type: "OPEN_RATIFICATION" }, NOW)).toEqual({
      ok: true,
      from: "DRAFT_AGREED",
      to: "RATIFICATION",
      patch: { state: "RATIFICATION" },
    });
  });

  it.each([
    ["the employer chief", actor({ negotiatorOf: ["EMPLOYER"], representativeOf: "EMPLOYER", chiefOf: "EMPLOYER", isRecorder: true, isReviewer: true })],
    ["a non-chief with every other role", everythingButChief],
    ["a recorder", actor({ isRecorder: true })],
    ["a worker negotiator", negotiator("WORKER")],
    ["someone with no role", actor()],
  ])("%s cannot open ratification", (_, who) => {
    expect(verdict(draftAgreed, who, "openRatification")).toEqual(notAllowed);
  });
});

describe("the vote's result (RATIFICATION): ratificationClosed", () => {
  const ratification = snapshot({ state: "RATIFICATION" });

  // Closing the vote is a session action (`closeVote`), not a procedure event: its refusal to the
  // wrong person is the generic "forbidden", not "procedure.notAllowed".
  const notYours: Verdict = { allowed: false, offered: false, reason: "forbidden" };

  it.each([
    ["the worker chief", chief("WORKER")],
    ["the recorder", actor({ isRecorder: true })],
  ])("%s closes the vote", (_, who) => {
    expect(verdict(ratification, who, "closeVote")).toEqual(allowed);
    expect(ratificationClosed(ratification, true)).toMatchObject({ ok: true, to: "RATIFIED" });
    expect(ratificationClosed(ratification, false)).toMatchObject({ ok: true, to: "BARGAINING" });
  });

  it.each([
    ["the employer chief", chief("EMPLOYER")],
    ["a worker representative who is not chief", actor({ negotiatorOf: ["WORKER"], representativeOf: "WORKER" })],
    ["a negotiator of both sides", actor({ negotiatorOf: ["WORKER", "EMPLOYER"] })],
    ["a reviewer", actor({ isReviewer: true })],
    ["someone with no role", actor()],
  ])("%s cannot close the vote", (_, who) => {
    expect(verdict(ratification, who, "closeVote")).toEqual(notYours);
  });

  it("a passed vote: RATIFIED with no signatures yet", () => {
    expect(ratificationClosed(ratification, true)).toEqual({
      ok: true,
      from: "RATIFICATION",
      to: "RATIFIED",
      patch: { state: "RATIFIED", signatures: [] },
    });
  });

  it("a failed vote returns the session to bargaining", () => {
    const result = ratificationClosed(ratification, false);
    expect(result).toMatchObject({ ok: true, from: "RATIFICATION", to: "BARGAINING", patch: { state: "BARGAINING" } });
    // Back at the table, the draft must be agreed afresh by both chiefs.
    const back = applied(ratification, result);
    expect(back.state).toBe("BARGAINING");
    expect(back.agreements).toEqual({});
    expect(transition(back, agreeEvent("DRAFT", "WORKER"), NOW)).toMatchObject({ ok: true, to: "BARGAINING" });
  });
});

describe("SIGN (RATIFIED)", () => {
  it.each(SIDES.map((side) => [side]))("the %s chief may sign", (side) => {
    expect(verdict(snapshot({ state: "RATIFIED" }), chief(side), "sign")).toEqual(allowed);
  });

  it.each([
    ["a non-chief with every other role", everythingButChief],
    ["someone with no role", actor()],
  ])("%s cannot sign", (_, who) => {
    expect(verdict(snapshot({ state: "RATIFIED" }), who, "sign")).toEqual(notAllowed);
  });
});

describe("FILE (SIGNED)", () => {
  const signed = snapshot({ state: "SIGNED", signatures: ["WORKER", "EMPLOYER"], signedAt: plus(NOW, -3 * DAY) });

  // 《集体合同规定》第四十二条: the employer side (由用人单位一方) files the signed text.
  it("the EMPLOYER chief files: FILED, filedAt = now", () => {
    expect(verdict(signed, chief("EMPLOYER"), "file")).toEqual(allowed);
    expect(transition(signed, { type: "FILE" }, NOW)).toEqual({
      ok: true,
      from: "SIGNED",
      to: "FILED",
      patch: { state: "FILED", filedAt: NOW },
    });
  });

  it.each([
    ["the WORKER chief", chief("WORKER")],
    ["a non-chief with every other role", everythingButChief],
    ["someone with no role", actor()],
  ])("%s cannot file", (_, who) => {
    expect(verdict(signed, who, "file")).toEqual(notAllowed);
  });
});

describe("OBJECT (FILED)", () => {
  const filedAt = new Date("2026-05-20T06:00:00Z");
  const filed = snapshot({ state: "FILED", signatures: ["WORKER", "EMPLOYER"], signedAt: plus(filedAt, -2 * DAY), filedAt });
  const reviewer = actor({ isReviewer: true });

  it.each([
    ["a chief of either side", actor({ negotiatorOf: ["WORKER", "EMPLOYER"], representativeOf: "WORKER", chiefOf: "WORKER", isRecorder: true })],
    ["the employer chief", chief("EMPLOYER")],
    ["a recorder", actor({ isRecorder: true })],
    ["a negotiator", negotiator("WORKER")],
    ["someone with no role", actor()],
  ])("%s cannot object", (_, who) => {
    expect(verdict(filed, who, "object", plus(filedAt, DAY))).toEqual(notAllowed);
  });

  it("a reviewer objects before the review ends (filedAt + 14 days 23 h): back to BARGAINING, signatures and filing start over", () => {
    const now = plus(filedAt, 14 * DAY + 23 * HOUR);
    expect(now < reviewEndsAt(filedAt)).toBe(true);
    expect(verdict(filed, reviewer, "object", now)).toEqual(allowed);
    const result = transition(filed, { type: "OBJECT" }, now);
    expect(result).toEqual({
      ok: true,
      from: "FILED",
      to: "BARGAINING",
      patch: { state: "BARGAINING", signatures: [], signedAt: null, filedAt: null, agreements: {}, plannedEffectiveFrom: null },
    });
    const back = applied(filed, result);
    expect(back).toMatchObject({ state: "BARGAINING", signatures: [], signedAt: null, filedAt: null });
  });

  it("a reviewer may object up to the last millisecond of the review period", () => {
    expect(transition(filed, { type: "OBJECT" }, plus(reviewEndsAt(filedAt), -1))).toMatchObject({ ok: true, to: "BARGAINING" });
  });

  it.each([
    ["24:00 of the 15th day (the end of review)", 0],
    ["one minute after", MINUTE],
    ["months after", 90 * DAY],
  ])("an objection at %s is refused: review period over", (_, offset) => {
    const at = plus(reviewEndsAt(filedAt), offset);
    expect(transition(filed, { type: "OBJECT" }, at)).toEqual({
      ok: false,
      code: "procedure.reviewPeriodOver",
    });
    // The reviewer is shown why instead of a button.
    expect(verdict(filed, reviewer, "object", at)).toEqual({ allowed: false, offered: true, reason: "procedure.reviewPeriodOver" });
  });
});

describe("REQUEST_RENEWAL (IN_FORCE)", () => {
  const effectiveUntil = new Date("2028-02-01T00:00:00Z");
  const inForce = snapshot({ state: "IN_FORCE", effectiveFrom: new Date("2026-02-01T00:00:00Z"), effectiveUntil });
  const opens = renewalWindowOpensAt(effectiveUntil);

  it("the window opens 3 months before the end of the term", () => {
    expect(opens).toEqual(new Date("2027-11-01T00:00:00Z"));
  });

  it.each(SIDES.map((side) => [side]))("the %s chief requests renewal in the last 3 months: RENEWAL_REQUESTED", (side) => {
    expect(verdict(inForce, chief(side), "requestRenewal", opens)).toEqual(allowed);
    expect(transition(inForce, { type: "REQUEST_RENEWAL" }, opens)).toEqual({
      ok: true,
      from: "IN_FORCE",
      to: "RENEWAL_REQUESTED",
      patch: { state: "RENEWAL_REQUESTED" },
    });
    expect(transition(inForce, { type: "REQUEST_RENEWAL" }, plus(effectiveUntil, -DAY))).toMatchObject({ ok: true, to: "RENEWAL_REQUESTED" });
  });

  it.each([
    ["one millisecond before the window opens", plus(opens, -1)],
    ["a year before the end", new Date("2027-02-01T00:00:00Z")],
    ["the day it took effect", new Date("2026-02-01T00:00:00Z")],
  ])("a request %s is refused: renewal window closed", (_, now) => {
    expect(transition(inForce, { type: "REQUEST_RENEWAL" }, now)).toEqual({ ok: false, code: "procedure.renewalWindowClosed" });
  });

  it("without an end date there is no renewal window", () => {
    expect(transition(snapshot({ state: "IN_FORCE", effectiveUntil: null }), { type: "REQUEST_RENEWAL" }, NOW)).toEqual({
      ok: false,
      code: "procedure.renewalWindowClosed",
    });
  });

  it.each([
    ["a non-chief with every other role", everythingButChief],
    ["someone with no role", actor()],
  ])("%s cannot request renewal", (_, who) => {
    expect(verdict(inForce, who, "requestRenewal", opens)).toEqual(notAllowed);
  });
});

// ---------------------------------------------------------------------------------------------
// 3. Complete delegations
// ---------------------------------------------------------------------------------------------

describe("delegations", () => {
  const accepted = (overrides: Partial<SessionSnapshot>) => snapshot({ state: "ACCEPTED", ...overrides });
  const start = (session: SessionSnapshot) => transition(session, { type: "START_BARGAINING" }, NOW);
  const incomplete = { ok: false, code: "procedure.delegationIncomplete" };
  it("3 + 3 seats, one chief each and a recorder is complete", () => {
    expect(delegationProblems(snapshot())).toEqual([]);
    expect(start(accepted({}))).toMatchObject({ ok: true, to: "BARGAINING" });
  });

  it("more seats than agreed, if equal on both sides, is complete", () => {
    const session = accepted({ delegation: [...seats("WORKER", 5), ...seats("EMPLOYER", 5)] });
    expect(delegationProblems(session)).toEqual([]);
    expect(start(session)).toMatchObject({ ok: true, to: "BARGAINING" });
  });

  it.each<[string, Partial<SessionSnapshot>, string[]]>([
    ["2 worker seats of 3", { delegation: [...seats("WORKER", 2), ...seats("EMPLOYER", 3)] }, ["WORKER:seats", "unequal"]],
    ["2 + 2 seats of 3", { delegation: [...seats("WORKER", 2), ...seats("EMPLOYER", 2)] }, ["WORKER:seats", "EMPLOYER:seats"]],
    ["no employer seats at all", { delegation: seats("WORKER", 3) }, ["EMPLOYER:seats", "EMPLOYER:chief", "unequal"]],
    ["3 worker vs 4 employer seats", { delegation: [...seats("WORKER", 3), ...seats("EMPLOYER", 4)] }, ["unequal"]],
    ["no worker chief", { delegation: [...seats("WORKER", 3, 0), ...seats("EMPLOYER", 3)] }, ["WORKER:chief"]],
    ["two employer chiefs", { delegation: [...seats("WORKER", 3), ...seats("EMPLOYER", 3, 2)] }, ["EMPLOYER:chief"]],
    ["no recorder", { hasRecorder: false }, ["recorder"]],
    [
      "nothing at all",
      { delegation: [], hasRecorder: false },
      ["WORKER:seats", "WORKER:chief", "EMPLOYER:seats", "EMPLOYER:chief", "recorder"],
    ],
  ])("%s: problems and START_BARGAINING refused", (_, overrides, problems) => {
    const session = accepted(overrides);
    expect(delegationProblems(session)).toEqual(problems);
    expect(start(session)).toEqual(incomplete);
  });

  it("the agreed number per side is the session's, not a constant", () => {
    const fivePerSide = accepted({ representativesPerSide: 5 });
    expect(delegationProblems(fivePerSide)).toEqual(["WORKER:seats", "EMPLOYER:seats"]);
    expect(start(fivePerSide)).toEqual(incomplete);
    const filled = accepted({ representativesPerSide: 5, delegation: [...seats("WORKER", 5), ...seats("EMPLOYER", 5)] });
    expect(start(filled)).toMatchObject({ ok: true, to: "BARGAINING" });
  });
});


// ---------------------------------------------------------------------------------------------
// 4. Two-step agreements of both chiefs (keyed by the side the event carries)
// ---------------------------------------------------------------------------------------------

describe("AGREE: both chiefs", () => {
  const bargaining = snapshot({ state: "BARGAINING" });
  const agree = agreeEvent;
  const decidedPatch = { SUSPEND: { suspension: PLAN }, DRAFT: { plannedEffectiveFrom: null } } as const;

  it.each<["SUSPEND" | "DRAFT", SessionState]>([
    ["SUSPEND", "SUSPENDED"],
    ["DRAFT", "DRAFT_AGREED"],
  ])("%s: the first chief's agreement is pending, the second decides (%s)", (kind, decided) => {
    const first = transition(bargaining, agree(kind, "WORKER"), NOW);
    expect(first).toMatchObject({ ok: true, from: "BARGAINING", to: "BARGAINING" });
    if (!first.ok) return;
    expect(first.patch.agreements).toEqual({ [kind]: ["WORKER"], terms: { [kind]: TERMS[kind] } });
    const pending = applied(bargaining, first);
    expect(pending.state).toBe("BARGAINING");

    expect(transition(pending, agree(kind, "WORKER"), NOW)).toEqual({ ok: false, code: "procedure.alreadyDone" });

    expect(transition(pending, agree(kind, "EMPLOYER"), NOW)).toEqual({
      ok: true,
      from: "BARGAINING",
      to: decided,
      patch: { state: decided, agreements: {}, ...decidedPatch[kind] },
    });
  });

  it("the projection sends the acting chief's side: a chief who already agreed is told so, the other may agree", () => {
    for (const [kind, action] of [["SUSPEND", "suspend"], ["DRAFT", "agreeDraft"]] as const) {
      const pending = snapshot({ state: "BARGAINING", agreements: { [kind]: ["WORKER"] } });
      expect(verdict(pending, chief("WORKER"), action)).toEqual({ allowed: false, offered: true, reason: "procedure.alreadyDone" });
      expect(verdict(pending, chief("EMPLOYER"), action)).toEqual(allowed);
    }
  });

  it("either chief may go first", () => {
    const first = transition(bargaining, agree("SUSPEND", "EMPLOYER"), NOW);
    expect(first).toMatchObject({ ok: true, to: "BARGAINING", patch: { agreements: { SUSPEND: ["EMPLOYER"], terms: { SUSPEND: PLAN } } } });
    const second = transition(applied(bargaining, first), agree("SUSPEND", "WORKER"), NOW);
    expect(second).toMatchObject({ ok: true, to: "SUSPENDED", patch: { agreements: {} } });
  });

  it("agreements of different kinds do not mix", () => {
    const suspend = transition(bargaining, agree("SUSPEND", "WORKER"), NOW);
    const afterSuspend = applied(bargaining, suspend);
    const draft = transition(afterSuspend, agree("DRAFT", "EMPLOYER"), NOW);
    expect(draft).toMatchObject({ ok: true, from: "BARGAINING", to: "BARGAINING" });
    if (!draft.ok) return;
    expect(draft.patch.agreements).toEqual({ SUSPEND: ["WORKER"], DRAFT: ["EMPLOYER"], terms: { SUSPEND: PLAN, DRAFT: { startsOn: null } } });
    const both = applied(afterSuspend, draft);
    expect(both.state).toBe("BARGAINING");
    // Each chief has now agreed one kind; the same chief agreeing the same kind again is a repeat.
    expect(transition(both, agree("SUSPEND", "WORKER"), NOW)).toEqual({ ok: false, code: "procedure.alreadyDone" });
    expect(transition(both, agree("DRAFT", "EMPLOYER"), NOW)).toEqual({ ok: false, code: "procedure.alreadyDone" });
    // And the other chief completes either decision.
    expect(transition(both, agree("DRAFT", "WORKER"), NOW)).toMatchObject({ ok: true, to: "DRAFT_AGREED", patch: { agreements: {} } });
    expect(transition(both, agree("SUSPEND", "EMPLOYER"), NOW)).toMatchObject({ ok: true, to: "SUSPENDED", patch: { agreements: {} } });
  });

  it("does not change the snapshot it was given", () => {
    const session = snapshot({ state: "BARGAINING", agreements: { SUSPEND: ["WORKER"] } });
    transition(session, agree("SUSPEND", "EMPLOYER"), NOW);
    transition(session, agree("DRAFT", "EMPLOYER"), NOW);
    expect(session.agreements).toEqual({ SUSPEND: ["WORKER"] });
  });
});

// ---------------------------------------------------------------------------------------------
// 5. Two-step signature
// ---------------------------------------------------------------------------------------------

describe("SIGN: both chiefs", () => {
  const ratified = snapshot({ state: "RATIFIED", signatures: [] });

  it.each(SIDES.map((side) => [side]))("the %s chief signs first, then the other; the second signature makes it SIGNED", (side) => {
    const first = transition(ratified, { type: "SIGN", side }, NOW);
    expect(first).toMatchObject({ ok: true, from: "RATIFIED", to: "RATIFIED" });
    if (!first.ok) return;
    expect(first.patch.signatures).toEqual([side]);
    expect(first.patch.signedAt).toBeUndefined();
    const once = applied(ratified, first);
    expect(once.state).toBe("RATIFIED");

    expect(transition(once, { type: "SIGN", side }, NOW)).toEqual({ ok: false, code: "procedure.alreadyDone" });
    // Through the projection, the chief who signed is told so; the other may sign.
    const other: Side = side === "WORKER" ? "EMPLOYER" : "WORKER";
    expect(verdict(once, chief(side), "sign")).toEqual({ allowed: false, offered: true, reason: "procedure.alreadyDone" });
    expect(verdict(once, chief(other), "sign")).toEqual(allowed);

    const later = plus(NOW, 2 * HOUR);
    expect(transition(once, { type: "SIGN", side: other }, later)).toEqual({
      ok: true,
      from: "RATIFIED",
      to: "SIGNED",
      patch: { state: "SIGNED", signatures: [side, other], signedAt: later },
    });
  });
});

// ---------------------------------------------------------------------------------------------
// 9. Rules and deadlines
// ---------------------------------------------------------------------------------------------

describe("the rules", () => {
  it("hold the numbers of the procedure", () => {
    expect(PROCEDURE_RULES.answerWithinDays.value).toBe(20);
    expect(PROCEDURE_RULES.fileWithinDays.value).toBe(10);
    expect(PROCEDURE_RULES.reviewDays.value).toBe(15);
    expect(PROCEDURE_RULES.vacancyRefillDays.value).toBe(15);
    expect(PROCEDURE_RULES.renewalWindowMonths.value).toBe(3);
    expect(PROCEDURE_RULES.minRepresentativesPerSide.value).toBe(3);
    expect(PROCEDURE_RULES.termMonths.value).toEqual({ min: 12, max: 36 });
  });

  it("every rule names its source in both languages", () => {
    for (const rule of Object.values(PROCEDURE_RULES)) {
      expect(rule.source.zh.length).toBeGreaterThan(0);
      expect(rule.source.en.length).toBeGreaterThan(0);
    }
  });
});

describe("deadline arithmetic", () => {
  // Calendar days in China time from the day after the event, to 24:00 of the last day, past rest
  // days (app/domain/periods.ts; tests/unit/periods.test.ts has the holiday cases).
  it("answerDueAt: 20 days from the day after the proposal; Sunday the 25th moves to Monday", () => {
    // Proposed Monday 2026-01-05 at 10:00 China time: the 20th day is Sunday 25 January.
    expect(answerDueAt(PROPOSED_AT)).toEqual(new Date("2026-01-27T00:00:00+08:00"));
  });

  it("fileDueAt: 10 days, to 24:00 of the last day", () => {
    // Signed 2026-05-25 at 17:30 China time: the 10th day is Thursday 4 June.
    expect(fileDueAt(new Date("2026-05-25T09:30:00Z"))).toEqual(new Date("2026-06-05T00:00:00+08:00"));
  });

  it("reviewEndsAt: 15 days from receiving the text", () => {
    expect(reviewEndsAt(new Date("2026-05-20T06:00:00Z"))).toEqual(new Date("2026-06-05T00:00:00+08:00"));
  });

  it("vacancyRefillDueAt: 15 days", () => {
    expect(vacancyRefillDueAt(new Date("2026-03-10T00:00:00Z"))).toEqual(new Date("2026-03-26T00:00:00+08:00"));
  });

  it("renewalWindowOpensAt = effectiveUntil - 3 months", () => {
    expect(renewalWindowOpensAt(new Date("2028-03-16T08:00:00Z"))).toEqual(new Date("2027-12-16T08:00:00Z"));
  });

  it("addDays counts whole 24-hour days and leaves its argument alone", () => {
    const date = new Date("2026-02-27T12:00:00Z");
    expect(addDays(date, 2)).toEqual(new Date("2026-03-01T12:00:00Z"));
    expect(addDays(date, -1)).toEqual(new Date("2026-02-26T12:00:00Z"));
    expect(date).toEqual(new Date("2026-02-27T12:00:00Z"));
  });

  describe("addMonths (calendar months in UTC, clamped to the month end)", () => {
    it.each([
      ["mid-month", "2026-01-15T10:00:00Z", 1, "2026-02-15T10:00:00Z"],
      ["across a year end", "2026-11-15T10:00:00Z", 3, "2027-02-15T10:00:00Z"],
      ["a 24-month term", "2026-03-31T00:00:00Z", 24, "2028-03-31T00:00:00Z"],
      ["backwards across a year start", "2027-02-01T00:00:00Z", -3, "2026-11-01T00:00:00Z"],
      // A day that does not exist in the target month is clamped to that month's last day.
      ["Jan 31 + 1 month", "2026-01-31T10:00:00Z", 1, "2026-02-28T10:00:00Z"],
      ["Jan 31 + 1 month in a leap year", "2028-01-31T10:00:00Z", 1, "2028-02-29T10:00:00Z"],
      ["Feb 29 + 12 months", "2028-02-29T00:00:00Z", 12, "2029-02-28T00:00:00Z"],
      ["May 31 - 3 months", "2026-05-31T00:00:00Z", -3, "2026-02-28T00:00:00Z"],
      ["Mar 31 - 1 month", "2026-03-31T00:00:00Z", -1, "2026-02-28T00:00:00Z"],
      // UTC, not local time: 20:00 UTC on Jan 31 is already Feb 1 in Asia/Shanghai.
      ["late on Jan 31 UTC", "2026-01-31T20:00:00Z", 1, "2026-02-28T20:00:00Z"],
    ])("%s: %s + %i months = %s", (_, from, months, expected) => {
      const date = new Date(from);
      expect(addMonths(date, months)).toEqual(new Date(expected));
      expect(date).toEqual(new Date(from));
    });
  });
});

describe("deadlinesOf", () => {
  it("PROPOSED: the answer, due at 24:00 of the 20th day (past a weekend), overdue from then", () => {
    const session = snapshot();
    const due = new Date("2026-01-27T00:00:00+08:00");
    expect(deadlinesOf(session, plus(PROPOSED_AT, DAY))).toEqual([{ kind: "answer", dueAt: due, overdue: false, rule: "answerWithinDays" }]);
    expect(deadlinesOf(session, plus(due, -1))).toEqual([{ kind: "answer", dueAt: due, overdue: false, rule: "answerWithinDays" }]);
    expect(deadlinesOf(session, due)).toEqual([{ kind: "answer", dueAt: due, overdue: true, rule: "answerWithinDays" }]);
  });

  it("marks a deadline counted into a year without holiday data as provisional", () => {
    const session = snapshot({ proposedAt: new Date("2026-12-20T02:00:00Z") });
    expect(deadlinesOf(session, new Date("2026-12-21T00:00:00Z"))).toEqual([{ kind: "answer", dueAt: new Date("2027-01-12T00:00:00+08:00"), overdue: false, rule: "answerWithinDays", provisional: true }]);
  });

  it("SIGNED: filing, due at 24:00 of the 10th day, overdue from then", () => {
    const signedAt = new Date("2026-05-25T09:30:00Z");
    const due = new Date("2026-06-05T00:00:00+08:00");
    const session = snapshot({ state: "SIGNED", signatures: ["WORKER", "EMPLOYER"], signedAt });
    expect(deadlinesOf(session, plus(due, -MINUTE))).toEqual([{ kind: "file", dueAt: due, overdue: false, rule: "fileWithinDays" }]);
    expect(deadlinesOf(session, due)).toEqual([{ kind: "file", dueAt: due, overdue: true, rule: "fileWithinDays" }]);
  });

  it("FILED: the end of review, never overdue (it lapses by itself)", () => {
    const filedAt = new Date("2026-05-20T06:00:00Z");
    const due = new Date("2026-06-05T00:00:00+08:00");
    const session = snapshot({ state: "FILED", filedAt });
    for (const now of [filedAt, due, plus(due, MINUTE), plus(due, 365 * DAY)]) {
      expect(deadlinesOf(session, now)).toEqual([{ kind: "review", dueAt: due, overdue: false, rule: "reviewDays" }]);
    }
  });

  it("APPROVED: the effective date, never overdue", () => {
    const effectiveFrom = new Date("2026-07-01T00:00:00Z");
    const session = snapshot({ state: "APPROVED", effectiveFrom, effectiveUntil: new Date("2028-07-01T00:00:00Z") });
    expect(deadlinesOf(session, plus(effectiveFrom, DAY))).toEqual([{ kind: "effective", dueAt: effectiveFrom, overdue: false, rule: null }]);
  });

  it("IN_FORCE: the renewal window and the expiry, never overdue", () => {
    const effectiveUntil = new Date("2028-02-01T00:00:00Z");
    const session = snapshot({ state: "IN_FORCE", effectiveFrom: new Date("2026-02-01T00:00:00Z"), effectiveUntil });
    const expected = [
      { kind: "renewalWindow", dueAt: new Date("2027-11-01T00:00:00Z"), overdue: false, rule: "renewalWindowMonths" },
      { kind: "expiry", dueAt: effectiveUntil, overdue: false, rule: "termMonths" },
    ];
    expect(deadlinesOf(session, NOW)).toEqual(expected);
    expect(deadlinesOf(session, plus(effectiveUntil, DAY))).toEqual(expected);
  });

  it("RENEWAL_REQUESTED: only the expiry", () => {
    const effectiveUntil = new Date("2028-02-01T00:00:00Z");
    const session = snapshot({ state: "RENEWAL_REQUESTED", effectiveFrom: new Date("2026-02-01T00:00:00Z"), effectiveUntil });
    expect(deadlinesOf(session, NOW)).toEqual([{ kind: "expiry", dueAt: effectiveUntil, overdue: false, rule: "termMonths" }]);
  });

  const withoutDeadlines = SESSION_STATES.filter(
    (state) => !["PROPOSED", "SIGNED", "FILED", "APPROVED", "IN_FORCE", "RENEWAL_REQUESTED"].includes(state),
  );

  it.each(withoutDeadlines.map((state) => [state]))("%s: no deadlines", (state) => {
    expect(deadlinesOf(permissive(state), plus(NOW, 1000 * DAY))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// 10. The clock
// ---------------------------------------------------------------------------------------------

describe("advanceByClock", () => {
  const filedAt = new Date("2026-03-01T08:00:00Z");
  // Filed on Sunday 1 March at 16:00 China time: the 15th day is Monday 16 March, over at 24:00.
  const lapse = new Date("2026-03-17T00:00:00+08:00");
  const filed = snapshot({ state: "FILED", signatures: ["WORKER", "EMPLOYER"], signedAt: plus(filedAt, -DAY), filedAt, termMonths: 24 });

  /** Applies the steps one after another, as the caller would. */
  const run = (session: SessionSnapshot, steps: ReturnType<typeof advanceByClock>) =>
    steps.reduce<SessionSnapshot>((current, step) => {
      expect(step.from).toBe(current.state);
      return { ...current, ...step.patch };
    }, session);

  it("the review lapses at 24:00 China time of the 15th day after filing", () => {
    expect(reviewEndsAt(filedAt)).toEqual(lapse);
  });

  it("nothing happens one millisecond before the review ends", () => {
    expect(advanceByClock(filed, plus(lapse, -1))).toEqual([]);
  });

  it("when the review lapses, effective at once, the agreement takes effect", () => {
    const effectiveUntil = new Date("2028-03-16T16:00:00Z");
    expect(addMonths(lapse, 24)).toEqual(effectiveUntil);
    const steps = advanceByClock(filed, lapse);
    expect(steps).toEqual([
      {
        event: { type: "REVIEW_LAPSED" },
        at: lapse,
        from: "FILED",
        to: "APPROVED",
        patch: { state: "APPROVED", effectiveFrom: lapse, effectiveUntil },
      },
      { event: { type: "TOOK_EFFECT" }, at: lapse, from: "APPROVED", to: "IN_FORCE", patch: { state: "IN_FORCE" } },
    ]);
    expect(run(filed, steps)).toMatchObject({ state: "IN_FORCE", effectiveFrom: lapse, effectiveUntil });
  });

  it("the term is the session's termMonths", () => {
    const steps = advanceByClock({ ...filed, termMonths: 36 }, lapse);
    expect(steps[0]?.patch.effectiveUntil).toEqual(new Date("2029-03-16T16:00:00Z"));
  });

  it("an earlier planned effective date does not put the effective date before the lapse", () => {
    const steps = advanceByClock({ ...filed, plannedEffectiveFrom: new Date("2026-03-10T00:00:00Z") }, lapse);
    expect(steps.map((step) => step.event.type)).toEqual(["REVIEW_LAPSED", "TOOK_EFFECT"]);
    expect(steps[0]?.patch.effectiveFrom).toEqual(lapse);
    expect(steps[1]?.at).toEqual(lapse);
  });

  describe("with a planned effective date later than the lapse", () => {
    const planned = new Date("2026-04-01T00:00:00Z");
    const plannedFiled = { ...filed, plannedEffectiveFrom: planned };
    const approvedPatch = { state: "APPROVED", effectiveFrom: planned, effectiveUntil: new Date("2028-04-01T00:00:00Z") };

    it("the review lapses into APPROVED, effective from the planned date", () => {
      expect(advanceByClock(plannedFiled, lapse)).toEqual([
        { event: { type: "REVIEW_LAPSED" }, at: lapse, from: "FILED", to: "APPROVED", patch: approvedPatch },
      ]);
      expect(advanceByClock(plannedFiled, plus(planned, -1))).toEqual([
        { event: { type: "REVIEW_LAPSED" }, at: lapse, from: "FILED", to: "APPROVED", patch: approvedPatch },
      ]);
    });

    it("an APPROVED session waits until the planned date, then takes effect", () => {
      const approved = run(plannedFiled, advanceByClock(plannedFiled, lapse));
      expect(approved.state).toBe("APPROVED");
      expect(advanceByClock(approved, plus(lapse, DAY))).toEqual([]);
      expect(advanceByClock(approved, plus(planned, -1))).toEqual([]);
      expect(advanceByClock(approved, planned)).toEqual([
        { event: { type: "TOOK_EFFECT" }, at: planned, from: "APPROVED", to: "IN_FORCE", patch: { state: "IN_FORCE" } },
      ]);
    });

    it("a FILED session looked at after the planned date goes through both steps with their own times", () => {
      const steps = advanceByClock(plannedFiled, plus(planned, 3 * DAY));
      expect(steps.map((step) => [step.event.type, step.at])).toEqual([
        ["REVIEW_LAPSED", lapse],
        ["TOOK_EFFECT", planned],
      ]);
    });
  });

  it("a session nobody looked at for years goes FILED -> APPROVED -> IN_FORCE -> EXPIRED in one call", () => {
    const effectiveUntil = new Date("2028-03-16T16:00:00Z");
    const steps = advanceByClock(filed, new Date("2031-01-01T00:00:00Z"));
    expect(steps).toEqual([
      {
        event: { type: "REVIEW_LAPSED" },
        at: lapse,
        from: "FILED",
        to: "APPROVED",
        patch: { state: "APPROVED", effectiveFrom: lapse, effectiveUntil },
      },
      { event: { type: "TOOK_EFFECT" }, at: lapse, from: "APPROVED", to: "IN_FORCE", patch: { state: "IN_FORCE" } },
      { event: { type: "EXPIRED" }, at: effectiveUntil, from: "IN_FORCE", to: "EXPIRED", patch: { state: "EXPIRED" } },
    ]);
    const final = run(filed, steps);
    expect(final).toMatchObject({ state: "EXPIRED", effectiveFrom: lapse, effectiveUntil });
    expect(advanceByClock(final, new Date("2040-01-01T00:00:00Z"))).toEqual([]);
  });

  it.each<SessionState>(["IN_FORCE", "RENEWAL_REQUESTED"])("%s expires at exactly effectiveUntil", (state) => {
    const effectiveUntil = new Date("2028-02-01T00:00:00Z");
    const session = snapshot({ state, effectiveFrom: new Date("2026-02-01T00:00:00Z"), effectiveUntil });
    expect(advanceByClock(session, plus(effectiveUntil, -1))).toEqual([]);
    expect(advanceByClock(session, effectiveUntil)).toEqual([
      { event: { type: "EXPIRED" }, at: effectiveUntil, from: state, to: "EXPIRED", patch: { state: "EXPIRED" } },
    ]);
    expect(advanceByClock(session, new Date("2035-01-01T00:00:00Z"))).toEqual([
      { event: { type: "EXPIRED" }, at: effectiveUntil, from: state, to: "EXPIRED", patch: { state: "EXPIRED" } },
    ]);
  });

  // SUSPENDED moves on its agreed date (tested with the suspension above).
  const clockless = SESSION_STATES.filter((state) => !["SUSPENDED", "FILED", "APPROVED", "IN_FORCE", "RENEWAL_REQUESTED"].includes(state));

  it("the table of states the clock never moves is the other twelve", () => {
    expect(clockless).toHaveLength(12);
  });

  it.each(clockless.map((state) => [state]))("%s never moves by the clock", (state) => {
    const session = snapshot({
      state,
      answeredAt: new Date("2026-01-10T00:00:00Z"),
      signedAt: new Date("2026-02-20T00:00:00Z"),
      filedAt: new Date("2026-03-01T00:00:00Z"),
      effectiveFrom: new Date("2026-03-16T00:00:00Z"),
      effectiveUntil: new Date("2028-03-16T00:00:00Z"),
    });
    expect(advanceByClock(session, new Date("2099-01-01T00:00:00Z"))).toEqual([]);
  });

  it("does not change the snapshot it was given", () => {
    const copy = structuredClone(filed);
    advanceByClock(filed, new Date("2031-01-01T00:00:00Z"));
    expect(filed).toEqual(copy);
  });
});

// ---------------------------------------------------------------------------------------------
// The whole procedure, start to end
// ---------------------------------------------------------------------------------------------

describe("the whole procedure", () => {
  it("from proposal to expiry, each step allowed to its actor by the projection, applying each patch in turn", () => {
    let session = snapshot();
    let now = PROPOSED_AT;
    const step = (action: SessionAction, who: SessionActor, event: ProcedureEvent, expected: SessionState) => {
      expect(verdict(session, who, action, now)).toEqual(allowed);
      const result = transition(session, event, now);
      expect(result).toMatchObject({ ok: true, to: expected });
      session = applied(session, result);
      expect(session.state).toBe(expected);
    };

    now = plus(PROPOSED_AT, 10 * DAY);
    step("accept", negotiator("EMPLOYER"), { type: "ANSWER", accept: true }, "ACCEPTED");
    expect(session.answeredAt).toEqual(now);
    step("startBargaining", chief("EMPLOYER"), { type: "START_BARGAINING" }, "BARGAINING");
    step("suspend", chief("WORKER"), agreeEvent("SUSPEND", "WORKER"), "BARGAINING");
    step("suspend", chief("EMPLOYER"), agreeEvent("SUSPEND", "EMPLOYER"), "SUSPENDED");
    step("resume", chief("WORKER"), agreeEvent("RESUME", "WORKER"), "SUSPENDED");
    step("resume", chief("EMPLOYER"), agreeEvent("RESUME", "EMPLOYER"), "BARGAINING");
    step("agreeDraft", chief("EMPLOYER"), agreeEvent("DRAFT", "EMPLOYER"), "BARGAINING");
    step("agreeDraft", chief("WORKER"), agreeEvent("DRAFT", "WORKER"), "DRAFT_AGREED");
    step("openRatification", chief("WORKER"), { type: "OPEN_RATIFICATION" }, "RATIFICATION");
    expect(verdict(session, actor({ isRecorder: true }), "closeVote", now)).toEqual(allowed);
    session = applied(session, ratificationClosed(session, true));
    expect(session.state).toBe("RATIFIED");
    step("sign", chief("WORKER"), { type: "SIGN", side: "WORKER" }, "RATIFIED");
    now = plus(PROPOSED_AT, 40 * DAY);
    step("sign", chief("EMPLOYER"), { type: "SIGN", side: "EMPLOYER" }, "SIGNED");
    expect(session.signedAt).toEqual(now);
    now = plus(PROPOSED_AT, 45 * DAY);
    step("file", chief("EMPLOYER"), { type: "FILE" }, "FILED");
    const filedAt = now;
    expect(session.filedAt).toEqual(filedAt);

    const steps = advanceByClock(session, new Date("2030-01-01T00:00:00Z"));
    expect(steps.map((s) => s.to)).toEqual(["APPROVED", "IN_FORCE", "EXPIRED"]);
    for (const s of steps) session = { ...session, ...s.patch };
    expect(session).toMatchObject({
      state: "EXPIRED",
      effectiveFrom: reviewEndsAt(filedAt),
      effectiveUntil: addMonths(reviewEndsAt(filedAt), 24),
    });
  });
});

describe("renewal after the term has ended", () => {
  it("is refused even if the clock has not yet moved the session to EXPIRED", async () => {
    const { transition: run } = await import("../../app/domain/procedure.ts");
    const effectiveUntil = new Date("2028-06-30T00:00:00Z");
    const session = snapshot({ state: "IN_FORCE", effectiveFrom: new Date("2026-06-30T00:00:00Z"), effectiveUntil });
    expect(run(session, { type: "REQUEST_RENEWAL" }, new Date("2028-06-29T23:59:59Z"))).toMatchObject({ ok: true, to: "RENEWAL_REQUESTED" });
    expect(run(session, { type: "REQUEST_RENEWAL" }, effectiveUntil)).toEqual({ ok: false, code: "procedure.renewalWindowClosed" });
    // The chief is shown why instead of a button.
    expect(verdict(session, chief("WORKER"), "requestRenewal", effectiveUntil)).toEqual({ allowed: false, offered: true, reason: "procedure.renewalWindowClosed" });
  });
});

// ---------------------------------------------------------------------------------------------
// Effect, amendment and termination (issue 20, items 3 and 5)
// ---------------------------------------------------------------------------------------------

describe("effect at the end of review (第四十七条) and the agreed start date", () => {
  const filedAt = new Date("2026-03-01T02:00:00Z");
  const end = reviewEndsAt(filedAt);

  it("takes effect at the moment review ends, with no period added", () => {
    const steps = advanceByClock(snapshot({ state: "FILED", filedAt }), end);
    expect(steps.map((step) => step.to)).toEqual(["APPROVED", "IN_FORCE"]);
    expect(steps[0]!.patch.effectiveFrom).toEqual(end);
    expect(steps[0]!.patch.effectiveUntil).toEqual(addMonths(end, 24));
  });

  it("waits for a later start date both chiefs agreed, and ignores an earlier one", () => {
    const later = new Date("2026-05-01T00:00:00+08:00");
    const steps = advanceByClock(snapshot({ state: "FILED", filedAt, plannedEffectiveFrom: later }), end);
    expect(steps.map((step) => step.to)).toEqual(["APPROVED"]);
    expect(steps[0]!.patch.effectiveFrom).toEqual(later);
    const earlier = advanceByClock(snapshot({ state: "FILED", filedAt, plannedEffectiveFrom: new Date("2026-03-02T00:00:00Z") }), end);
    expect(earlier[0]!.patch.effectiveFrom).toEqual(end);
  });

  it("sets the start date when both chiefs agree the draft with it; a date before today is refused", () => {
    const bargaining = snapshot({ state: "BARGAINING" });
    const terms = { startsOn: "2026-07-01" };
    const first = applied(bargaining, transition(bargaining, { type: "AGREE", kind: "DRAFT", side: "WORKER", terms }, NOW));
    expect(transition(first, { type: "AGREE", kind: "DRAFT", side: "EMPLOYER", terms }, NOW)).toMatchObject({ ok: true, to: "DRAFT_AGREED", patch: { plannedEffectiveFrom: new Date("2026-07-01T00:00:00+08:00") } });
    expect(transition(bargaining, { type: "AGREE", kind: "DRAFT", side: "WORKER", terms: { startsOn: "2026-05-31" } }, NOW)).toEqual({ ok: false, code: "procedure.startsOnPast" });
  });
});

describe("REOPEN: both chiefs send an agreed, ratified or signed text back to the table", () => {
  it.each(["DRAFT_AGREED", "RATIFIED", "SIGNED"] as const)("from %s, clearing the signatures", (state) => {
    const session = snapshot({ state, signatures: state === "SIGNED" ? ["WORKER", "EMPLOYER"] : [], signedAt: state === "SIGNED" ? NOW : null });
    const first = transition(session, agreeEvent("REOPEN", "EMPLOYER"), NOW);
    expect(first).toMatchObject({ ok: true, to: state });
    expect(transition(applied(session, first), agreeEvent("REOPEN", "WORKER"), NOW)).toMatchObject({ ok: true, to: "BARGAINING", patch: { signatures: [], signedAt: null } });
  });
  it("is refused while the vote is open and after filing", () => {
    for (const state of ["RATIFICATION", "FILED", "IN_FORCE"] as const) expect(transition(snapshot({ state }), agreeEvent("REOPEN", "WORKER"), NOW)).toEqual({ ok: false, code: "procedure.wrongState" });
  });
});

describe("amendments and terminations on the clock (第三十九条至第四十一条)", () => {
  const filedAt = new Date("2026-03-01T02:00:00Z");
  const end = reviewEndsAt(filedAt);
  it("keeps the amended agreement's term for an amendment", () => {
    const until = new Date("2027-06-30T16:00:00Z");
    const steps = advanceByClock(snapshot({ state: "FILED", filedAt, purpose: "AMENDMENT", effectiveUntil: until }), end);
    expect(steps.map((step) => step.to)).toEqual(["APPROVED", "IN_FORCE"]);
    expect(steps[0]!.patch).toMatchObject({ effectiveFrom: end, effectiveUntil: until });
  });
  it("ends a termination's own term where it starts, and leaves the session TERMINATED, not in force", () => {
    const steps = advanceByClock(snapshot({ state: "FILED", filedAt, purpose: "TERMINATION" }), end);
    expect(steps.map((step) => [step.event.type, step.to])).toEqual([["REVIEW_LAPSED", "APPROVED"], ["TOOK_EFFECT", "TERMINATED"]]);
    expect(steps[0]!.patch).toMatchObject({ effectiveFrom: end, effectiveUntil: end });
    expect(advanceByClock(snapshot({ state: "TERMINATED", effectiveFrom: end, effectiveUntil: end }), new Date("2030-01-01T00:00:00Z"))).toEqual([]);
  });
});
