/**
 * The collective-bargaining procedure as a pure state machine (shared/DESIGN.md, "The bargaining
 * procedure"). `transition` checks the step and the clock for an event and returns the change to
 * apply, or a refusal with a code. Who may send which event is not decided here but in the one
 * projection, app/domain/capabilities.ts; a chief's two-step decisions carry the chief's side. `advanceByClock`
 * returns the transitions that time alone causes (the review period lapsing, the agreement taking
 * effect, expiring). Time always comes in as `now`.
 */
import { PROCEDURE_RULES } from "./procedure-rules.ts";
import { periodEnd } from "./periods.ts";
import type { SessionPurpose } from "./amendment.ts";

export const SESSION_STATES = [
  "PROPOSED", // written proposal sent; the other side answers within 20 days
  "DECLINED", // the other side declined, with reasons (end)
  "WITHDRAWN", // the proposer withdrew before an answer (end)
  "ACCEPTED", // accepted; both sides name their representatives
  "BARGAINING", // rounds are held
  "SUSPENDED", // suspended by agreement of both chiefs
  "DRAFT_AGREED", // both chiefs agreed the draft
  "RATIFICATION", // the draft is before the worker representatives
  "RATIFIED", // passed; awaiting both chiefs' signatures
  "SIGNED", // both chiefs signed; to be filed within 10 days
  "FILED", // filed with the labour bureau; 15-day review
  "APPROVED", // review lapsed without objection; waiting for the effective date
  "IN_FORCE",
  "RENEWAL_REQUESTED", // still in force; a party asked to renew in the last 3 months
  "EXPIRED", // (end)
  "AMENDED", // replaced by an amendment that took effect (第三十九条、第四十一条) (end)
  "TERMINATED", // ended by a termination that took effect (第三十九条、第四十条) (end)
] as const;
export type SessionState = (typeof SESSION_STATES)[number];

export const SIDES = ["WORKER", "EMPLOYER"] as const;
export type Side = (typeof SIDES)[number];
export const otherSide = (side: Side): Side => (side === "WORKER" ? "EMPLOYER" : "WORKER");

/**
 * Two-step decisions that need both chiefs: suspending talks and resuming them before the agreed
 * date (第三十五条: by agreement of both sides), agreeing the draft (第三十四条（四）), and reopening
 * an agreed, ratified or signed text for renegotiation (platform rule: what both sides agreed is
 * undone only by both).
 */
export const AGREEMENT_KINDS = ["SUSPEND", "RESUME", "DRAFT", "REOPEN"] as const;
export type AgreementKind = (typeof AGREEMENT_KINDS)[number];

/** The steps in which each two-step decision can be taken. */
export const AGREEMENT_STATES: Record<AgreementKind, readonly SessionState[]> = {
  SUSPEND: ["BARGAINING"],
  RESUME: ["SUSPENDED"],
  DRAFT: ["BARGAINING"],
  REOPEN: ["DRAFT_AGREED", "RATIFIED", "SIGNED"],
};

/**
 * What a suspension agrees (第三十五条): how long (talks resume at `resumesAt`) and the time, place
 * and content of the next meeting. Dates are ISO strings: the plan is stored as JSON.
 */
export type SuspensionPlan = { resumesAt: string; meetingAt: string; location: string; agenda: string };
/** What agreeing the draft may fix besides the text: a start date later than the end of review (YYYY-MM-DD, China time). */
export type DraftAgreement = { startsOn: string | null };
/** The terms a chief agrees to, per decision; the second chief must agree to the same terms. */
export type AgreementTerms = { SUSPEND: SuspensionPlan; RESUME: Record<string, never>; DRAFT: DraftAgreement; REOPEN: { reason: string } };
export type PendingAgreements = { [K in AgreementKind]?: Side[] } & { terms?: { [K in AgreementKind]?: AgreementTerms[K] } };

