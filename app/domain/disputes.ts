/**
 * Disputes around a bargaining session (issue 20, item 7), as a pure state machine: data in, data
 * out, time always passed as `now`. Who may take each step is decided by the one projection
 * (app/domain/capabilities.ts, the "Disputes" rows); this module knows only the dispute's own
 * steps and its clock. Citations are to 《集体合同规定》 (劳动和社会保障部令第22号); the wording
 * quoted was checked against published copies of the regulation. Not confirmed: the copies found
 * print the texts quoted below for 第五十五条 and 第五十六条 in order after 第五十四条, but not next
 * to their numbers; the numbers follow shared/sources/key-articles.md. No article of the Trade
 * Union Law is cited, none having been checked (docs/disputes.md).
 *
 * Four kinds, two tracks:
 * - REFUSAL, NO_ANSWER — the other side refused the worker side's written proposal, or did not
 *   answer within 20 days (第三十二条: 另一方应当在收到集体协商要求之日起20日内以书面形式给以回应，
 *   无正当理由不得拒绝进行集体协商). 第五十六条: 用人单位无正当理由拒绝工会或职工代表提出的集体协商
 *   要求的，按照《工会法》及有关法律、法规的规定处理. The worker side records it and refers it to the
 *   labour bureau: created REFERRED, nothing further happens on the platform.
 * - BARGAINING — 第四十九条: 集体协商过程中发生争议，双方当事人不能协商解决的，当事人一方或双方可以
 *   书面向劳动保障行政部门提出协调处理申请. APPLIED → (the bureau accepts, 第五十三条（一）)
 *   COORDINATING, due 30 days after acceptance, extendable once by at most 15 (第五十二条) →
 *   CONCLUDED with the 协调处理协议书 (第五十三条（五）、第五十四条); or WITHDRAWN by the applicant
 *   side before that. The bureau coordinates with the union and the enterprise organization at its
 *   level (第五十条: 应当组织同级工会和企业组织等三方面的人员，共同协调处理): it records them, and no
 *   coordination concludes without them.
 * - PERFORMANCE — 第五十五条: 因履行集体合同发生的争议，当事人协商解决不成的，可以依法向劳动争议仲裁
 *   委员会申请仲裁. Recorded and linked (commission, case number), created REFERRED: the platform
 *   does not arbitrate.
 */
import { z } from "zod";
import type { ErrorCode } from "./errors.ts";
import { PROCEDURE_RULES } from "./procedure-rules.ts";
import { answerDueAt, type SessionState, type Side } from "./procedure.ts";
import { periodEnd } from "./periods.ts";

export const DISPUTE_KINDS = ["REFUSAL", "NO_ANSWER", "BARGAINING", "PERFORMANCE"] as const;
export type DisputeKind = (typeof DISPUTE_KINDS)[number];
export const DISPUTE_STATES = ["APPLIED", "COORDINATING", "CONCLUDED", "WITHDRAWN", "REFERRED"] as const;
export type DisputeState = (typeof DISPUTE_STATES)[number];

/** Input bounds of the dispute forms (platform limits, not law). */
export const DISPUTE_LIMITS = {
  statementMax: 4000,
  reasonMax: 1000,
  settlementMax: 20_000,
  organizationMax: 200,
  peopleMax: 500,
  participantsMax: 8,
  referredToMax: 200,
  referenceNumberMax: 100,
} as const;

// ─── Participants (第五十条) ─────────────────────────────────────────────────────────────────

/**
 * Who coordinates: the bureau itself (its people, optionally named), the trade union and the
 * enterprise organization at its level (第五十条: 同级工会和企业组织等三方面的人员), and anyone else
 * the bureau involves.
 */
export const PARTICIPANT_ROLES = ["LABOUR_BUREAU", "TRADE_UNION", "ENTERPRISE_ORGANIZATION", "OTHER"] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** One participant as the bureau records it: the organization and the people it sent. */
export const participantSchema = z.object({
  role: z.enum(PARTICIPANT_ROLES),
  organization: z.string().min(1).max(DISPUTE_LIMITS.organizationMax),
  people: z.string().max(DISPUTE_LIMITS.peopleMax),
});
export type Participant = z.infer<typeof participantSchema>;
/** The stored `participants` column (Json), read through this schema at the edge. */
export const participantsSchema = z.array(participantSchema).max(DISPUTE_LIMITS.participantsMax);

