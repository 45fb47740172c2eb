/**
 * Disputes around a bargaining session (issue 20, item 7; docs/disputes.md): a refusal of the
 * worker side's proposal or a missing answer referred to the labour bureau (第三十二条、第五十六条),
 * a dispute during bargaining coordinated by the bureau within its clock (第四十九条至第五十四条), a
 * performance dispute recorded with its arbitration reference (第五十五条). Each change is made
 * under the session lock with its audit event in the session's chain and its notifications (the
 * outbox), in one transaction; who may act is the projection's (the "Disputes" rows of
 * app/domain/capabilities.ts), what the dispute allows now is app/domain/disputes.ts's.
 */
import "~/infra/crypto.server.ts";
import { getDb } from "~/infra/db.server.ts";
import type { Actor } from "~/auth/actor.server.ts";
import { auditEvent } from "~/domain/audit.ts";
import { allowedActions, decide, type SessionAction, type Verdict } from "~/domain/capabilities.ts";
import {
  chinaDateTimeText,
  concludedLate,
  disputeTransition,
  isOpen,
  isOverdue,
  needsOverdueNotice,
  openDispute,
  openSteps,
  participantsSchema,
  refusalReferable,
  type DisputeEvent,
  type DisputeSnapshot,
  type DisputeStep,
  type Participant,
} from "~/domain/disputes.ts";
import { DomainError } from "~/domain/errors.ts";
import { PROCEDURE_RULES } from "~/domain/procedure-rules.ts";
import type { Side } from "~/domain/procedure.ts";
import { newId } from "~/infra/ids.server.ts";
import { requireVisibleSession } from "~/models/session-clock.server.ts";
import { appendAudit, chiefsOf, lockSession, negotiatorsOf, notify, requireSessionAction, subjectOf, type LoadedSession, type RequestContext, type Tx } from "~/models/session-core.server.ts";
import { toStoredJson } from "~/models/stored-json.server.ts";

type DisputeRow = NonNullable<Awaited<ReturnType<Tx["dispute"]["findFirst"]>>>;

/** The stored participants, read through their schema (an unreadable value reads as none). */
function participantsOf(value: unknown): Participant[] {
  const parsed = participantsSchema.safeParse(value);
  return parsed.success ? parsed.data : [];
}

function snapshotOfDispute(row: DisputeRow): DisputeSnapshot {
  return { kind: row.kind, state: row.state, applicantSide: row.applicantSide, acceptedAt: row.acceptedAt, dueAt: row.dueAt, extensionDays: row.extensionDays, participants: participantsOf(row.participants) };
}

/** The session's labour bureau: its (first) observing party. Refused clearly when it has none. */
async function bureauOf(tx: Tx, sessionId: string) {
  const party = await tx.sessionParty.findFirst({ where: { sessionId, role: "OBSERVER" }, orderBy: { createdAt: "asc" }, select: { organization: { select: { id: true, name: true, nameEn: true } } } });
  if (!party) throw new DomainError("dispute.noBureau");
  return party.organization;
}

const isMemberOf = (actor: Actor, organizationId: string) => actor.memberships.some((membership) => membership.organizationId === organizationId);

/** Both sides' negotiators and chiefs, and every member of the dispute's bureau. */
async function everyoneConcerned(tx: Tx, session: LoadedSession, bureauOrganizationId: string): Promise<string[]> {
  const bureau = await tx.membership.findMany({ where: { organizationId: bureauOrganizationId }, select: { userId: true } });
  return [...(await negotiatorsOf(tx, session, ["WORKER", "EMPLOYER"])), ...chiefsOf(session), ...bureau.map((member) => member.userId)];
}

const hrefOf = (sessionId: string) => `/sessions/${sessionId}/disputes`;

type Common = { actor: Actor; ctx: RequestContext; sessionId: string };

/**
 * The frame of every change: the session visible to the actor (the procedure clock applied), then
 * one transaction under the session lock.
 */
async function change<T>(options: Common, body: (tx: Tx, session: LoadedSession, now: Date) => Promise<T>): Promise<T> {
  const now = options.ctx.now ?? new Date();
  await requireVisibleSession(options.actor, options.sessionId, now);
  return getDb().$transaction(async (tx) => body(tx, await lockSession(tx, options.sessionId), now));
}

// ─── Opening a dispute ───────────────────────────────────────────────────────────────────────