export type SessionSnapshot = {
  state: SessionState;
  /**
   * A first agreement, a renewal, or an amendment or termination of one in force (第三十九条至
   * 第四十一条). An amendment keeps the term of the version it changes: its `effectiveUntil` is
   * set when proposed. A termination ends the agreement the day it takes effect.
   */
  purpose?: SessionPurpose;
  proposerSide: Side;
  proposedAt: Date;
  answeredAt: Date | null;
  representativesPerSide: number;
  termMonths: number;
  /** Agreed first day in force, if later than the end of review. */
  plannedEffectiveFrom: Date | null;
  signedAt: Date | null;
  filedAt: Date | null;
  effectiveFrom: Date | null;
  effectiveUntil: Date | null;
  /** Sides whose chief has agreed, per pending two-step decision, and the terms they agreed to. */
  agreements: PendingAgreements;
  /** The suspension both chiefs agreed, while SUSPENDED. */
  suspension: SuspensionPlan | null;
  /** Sides whose chief has signed the ratified text. */
  signatures: Side[];
  /** Current seats (ended seats excluded). */
  delegation: { side: Side; isChief: boolean }[];
  hasRecorder: boolean;
};

export type ProcedureEvent =
  | { type: "ANSWER"; accept: true }
  | { type: "ANSWER"; accept: false; reasons: string }
  | { type: "WITHDRAW" }
  | { type: "START_BARGAINING" }
  /**
   * A chief agrees a two-step decision on these terms. Without `terms` it is a probe (may this
   * chief agree now? app/domain/capabilities.ts asks so), or agrees to the other chief's terms.
   */
  | { [K in AgreementKind]: { type: "AGREE"; kind: K; side: Side; terms?: AgreementTerms[K] } }[AgreementKind]
  | { type: "OPEN_RATIFICATION" }
  | { type: "SIGN"; side: Side }
  | { type: "FILE" }
  | { type: "OBJECT" }
  | { type: "REQUEST_RENEWAL" };

export type ClockEvent = { type: "REVIEW_LAPSED" } | { type: "TOOK_EFFECT" } | { type: "EXPIRED" } | { type: "RESUMED" };

export type RefusalCode =
  | "procedure.wrongState"
  | "procedure.delegationIncomplete"
  | "procedure.reviewPeriodOver"
  | "procedure.alreadyDone"
  | "procedure.renewalWindowClosed"
  | "procedure.resumeInPast"
  | "procedure.meetingBeforeResume"
  | "procedure.startsOnPast";

export type SessionPatch = Partial<Omit<SessionSnapshot, "delegation" | "hasRecorder" | "proposerSide" | "proposedAt">>;

/** 00:00 China Standard Time of a YYYY-MM-DD day. */
export const chinaDayStart = (day: string) => new Date(`${day}T00:00:00+08:00`);
/** The YYYY-MM-DD day in China Standard Time of an instant. */
export const chinaDayOf = (date: Date) => new Date(date.getTime() + 8 * 60 * 60 * 1000).toISOString().slice(0, 10);

/** Two agreements' terms are the same decision (key order aside). */
export function sameTerms(a: unknown, b: unknown): boolean {
  const canonical = (value: unknown): unknown =>
    value && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y)).map(([key, inner]) => [key, canonical(inner)]))
      : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Why a chief's terms cannot be agreed now, or null. */
function termsProblem(event: Extract<ProcedureEvent, { type: "AGREE" }>, now: Date): RefusalCode | null {
  if (!event.terms) return null;
  if (event.kind === "SUSPEND") {
    const resumesAt = new Date(event.terms.resumesAt);
    if (!(resumesAt > now)) return "procedure.resumeInPast";
    if (new Date(event.terms.meetingAt) < resumesAt) return "procedure.meetingBeforeResume";
  }
  if (event.kind === "DRAFT" && event.terms.startsOn !== null && event.terms.startsOn < chinaDayOf(now)) return "procedure.startsOnPast";
  return null;
}

export type TransitionResult =
  | { ok: true; from: SessionState; to: SessionState; patch: SessionPatch }
  | { ok: false; code: RefusalCode };

const DAY = 24 * 60 * 60 * 1000;
export const addDays = (date: Date, days: number) => new Date(date.getTime() + days * DAY);
/**
 * Calendar months, clamped to the end of a shorter month (Jan 31 + 1 month = Feb 28/29), as terms
 * are counted in law: a term ending on May 31 opens its last 3 months on Feb 28, not Mar 3.
 */
export function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

const refuse = (code: RefusalCode): TransitionResult => ({ ok: false, code });