/** 第五十条: the union and the enterprise organization take part besides the bureau itself. */
export function isTripartite(participants: readonly Participant[]): boolean {
  return participants.some((p) => p.role === "TRADE_UNION") && participants.some((p) => p.role === "ENTERPRISE_ORGANIZATION");
}

// ─── The dispute and its clock ───────────────────────────────────────────────────────────────

export type DisputeSnapshot = {
  kind: DisputeKind;
  state: DisputeState;
  applicantSide: Side;
  acceptedAt: Date | null;
  dueAt: Date | null;
  extensionDays: number;
  participants: Participant[];
};

/** 第五十二条: 30 days from acceptance of the application. */
/** 30 days from acceptance (第五十二条), counted as the law counts days (app/domain/periods.ts). */
export const coordinationDueAt = (acceptedAt: Date) => periodEnd(acceptedAt, PROCEDURE_RULES.coordinationDays.value).endsAt;
/** An extension runs on from the last day of the period it extends. */
export const extendedDueAt = (dueAt: Date, days: number) => periodEnd(new Date(dueAt.getTime() - 1), days).endsAt;

/**
 * Coordination is overdue from its due moment on while it has not ended. The same moment closes
 * the extension (an extension is decided before the period runs out).
 */
export function isOverdue(dispute: Pick<DisputeSnapshot, "state" | "dueAt">, now: Date): boolean {
  return dispute.state === "COORDINATING" && dispute.dueAt !== null && now >= dispute.dueAt;
}

/** The clock sweep's question: overdue, and nobody told yet. */
export function needsOverdueNotice(dispute: Pick<DisputeSnapshot, "state" | "dueAt"> & { overdueNotifiedAt: Date | null }, now: Date): boolean {
  return isOverdue(dispute, now) && dispute.overdueNotifiedAt === null;
}

/** Whether a concluded coordination ended after its due moment (shown, never refused: the record is kept as it happened). */
export const concludedLate = (dispute: { dueAt: Date | null; concludedAt: Date | null }) => dispute.dueAt !== null && dispute.concludedAt !== null && dispute.concludedAt > dispute.dueAt;

// ─── Steps ──────────────────────────────────────────────────────────────────────────────────

export type DisputeEvent =
  | { type: "ACCEPT" }
  | { type: "RECORD_PARTICIPANTS"; participants: Participant[] }
  | { type: "EXTEND"; days: number; reason: string }
  | { type: "CONCLUDE"; settlementText: string }
  | { type: "WITHDRAW" };
export type DisputeStep = DisputeEvent["type"];
export const DISPUTE_STEPS: readonly DisputeStep[] = ["ACCEPT", "RECORD_PARTICIPANTS", "EXTEND", "CONCLUDE", "WITHDRAW"];

export type DisputeRefusal = "dispute.wrongState" | "dispute.alreadyExtended" | "dispute.pastDue" | "dispute.extensionRange" | "dispute.tripartiteIncomplete";

export type DisputePatch = {
  state?: DisputeState;
  acceptedAt?: Date;
  dueAt?: Date;
  extensionDays?: number;
  extensionReason?: string;
  participants?: Participant[];
  concludedAt?: Date;
  settlementText?: string;
  withdrawnAt?: Date;
};

export type DisputeResult = { ok: true; from: DisputeState; to: DisputeState; patch: DisputePatch } | { ok: false; code: DisputeRefusal };

/**
 * Whether the dispute's state and clock allow a step at all, before looking at its input: what the
 * page offers (the projection says who).
 */
export function stepProblem(dispute: DisputeSnapshot, step: DisputeStep, now: Date): DisputeRefusal | null {
  switch (step) {
    case "ACCEPT":
      return dispute.state === "APPLIED" ? null : "dispute.wrongState";
    case "RECORD_PARTICIPANTS":
      return dispute.state === "COORDINATING" ? null : "dispute.wrongState";
    case "EXTEND":
      if (dispute.state !== "COORDINATING") return "dispute.wrongState";
      // 第五十二条 speaks of one extension of at most 15 days.
      if (dispute.extensionDays > 0) return "dispute.alreadyExtended";
      if (isOverdue(dispute, now)) return "dispute.pastDue";
      return null;
    case "CONCLUDE":
      if (dispute.state !== "COORDINATING") return "dispute.wrongState";
      // 第五十条: coordination is tripartite; the 协调处理协议书 is signed by those who coordinated (第五十四条).
      return isTripartite(dispute.participants) ? null : "dispute.tripartiteIncomplete";
    case "WITHDRAW":
      return dispute.state === "APPLIED" || dispute.state === "COORDINATING" ? null : "dispute.wrongState";
  }
}