/** 第四十九条: a side applies in writing to the labour bureau for coordination of a dispute during bargaining. */
export async function applyDispute(options: Common & { side: Side; statement: string }) {
  return change(options, async (tx, session, now) => {
    requireSessionAction(options.actor, session, "applyDispute", now, options.side);
    const bureau = await bureauOf(tx, session.id);
    // Platform rule: one open application per side at a time (the bureau coordinates it as one).
    const open = await tx.dispute.findFirst({ where: { sessionId: session.id, kind: "BARGAINING", applicantSide: options.side, state: { in: ["APPLIED", "COORDINATING"] } }, select: { id: true } });
    if (open) throw new DomainError("dispute.alreadyOpen");
    const id = newId();
    const opened = openDispute("BARGAINING", now);
    await tx.dispute.create({ data: { id, sessionId: session.id, kind: "BARGAINING", state: opened.state, applicantSide: options.side, appliedById: options.actor.userId, appliedAt: opened.appliedAt, statement: options.statement, bureauOrganizationId: bureau.id } });
    await appendAudit(tx, session.id, auditEvent("dispute.applied", { disputeId: id, kind: "BARGAINING", applicantSide: options.side, bureauOrganizationId: bureau.id, statement: options.statement }), options.actor.userId, options.ctx, now);
    await notify(tx, await everyoneConcerned(tx, session, bureau.id), session.id, "dispute.applied", { href: hrefOf(session.id), side: options.side }, options.actor.userId);
    return { id };
  });
}

/**
 * 第三十二条、第五十六条: the worker side records the other side's refusal of its proposal (or its
 * silence past the 20 days) and refers it to the labour bureau. One referral per session.
 */
export async function referRefusal(options: Common & { statement: string }) {
  return change(options, async (tx, session, now) => {
    requireSessionAction(options.actor, session, "referRefusal", now);
    const referable = refusalReferable(session, now);
    if (!referable.ok) throw new DomainError(referable.code);
    const bureau = await bureauOf(tx, session.id);
    if (await tx.dispute.findFirst({ where: { sessionId: session.id, kind: { in: ["REFUSAL", "NO_ANSWER"] } }, select: { id: true } })) throw new DomainError("dispute.alreadyReferred");
    const id = newId();
    const opened = openDispute(referable.kind, now);
    await tx.dispute.create({
      data: { id, sessionId: session.id, kind: referable.kind, state: opened.state, applicantSide: "WORKER", appliedById: options.actor.userId, appliedAt: opened.appliedAt, statement: options.statement, bureauOrganizationId: bureau.id, referredTo: bureau.name },
    });
    await appendAudit(tx, session.id, auditEvent("dispute.referred", { disputeId: id, kind: referable.kind, applicantSide: "WORKER", bureauOrganizationId: bureau.id, statement: options.statement, referredTo: bureau.name }), options.actor.userId, options.ctx, now);
    await notify(tx, await everyoneConcerned(tx, session, bureau.id), session.id, "dispute.referred", { href: hrefOf(session.id), kind: referable.kind, referredTo: bureau.name }, options.actor.userId);
    return { id };
  });
}

/** 第五十五条: a performance dispute taken to labour arbitration, recorded with the commission and the case number. */
export async function referPerformance(options: Common & { side: Side; statement: string; referredTo: string; referenceNumber?: string }) {
  return change(options, async (tx, session, now) => {
    requireSessionAction(options.actor, session, "referPerformance", now, options.side);
    const bureau = await bureauOf(tx, session.id);
    const id = newId();
    const opened = openDispute("PERFORMANCE", now);
    await tx.dispute.create({
      data: {
        id, sessionId: session.id, kind: "PERFORMANCE", state: opened.state, applicantSide: options.side, appliedById: options.actor.userId, appliedAt: opened.appliedAt, statement: options.statement,
        bureauOrganizationId: bureau.id, referredTo: options.referredTo, referenceNumber: options.referenceNumber ?? null,
      },
    });
    await appendAudit(
      tx,
      session.id,
      auditEvent("dispute.referred", { disputeId: id, kind: "PERFORMANCE", applicantSide: options.side, bureauOrganizationId: bureau.id, statement: options.statement, referredTo: options.referredTo, ...(options.referenceNumber ? { referenceNumber: options.referenceNumber } : {}) }),
      options.actor.userId,
      options.ctx,
      now,
    );
    await notify(tx, await everyoneConcerned(tx, session, bureau.id), session.id, "dispute.referred", { href: hrefOf(session.id), kind: "PERFORMANCE", referredTo: options.referredTo }, options.actor.userId);
    return { id };
  });
}

// ─── The bureau's coordination and the applicant's withdrawal ───────────────────────────────

const STEP_ACTION: Record<DisputeStep, SessionAction> = {
  ACCEPT: "acceptDispute",
  RECORD_PARTICIPANTS: "recordDisputeParticipants",
  EXTEND: "extendDispute",
  CONCLUDE: "concludeDispute",
  WITHDRAW: "withdrawDispute",
};

