/**
 * The complaint case's steps, its answer time (the agreement's, else 24 hours for food delivery,
 * 国市监网监发〔2021〕38号 九) and the figures a notice shows, counts under 5 hidden (issue 25).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  CASE_STATES,
  CLOSED_STATES,
  answeredInTime,
  caseTransition,
  clauseFigures,
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
