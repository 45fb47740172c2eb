/**
 * The complaint case's steps, its answer time (the agreement's, else 24 hours for food delivery,
 * 国市监网监发〔2021〕38号 九) and the figures a notice shows, counts under 5 hidden (issue 25).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Terms } from "~/domain/terms.ts";
import {
  appealWindowDays,
  appealWindowEnd,
  complaintFilingSchema,
  figuresByClause,
  findClause,
  formatReceiptCode,
  happenedOnAllowed,
  noticeClauses,
  normalizeReceiptCode,
  receiptCodeSchema,
  CASE_STATES,
  CLOSED_STATES,
  answeredInTime,
  caseTransition,
  clauseFigures,
  clauseTotals,
  median,
  responseDueAt,
  responseRule,
  shownCount,
  type CaseEvent,
  type CaseState,
} from "~/domain/complaints.ts";

const at = (iso: string) => new Date(iso);
const FILED = at("2026-12-01T09:30:00+08:00");
const clock = { dueAt: at("2026-12-02T09:30:00+08:00"), now: at("2026-12-01T12:00:00+08:00") };

describe("the case's steps", () => {
  const EXPECTED: Array<[CaseState, CaseEvent["type"], CaseState | "refused"]> = [
    ["FILED", "ANSWER", "ANSWERED"],
    ["FILED", "ESCALATE_TO_UNION", "WITH_UNION"],
    ["FILED", "ACCEPT", "refused"],
    ["FILED", "RESOLVE", "refused"],
    ["ANSWERED", "ACCEPT", "ACCEPTED"],
    ["ANSWERED", "ESCALATE_TO_UNION", "WITH_UNION"],
    ["ANSWERED", "ANSWER", "refused"],
    ["ANSWERED", "OVERDUE", "refused"],
    ["WITH_UNION", "RESOLVE", "RESOLVED"],
    ["WITH_UNION", "ESCALATE_TO_BUREAU", "WITH_BUREAU"],
    ["WITH_UNION", "ANSWER", "WITH_UNION"],
    ["WITH_BUREAU", "RECORD_OUTCOME", "CLOSED_BY_BUREAU"],
    ["WITH_BUREAU", "RESOLVE", "refused"],
    ["ACCEPTED", "ESCALATE_TO_UNION", "refused"],
    ["RESOLVED", "ESCALATE_TO_BUREAU", "refused"],
    ["CLOSED_BY_BUREAU", "RECORD_OUTCOME", "refused"],
  ];
  it.each(EXPECTED)("%s + %s → %s", (state, type, expected) => {
    const step = caseTransition(state, { type } as CaseEvent, clock);
    expect(step).toEqual(expected === "refused" ? { ok: false, code: "complaint.wrongState" } : { ok: true, state: expected });
  });

  it("goes to the union by itself only once the answer time has run out (not at its last instant)", () => {
    const due = clock.dueAt;
    expect(caseTransition("FILED", { type: "OVERDUE" }, { dueAt: due, now: due })).toEqual({ ok: false, code: "complaint.notDue" });
    expect(caseTransition("FILED", { type: "OVERDUE" }, { dueAt: due, now: new Date(due.getTime() + 1) })).toEqual({ ok: true, state: "WITH_UNION" });
    expect(caseTransition("FILED", { type: "OVERDUE" }, { dueAt: null, now: at("2030-01-01T00:00:00Z") })).toEqual({ ok: false, code: "complaint.notDue" });
  });

  it("never leaves a closed state, whatever happens", () => {
    const events: CaseEvent["type"][] = ["ANSWER", "ACCEPT", "ESCALATE_TO_UNION", "OVERDUE", "RESOLVE", "ESCALATE_TO_BUREAU", "RECORD_OUTCOME"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...events), { maxLength: 12 }), (sequence) => {
        let state: CaseState = "FILED";
        let closedAt: CaseState | null = null;
        for (const type of sequence) {
          const step = caseTransition(state, { type } as CaseEvent, { dueAt: clock.dueAt, now: at("2030-01-01T00:00:00Z") });
          if (closedAt) expect(step.ok).toBe(false);
          if (step.ok) state = step.state;
          if (CLOSED_STATES.has(state)) closedAt ??= state;
        }
        expect(CASE_STATES).toContain(state);
      }),
    );
  });
});

describe("the platform's answer time", () => {
  it("is the agreement's when it states one, else 24 hours for food delivery (38号 九), else none", () => {
    expect(responseRule("RIDE_HAILING", 48)).toEqual({ hours: 48, source: "AGREEMENT" });
    expect(responseRule("FOOD_DELIVERY", 12)).toEqual({ hours: 12, source: "AGREEMENT" });
    expect(responseRule("FOOD_DELIVERY", null)).toEqual({ hours: 24, source: "FOOD_DELIVERY_38" });
    expect(responseRule("FOOD_DELIVERY", undefined)).toEqual({ hours: 24, source: "FOOD_DELIVERY_38" });
    expect(responseRule("EXPRESS", null)).toEqual({ hours: null, source: "NONE" });
  });

  it("runs in elapsed hours from filing, and an answer at the last instant is in time", () => {
    const due = responseDueAt(FILED, responseRule("FOOD_DELIVERY", null))!;
    expect(due.toISOString()).toBe(at("2026-12-02T09:30:00+08:00").toISOString());
    expect(answeredInTime(due, due)).toBe(true);
    expect(answeredInTime(new Date(due.getTime() + 1), due)).toBe(false);
    expect(answeredInTime(null, due)).toBe(false);
    expect(answeredInTime(at("2027-01-01T00:00:00Z"), null)).toBe(true);
    expect(responseDueAt(FILED, responseRule("FREIGHT", null))).toBeNull();
  });
});

describe("figures on the notice", () => {
  it("hides counts under 5, zero included", () => {
    expect(shownCount(0)).toEqual({ fewerThan: 5 });
    expect(shownCount(4)).toEqual({ fewerThan: 5 });
    expect(shownCount(5)).toEqual({ exact: 5 });
  });

  it("takes the median of an odd and an even count", () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("counts per clause, in time, and shows the median only over at least 5 answered cases", () => {
    const hour = 3_600_000;
    const due = new Date(FILED.getTime() + 24 * hour);
    const late = Array.from({ length: 6 }, (_, i) => ({ clause: "超时罚款", filedAt: FILED, answeredAt: new Date(FILED.getTime() + (i + 1) * 10 * hour), dueAt: due }));
    const few = [{ clause: "抽成上限", filedAt: FILED, answeredAt: null, dueAt: due }];
    const figures = clauseFigures([...late, ...few]);
    expect(figures).toEqual([
      { clause: "抽成上限", received: { fewerThan: 5 }, answeredInTime: { fewerThan: 5 }, medianHoursToAnswer: null },
      // Answered after 10, 20, 30, 40, 50, 60 hours: two within 24 hours, median 35.
      { clause: "超时罚款", received: { exact: 6 }, answeredInTime: { fewerThan: 5 }, medianHoursToAnswer: 35 },
    ]);
  });
});

describe("the clauses a case can be about", () => {
  const terms = {
    pieceRateBaseFen: 500,
    commissionCapBp: 0,
    penaltyCapFen: 10_000,
    appealWindowDays: 10,
    pieceRateTable: [{ orderType: "STANDARD", fromMetres: 0, toMetres: 3000, timeBand: "ALL_DAY", priceFen: 500 }],
    penaltyRules: [
      { kind: "LATE_DELIVERY", amountFen: 200, monthlyCapFen: 5000, appealWindowDays: 7, excludedCauses: [] },
      { kind: "BAD_REVIEW", amountFen: 100, monthlyCapFen: 1000, appealWindowDays: 3, excludedCauses: [] },
    ],
  } as unknown as Terms;

  it("are the stated terms, the structured ones, and each penalty rule on its own", () => {
    expect(noticeClauses(terms).map((clause) => clause.id)).toEqual(["pieceRateBaseFen", "commissionCapBp", "penaltyCapFen", "appealWindowDays", "pieceRateTable", "penaltyRules", "penaltyRules:LATE_DELIVERY", "penaltyRules:BAD_REVIEW"]);
    expect(noticeClauses(null)).toEqual([]);
  });

  it("finds only a clause the version has, and never walks a forged id", () => {
    expect(findClause(terms, "penaltyRules:LATE_DELIVERY")).toMatchObject({ kind: "penalty", penaltyKind: "LATE_DELIVERY" });
    for (const id of ["penaltyRules:ORDER_CANCELLED", "restDaysPerMonth", "__proto__", "constructor", "pieceRateTable ", "a".repeat(500), ""]) expect(findClause(terms, id), id).toBeNull();
  });

  it("lists every clause's figures, a clause without cases as fewer than 5, and keeps clauses of earlier versions", () => {
    const rows = figuresByClause(noticeClauses(terms), clauseTotals([{ clause: "maxDailyMinutes", filedAt: FILED, answeredAt: null, dueAt: null }]));
    expect(rows).toHaveLength(9);
    expect(rows[0]).toEqual({ clause: "pieceRateBaseFen", received: { fewerThan: 5 }, answeredInTime: { fewerThan: 5 }, medianHoursToAnswer: null });
    expect(rows[8]!.clause).toBe("maxDailyMinutes");
  });

  it("gives a penalty appeal the rule's own window, else the agreement's, else none", () => {
    expect(appealWindowDays(terms, findClause(terms, "penaltyRules:LATE_DELIVERY")!)).toBe(7);
    expect(appealWindowDays(terms, findClause(terms, "penaltyCapFen")!)).toBe(10);
    expect(appealWindowDays({ penaltyCapFen: 1 } as Terms, { id: "penaltyCapFen", kind: "term", key: "penaltyCapFen" })).toBeNull();
  });

  it("closes the window as periods in days are counted: from the next day, moved past rest days", () => {
    // A penalty on Monday 2026-12-07: 7 days end on Monday 12-14, a working day.
    expect(appealWindowEnd("2026-12-07", 7)).toMatchObject({ lastDay: "2026-12-14", movedFrom: null });
    expect(appealWindowEnd("2026-12-07", 7)!.endsAt.toISOString()).toBe("2026-12-14T16:00:00.000Z");
    // A penalty on Tuesday 2026-12-08: 5 days end on Sunday 12-13, moved to Monday 12-14.
    expect(appealWindowEnd("2026-12-08", 5)).toMatchObject({ lastDay: "2026-12-14", movedFrom: "2026-12-13" });
    expect(appealWindowEnd("2026-12-08", null)).toBeNull();
  });
});

describe("filing input", () => {
  it("takes receipt codes as people type them", () => {
    expect(normalizeReceiptCode(" k7m2-q9xd 4f8a ")).toBe("K7M2Q9XD4F8A");
    expect(normalizeReceiptCode("O1IL")).toBe("0111");
    expect(formatReceiptCode("K7M2Q9XD4F8A")).toBe("K7M2-Q9XD-4F8A");
    expect(receiptCodeSchema.safeParse({ receipt: "k7m2-q9xd-4f8a" }).success).toBe(true);
    expect(receiptCodeSchema.safeParse({ receipt: "K7M2-Q9XD-4F8U" }).success).toBe(false);
    expect(receiptCodeSchema.safeParse({ receipt: "x".repeat(41) }).success).toBe(false);
  });

  it("accepts a day that happened, today or up to a year back, and real calendar days only", () => {
    expect(happenedOnAllowed("2026-12-07", "2026-12-07")).toBe(true);
    expect(happenedOnAllowed("2026-12-08", "2026-12-07")).toBe(false);
    expect(happenedOnAllowed("2025-12-06", "2026-12-07")).toBe(true);
    expect(happenedOnAllowed("2025-12-05", "2026-12-07")).toBe(false);
    const base = { kind: "COMPLAINT", clause: "pieceRateTable", body: "x" };
    expect(complaintFilingSchema.safeParse({ ...base, happenedOn: "2026-02-30" }).success).toBe(false);
    expect(complaintFilingSchema.safeParse({ ...base, happenedOn: "2026-02-28" }).success).toBe(true);
    expect(complaintFilingSchema.parse({ ...base, happenedOn: "2026-02-28" }).shareIdentity).toBe("no");
  });
});