/** Delegations complete: equal seats on both sides, the agreed number, one chief each, a recorder. */
export function delegationProblems(session: Pick<SessionSnapshot, "delegation" | "representativesPerSide" | "hasRecorder">): string[] {
  const problems: string[] = [];
  for (const side of SIDES) {
    const seats = session.delegation.filter((seat) => seat.side === side);
    if (seats.length < session.representativesPerSide) problems.push(`${side}:seats`);
    if (seats.filter((seat) => seat.isChief).length !== 1) problems.push(`${side}:chief`);
  }
  const [worker, employer] = SIDES.map((side) => session.delegation.filter((seat) => seat.side === side).length);
  if (worker !== employer) problems.push("unequal");
  if (!session.hasRecorder) problems.push("recorder");
  return problems;
}

export function transition(session: SessionSnapshot, event: ProcedureEvent, now: Date): TransitionResult {
  const from = session.state;
  const ok = (to: SessionState, patch: SessionPatch = {}): TransitionResult => ({ ok: true, from, to, patch: { ...patch, state: to } });

  switch (event.type) {
    case "ANSWER": {
      if (from !== "PROPOSED") return refuse("procedure.wrongState");
      return event.accept ? ok("ACCEPTED", { answeredAt: now }) : ok("DECLINED", { answeredAt: now });
    }
    case "WITHDRAW": {
      if (from !== "PROPOSED") return refuse("procedure.wrongState");
      return ok("WITHDRAWN");
    }
    case "START_BARGAINING": {
      if (from !== "ACCEPTED") return refuse("procedure.wrongState");
      if (delegationProblems(session).length) return refuse("procedure.delegationIncomplete");
      return ok("BARGAINING");
    }
    case "AGREE": {
      if (!AGREEMENT_STATES[event.kind].includes(from)) return refuse("procedure.wrongState");
      const problem = termsProblem(event, now);
      if (problem) return refuse(problem);
      const agreed = session.agreements[event.kind] ?? [];
      const pendingTerms = session.agreements.terms?.[event.kind];
      const terms = event.terms ?? (agreed.length > 0 && !agreed.includes(event.side) ? pendingTerms : undefined);
      // Agreeing to other terms than the other chief's is a counter-proposal: it replaces theirs,
      // and the other chief now answers it.
      const countered = event.terms !== undefined && agreed.length > 0 && !sameTerms(pendingTerms ?? {}, event.terms);
      if (agreed.includes(event.side) && !countered) return refuse("procedure.alreadyDone");
      // A probe: this chief may agree now, on terms still to be given.
      if (terms === undefined) return { ok: true, from, to: from, patch: {} };
      const next = countered ? [event.side] : [...agreed, event.side];
      if (next.length < SIDES.length) {
        return { ok: true, from, to: from, patch: { agreements: { ...session.agreements, [event.kind]: next, terms: { ...session.agreements.terms, [event.kind]: terms } } } };
      }
      // Both chiefs agreed the same terms: the decision takes effect and the pending agreements are cleared.
      const agreedTerms = terms as AgreementTerms[typeof event.kind];
      switch (event.kind) {
        case "SUSPEND":
          return ok("SUSPENDED", { agreements: {}, suspension: agreedTerms as SuspensionPlan });
        case "RESUME":
          return ok("BARGAINING", { agreements: {}, suspension: null });
        case "DRAFT": {
          const { startsOn } = agreedTerms as DraftAgreement;
          return ok("DRAFT_AGREED", { agreements: {}, plannedEffectiveFrom: startsOn ? chinaDayStart(startsOn) : null });
        }
        case "REOPEN":
          // Back to the table: the vote and the signatures belonged to the text being reopened.
          return ok("BARGAINING", { agreements: {}, signatures: [], signedAt: null, plannedEffectiveFrom: null });
      }
      break;
    }
    case "OPEN_RATIFICATION": {
      if (from !== "DRAFT_AGREED") return refuse("procedure.wrongState");
      return ok("RATIFICATION");
    }
    case "SIGN": {
      if (from !== "RATIFIED") return refuse("procedure.wrongState");
      if (session.signatures.includes(event.side)) return refuse("procedure.alreadyDone");
      const signatures = [...session.signatures, event.side];
      if (signatures.length < SIDES.length) return { ok: true, from, to: from, patch: { signatures } };
      return ok("SIGNED", { signatures, signedAt: now });
    }
    case "FILE": {
      if (from !== "SIGNED") return refuse("procedure.wrongState");
      return ok("FILED", { filedAt: now });
    }
    case "OBJECT": {
      if (from !== "FILED") return refuse("procedure.wrongState");
      if (session.filedAt && now >= reviewEndsAt(session.filedAt)) return refuse("procedure.reviewPeriodOver");
      // An objection sends the agreement back to the table (第四十六条): the parties renegotiate the
      // matters objected to, sign again and refile; the review clock restarts on refiling.
      return ok("BARGAINING", { signatures: [], signedAt: null, filedAt: null, agreements: {}, plannedEffectiveFrom: null });
    }
    case "REQUEST_RENEWAL": {
      if (from !== "IN_FORCE") return refuse("procedure.wrongState");
      if (!session.effectiveUntil || now < renewalWindowOpensAt(session.effectiveUntil) || now >= session.effectiveUntil) {
        return refuse("procedure.renewalWindowClosed");
      }
      return ok("RENEWAL_REQUESTED");
    }
    default: {
      const unknown: never = event;
      void unknown;
      return refuse("procedure.wrongState");
    }
  }
}