/** The steps open now, for the page. */
export function openSteps(dispute: DisputeSnapshot, now: Date): DisputeStep[] {
  return DISPUTE_STEPS.filter((step) => stepProblem(dispute, step, now) === null);
}

/** One step of a BARGAINING dispute: the change to apply, or the refusal. */
export function disputeTransition(dispute: DisputeSnapshot, event: DisputeEvent, now: Date): DisputeResult {
  const from = dispute.state;
  const problem = stepProblem(dispute, event.type, now);
  if (problem) return { ok: false, code: problem };
  const ok = (patch: DisputePatch): DisputeResult => ({ ok: true, from, to: patch.state ?? from, patch });
  switch (event.type) {
    case "ACCEPT":
      // 第五十三条（一）受理协调处理申请; 第五十二条: the 30 days run from acceptance.
      return ok({ state: "COORDINATING", acceptedAt: now, dueAt: coordinationDueAt(now) });
    case "RECORD_PARTICIPANTS": {
      if (!isTripartite(event.participants)) return { ok: false, code: "dispute.tripartiteIncomplete" };
      return ok({ participants: event.participants });
    }
    case "EXTEND": {
      // 延长期限不得超过15日: 15 itself is allowed (超过 excludes the number, 《民法典》第一千二百五十九条).
      if (!Number.isInteger(event.days) || event.days < 1 || event.days > PROCEDURE_RULES.coordinationExtensionDays.value) return { ok: false, code: "dispute.extensionRange" };
      return ok({ extensionDays: event.days, extensionReason: event.reason, dueAt: extendedDueAt(dispute.dueAt!, event.days) });
    }
    case "CONCLUDE":
      // 第五十三条（五）制作《协调处理协议书》; 第五十四条: what it records.
      return ok({ state: "CONCLUDED", concludedAt: now, settlementText: event.settlementText });
    case "WITHDRAW":
      return ok({ state: "WITHDRAWN", withdrawnAt: now });
  }
}

// ─── Opening a dispute ───────────────────────────────────────────────────────────────────────

/**
 * A new dispute: a bargaining dispute is an application waiting for the bureau (APPLIED); a
 * refusal, a missing answer and a performance dispute are recorded as referred (REFERRED).
 */
export function openDispute(kind: DisputeKind, now: Date): { state: DisputeState; appliedAt: Date } {
  return { state: kind === "BARGAINING" ? "APPLIED" : "REFERRED", appliedAt: now };
}

/**
 * Whether the worker side can refer the other side's answer now, and as which kind: a refusal
 * (DECLINED), or no answer within 20 days (PROPOSED past its answer's due moment, 第三十二条).
 * Only a proposal of the worker side (第五十六条: the union's or the workers' request); the
 * projection's `referRefusal` row says who.
 */
export function refusalReferable(session: { state: SessionState; proposerSide: Side; proposedAt: Date }, now: Date): { ok: true; kind: "REFUSAL" | "NO_ANSWER" } | { ok: false; code: ErrorCode } {
  if (session.proposerSide !== "WORKER") return { ok: false, code: "forbidden" };
  if (session.state === "DECLINED") return { ok: true, kind: "REFUSAL" };
  if (session.state === "PROPOSED") return now >= answerDueAt(session.proposedAt) ? { ok: true, kind: "NO_ANSWER" } : { ok: false, code: "dispute.answerNotDue" };
  return { ok: false, code: "dispute.wrongSessionState" };
}

/** Open disputes: the ones the bureau or the applicant can still act on. */
export const isOpen = (dispute: Pick<DisputeSnapshot, "state">) => dispute.state === "APPLIED" || dispute.state === "COORDINATING";

/** "YYYY-MM-DD HH:mm" in China Standard Time: a language-neutral date for notifications and mail. */
export function chinaDateTimeText(date: Date): string {
  return new Date(date.getTime() + 8 * 60 * 60 * 1000).toISOString().slice(0, 16).replace("T", " ");
}
