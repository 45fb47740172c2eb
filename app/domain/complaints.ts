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
import { z } from "zod";
import { STRUCTURED_TERM_KEYS } from "./draft-text.ts";
import type { ErrorCode } from "./errors.ts";
import { periodEnd, type PeriodEnd } from "./periods.ts";
import type { Industry } from "./session-topics.ts";
import { TERM_KEYS, type Terms } from "./terms.ts";

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
  // A late answer to a case the clock already took to the union is recorded; the case stays there.
  ANSWER: { from: ["FILED", "WITH_UNION"], to: "ANSWERED" },
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
  if (event.type === "ANSWER" && state === "WITH_UNION") return { ok: true, state };
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
 * What the figures are made from, per clause: cases received, answered in time, answered at all,
 * and the median hours from filing to an answer over the answered ones. The database computes the
 * same totals with one grouped query (app/models/complaint.server.ts); `clauseTotals` is the rule
 * written out, which the test compares the query with.
 */
export type ClauseTotals = { clause: string; received: number; answeredInTime: number; answered: number; medianHours: number | null };

export function clauseTotals(cases: readonly CaseForFigures[]): ClauseTotals[] {
  const byClause = new Map<string, CaseForFigures[]>();
  for (const item of cases) {
    const list = byClause.get(item.clause);
    if (list) list.push(item);
    else byClause.set(item.clause, [item]);
  }
  return [...byClause.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([clause, items]) => {
      const answered = items.filter((item) => item.answeredAt !== null);
      return {
        clause,
        received: items.length,
        answeredInTime: items.filter((item) => answeredInTime(item.answeredAt, item.dueAt)).length,
        answered: answered.length,
        medianHours: median(answered.map((item) => (item.answeredAt!.getTime() - item.filedAt.getTime()) / 3_600_000)),
      };
    });
}

/**
 * A clause's figures as shown: counts under SMALL_COUNT hidden, the median (one decimal) only when
 * at least SMALL_COUNT cases were answered, for the same reason as the counts.
 */
export function figuresOfTotals(totals: ClauseTotals): ClauseFigures {
  return {
    clause: totals.clause,
    received: shownCount(totals.received),
    answeredInTime: shownCount(totals.answeredInTime),
    medianHoursToAnswer: totals.answered >= SMALL_COUNT && totals.medianHours !== null ? Math.round(totals.medianHours * 10) / 10 : null,
  };
}

/** Per clause: cases received, answered in time, and the median hours to an answer, as shown. */
export function clauseFigures(cases: readonly CaseForFigures[]): ClauseFigures[] {
  return clauseTotals(cases).map(figuresOfTotals);
}

// ─── Clauses ─────────────────────────────────────────────────────────────────────────────────

/**
 * The clauses a case can be about: the rows of the notice's terms table (each stated number, each
 * structured term) and, for penalties, each penalty rule on its own, so that an appeal names the
 * penalty it is about. An id is stable across versions of the same agreement (`pieceRateBaseFen`,
 * `penaltyRules:LATE_DELIVERY`), so figures add up over the series.
 */
export type Clause = { id: string; kind: "term" | "structured" | "penalty"; key: string; penaltyKind?: string };

/** The clause a filing may name: letters, digits, one colon, bounded before anything looks it up. */
export const CLAUSE_ID = /^[A-Za-z][A-Za-z0-9]{0,40}(:[A-Z_]{1,40})?$/;

export function noticeClauses(terms: Terms | null): Clause[] {
  if (!terms) return [];
  const record = terms as Record<string, unknown>;
  const clauses: Clause[] = TERM_KEYS.filter((key) => typeof record[key] === "number").map((key) => ({ id: key, kind: "term", key }));
  for (const key of STRUCTURED_TERM_KEYS) {
    if (record[key] === undefined || record[key] === null) continue;
    clauses.push({ id: key, kind: "structured", key });
    if (key === "penaltyRules") for (const rule of terms.penaltyRules ?? []) clauses.push({ id: `penaltyRules:${rule.kind}`, kind: "penalty", key, penaltyKind: rule.kind });
  }
  return clauses;
}

export function findClause(terms: Terms | null, id: string): Clause | null {
  if (!CLAUSE_ID.test(id)) return null;
  return noticeClauses(terms).find((clause) => clause.id === id) ?? null;
}

// ─── Filing ──────────────────────────────────────────────────────────────────────────────────

export const COMPLAINT_LIMITS = {
  bodyMax: 2_000,
  referenceMax: 60,
  /** Photos: at most three, each at most 4 MB as uploaded, JPEG, PNG or WebP, at most 40 megapixels. */
  photosMax: 3,
  photoBytesMax: 4 * 1024 * 1024,
  photoPixelsMax: 40_000_000,
  /** Longest side of the stored copy (re-encoded, metadata dropped). */
  photoStoredSideMax: 2_000,
  answerMax: 2_000,
  /** How far back a worker may date what happened (a year: older matters are not routine ones). */
  happenedWithinDays: 366,
} as const;

/** The request body a filing with photos may send: the photos and the form around them. */
export const COMPLAINT_BODY_LIMIT = COMPLAINT_LIMITS.photosMax * COMPLAINT_LIMITS.photoBytesMax + 64 * 1024;

export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;

const text = (max: number) =>
  z
    .string({ required_error: "validation.required", invalid_type_error: "validation.required" })
    .transform((value) => value.trim())
    .pipe(z.string().min(1, "validation.required").max(max, "validation.tooLong"));

