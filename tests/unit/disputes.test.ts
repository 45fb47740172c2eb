/**
 * The disputes track of app/domain/disputes.ts (issue 20, item 7), against 《集体合同规定》
 * (劳动和社会保障部令第22号): the bureau's coordination clock (第五十二条: 30 days from accepting
 * the application, extended by at most 15 — 不得超过15日, so 15 is allowed and 16 is not — and only
 * before the period runs out), the tripartite participants (第五十条), the 协调处理协议书
 * (第五十三条、第五十四条), withdrawal, the refusal's referral (第三十二条、第五十六条), the overdue
 * notice of the clock sweep; the who of each step in the projection; the form's bounds.
 */
import { describe, expect, it } from "vitest";
import { decide } from "../../app/domain/capabilities.ts";
import { disputeActionSchema } from "../../app/domain/dispute-validation.ts";
import {
  chinaDateTimeText,
  concludedLate,
  coordinationDueAt,
  DISPUTE_LIMITS,
  DISPUTE_STATES,
  DISPUTE_STEPS,
  disputeTransition,
  isOverdue,
  isTripartite,
  needsOverdueNotice,
  openDispute,
  openSteps,
  refusalReferable,
  stepProblem,
  type DisputeEvent,
  type DisputeSnapshot,
  type DisputeState,
  type DisputeStep,
  type Participant,
} from "../../app/domain/disputes.ts";
import { PROCEDURE_RULES } from "../../app/domain/procedure-rules.ts";
import { answerDueAt } from "../../app/domain/procedure.ts";
import { sessionRolesOf } from "../../app/domain/session-access.ts";
import { PARTIES } from "../support/law.ts";
import { completeSession, DAY, NOW } from "../support/snapshots.ts";

const ACCEPTED_AT = new Date("2026-06-01T02:00:00Z");
const TRIPARTITE: Participant[] = [
  { role: "LABOUR_BUREAU", organization: "杭州市人社局", people: "张三" },
  { role: "TRADE_UNION", organization: "杭州市总工会", people: "李四" },
  { role: "ENTERPRISE_ORGANIZATION", organization: "杭州市企业联合会", people: "王五" },
];

function dispute(state: DisputeState, overrides: Partial<DisputeSnapshot> = {}): DisputeSnapshot {
  const coordinating = state !== "APPLIED" && state !== "REFERRED";
  return {
    kind: "BARGAINING",
    state,
    applicantSide: "WORKER",
    acceptedAt: coordinating ? ACCEPTED_AT : null,
    dueAt: coordinating ? coordinationDueAt(ACCEPTED_AT) : null,
    extensionDays: 0,
    participants: [],
    ...overrides,
  };
}

const step = (snapshot: DisputeSnapshot, event: DisputeEvent, now: Date) => disputeTransition(snapshot, event, now);
const before = (date: Date, ms = 1) => new Date(date.getTime() - ms);

describe("the rules as data (第五十二条)", () => {
  it("30 days to coordinate, at most 15 more, each citing its article", () => {
    expect(PROCEDURE_RULES.coordinationDays.value).toBe(30);
    expect(PROCEDURE_RULES.coordinationExtensionDays.value).toBe(15);
    for (const rule of [PROCEDURE_RULES.coordinationDays, PROCEDURE_RULES.coordinationExtensionDays]) {
      expect(rule.source.zh).toContain("第五十二条");
      expect(rule.source.en).toContain("art. 52");
    }
  });

  it("the coordination is due 30 days after the bureau accepts the application, at 24:00 China time of the 30th day", () => {
    // Accepted Monday 2026-06-01 at 10:00 China time: the 30th day is Wednesday 1 July.
    expect(coordinationDueAt(ACCEPTED_AT)).toEqual(new Date("2026-07-02T00:00:00+08:00"));
  });
});

describe("opening a dispute", () => {
  it("a bargaining dispute waits for the bureau; a refusal, a missing answer and a performance dispute are recorded as referred", () => {
    expect(openDispute("BARGAINING", NOW)).toEqual({ state: "APPLIED", appliedAt: NOW });
    for (const kind of ["REFUSAL", "NO_ANSWER", "PERFORMANCE"] as const) expect(openDispute(kind, NOW).state).toBe("REFERRED");
  });
});

