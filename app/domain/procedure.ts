/**
 * The collective-bargaining procedure as a pure state machine (shared/DESIGN.md, "The bargaining
 * procedure"). `transition` checks the step and the clock for an event and returns the change to
 * apply, or a refusal with a code. Who may send which event is not decided here but in the one
 * projection, app/domain/capabilities.ts; a chief's two-step decisions carry the chief's side. `advanceByClock`
 * returns the transitions that time alone causes (the review period lapsing, the agreement taking
 * effect, expiring). Time always comes in as `now`.
 */
import { PROCEDURE_RULES } from "./procedure-rules.ts";

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
] as const;
export type SessionState = (typeof SESSION_STATES)[number];

export const SIDES = ["WORKER", "EMPLOYER"] as const;
export type Side = (typeof SIDES)[number];
export const otherSide = (side: Side): Side => (side === "WORKER" ? "EMPLOYER" : "WORKER");

/** Two-step decisions that need both chiefs. */
export const AGREEMENT_KINDS = ["SUSPEND", "DRAFT"] as const;
export type AgreementKind = (typeof AGREEMENT_KINDS)[number];

export type SessionSnapshot = {
  state: SessionState;
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
  /** Sides whose chief has agreed, per pending two-step decision. */
  agreements: Partial<Record<AgreementKind, Side[]>>;
  /** Sides whose chief has signed the ratified text. */
  signatures: Side[];
  /** Current seats (ended seats excluded). */
  delegation: { side: Side; isChief: boolean }[];
  hasRecorder: boolean;
  /**
   * Days between the end of review (when the notice is published) and the earliest day in force,
   * so that workers can read the coming rules and give feedback. 0 when not given.
   */
  noticePeriodDays?: number;
};

export type ProcedureEvent =
  | { type: "ANSWER"; accept: true }
  | { type: "ANSWER"; accept: false; reasons: string }
  | { type: "WITHDRAW" }
  | { type: "START_BARGAINING" }
  | { type: "AGREE"; kind: AgreementKind; side: Side }
  | { type: "RESUME" }
  | { type: "OPEN_RATIFICATION" }
  | { type: "SIGN"; side: Side }
  | { type: "FILE" }
  | { type: "OBJECT"; reasons: string }
  | { type: "REQUEST_RENEWAL" };

export type ClockEvent = { type: "REVIEW_LAPSED" } | { type: "TOOK_EFFECT" } | { type: "EXPIRED" };

export type RefusalCode =
  | "procedure.wrongState"
  | "procedure.delegationIncomplete"
  | "procedure.reviewPeriodOver"
  | "procedure.alreadyDone"
  | "procedure.renewalWindowClosed";

export type SessionPatch = Partial<Omit<SessionSnapshot, "delegation" | "hasRecorder" | "proposerSide" | "proposedAt">>;

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
      if (from !== "BARGAINING") return refuse("procedure.wrongState");
      const agreed = session.agreements[event.kind] ?? [];
      if (agreed.includes(event.side)) return refuse("procedure.alreadyDone");
      const next = [...agreed, event.side];
      const agreements = { ...session.agreements, [event.kind]: next };
      if (next.length < SIDES.length) return { ok: true, from, to: from, patch: { agreements } };
      // Both chiefs agreed: the decision takes effect and the pending agreements are cleared.
      return ok(event.kind === "SUSPEND" ? "SUSPENDED" : "DRAFT_AGREED", { agreements: {} });
    }
    case "RESUME": {
      if (from !== "SUSPENDED") return refuse("procedure.wrongState");
      return ok("BARGAINING");
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
      // An objection sends the agreement back to the table; signatures and filing start over.
      return ok("BARGAINING", { signatures: [], signedAt: null, filedAt: null, agreements: {} });
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

export const answerDueAt = (proposedAt: Date) => addDays(proposedAt, PROCEDURE_RULES.answerWithinDays.value);
export const fileDueAt = (signedAt: Date) => addDays(signedAt, PROCEDURE_RULES.fileWithinDays.value);
export const reviewEndsAt = (filedAt: Date) => addDays(filedAt, PROCEDURE_RULES.reviewDays.value);
export const vacancyRefillDueAt = (vacatedAt: Date) => addDays(vacatedAt, PROCEDURE_RULES.vacancyRefillDays.value);
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
  if (current.state === "FILED" && current.filedAt && now >= reviewEndsAt(current.filedAt)) {
    const lapsedAt = reviewEndsAt(current.filedAt);
    // The notice period runs from publication (at the end of review) before the rules apply.
    const earliest = addDays(lapsedAt, current.noticePeriodDays ?? 0);
    const effectiveFrom = current.plannedEffectiveFrom && current.plannedEffectiveFrom > earliest ? current.plannedEffectiveFrom : earliest;
    apply({ type: "REVIEW_LAPSED" }, lapsedAt, "APPROVED", { effectiveFrom, effectiveUntil: addMonths(effectiveFrom, current.termMonths) });
  }
  if (current.state === "APPROVED" && current.effectiveFrom && now >= current.effectiveFrom) {
    apply({ type: "TOOK_EFFECT" }, current.effectiveFrom, "IN_FORCE", {});
  }
  if ((current.state === "IN_FORCE" || current.state === "RENEWAL_REQUESTED") && current.effectiveUntil && now >= current.effectiveUntil) {
    apply({ type: "EXPIRED" }, current.effectiveUntil, "EXPIRED", {});
  }
  return steps;
}

export type Deadline = {
  kind: "answer" | "file" | "review" | "effective" | "renewalWindow" | "expiry";
  dueAt: Date;
  overdue: boolean;
  rule: keyof typeof PROCEDURE_RULES | null;
};

/** The deadlines that matter in the session's current state, for timelines and dashboards. */
export function deadlinesOf(session: SessionSnapshot, now: Date): Deadline[] {
  const list: Deadline[] = [];
  const push = (kind: Deadline["kind"], dueAt: Date, rule: Deadline["rule"], canBeOverdue = true) =>
    list.push({ kind, dueAt, overdue: canBeOverdue && now > dueAt, rule });
  switch (session.state) {
    case "PROPOSED":
      push("answer", answerDueAt(session.proposedAt), "answerWithinDays");
      break;
    case "SIGNED":
      if (session.signedAt) push("file", fileDueAt(session.signedAt), "fileWithinDays");
      break;
    case "FILED":
      if (session.filedAt) push("review", reviewEndsAt(session.filedAt), "reviewDays", false);
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