/** A day as typed in a date field (YYYY-MM-DD), a real calendar day. */
const daySchema = z
  .string({ required_error: "validation.required", invalid_type_error: "validation.required" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "validation.date")
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  }, "validation.date");

/** What a worker fills in (the clause and the notice come from the address and are checked against it). */
export const complaintFilingSchema = z.object({
  kind: z.enum(CASE_KINDS, { errorMap: () => ({ message: "validation.choice" }) }),
  clause: z.string({ required_error: "validation.required", invalid_type_error: "validation.choice" }).regex(CLAUSE_ID, "validation.choice"),
  happenedOn: daySchema,
  body: text(COMPLAINT_LIMITS.bodyMax),
  reference: z
    .string({ invalid_type_error: "validation.required" })
    .optional()
    .transform((value) => value?.trim() || undefined)
    .pipe(z.string().max(COMPLAINT_LIMITS.referenceMax, "validation.tooLong").optional()),
  /** Whether the platform may see who filed (default: no; the union always sees it). */
  shareIdentity: z.enum(["yes", "no"], { errorMap: () => ({ message: "validation.choice" }) }).default("no"),
});
export type ComplaintFiling = z.infer<typeof complaintFilingSchema>;

/** The filing form of an agreement binding several platforms: the worker names the one it is about. */
export const complaintFilingWithPlatformSchema = complaintFilingSchema.extend({
  platform: z.string({ required_error: "validation.choosePlatform", invalid_type_error: "validation.choosePlatform" }).min(1, "validation.choosePlatform").max(64, "validation.tooLong"),
});

/**
 * The day the matter happened may not be after today nor more than a year ago (China time; our
 * rule: a case is about something recent enough for the platform to check).
 */
export function happenedOnAllowed(happenedOn: string, today: string): boolean {
  const day = Date.parse(`${happenedOn}T00:00:00Z`);
  const now = Date.parse(`${today}T00:00:00Z`);
  return day <= now && now - day <= COMPLAINT_LIMITS.happenedWithinDays * 86_400_000;
}

/** What the platform's handler writes back, and what the union records. */
export const complaintAnswerSchema = z.object({ answer: text(COMPLAINT_LIMITS.answerMax) });
export const complaintOutcomeSchema = z.object({ outcome: text(COMPLAINT_LIMITS.answerMax) });

// ─── Receipt codes and case numbers ───────────────────────────────────────────────────────────

/**
 * A receipt code: 12 characters of Crockford's base-32 (60 random bits), shown once as
 * XXXX-XXXX-XXXX; with it anyone follows the case's steps (never the worker's identity or words).
 * A case number (8 characters, `C-XXXXXXXX`) names the case to everyone who handles it.
 */
export const RECEIPT_CODE = { alphabet: "0123456789ABCDEFGHJKMNPQRSTVWXYZ", length: 12 } as const;

export function normalizeReceiptCode(typed: string): string {
  return typed.replace(/[\s-]/g, "").toUpperCase().replace(/[IL]/g, "1").replace(/O/g, "0");
}

export function formatReceiptCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

export const receiptCodeSchema = z.object({
  receipt: z
    .string({ required_error: "validation.required", invalid_type_error: "validation.required" })
    .max(40, "validation.tooLong")
    .transform(normalizeReceiptCode)
    .pipe(z.string().min(1, "validation.required").regex(new RegExp(`^[${RECEIPT_CODE.alphabet}]{${RECEIPT_CODE.length}}$`), "validation.receiptCode")),
});

/**
 * The figures of every clause of a version (a clause without cases shows "fewer than 5"), then
 * those of clauses only earlier versions had, so nothing counted disappears.
 */
export function figuresByClause(clauses: readonly Clause[], totals: readonly ClauseTotals[]): ClauseFigures[] {
  const known = new Map(totals.map((row) => [row.clause, figuresOfTotals(row)]));
  const rows = clauses.map((clause) => known.get(clause.id) ?? figuresOfTotals({ clause: clause.id, received: 0, answeredInTime: 0, answered: 0, medianHours: null }));
  for (const [id, row] of known) if (!clauses.some((clause) => clause.id === id)) rows.push(row);
  return rows;
}

// ─── The appeal window ────────────────────────────────────────────────────────────────────────

/**
 * The days a worker has to appeal a penalty under this clause: the penalty rule's own window, else
 * the agreement's general `appealWindowDays`; null when the agreement states none (then no window
 * is enforced). The agreement's own term, not a statute: the parties set it when bargaining.
 */
export function appealWindowDays(terms: Terms | null, clause: Clause): number | null {
  if (!terms) return null;
  const rule = clause.kind === "penalty" ? terms.penaltyRules?.find((candidate) => candidate.kind === clause.penaltyKind) : undefined;
  return rule?.appealWindowDays ?? terms.appealWindowDays ?? null;
}

/**
 * When the window to appeal a penalty of `happenedOn` (a China calendar day) closes: counted as the
 * project counts periods in days (app/domain/periods.ts `periodEnd`: from the next day, to 24:00 of
 * the last day, moved past a rest day), or null without a window.
 */
export function appealWindowEnd(happenedOn: string, days: number | null): PeriodEnd | null {
  if (days === null) return null;
  return periodEnd(new Date(`${happenedOn}T12:00:00+08:00`), days);
}
