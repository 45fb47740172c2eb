/**
 * Workers' complaints and penalty appeals tied to a clause of an agreement in force (issue 25,
 * item 2), as a pure state machine: data in, data out, time passed as `now`. Who may take each
 * step (the worker who filed, the platform's designated handler, the union, the labour bureau) is
 * the projection's to decide; this module knows the case's own steps, its clock and the figures a
 * notice shows.
 *
 * Sources:
 * - 国市监网监发〔2021〕38号 九: 要畅通外卖送餐员诉求渠道，明确诉求处置程序、时限…对于客观因素造成
 *   送单超时等常规问题，一般在 24小时内合理解决 — for food delivery, routine matters are answered
 *   within 24 hours when the agreement states no time of its own;
 * - 人社部发〔2021〕56号 （十）: 指导企业建立健全劳动者申诉机制，保障劳动者的申诉得到及时回应和客观
 *   公正处理 — the appeal mechanism itself;
 * - the agreement's own `appealResponseHours` (app/domain/terms.ts) when it states one.
 * Other industries with no stated time have no deadline from these documents: the case shows no due
 * time, and the worker may still escalate to the union at any step. Hours are counted as elapsed
 * time from filing (the documents speak of hours, not of days, so the day-counting rules of
 * app/domain/periods.ts do not apply).
 *
 * Steps: FILED → ANSWERED (the platform) → ACCEPTED (the worker is satisfied; closed) or
 * WITH_UNION (the worker escalates). A FILED case past its due time goes WITH_UNION by itself
 * (overdue). WITH_UNION → RESOLVED (the union settles it with the platform; closed) or
 * WITH_BUREAU (the union escalates) → CLOSED_BY_BUREAU (the bureau's outcome is recorded).
 */
import type { ErrorCode } from "./errors.ts";
import type { Industry } from "./session-topics.ts";

export const CASE_KINDS = ["COMPLAINT", "PENALTY_APPEAL"] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const CASE_STATES = ["FILED", "ANSWERED", "ACCEPTED", "WITH_UNION", "RESOLVED", "WITH_BUREAU", "CLOSED_BY_BUREAU"] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** A case is over in these states. */
export const CLOSED_STATES: ReadonlySet<CaseState> = new Set(["ACCEPTED", "RESOLVED", "CLOSED_BY_BUREAU"]);

export type CaseEvent =
  | { type: "ANSWER" }
  | { type: "ACCEPT" }
  | { type: "ESCALATE_TO_UNION" }
  | { type: "OVERDUE" }
  | { type: "RESOLVE" }
  | { type: "ESCALATE_TO_BUREAU" }
  | { type: "RECORD_OUTCOME" };

const NEXT: Record<CaseEvent["type"], { from: readonly CaseState[]; to: CaseState }> = {
  ANSWER: { from: ["FILED"], to: "ANSWERED" },
  ACCEPT: { from: ["ANSWERED"], to: "ACCEPTED" },
  ESCALATE_TO_UNION: { from: ["FILED", "ANSWERED"], to: "WITH_UNION" },
  OVERDUE: { from: ["FILED"], to: "WITH_UNION" },
  RESOLVE: { from: ["WITH_UNION"], to: "RESOLVED" },
  ESCALATE_TO_BUREAU: { from: ["WITH_UNION"], to: "WITH_BUREAU" },
  RECORD_OUTCOME: { from: ["WITH_BUREAU"], to: "CLOSED_BY_BUREAU" },
};

export type CaseStep = { ok: true; state: CaseState } | { ok: false; code: Extract<ErrorCode, "complaint.wrongState" | "complaint.notDue"> };

/** The state after `event`, or why it cannot happen now. OVERDUE needs the due time to have passed. */
export function caseTransition(state: CaseState, event: CaseEvent, clock: { dueAt: Date | null; now: Date }): CaseStep {
  const rule = NEXT[event.type];
  if (!rule.from.includes(state)) return { ok: false, code: "complaint.wrongState" };
  if (event.type === "OVERDUE" && (clock.dueAt === null || clock.now.getTime() <= clock.dueAt.getTime())) return { ok: false, code: "complaint.notDue" };
  return { ok: true, state: rule.to };
}

/** Where the platform's answer time comes from. */
export type ResponseRule = { hours: number; source: "AGREEMENT" } | { hours: 24; source: "FOOD_DELIVERY_38" } | { hours: null; source: "NONE" };

/** The agreement's stated time, else 24 hours for food delivery (38号 九), else none. */
export function responseRule(industry: Industry, appealResponseHours: number | null | undefined): ResponseRule {
  if (typeof appealResponseHours === "number" && appealResponseHours > 0) return { hours: appealResponseHours, source: "AGREEMENT" };
  if (industry === "FOOD_DELIVERY") return { hours: 24, source: "FOOD_DELIVERY_38" };
  return { hours: null, source: "NONE" };
}

/** When the platform's answer is due: `hours` after filing (inclusive of the last instant), or null. */
export function responseDueAt(filedAt: Date, rule: ResponseRule): Date | null {
  return rule.hours === null ? null : new Date(filedAt.getTime() + rule.hours * 60 * 60 * 1000);
}

/** Answered in time: the answer came no later than the due time (a case without a due time always is). */
export function answeredInTime(answeredAt: Date | null, dueAt: Date | null): boolean {
  if (answeredAt === null) return false;
  return dueAt === null || answeredAt.getTime() <= dueAt.getTime();
}

/** Counts below this are shown as "fewer than 5", so that a small count cannot point at a person. */
export const SMALL_COUNT = 5;

/** A count as a notice shows it: the number, or "fewer than 5" (also zero is not told apart). */
export type ShownCount = { exact: number } | { fewerThan: typeof SMALL_COUNT };

export function shownCount(count: number): ShownCount {
  return count < SMALL_COUNT ? { fewerThan: SMALL_COUNT } : { exact: count };
}

/** One case as the figures need it. */
export type CaseForFigures = { clause: string; filedAt: Date; answeredAt: Date | null; dueAt: Date | null };

export type ClauseFigures = { clause: string; received: ShownCount; answeredInTime: ShownCount; medianHoursToAnswer: number | null };

/** The median of sorted-or-not numbers, or null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Per clause: cases received, answered in time, and the median hours to an answer (one decimal;
 * shown only when at least SMALL_COUNT cases were answered, for the same reason as the counts).
 */
export function clauseFigures(cases: readonly CaseForFigures[]): ClauseFigures[] {
  const byClause = new Map<string, CaseForFigures[]>();
  for (const item of cases) byClause.set(item.clause, [...(byClause.get(item.clause) ?? []), item]);
  return [...byClause.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([clause, items]) => {
      const answered = items.filter((item) => item.answeredAt !== null);
      const hours = answered.map((item) => (item.answeredAt!.getTime() - item.filedAt.getTime()) / 3_600_000);
      const middle = answered.length >= SMALL_COUNT ? median(hours) : null;
      return {
        clause,
        received: shownCount(items.length),
        answeredInTime: shownCount(items.filter((item) => answeredInTime(item.answeredAt, item.dueAt)).length),
        medianHoursToAnswer: middle === null ? null : Math.round(middle * 10) / 10,
      };
    });
}