describe("the bureau accepts (第五十三条（一）、第五十二条)", () => {
  it("an application becomes a coordination due 30 days later", () => {
    const result = step(dispute("APPLIED"), { type: "ACCEPT" }, ACCEPTED_AT);
    expect(result).toEqual({ ok: true, from: "APPLIED", to: "COORDINATING", patch: { state: "COORDINATING", acceptedAt: ACCEPTED_AT, dueAt: new Date("2026-07-02T00:00:00+08:00") } });
  });

  it.each(DISPUTE_STATES.filter((state) => state !== "APPLIED"))("nothing to accept in %s", (state) => {
    expect(step(dispute(state), { type: "ACCEPT" }, NOW)).toEqual({ ok: false, code: "dispute.wrongState" });
  });
});

describe("extension (第五十二条: 延长期限不得超过15日)", () => {
  const coordinating = dispute("COORDINATING");
  const due = coordinationDueAt(ACCEPTED_AT);
  const extend = (days: number, snapshot = coordinating, now = before(due)) => step(snapshot, { type: "EXTEND", days, reason: "争议复杂，需进一步调查" }, now);

  it("exactly 15 days is allowed: the due moment moves 15 days on", () => {
    const result = extend(15);
    expect(result).toMatchObject({ ok: true, from: "COORDINATING", to: "COORDINATING" });
    if (!result.ok) throw new Error("refused");
    expect(result.patch.extensionDays).toBe(15);
    expect(result.patch.extensionReason).toBe("争议复杂，需进一步调查");
    // From the last day of the 30 (1 July), 15 more days: Thursday 16 July.
    expect(result.patch.dueAt).toEqual(new Date("2026-07-17T00:00:00+08:00"));
  });

  it("1 day is allowed; 16, 0, negative and fractional days are refused", () => {
    expect(extend(1).ok).toBe(true);
    for (const days of [16, 0, -1, 1.5, 30]) expect(extend(days), `${days} days`).toEqual({ ok: false, code: "dispute.extensionRange" });
  });

  it("only once", () => {
    expect(extend(5, { ...coordinating, extensionDays: 10, dueAt: new Date(due.getTime() + 10 * DAY) })).toEqual({ ok: false, code: "dispute.alreadyExtended" });
  });

  it("only before the period runs out: refused at and after the due moment", () => {
    expect(extend(15, coordinating, before(due)).ok).toBe(true);
    expect(extend(15, coordinating, due)).toEqual({ ok: false, code: "dispute.pastDue" });
    expect(extend(15, coordinating, new Date(due.getTime() + DAY))).toEqual({ ok: false, code: "dispute.pastDue" });
  });

  it.each(DISPUTE_STATES.filter((state) => state !== "COORDINATING"))("nothing to extend in %s", (state) => {
    expect(extend(5, dispute(state), ACCEPTED_AT)).toEqual({ ok: false, code: "dispute.wrongState" });
  });
});

describe("participants (第五十条: the bureau with the union and the enterprise organization)", () => {
  it("tripartite means a trade union and an enterprise organization besides the bureau", () => {
    expect(isTripartite(TRIPARTITE)).toBe(true);
    expect(isTripartite(TRIPARTITE.filter((p) => p.role !== "TRADE_UNION"))).toBe(false);
    expect(isTripartite(TRIPARTITE.filter((p) => p.role !== "ENTERPRISE_ORGANIZATION"))).toBe(false);
    expect(isTripartite([])).toBe(false);
  });

  it("are recorded while coordinating, and only as a tripartite list", () => {
    expect(step(dispute("COORDINATING"), { type: "RECORD_PARTICIPANTS", participants: TRIPARTITE }, NOW)).toEqual({ ok: true, from: "COORDINATING", to: "COORDINATING", patch: { participants: TRIPARTITE } });
    expect(step(dispute("COORDINATING"), { type: "RECORD_PARTICIPANTS", participants: TRIPARTITE.slice(0, 2) }, NOW)).toEqual({ ok: false, code: "dispute.tripartiteIncomplete" });
    expect(step(dispute("APPLIED"), { type: "RECORD_PARTICIPANTS", participants: TRIPARTITE }, NOW)).toEqual({ ok: false, code: "dispute.wrongState" });
  });
});