/** One step of a coordination: who (the projection, and the dispute's own bureau), then what the dispute allows, then the change. */
async function step(options: Common & { disputeId: string; event: DisputeEvent }) {
  return change(options, async (tx, session, now) => {
    const row = await tx.dispute.findFirst({ where: { id: options.disputeId, sessionId: session.id } });
    if (!row) throw new DomainError("notFound");
    const { event, actor } = options;
    // Withdrawing is about the applicant's side; the bureau's steps are its own bureau's.
    requireSessionAction(actor, session, STEP_ACTION[event.type], now, event.type === "WITHDRAW" ? row.applicantSide : undefined);
    if (event.type !== "WITHDRAW" && !isMemberOf(actor, row.bureauOrganizationId)) throw new DomainError("dispute.notYourBureau");
    const result = disputeTransition(snapshotOfDispute(row), event, now);
    if (!result.ok) throw new DomainError(result.code);
    const { participants, ...patch } = result.patch;
    await tx.dispute.update({ where: { id: row.id }, data: { ...patch, ...(participants ? { participants: toStoredJson(participants) } : {}), ...(event.type === "CONCLUDE" ? { concludedById: actor.userId } : {}), ...(event.type === "ACCEPT" ? { acceptedById: actor.userId } : {}) } });
    const audit = (() => {
      switch (event.type) {
        case "ACCEPT":
          return auditEvent("dispute.accepted", { disputeId: row.id, dueAt: patch.dueAt!.toISOString() });
        case "RECORD_PARTICIPANTS":
          return auditEvent("dispute.participantsRecorded", { disputeId: row.id, participants: event.participants });
        case "EXTEND":
          return auditEvent("dispute.extended", { disputeId: row.id, days: event.days, reason: event.reason, dueAt: patch.dueAt!.toISOString() });
        case "CONCLUDE":
          return auditEvent("dispute.concluded", { disputeId: row.id, settlementText: event.settlementText, late: concludedLate({ dueAt: row.dueAt, concludedAt: now }) });
        case "WITHDRAW":
          return auditEvent("dispute.withdrawn", { disputeId: row.id, applicantSide: row.applicantSide });
      }
    })();
    await appendAudit(tx, session.id, audit, actor.userId, options.ctx, now);
    const kind = { ACCEPT: "dispute.accepted", RECORD_PARTICIPANTS: "dispute.participantsRecorded", EXTEND: "dispute.extended", CONCLUDE: "dispute.concluded", WITHDRAW: "dispute.withdrawn" }[event.type];
    const dueAt = patch.dueAt ?? row.dueAt;
    await notify(tx, await everyoneConcerned(tx, session, row.bureauOrganizationId), session.id, kind, { href: hrefOf(session.id), side: row.applicantSide, ...(dueAt ? { dueAt: chinaDateTimeText(dueAt) } : {}), ...(event.type === "EXTEND" ? { days: event.days } : {}) }, actor.userId);
    return { id: row.id, state: result.to };
  });
}

/** 第五十三条（一）: the bureau accepts the application; the 30 days of 第五十二条 start. */
export const acceptDispute = (options: Common & { disputeId: string }) => step({ ...options, event: { type: "ACCEPT" } });
/** 第五十条: the bureau records the union and the enterprise organization (and others) coordinating with it. */
export const recordDisputeParticipants = (options: Common & { disputeId: string; participants: Participant[] }) => step({ ...options, event: { type: "RECORD_PARTICIPANTS", participants: options.participants } });
/** 第五十二条: one extension of at most 15 days, with its reason, before the period runs out. */
export const extendDispute = (options: Common & { disputeId: string; days: number; reason: string }) => step({ ...options, event: { type: "EXTEND", days: options.days, reason: options.reason } });
/** 第五十三条（五）、第五十四条: the coordination ends with the 协调处理协议书. */
export const concludeDispute = (options: Common & { disputeId: string; settlementText: string }) => step({ ...options, event: { type: "CONCLUDE", settlementText: options.settlementText } });
/** The applicant side withdraws its application before the coordination ends. */
export const withdrawDispute = (options: Common & { disputeId: string }) => step({ ...options, event: { type: "WITHDRAW" } });

// ─── The page ────────────────────────────────────────────────────────────────────────────────