/**
 * The vote's result applied to the session: passed → ratified (signatures start empty); failed →
 * back to bargaining. The tally decides, not a person, so this has no actor guard: the caller
 * (app/models/agreement.server.ts) counts the ballots with app/domain/ratification.ts.
 */
export function ratificationClosed(session: Pick<SessionSnapshot, "state">, passed: boolean): TransitionResult {
  const from = session.state;
  if (from !== "RATIFICATION") return refuse("procedure.wrongState");
  return passed
    ? { ok: true, from, to: "RATIFIED", patch: { state: "RATIFIED", signatures: [] } }
    : { ok: true, from, to: "BARGAINING", patch: { state: "BARGAINING", agreements: {} } };
}

/** The first moment in force: the end of review without objection, or the parties' later start date. */
export const effectiveFromAfterReview = (reviewEnd: Date, plannedEffectiveFrom: Date | null) =>
  plannedEffectiveFrom && plannedEffectiveFrom > reviewEnd ? plannedEffectiveFrom : reviewEnd;

/**
 * The procedure's periods in days, counted as the law counts them (app/domain/periods.ts): from the
 * day after the event to 24:00 China Standard Time of the last day, past a statutory rest day.
 * `…Period` gives the whole answer (the last day, a move, whether it is provisional); `…At` the
 * first instant after the period.
 */
export const answerPeriod = (proposedAt: Date) => periodEnd(proposedAt, PROCEDURE_RULES.answerWithinDays.value);
export const filePeriod = (signedAt: Date) => periodEnd(signedAt, PROCEDURE_RULES.fileWithinDays.value);
export const reviewPeriod = (filedAt: Date) => periodEnd(filedAt, PROCEDURE_RULES.reviewDays.value);
export const vacancyRefillPeriod = (vacatedAt: Date) => periodEnd(vacatedAt, PROCEDURE_RULES.vacancyRefillDays.value);
export const answerDueAt = (proposedAt: Date) => answerPeriod(proposedAt).endsAt;
export const fileDueAt = (signedAt: Date) => filePeriod(signedAt).endsAt;
export const reviewEndsAt = (filedAt: Date) => reviewPeriod(filedAt).endsAt;
export const vacancyRefillDueAt = (vacatedAt: Date) => vacancyRefillPeriod(vacatedAt).endsAt;
export const renewalWindowOpensAt = (effectiveUntil: Date) => addMonths(effectiveUntil, -PROCEDURE_RULES.renewalWindowMonths.value);

/**
 * The transitions that time alone causes, in order, from `session` as of `now`. Applying them one
 * after another brings a session that nobody looked at for months to its correct state.
 */