describe("conclusion with the 协调处理协议书 (第五十三条（五）、第五十四条)", () => {
  const text = "协调处理申请：职工方申请协调计件单价争议。争议的事实：……协调结果：计件单价按 6.5 元执行；继续协商事项：恶劣天气补贴。";

  it("needs the tripartite participants recorded first", () => {
    expect(step(dispute("COORDINATING"), { type: "CONCLUDE", settlementText: text }, NOW)).toEqual({ ok: false, code: "dispute.tripartiteIncomplete" });
  });

  it("ends the coordination with the agreement's text and the moment", () => {
    const result = step(dispute("COORDINATING", { participants: TRIPARTITE }), { type: "CONCLUDE", settlementText: text }, NOW);
    expect(result).toEqual({ ok: true, from: "COORDINATING", to: "CONCLUDED", patch: { state: "CONCLUDED", concludedAt: NOW, settlementText: text } });
  });

  it("is recorded as it happened even after the due moment, and shown as late", () => {
    const due = coordinationDueAt(ACCEPTED_AT);
    const late = new Date(due.getTime() + DAY);
    expect(step(dispute("COORDINATING", { participants: TRIPARTITE }), { type: "CONCLUDE", settlementText: text }, late).ok).toBe(true);
    expect(concludedLate({ dueAt: due, concludedAt: late })).toBe(true);
    expect(concludedLate({ dueAt: due, concludedAt: due })).toBe(false);
  });

  it.each(["APPLIED", "CONCLUDED", "WITHDRAWN", "REFERRED"] as const)("nothing to conclude in %s", (state) => {
    expect(step(dispute(state, { participants: TRIPARTITE }), { type: "CONCLUDE", settlementText: text }, NOW)).toEqual({ ok: false, code: "dispute.wrongState" });
  });
});

describe("withdrawal by the applicant side", () => {
  it.each(["APPLIED", "COORDINATING"] as const)("from %s", (state) => {
    expect(step(dispute(state), { type: "WITHDRAW" }, NOW)).toEqual({ ok: true, from: state, to: "WITHDRAWN", patch: { state: "WITHDRAWN", withdrawnAt: NOW } });
  });

  it.each(["CONCLUDED", "WITHDRAWN", "REFERRED"] as const)("not once %s", (state) => {
    expect(step(dispute(state), { type: "WITHDRAW" }, NOW)).toEqual({ ok: false, code: "dispute.wrongState" });
  });
});

describe("every step in every state: what the page offers", () => {
  const due = coordinationDueAt(ACCEPTED_AT);
  const expected: Record<DisputeState, DisputeStep[]> = {
    APPLIED: ["ACCEPT", "WITHDRAW"],
    COORDINATING: ["RECORD_PARTICIPANTS", "EXTEND", "CONCLUDE", "WITHDRAW"],
    CONCLUDED: [],
    WITHDRAWN: [],
    REFERRED: [],
  };
  it.each(DISPUTE_STATES)("%s", (state) => {
    expect(openSteps(dispute(state, { participants: TRIPARTITE }), before(due))).toEqual(expected[state]);
    for (const stepType of DISPUTE_STEPS) expect(stepProblem(dispute(state, { participants: TRIPARTITE }), stepType, before(due)) === null).toBe(expected[state].includes(stepType));
  });

  it("a coordination past due can no longer be extended, still be concluded or withdrawn", () => {
    expect(openSteps(dispute("COORDINATING", { participants: TRIPARTITE }), due)).toEqual(["RECORD_PARTICIPANTS", "CONCLUDE", "WITHDRAW"]);
  });
});