/** The disputes page: the session's disputes, and what the actor may do about each, from the projection and the dispute's state machine. */
export async function getDisputesView(options: { actor: Actor; sessionId: string; now?: Date }) {
  const now = options.now ?? new Date();
  const db = getDb();
  const { session } = await requireVisibleSession(options.actor, options.sessionId, now);
  requireSessionAction(options.actor, session, "viewDisputes", now);
  const verdicts = allowedActions(subjectOf(options.actor, session), now);
  const may = (action: SessionAction, side?: Side): boolean => decide(subjectOf(options.actor, session), action, now, side).allowed;
  const [rows, bureauParty] = await Promise.all([
    db.dispute.findMany({ where: { sessionId: session.id }, orderBy: { appliedAt: "desc" }, include: { bureau: { select: { id: true, name: true, nameEn: true } } } }),
    db.sessionParty.findFirst({ where: { sessionId: session.id, role: "OBSERVER" }, orderBy: { createdAt: "asc" }, select: { organization: { select: { id: true, name: true, nameEn: true } } } }),
  ]);
  const userIds = [...new Set(rows.flatMap((row) => [row.appliedById, row.acceptedById, row.concludedById]).filter((id): id is string => id !== null))];
  const names = new Map((await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, displayName: true } })).map((user) => [user.id, user.displayName]));
  const referable = refusalReferable(session, now);
  const pick = (verdict: Verdict & { sides?: Side[] }) => ({ allowed: verdict.allowed, sides: verdict.sides ?? [] });
  return {
    session: { id: session.id, title: session.title, state: session.state, proposerSide: session.proposerSide, proposedAt: session.proposedAt },
    bureau: bureauParty?.organization ?? null,
    can: {
      apply: pick(verdicts.applyDispute),
      referPerformance: pick(verdicts.referPerformance),
      // The refusal's referral: the projection says who, the state machine when; one per session.
      referRefusal: verdicts.referRefusal.allowed && referable.ok && !rows.some((row) => row.kind === "REFUSAL" || row.kind === "NO_ANSWER"),
    },
    refusalKind: referable.ok ? referable.kind : null,
    disputes: rows.map((row) => {
      const snapshot = snapshotOfDispute(row);
      const bureauMember = isMemberOf(options.actor, row.bureauOrganizationId);
      const steps = openSteps(snapshot, now).filter((open) => (open === "WITHDRAW" ? may("withdrawDispute", row.applicantSide) : bureauMember && may(STEP_ACTION[open])));
      return {
        id: row.id,
        kind: row.kind,
        state: row.state,
        applicantSide: row.applicantSide,
        appliedAt: row.appliedAt,
        appliedBy: names.get(row.appliedById) ?? null,
        statement: row.statement,
        bureau: row.bureau,
        acceptedAt: row.acceptedAt,
        acceptedBy: row.acceptedById ? names.get(row.acceptedById) ?? null : null,
        dueAt: row.dueAt,
        extensionDays: row.extensionDays,
        extensionReason: row.extensionReason,
        participants: snapshot.participants,
        concludedAt: row.concludedAt,
        concludedBy: row.concludedById ? names.get(row.concludedById) ?? null : null,
        settlementText: row.settlementText,
        referredTo: row.referredTo,
        referenceNumber: row.referenceNumber,
        withdrawnAt: row.withdrawnAt,
        overdue: isOverdue(snapshot, now),
        late: concludedLate(row),
        open: isOpen(snapshot),
        steps,
      };
    }),
    rules: { coordinationDays: PROCEDURE_RULES.coordinationDays, coordinationExtensionDays: PROCEDURE_RULES.coordinationExtensionDays, answerWithinDays: PROCEDURE_RULES.answerWithinDays },
    now: now.toISOString(),
  };
}

// ─── The clock ───────────────────────────────────────────────────────────────────────────────

/**
 * Coordinations past their due moment and not concluded (第五十二条): one overdue notification to
 * the bureau and both sides, once (`overdueNotifiedAt`, re-checked under the session lock so that
 * two processes sweeping at once send one). Run by the clock sweep with no actor; audited without
 * one. Returns how many were notified.
 */
export async function runDisputeSweep(now: Date): Promise<number> {
  const db = getDb();
  const due = await db.dispute.findMany({ where: { state: "COORDINATING", dueAt: { lte: now }, overdueNotifiedAt: null }, select: { id: true, sessionId: true } });
  let notified = 0;
  for (const candidate of due) {
    const sent = await db.$transaction(async (tx) => {
      const session = await lockSession(tx, candidate.sessionId);
      const row = await tx.dispute.findUnique({ where: { id: candidate.id } });
      if (!row || !needsOverdueNotice(row, now)) return false;
      await tx.dispute.update({ where: { id: row.id }, data: { overdueNotifiedAt: now } });
      await appendAudit(tx, session.id, auditEvent("dispute.overdue", { disputeId: row.id, dueAt: row.dueAt!.toISOString() }), null, { ip: null, userAgent: null }, now);
      await notify(tx, await everyoneConcerned(tx, session, row.bureauOrganizationId), session.id, "dispute.overdue", { href: hrefOf(session.id), dueAt: chinaDateTimeText(row.dueAt!) });
      return true;
    });
    if (sent) notified += 1;
  }
  return notified;
}