export function advanceByClock(session: SessionSnapshot, now: Date): Array<{ event: ClockEvent; at: Date; from: SessionState; to: SessionState; patch: SessionPatch }> {
  const steps: Array<{ event: ClockEvent; at: Date; from: SessionState; to: SessionState; patch: SessionPatch }> = [];
  let current = session;
  const apply = (event: ClockEvent, at: Date, to: SessionState, patch: SessionPatch) => {
    steps.push({ event, at, from: current.state, to, patch: { ...patch, state: to } });
    current = { ...current, ...patch, state: to };
  };
  if (current.state === "SUSPENDED" && current.suspension && now >= new Date(current.suspension.resumesAt)) {
    // 第三十五条: talks resume on the date both sides agreed, not on one chief's say-so.
    apply({ type: "RESUMED" }, new Date(current.suspension.resumesAt), "BARGAINING", { suspension: null, agreements: {} });
  }
  if (current.state === "FILED" && current.filedAt && now >= reviewEndsAt(current.filedAt)) {
    const lapsedAt = reviewEndsAt(current.filedAt);
    // 第四十七条 (《劳动合同法》第五十四条): no objection within 15 days, the agreement 即行生效 —
    // at once, or on the later start date the parties wrote into it. No notice period is added.
    const effectiveFrom = effectiveFromAfterReview(lapsedAt, current.plannedEffectiveFrom);
    const effectiveUntil =
      current.purpose === "TERMINATION"
        ? effectiveFrom
        : current.purpose === "AMENDMENT" && current.effectiveUntil
          ? new Date(Math.max(current.effectiveUntil.getTime(), effectiveFrom.getTime()))
          : addMonths(effectiveFrom, current.termMonths);
    apply({ type: "REVIEW_LAPSED" }, lapsedAt, "APPROVED", { effectiveFrom, effectiveUntil });
  }
  if (current.state === "APPROVED" && current.effectiveFrom && now >= current.effectiveFrom) {
    // A termination that takes effect has done its work: the agreement it ends no longer applies.
    apply({ type: "TOOK_EFFECT" }, current.effectiveFrom, current.purpose === "TERMINATION" ? "TERMINATED" : "IN_FORCE", {});
  }
  if ((current.state === "IN_FORCE" || current.state === "RENEWAL_REQUESTED") && current.effectiveUntil && now >= current.effectiveUntil) {
    apply({ type: "EXPIRED" }, current.effectiveUntil, "EXPIRED", {});
  }
  return steps;
}

export type Deadline = {
  /** `vote`: the open ratification vote closes (the model adds it: the vote is not in the snapshot). */
  kind: "answer" | "file" | "review" | "effective" | "renewalWindow" | "expiry" | "resume" | "vote";
  dueAt: Date;
  overdue: boolean;
  rule: keyof typeof PROCEDURE_RULES | null;
  /** Counted into a year without holiday data (app/domain/periods.ts): weekends only, to be confirmed. */
  provisional?: boolean;
};

/** The deadlines that matter in the session's current state, for timelines and dashboards. */
export function deadlinesOf(session: SessionSnapshot, now: Date): Deadline[] {
  const list: Deadline[] = [];
  const push = (kind: Deadline["kind"], dueAt: Date, rule: Deadline["rule"], canBeOverdue = true, provisional = false) =>
    list.push({ kind, dueAt, overdue: canBeOverdue && now >= dueAt, rule, ...(provisional ? { provisional } : {}) });
  const pushPeriod = (kind: Deadline["kind"], period: ReturnType<typeof periodEnd>, rule: Deadline["rule"], canBeOverdue = true) => push(kind, period.endsAt, rule, canBeOverdue, period.provisional);
  switch (session.state) {
    case "PROPOSED":
      pushPeriod("answer", answerPeriod(session.proposedAt), "answerWithinDays");
      break;
    case "SUSPENDED":
      if (session.suspension) push("resume", new Date(session.suspension.resumesAt), null, false);
      break;
    case "SIGNED":
      if (session.signedAt) pushPeriod("file", filePeriod(session.signedAt), "fileWithinDays");
      break;
    case "FILED":
      if (session.filedAt) pushPeriod("review", reviewPeriod(session.filedAt), "reviewDays", false);
      break;
    case "APPROVED":
      if (session.effectiveFrom) push("effective", session.effectiveFrom, null, false);
      break;
    case "IN_FORCE":
    case "RENEWAL_REQUESTED":
      if (session.effectiveUntil) {
        if (session.state === "IN_FORCE") push("renewalWindow", renewalWindowOpensAt(session.effectiveUntil), "renewalWindowMonths", false);
        push("expiry", session.effectiveUntil, "termMonths", false);
      }
      break;
    default:
      break;
  }
  return list;
}