describe("the clock: overdue and its one notice", () => {
  const due = coordinationDueAt(ACCEPTED_AT);

  it("overdue from the due moment on while coordinating", () => {
    expect(isOverdue(dispute("COORDINATING"), before(due))).toBe(false);
    expect(isOverdue(dispute("COORDINATING"), due)).toBe(true);
    for (const state of ["APPLIED", "CONCLUDED", "WITHDRAWN", "REFERRED"] as const) expect(isOverdue(dispute(state, { dueAt: due }), new Date(due.getTime() + DAY))).toBe(false);
  });

  it("an extension moves the due moment", () => {
    const extended = step(dispute("COORDINATING"), { type: "EXTEND", days: 15, reason: "调查" }, before(due));
    if (!extended.ok) throw new Error("refused");
    const after = { ...dispute("COORDINATING"), ...extended.patch } as DisputeSnapshot;
    expect(isOverdue(after, new Date(due.getTime() + 14 * DAY))).toBe(false);
    expect(isOverdue(after, new Date(due.getTime() + 15 * DAY))).toBe(true);
  });

  it("one notice: needed once overdue, never again once sent", () => {
    const late = new Date(due.getTime() + 1);
    expect(needsOverdueNotice({ ...dispute("COORDINATING"), overdueNotifiedAt: null }, late)).toBe(true);
    expect(needsOverdueNotice({ ...dispute("COORDINATING"), overdueNotifiedAt: late }, new Date(due.getTime() + DAY))).toBe(false);
    expect(needsOverdueNotice({ ...dispute("COORDINATING"), overdueNotifiedAt: null }, before(due))).toBe(false);
  });

  it("dates in notices are China Standard Time", () => {
    expect(chinaDateTimeText(new Date("2026-06-30T16:30:00Z"))).toBe("2026-07-01 00:30");
  });
});

describe("the refusal's referral (第三十二条、第五十六条)", () => {
  const proposedAt = new Date("2026-05-01T02:00:00Z");
  const session = (state: "PROPOSED" | "DECLINED" | "BARGAINING" | "WITHDRAWN", proposerSide: "WORKER" | "EMPLOYER" = "WORKER") => ({ state, proposerSide, proposedAt });

  it("a declined proposal of the worker side is a refusal", () => {
    expect(refusalReferable(session("DECLINED"), proposedAt)).toEqual({ ok: true, kind: "REFUSAL" });
  });

  it("no answer: only once the 20 days are over", () => {
    const due = answerDueAt(proposedAt);
    // Proposed on 1 May 2026 (a holiday) at 10:00 China time: the 20th day is Thursday 21 May.
    expect(due).toEqual(new Date("2026-05-22T00:00:00+08:00"));
    expect(refusalReferable(session("PROPOSED"), new Date(due.getTime() - 1))).toEqual({ ok: false, code: "dispute.answerNotDue" });
    expect(refusalReferable(session("PROPOSED"), due)).toEqual({ ok: true, kind: "NO_ANSWER" });
  });

  it("never for the employer side's proposal, nor in other steps", () => {
    expect(refusalReferable(session("DECLINED", "EMPLOYER"), proposedAt)).toEqual({ ok: false, code: "forbidden" });
    expect(refusalReferable(session("BARGAINING"), proposedAt)).toEqual({ ok: false, code: "dispute.wrongSessionState" });
    expect(refusalReferable(session("WITHDRAWN"), proposedAt)).toEqual({ ok: false, code: "dispute.wrongSessionState" });
  });
});

describe("who, from the projection", () => {
  const subject = (memberships: Array<{ organizationId: string; role: "ADMIN" | "NEGOTIATOR" | "MEMBER" }>, state: Parameters<typeof completeSession>[0], proposerSide: "WORKER" | "EMPLOYER" = "WORKER") => ({
    snapshot: completeSession(state, { proposerSide }),
    roles: sessionRolesOf({ userId: "u", memberships }, PARTIES, []),
  });
  const unionNegotiator = [{ organizationId: "union", role: "NEGOTIATOR" as const }];
  const associationNegotiator = [{ organizationId: "association", role: "NEGOTIATOR" as const }];
  const bureauMember = [{ organizationId: "bureau", role: "MEMBER" as const }];

  it("the refusal of the union's proposal is referred by the worker side only, and not when the employer side proposed", () => {
    expect(decide(subject(unionNegotiator, "DECLINED"), "referRefusal", NOW).allowed).toBe(true);
    expect(decide(subject(associationNegotiator, "DECLINED"), "referRefusal", NOW).allowed).toBe(false);
    expect(decide(subject(unionNegotiator, "DECLINED", "EMPLOYER"), "referRefusal", NOW).allowed).toBe(false);
    expect(decide(subject(bureauMember, "DECLINED"), "referRefusal", NOW).allowed).toBe(false);
  });

  it("the bureau sees the disputes of a declined or withdrawn session too", () => {
    for (const state of ["DECLINED", "WITHDRAWN"] as const) {
      expect(decide(subject(bureauMember, state), "viewDisputes", NOW).allowed).toBe(true);
      expect(decide(subject(unionNegotiator, state), "viewDisputes", NOW).allowed).toBe(true);
    }
    expect(decide(subject([], "DECLINED"), "viewDisputes", NOW)).toEqual({ allowed: false, offered: false, reason: "notFound" });
  });

  it("a side applies and withdraws for itself only; the wrong step says why", () => {
    expect(decide(subject(unionNegotiator, "BARGAINING"), "applyDispute", NOW, "WORKER").allowed).toBe(true);
    expect(decide(subject(unionNegotiator, "BARGAINING"), "applyDispute", NOW, "EMPLOYER").allowed).toBe(false);
    expect(decide(subject(associationNegotiator, "BARGAINING"), "withdrawDispute", NOW, "WORKER").allowed).toBe(false);
    expect(decide(subject(unionNegotiator, "PROPOSED"), "applyDispute", NOW, "WORKER")).toEqual({ allowed: false, offered: false, reason: "dispute.wrongSessionState" });
    expect(decide(subject(unionNegotiator, "BARGAINING"), "referPerformance", NOW, "WORKER")).toEqual({ allowed: false, offered: false, reason: "dispute.wrongSessionState" });
    expect(decide(subject(unionNegotiator, "IN_FORCE"), "referPerformance", NOW, "WORKER").allowed).toBe(true);
  });
});

describe("the form's bounds", () => {
  const parse = (form: Record<string, unknown>) => disputeActionSchema.safeParse(form);
  const issues = (form: Record<string, unknown>) => {
    const result = parse(form);
    return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}:${issue.message}`);
  };

  it("a statement of 4000 characters passes, 4001 does not", () => {
    expect(parse({ intent: "apply", side: "WORKER", statement: "争".repeat(DISPUTE_LIMITS.statementMax) }).success).toBe(true);
    expect(issues({ intent: "apply", side: "WORKER", statement: "争".repeat(DISPUTE_LIMITS.statementMax + 1) })).toEqual(["statement:validation.tooLong"]);
    expect(issues({ intent: "apply", side: "WORKER", statement: "   " })).toEqual(["statement:validation.required"]);
    expect(issues({ intent: "apply", side: "BOTH", statement: "x" })).toEqual(["side:validation.choice"]);
  });

  it("an extension is 1 to 15 whole days", () => {
    expect(parse({ intent: "extend", disputeId: "d1", days: "15", reason: "调查" }).success).toBe(true);
    expect(issues({ intent: "extend", disputeId: "d1", days: "16", reason: "调查" })).toEqual(["days:validation.rangeMax"]);
    expect(issues({ intent: "extend", disputeId: "d1", days: "0", reason: "调查" })).toEqual(["days:validation.rangeMin"]);
    expect(issues({ intent: "extend", disputeId: "d1", days: "abc", reason: "调查" })).toEqual(["days:validation.number"]);
  });

  it("participants come in rows; blank rows are dropped, a row of people without an organization is refused", () => {
    const parsed = parse({ intent: "recordParticipants", disputeId: "d1", role: ["LABOUR_BUREAU", "TRADE_UNION", "ENTERPRISE_ORGANIZATION", "OTHER"], organization: ["人社局", "总工会", "企联", ""], people: ["张三", "", "王五", ""] });
    expect(parsed.success && parsed.data.intent === "recordParticipants" ? parsed.data.participants : null).toEqual([
      { role: "LABOUR_BUREAU", organization: "人社局", people: "张三" },
      { role: "TRADE_UNION", organization: "总工会", people: "" },
      { role: "ENTERPRISE_ORGANIZATION", organization: "企联", people: "王五" },
    ]);
    expect(issues({ intent: "recordParticipants", disputeId: "d1", role: ["OTHER"], organization: [""], people: ["某人"] })).toEqual(["organization:validation.required"]);
    expect(issues({ intent: "recordParticipants", disputeId: "d1", role: ["OTHER"], organization: "x", people: ["y"] })).toEqual(["organization:validation.invalid"]);
    expect(issues({ intent: "recordParticipants", disputeId: "d1", role: Array(9).fill("OTHER"), organization: Array(9).fill("x"), people: Array(9).fill("") })).toContain("role:validation.tooMany");
  });

  it("an unknown intent is a choice error", () => {
    expect(issues({ intent: "arbitrate" })).toEqual(["intent:validation.choice"]);
  });
});
