/**
 * Bargaining sessions: proposing, the procedure's transitions, delegations (seats), rounds and
 * minutes, caucus notes, the audit trail and notifications. Every function takes the actor;
 * what the actor may see or do is decided by the one projection (app/domain/capabilities.ts) from
 * the subject `subjectOf` loads here (procedure snapshot and the roles derived in
 * app/domain/session-access.ts). A user who cannot view a session gets "not found" for everything
 * about it. Every change writes its audit event in the same transaction.
 */
import { z } from "zod";
import { invalidatePublicPages } from "~/page-cache.server.ts";
import "~/crypto.server.ts";
import { getDb, type Prisma } from "~/db.server.ts";
import { effectiveDay, ruleContextFor } from "~/domain/minimum-wage.ts";
import type { Actor } from "~/authz.server.ts";
import { auditEvent, eventHash, GENESIS_HASH, type AuditDraft } from "~/domain/audit.ts";
import { auditChainVerdict } from "~/models/audit-chain.server.ts";
import { DomainError } from "~/domain/errors.ts";
import { sha256Hex } from "~/domain/hash.ts";
import { PROCEDURE_RULES } from "~/domain/procedure-rules.ts";
import {
  addDays,
  advanceByClock,
  answerDueAt,
  AGREEMENT_KINDS,
  deadlinesOf,
  delegationProblems,
  otherSide,
  vacancyRefillDueAt,
  type SessionSnapshot,
  type SessionState,
  type Side,
} from "~/domain/procedure.ts";
import { sessionRolesOf, speakingSide, type SessionRoles } from "~/domain/session-access.ts";
import type { Industry, Topic } from "~/domain/session-topics.ts";
import { announceAccessChange } from "~/events.server.ts";
import { allowedActions, decide, decideOrganization, procedureStep, requireAllowed, type ProcedureAction, type SessionAction, type SessionSubject } from "~/domain/capabilities.ts";
import { newId } from "~/ids.server.ts";

export type Tx = Prisma.TransactionClient;

/** Who did it, from where: written into every audit event. */
export type RequestContext = { ip: string | null; userAgent: string | null; now?: Date };

const AgreementsSchema = z.object(Object.fromEntries(AGREEMENT_KINDS.map((kind) => [kind, z.array(z.enum(["WORKER", "EMPLOYER"])).optional()]))).catch({});

export const sessionInclude = {
  parties: { select: { organizationId: true, role: true, covered: true, isProposer: true } },
  // Seats in office: not ended, and confirmed (a recorder nominated by one side is not in office
  // until the other side confirms, 《集体合同规定》第三十三条（五）).
  seats: { where: { endedAt: null, confirmedAt: { not: null } }, select: { id: true, userId: true, side: true, kind: true, isChief: true } },
} satisfies Prisma.BargainingSessionInclude;

export type LoadedSession = Prisma.BargainingSessionGetPayload<{ include: typeof sessionInclude }>;

export function snapshotOf(session: LoadedSession): SessionSnapshot {
  return {
    state: session.state,
    proposerSide: session.proposerSide,
    proposedAt: session.proposedAt,
    answeredAt: session.answeredAt,
    representativesPerSide: session.representativesPerSide,
    termMonths: session.termMonths,
    plannedEffectiveFrom: session.plannedEffectiveFrom,
    signedAt: session.signedAt,
    filedAt: session.filedAt,
    effectiveFrom: session.effectiveFrom,
    effectiveUntil: session.effectiveUntil,
    agreements: AgreementsSchema.parse(session.agreements) as SessionSnapshot["agreements"],
    signatures: session.signatures,
    delegation: session.seats.filter((seat) => seat.kind === "REPRESENTATIVE" && seat.side).map((seat) => ({ side: seat.side as Side, isChief: seat.isChief })),
    hasRecorder: session.seats.some((seat) => seat.kind === "RECORDER"),
    noticePeriodDays: PROCEDURE_RULES.noticePeriodDays.value,
  };
}

export function rolesIn(actor: Actor | null, session: LoadedSession): SessionRoles {
  return sessionRolesOf(actor, session.parties, session.seats);
}

/**
 * What the capability projection needs to decide for this actor on this session: the one helper
 * that loads it (app/domain/capabilities.ts decides).
 */
export function subjectOf(actor: Actor | null, session: LoadedSession, facts: Omit<SessionSubject, "snapshot" | "roles"> = {}): SessionSubject {
  return { snapshot: snapshotOf(session), roles: rolesIn(actor, session), ...facts };
}

/** The verdict for one action on a loaded session; throws its reason unless allowed. */
export function requireSessionAction(actor: Actor, session: LoadedSession, action: SessionAction, now: Date, target?: Side, facts?: Omit<SessionSubject, "snapshot" | "roles">): SessionSubject {
  const subject = subjectOf(actor, session, facts);
  requireAllowed(decide(subject, action, now, target));
  return subject;
}

/** Locks the session row for the rest of the transaction: one writer per session at a time. */
export async function lockSession(tx: Tx, sessionId: string): Promise<LoadedSession> {
  const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM "BargainingSession" WHERE id = ${sessionId} FOR UPDATE`;
  if (locked.length === 0) throw new DomainError("notFound");
  return tx.bargainingSession.findUniqueOrThrow({ where: { id: sessionId }, include: sessionInclude });
}

/** Appends to the session's hash chain (the caller holds the session lock). */
export async function appendAudit(tx: Tx, sessionId: string, draft: AuditDraft, actorId: string | null, ctx: RequestContext, at: Date) {
  const last = await tx.auditEvent.findFirst({ where: { sessionId }, orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  const event = {
    sessionId,
    seq: (last?.seq ?? 0) + 1,
    type: draft.type,
    payload: draft.payload,
    actorId,
    at,
    ip: ctx.ip,
    userAgent: ctx.userAgent?.slice(0, 500) ?? null,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  await tx.auditEvent.create({ data: { id: newId(), ...event, payload: event.payload as Prisma.InputJsonValue, hash: eventHash(event) } });
}

export async function notify(tx: Tx, userIds: Iterable<string>, sessionId: string, type: string, payload: Record<string, unknown>, exceptUserId?: string) {
  const unique = [...new Set(userIds)].filter((id) => id !== exceptUserId);
  if (unique.length === 0) return;
  await tx.notification.createMany({ data: unique.map((userId) => ({ id: newId(), userId, sessionId, type, payload: payload as Prisma.InputJsonValue })) });
}

/** Negotiators and admins of the session's party organizations on the given sides. */
export async function negotiatorsOf(tx: Tx, session: LoadedSession, roles: Array<"WORKER" | "EMPLOYER" | "OBSERVER">): Promise<string[]> {
  const organizationIds = session.parties.filter((party) => roles.includes(party.role)).map((party) => party.organizationId);
  // Observers (labour bureaus) have no negotiators: all their members review.
  const observersOnly = roles.length === 1 && roles[0] === "OBSERVER";
  const members = await tx.membership.findMany({
    where: { organizationId: { in: organizationIds }, role: { in: observersOnly ? ["ADMIN", "NEGOTIATOR", "MEMBER"] : ["ADMIN", "NEGOTIATOR"] } },
    select: { userId: true },
  });
  return members.map((member) => member.userId);
}

export function chiefsOf(session: LoadedSession): string[] {
  return session.seats.filter((seat) => seat.isChief).map((seat) => seat.userId);
}

/**
 * Applies the clock: time-driven transitions (review lapsing, taking effect, expiring) are written
 * with their audit events, whether or not anyone is looking (the sweep in server.ts calls this
 * for every session in a time-driven state; reads call it too).
 */
async function applyClock(tx: Tx, sessionId: string, now: Date): Promise<void> {
  const session = await lockSession(tx, sessionId);
  const steps = advanceByClock(snapshotOf(session), now);
  for (const step of steps) {
    await tx.bargainingSession.update({ where: { id: sessionId }, data: patchData(step.patch) });
    await appendAudit(tx, sessionId, auditEvent("session.clock", { event: step.event.type, from: step.from, to: step.to }), null, { ip: null, userAgent: null }, step.at);
    // Review over without objection: the agreement is published at once, its notice period runs.
    if (step.to === "APPROVED") {
      const { publishAgreementNotice } = await import("~/models/notice.server.ts");
      await publishAgreementNotice(tx, sessionId, step.at);
    }
  }
  if (steps.some((step) => step.to === "IN_FORCE")) {
    await notify(tx, [...(await negotiatorsOf(tx, session, ["WORKER", "EMPLOYER"])), ...chiefsOf(session)], sessionId, "session.inForce", {});
  }
}

const CLOCK_STATES: SessionState[] = ["FILED", "APPROVED", "IN_FORCE", "RENEWAL_REQUESTED"];

/** Recipients are reminded this many days before the answer to a proposal is due. */
const ANSWER_REMINDER_DAYS = 3;

export async function runClockSweep(now = new Date()): Promise<number> {
  const db = getDb();
  const candidates = await db.bargainingSession.findMany({ where: { state: { in: CLOCK_STATES } }, include: sessionInclude });
  // Lock only the sessions that something is due for (applyClock re-checks under the lock).
  const due = candidates.filter((session) => advanceByClock(snapshotOf(session), now).length > 0);
  for (const { id } of due) await db.$transaction((tx) => applyClock(tx, id, now));
  // The clock may have published a notice: cached public pages are stale (app/page-cache.server.ts).
  if (due.length) invalidatePublicPages();
  // Answers coming due: one reminder per session to the recipients' negotiators.
  const reminderFrom = addDays(now, -(PROCEDURE_RULES.answerWithinDays.value - ANSWER_REMINDER_DAYS));
  const awaiting = await db.bargainingSession.findMany({
    where: { state: "PROPOSED", proposedAt: { lte: reminderFrom }, notifications: { none: { type: "session.answerDue" } } },
    include: sessionInclude,
  });
  for (const session of awaiting) {
    await db.$transaction(async (tx) => {
      // Under the session lock, so that two processes sweeping at once send one reminder.
      await lockSession(tx, session.id);
      if (await tx.notification.findFirst({ where: { sessionId: session.id, type: "session.answerDue" }, select: { id: true } })) return;
      const recipients = await negotiatorsOf(tx, session, [otherSide(session.proposerSide)]);
      await notify(tx, recipients, session.id, "session.answerDue", { dueAt: answerDueAt(session.proposedAt).toISOString(), title: session.title });
    });
  }
  // Ratification votes whose time is up are closed and counted; filing reminders go out.
  const { closeDueVotes, remindFiling } = await import("~/models/agreement.server.ts");
  await closeDueVotes(now);
  await remindFiling(now);
  return due.length;
}

export function patchData(patch: Partial<SessionSnapshot>): Prisma.BargainingSessionUpdateInput {
  const { agreements, ...rest } = patch;
  return { ...rest, ...(agreements !== undefined ? { agreements: agreements as Prisma.InputJsonValue } : {}) };
}

// ─── Proposing ──────────────────────────────────────────────────────────────────────────────

export type ProposalInput = {
  proposerOrganizationId: string;
  title: string;
  industry: Industry;
  regionCode: string;
  topics: Topic[];
  proposalText: string;
  termMonths: number;
  representativesPerSide: number;
  recipientOrganizationIds: string[];
  observerOrganizationIds: string[];
  coveredOrganizationIds: string[];
};

export async function proposeSession(options: { actor: Actor; ctx: RequestContext; input: ProposalInput }) {
  const { actor, ctx, input } = options;
  const now = ctx.now ?? new Date();
  const db = getDb();
  const proposer = await db.organization.findUnique({ where: { id: input.proposerOrganizationId }, select: { id: true, type: true } });
  if (!proposer) throw new DomainError("notFound");
  requireAllowed(decideOrganization(actor, "proposeSession", proposer), { field: "proposerOrganizationId" });
  const proposerSide: Side = proposer.type === "UNION" ? "WORKER" : "EMPLOYER";
  const recipientIds = [...new Set(input.recipientOrganizationIds)].filter((id) => id !== proposer.id);
  if (recipientIds.length === 0) throw new DomainError("session.noRecipients", { field: "recipientOrganizationIds" });
  const recipients = await db.organization.findMany({ where: { id: { in: recipientIds } }, select: { id: true, type: true } });
  const recipientSide = otherSide(proposerSide);
  const sideOf = (type: string): Side | null => (type === "UNION" ? "WORKER" : type === "BUREAU" ? null : "EMPLOYER");
  if (recipients.length !== recipientIds.length || recipients.some((org) => sideOf(org.type) !== recipientSide)) {
    throw new DomainError("session.recipientSide", { field: "recipientOrganizationIds" });
  }
  const observerIds = [...new Set(input.observerOrganizationIds)];
  const observers = await db.organization.findMany({ where: { id: { in: observerIds } }, select: { id: true, type: true } });
  if (observers.length !== observerIds.length || observers.some((org) => org.type !== "BUREAU")) {
    throw new DomainError("session.observerType", { field: "observerOrganizationIds" });
  }
  const covered = new Set(input.coveredOrganizationIds);
  const parties = [
    { organizationId: proposer.id, role: proposerSide, isProposer: true, covered: covered.has(proposer.id) && proposerSide === "EMPLOYER" },
    ...recipients.map((org) => ({ organizationId: org.id, role: recipientSide, isProposer: false, covered: covered.has(org.id) && recipientSide === "EMPLOYER" })),
    ...observers.map((org) => ({ organizationId: org.id, role: "OBSERVER" as const, isProposer: false, covered: false })),
  ];
  const id = newId();
  await db.$transaction(async (tx) => {
    await tx.bargainingSession.create({
      data: {
        id,
        title: input.title,
        industry: input.industry,
        regionCode: input.regionCode,
        topics: input.topics,
        proposalText: input.proposalText,
        proposerSide,
        proposedById: actor.userId,
        proposedAt: now,
        termMonths: input.termMonths,
        representativesPerSide: input.representativesPerSide,
        signatures: [],
        parties: { create: parties.map((party) => ({ id: newId(), ...party })) },
      },
    });
    const created = await lockSession(tx, id);
    await appendAudit(
      tx,
      id,
      auditEvent("session.proposed", {
        title: input.title,
        industry: input.industry,
        regionCode: input.regionCode,
        topics: input.topics,
        proposerSide,
        parties: parties.map(({ organizationId, role, covered: isCovered }) => ({ organizationId, role, covered: isCovered })),
      }),
      actor.userId,
      ctx,
      now,
    );
    // Only the other side answers a proposal (《集体合同规定》第三十二条); the observing bureau is
    // told it observes, not asked to answer.
    await notify(tx, await negotiatorsOf(tx, created, [recipientSide]), id, "session.proposed", { title: input.title, days: PROCEDURE_RULES.answerWithinDays.value }, actor.userId);
    await notify(tx, await negotiatorsOf(tx, created, ["OBSERVER"]), id, "session.observing", { title: input.title }, actor.userId);
  });
  return { id };
}

// ─── Reading ────────────────────────────────────────────────────────────────────────────────

/** The session if the actor may see it; "not found" otherwise (outsiders learn nothing). */
export async function requireVisibleSession(actor: Actor, sessionId: string, now: Date) {
  const db = getDb();
  let session = await db.bargainingSession.findUnique({ where: { id: sessionId }, include: sessionInclude });
  if (!session) throw new DomainError("notFound");
  // Decide visibility before anything else happens on the request's behalf.
  requireSessionAction(actor, session, "view", now);
  if (advanceByClock(snapshotOf(session), now).length > 0) {
    await db.$transaction((tx) => applyClock(tx, sessionId, now));
    session = await db.bargainingSession.findUniqueOrThrow({ where: { id: sessionId }, include: sessionInclude });
  }
  return { session, roles: rolesIn(actor, session) };
}

/** Audit events shown per page of the session page's trail (newest page first). */
export const AUDIT_PAGE_SIZE = 50;

export async function getSessionView(options: { actor: Actor; sessionId: string; now?: Date; audit?: { before?: number; full?: boolean } }) {
  const now = options.now ?? new Date();
  const { session, roles } = await requireVisibleSession(options.actor, options.sessionId, now);
  const db = getDb();
  const [detail, auditEvents] = await Promise.all([
    db.bargainingSession.findUniqueOrThrow({
      where: { id: session.id },
      select: {
        id: true, title: true, industry: true, regionCode: true, topics: true, proposalText: true, state: true, proposerSide: true,
        proposedAt: true, answeredAt: true, answerReasons: true, representativesPerSide: true, termMonths: true,
        signedAt: true, filedAt: true, effectiveFrom: true, effectiveUntil: true, signatures: true, agreements: true,
        proposedBy: { select: { displayName: true } },
        parties: {
          orderBy: [{ role: "asc" }, { createdAt: "asc" }],
          select: { organizationId: true, role: true, isProposer: true, covered: true, organization: { select: { slug: true, name: true, nameEn: true, type: true } } },
        },
        seats: {
          orderBy: [{ appointedAt: "asc" }],
          select: {
            id: true, kind: true, side: true, isChief: true, appointedAt: true, endedAt: true, endReason: true, replacesSeatId: true, nominatedBySide: true, confirmedAt: true, outsideProfessional: true,
            user: { select: { id: true, displayName: true } },
            organization: { select: { name: true, nameEn: true } },
          },
        },
        rounds: {
          orderBy: { number: "asc" },
          select: {
            id: true, number: true, scheduledAt: true, location: true, agenda: true, chairSide: true, status: true, heldAt: true,
            attendeeIds: true, minutes: true, minutesAt: true, minutesHash: true,
            signatures: { select: { side: true, signedAt: true, contentHash: true, user: { select: { displayName: true } } } },
          },
        },
      },
    }),
    // One page of the trail: the newest events, or those before `audit.before` (decision 027).
    db.auditEvent.findMany({
      where: { sessionId: session.id, ...(options.audit?.before ? { seq: { lt: options.audit.before } } : {}) },
      orderBy: { seq: "desc" },
      take: AUDIT_PAGE_SIZE,
      select: { seq: true, type: true, payload: true, at: true, actorId: true, hash: true },
    }),
  ]);
  auditEvents.reverse();
  const verdict = await auditChainVerdict(session.id, { full: options.audit?.full, now });
  const snapshot = snapshotOf(session);
  const pendingRecorder = detail.seats.find((seat) => seat.kind === "RECORDER" && !seat.endedAt && !seat.confirmedAt);
  // Every action of the page, with its verdict, from the one projection.
  const actions = allowedActions(subjectOf(options.actor, session, { pendingRecorderBy: pendingRecorder?.nominatedBySide ?? null }), now);
  const vacancies = detail.seats
    .filter((seat) => seat.endedAt && !detail.seats.some((other) => other.replacesSeatId === seat.id))
    .map((seat) => ({ seatId: seat.id, side: seat.side, vacatedAt: seat.endedAt!, refillDueAt: vacancyRefillDueAt(seat.endedAt!), overdue: now > vacancyRefillDueAt(seat.endedAt!) }));
  const actorNames = new Map(
    (await db.user.findMany({ where: { id: { in: [...new Set(auditEvents.map((e) => e.actorId).filter((id): id is string => id !== null))] } }, select: { id: true, displayName: true } })).map((user) => [user.id, user.displayName]),
  );
  return {
    session: detail,
    roles,
    deadlines: deadlinesOf(snapshot, now),
    delegationProblems: delegationProblems(snapshot),
    /** What the page offers: exactly the actions the projection allows now, and why not the others. */
    actions,
    vacancies,
    audit: {
      verdict,
      /** The seq before which the previous (older) page ends, or null on the first page. */
      earlierBefore: auditEvents.length && auditEvents[0]!.seq > 1 ? auditEvents[0]!.seq : null,
      pageSize: AUDIT_PAGE_SIZE,
      events: auditEvents.map((event) => ({ seq: event.seq, type: event.type, payload: event.payload, at: event.at, actor: event.actorId ? actorNames.get(event.actorId) ?? null : null, hash: event.hash })),
    },
    /** Seat candidates for the appoint form: only of the sides the user names representatives for. */
    candidates: actions.appointRepresentative.allowed ? (await seatCandidates(session)).filter((candidate) => actions.appointRepresentative.sides?.includes(candidate.side)) : [],
  };
}

async function seatCandidates(session: LoadedSession) {
  const members = await getDb().membership.findMany({
    where: { organizationId: { in: session.parties.filter((party) => party.role !== "OBSERVER").map((party) => party.organizationId) } },
    select: { organizationId: true, user: { select: { id: true, displayName: true, email: true } } },
  });
  const sideOf = new Map(session.parties.map((party) => [party.organizationId, party.role]));
  return members.map((member) => ({ side: sideOf.get(member.organizationId) as Side, organizationId: member.organizationId, ...member.user }));
}

/** Sessions where one of my organizations is a party or I hold a seat, with what needs me. */
export async function listMySessions(options: { actor: Actor; now?: Date }) {
  const now = options.now ?? new Date();
  const organizationIds = options.actor.memberships.map((membership) => membership.organizationId);
  const db = getDb();
  const sessions = await db.bargainingSession.findMany({
    where: { OR: [{ parties: { some: { organizationId: { in: organizationIds } } } }, { seats: { some: { userId: options.actor.userId, endedAt: null } } }] },
    orderBy: { updatedAt: "desc" },
    take: 100,
    include: { ...sessionInclude, rounds: { select: { id: true, status: true, minutesHash: true, signatures: { select: { side: true } } } } },
  });
  // Recorders nominated by one side and waiting for the other (第三十三条（五）).
  const pending = await db.seat.findMany({
    where: { sessionId: { in: sessions.map((session) => session.id) }, kind: "RECORDER", endedAt: null, confirmedAt: null },
    select: { sessionId: true, nominatedBySide: true },
  });
  return sessions.map((session) => {
    const subject = subjectOf(options.actor, session, { pendingRecorderBy: pending.find((seat) => seat.sessionId === session.id)?.nominatedBySide ?? null });
    return {
      id: session.id,
      title: session.title,
      industry: session.industry,
      regionCode: session.regionCode,
      state: session.state,
      nextDeadline: deadlinesOf(subject.snapshot, now)[0] ?? null,
      actions: pendingActions(session, subject, now),
    };
  });
}

/**
 * What the actor should do next in a session (dashboard "needs my action"): the steps the one
 * projection (app/domain/capabilities.ts) allows the actor now and that are waiting on them.
 */
function pendingActions(session: { rounds: Array<{ status: string; minutesHash: string | null; signatures: Array<{ side: Side }> }> }, subject: SessionSubject, now: Date): string[] {
  const actions: string[] = [];
  const can = allowedActions(subject, now);
  if (can.accept.allowed) actions.push("answer");
  // Seats to fill on a side the actor names (a missing seat, chief, or a vacancy, 第三十一条).
  const problems = delegationProblems(subject.snapshot);
  if (can.appointRepresentative.sides?.some((side) => problems.some((problem) => problem.startsWith(side)))) actions.push("nameRepresentatives");
  if (can.confirmRecorder.allowed) actions.push("confirmRecorder");
  if (can.startBargaining.allowed) actions.push("startBargaining");
  const mySide = subject.roles.chiefOf;
  if (can.signMinutes.allowed && session.rounds.some((round) => round.minutesHash && !round.signatures.some((signature) => signature.side === mySide))) actions.push("signMinutes");
  if (can.sign.allowed) actions.push("sign");
  if (can.file.allowed) actions.push("file");
  if (can.object.allowed) actions.push("review");
  return actions;
}

// ─── Procedure transitions ─────────────────────────────────────────────────────────────────

/** The procedure actions taken through the generic path (the session and agreement pages' buttons). */
const GENERIC_PROCEDURE_ACTIONS = ["accept", "decline", "withdraw", "startBargaining", "agreeDraft", "suspend", "resume", "file", "object", "requestRenewal"] as const satisfies readonly ProcedureAction[];
export type GenericProcedureAction = (typeof GENERIC_PROCEDURE_ACTIONS)[number];

export async function applyProcedureEvent(options: { actor: Actor; ctx: RequestContext; sessionId: string; action: GenericProcedureAction; reasons?: string }) {
  const now = options.ctx.now ?? new Date();
  await requireVisibleSession(options.actor, options.sessionId, now);
  // Opening the vote and signing go through app/models/agreement.server.ts (roll, ballots,
  // re-entered password, content hash), never through this generic path.
  if (!(GENERIC_PROCEDURE_ACTIONS as readonly string[]).includes(options.action)) throw new DomainError("procedure.notAllowed");
  // Filing goes to the session's labour bureau: a session without one cannot be filed.
  if (options.action === "file" && !(await getDb().sessionParty.findFirst({ where: { sessionId: options.sessionId, role: "OBSERVER" }, select: { id: true } }))) {
    throw new DomainError("agreement.noBureau");
  }
  const result = await getDb().$transaction(async (tx) => {
    const session = await lockSession(tx, options.sessionId);
    return applyTransitionInTx(tx, session, options.actor, options.ctx, options.action, now, options.reasons);
  });
  // The step decides whether the draft can still be edited.
  if (result.from !== result.to) announceAccessChange(options.sessionId);
  return result;
}

/**
 * One procedure action inside the caller's transaction (the session locked): the projection's
 * verdict, the update, the audit event and the notifications.
 */
export async function applyTransitionInTx(tx: Tx, session: LoadedSession, actor: Actor, ctx: RequestContext, action: ProcedureAction, now: Date, reasons?: string) {
  const subject = subjectOf(actor, session);
  const step = procedureStep(subject, action, now, reasons);
  requireAllowed(step.verdict, { params: { months: PROCEDURE_RULES.renewalWindowMonths.value, days: PROCEDURE_RULES.reviewDays.value } });
  const result = step.result;
  if (!result?.ok) throw new DomainError("procedure.wrongState");
  const { event } = step;
  const answerReasons = event.type === "ANSWER" && !event.accept ? event.reasons : undefined;
  await tx.bargainingSession.update({ where: { id: session.id }, data: { ...patchData(result.patch), ...(answerReasons ? { answerReasons } : {}) } });
  const givenReasons = event.type === "OBJECT" || (event.type === "ANSWER" && !event.accept) ? event.reasons : undefined;
  await appendAudit(
    tx,
    session.id,
    auditEvent("session.transition", {
      event: event.type === "AGREE" ? `AGREE_${event.kind}` : event.type,
      from: result.from,
      to: result.to,
      ...(givenReasons ? { reasons: givenReasons } : {}),
      ...(event.type === "AGREE" || event.type === "SIGN" ? { side: event.side } : {}),
    }),
    actor.userId,
    ctx,
    now,
  );
  if (result.from !== result.to) {
    const everyone = [...(await negotiatorsOf(tx, session, ["WORKER", "EMPLOYER"])), ...chiefsOf(session)];
    if (result.to === "FILED") everyone.push(...(await negotiatorsOf(tx, session, ["OBSERVER"])));
    await notify(tx, everyone, session.id, "session.stateChanged", { to: result.to }, actor.userId);
  }
  return result;
}

// ─── Delegations ────────────────────────────────────────────────────────────────────────────

export async function appointSeat(options: {
  actor: Actor;
  ctx: RequestContext;
  sessionId: string;
  input: { kind: "REPRESENTATIVE" | "RECORDER"; side: Side | null; email: string; isChief: boolean; outsideProfessional?: boolean; replacesSeatId?: string };
}) {
  const now = options.ctx.now ?? new Date();
  const { input } = options;
  await requireVisibleSession(options.actor, options.sessionId, now);
  const appointed = await getDb().$transaction(async (tx) => {
    const session = await lockSession(tx, options.sessionId);
    const isRecorder = input.kind === "RECORDER";
    const side = isRecorder ? null : input.side;
    // A representative sits for one side and belongs to an organization of that side
    // (《集体合同规定》第十九条至第二十一条), or is an outside professional the side's chief appoints
    // (第二十三条): a seat without a side would skip both checks below.
    if (!isRecorder && !side) throw new DomainError("seat.sideRequired", { field: "side" });
    const outsider = !isRecorder && input.outsideProfessional === true;
    const subject = requireSessionAction(options.actor, session, isRecorder ? "nominateRecorder" : outsider ? "appointOutsider" : "appointRepresentative", now, side ?? undefined);
    const user = await tx.user.findUnique({ where: { email: input.email }, select: { id: true, displayName: true } });
    if (!user) throw new DomainError("seat.unknownUser", { field: "email" });
    let organizationId: string | null = null;
    if (side) {
      const orgsOf = (role: Side) => session.parties.filter((party) => party.role === role).map((party) => party.organizationId);
      const membership = await tx.membership.findFirst({ where: { userId: user.id, organizationId: { in: orgsOf(side) } }, select: { organizationId: true } });
      if (outsider) {
        // An outside professional is from outside the side's organizations, and not of the other
        // side either: nobody represents both sides (第二十四条).
        if (membership) throw new DomainError("seat.notOutsider", { field: "email" });
        if (await tx.membership.findFirst({ where: { userId: user.id, organizationId: { in: orgsOf(otherSide(side)) } }, select: { id: true } })) throw new DomainError("seat.bothSides", { field: "email" });
      } else {
        if (!membership) throw new DomainError("seat.notPartyMember", { field: "email" });
        organizationId = membership.organizationId;
      }
    }
    if (session.seats.some((seat) => seat.userId === user.id)) throw new DomainError("seat.alreadySeated", { field: "email" });

    // The recorder is named by both sides together (第三十三条（五）): one side nominates, the other
    // confirms (confirmRecorder); one nomination at a time.
    const nominatedBySide = isRecorder ? speakingSide(subject.roles) : null;
    if (isRecorder && (await tx.seat.findFirst({ where: { sessionId: session.id, kind: "RECORDER", endedAt: null, confirmedAt: null }, select: { id: true } }))) {
      throw new DomainError("seat.recorderPending", { field: "email" });
    }
    let replaced: { id: string; isChief: boolean; userId: string } | null = null;
    if (input.replacesSeatId) {
      const target = await tx.seat.findFirst({ where: { id: input.replacesSeatId, sessionId: session.id, kind: input.kind, side }, select: { id: true, isChief: true, userId: true, endedAt: true, replacedBy: { select: { id: true } } } });
      if (!target || target.replacedBy) throw new DomainError("notFound");
      // A recorder being replaced stays in office until the other side confirms the successor.
      if (!target.endedAt && !isRecorder) {
        await tx.seat.update({ where: { id: target.id }, data: { endedAt: now, endReason: "replaced" } });
        await appendAudit(tx, session.id, auditEvent("seat.ended", { seatId: target.id, userId: target.userId, reason: "replaced" }), options.actor.userId, options.ctx, now);
      }
      replaced = target;
    }
    const current = session.seats.filter((seat) => seat.id !== replaced?.id && seat.kind === input.kind && seat.side === side);
    if (isRecorder ? current.length >= 1 : current.length >= session.representativesPerSide) throw new DomainError("seat.full");
    const isChief = !isRecorder && input.isChief;
    if (isChief && outsider) throw new DomainError("seat.outsiderChief", { field: "isChief" });
    if (isChief && current.some((seat) => seat.isChief)) throw new DomainError("seat.chiefTaken", { field: "isChief" });
    if (outsider) {
      // 第二十三条: outside professionals are at most one third of the side's representatives
      // (不得超过, so exactly one third is allowed).
      const outsiders = await tx.seat.count({ where: { sessionId: session.id, side, endedAt: null, outsideProfessional: true, ...(replaced ? { id: { not: replaced.id } } : {}) } });
      if ((outsiders + 1) * 3 > session.representativesPerSide) {
        throw new DomainError("seat.outsiderLimit", { field: "email", params: { limit: Math.floor(session.representativesPerSide / 3) } });
      }
    }

    const seatId = newId();
    await tx.seat.create({
      data: {
        id: seatId, sessionId: session.id, kind: input.kind, side, userId: user.id, organizationId, isChief, appointedAt: now, appointedById: options.actor.userId, replacesSeatId: replaced?.id ?? null,
        nominatedBySide, outsideProfessional: outsider,
        ...(isRecorder ? {} : { confirmedAt: now, confirmedById: options.actor.userId }),
      },
    });
    await appendAudit(
      tx,
      session.id,
      auditEvent("seat.appointed", { seatId, kind: input.kind, side, userId: user.id, isChief, replacesSeatId: replaced?.id ?? null, ...(outsider ? { outsideProfessional: true } : {}) }),
      options.actor.userId,
      options.ctx,
      now,
    );
    if (isRecorder && nominatedBySide) {
      // The other side's negotiators are asked to confirm; the nominee hears once confirmed.
      await notify(tx, await negotiatorsOf(tx, session, [otherSide(nominatedBySide)]), session.id, "seat.recorderNominated", { name: user.displayName }, options.actor.userId);
    } else {
      await notify(tx, [user.id], session.id, "seat.appointed", { kind: input.kind, side, isChief }, options.actor.userId);
    }
    return { seatId };
  });
  announceAccessChange(options.sessionId);
  return appointed;
}

/**
 * Confirms a recorder the other side nominated (《集体合同规定》第三十三条（五）: both sides name the
 * recorder together). Only a negotiator of the side that did not nominate may confirm; the
 * recorder being replaced, if any, leaves office now.
 */
export async function confirmRecorder(options: { actor: Actor; ctx: RequestContext; sessionId: string; seatId: string }) {
  const now = options.ctx.now ?? new Date();
  await requireVisibleSession(options.actor, options.sessionId, now);
  await getDb().$transaction(async (tx) => {
    const session = await lockSession(tx, options.sessionId);
    const seat = await tx.seat.findFirst({
      where: { id: options.seatId, sessionId: session.id, kind: "RECORDER", endedAt: null, confirmedAt: null },
      select: { id: true, userId: true, nominatedBySide: true, replacesSeatId: true },
    });
    if (!seat || !seat.nominatedBySide) throw new DomainError("notFound");
    requireSessionAction(options.actor, session, "confirmRecorder", now, undefined, { pendingRecorderBy: seat.nominatedBySide });
    if (seat.replacesSeatId) {
      const replaced = await tx.seat.findFirst({ where: { id: seat.replacesSeatId, endedAt: null }, select: { id: true, userId: true } });
      if (replaced) {
        await tx.seat.update({ where: { id: replaced.id }, data: { endedAt: now, endReason: "replaced" } });
        await appendAudit(tx, session.id, auditEvent("seat.ended", { seatId: replaced.id, userId: replaced.userId, reason: "replaced" }), options.actor.userId, options.ctx, now);
      }
    }
    await tx.seat.update({ where: { id: seat.id }, data: { confirmedAt: now, confirmedById: options.actor.userId } });
    await appendAudit(tx, session.id, auditEvent("seat.confirmed", { seatId: seat.id, userId: seat.userId }), options.actor.userId, options.ctx, now);
    await notify(tx, [seat.userId], session.id, "seat.appointed", { kind: "RECORDER", side: null, isChief: false }, options.actor.userId);
  });
  announceAccessChange(options.sessionId);
}

/** Ends a seat (resignation, withdrawal): the vacancy must be refilled within 15 days. */
export async function endSeat(options: { actor: Actor; ctx: RequestContext; sessionId: string; seatId: string; reason: string }) {
  const now = options.ctx.now ?? new Date();
  await requireVisibleSession(options.actor, options.sessionId, now);
  await getDb().$transaction(async (tx) => {
    const session = await lockSession(tx, options.sessionId);
    const seat = await tx.seat.findFirst({ where: { id: options.seatId, sessionId: session.id, endedAt: null }, select: { id: true, side: true, userId: true } });
    if (!seat) throw new DomainError("notFound");
    requireSessionAction(options.actor, session, seat.side ? "endSeat" : "endRecorder", now, seat.side ?? undefined);
    await tx.seat.update({ where: { id: seat.id }, data: { endedAt: now, endReason: options.reason } });
    await appendAudit(tx, session.id, auditEvent("seat.ended", { seatId: seat.id, userId: seat.userId, reason: options.reason }), options.actor.userId, options.ctx, now);
  });
  // A representative removed mid-session loses the document at once.
  announceAccessChange(options.sessionId);
}

// ─── Rounds and minutes ─────────────────────────────────────────────────────────────────────

export async function scheduleRound(options: { actor: Actor; ctx: RequestContext; sessionId: string; input: { scheduledAt: Date; location: string; agenda: string } }) {
  const now = options.ctx.now ?? new Date();
  await requireVisibleSession(options.actor, options.sessionId, now);
  const scheduled = await getDb().$transaction(async (tx) => {
    const session = await lockSession(tx, options.sessionId);
    requireSessionAction(options.actor, session, "scheduleRound", now);
    const count = await tx.round.count({ where: { sessionId: session.id } });
    const number = count + 1;
    // Chiefs chair in turn, the proposing side first.
    const chairSide = number % 2 === 1 ? session.proposerSide : otherSide(session.proposerSide);
    const id = newId();
    await tx.round.create({ data: { id, sessionId: session.id, number, chairSide, attendeeIds: [], ...options.input } });
    await appendAudit(
      tx,
      session.id,
      auditEvent("round.scheduled", { roundId: id, number, scheduledAt: options.input.scheduledAt.toISOString(), location: options.input.location, chairSide }),
      options.actor.userId,
      options.ctx,
      now,
    );
    await notify(tx, session.seats.map((seat) => seat.userId), session.id, "round.scheduled", { number, scheduledAt: options.input.scheduledAt.toISOString() }, options.actor.userId);
    return { id, number };
  });
  // Every round starts from a recorded version of the draft.
  const { versionForRound } = await import("~/models/draft-version.server.ts");
  await versionForRound(options.sessionId, scheduled.number);
  return scheduled;
}

/** The recorder records who attended and writes the minutes; both chiefs then sign that text. */
export async function recordRound(options: { actor: Actor; ctx: RequestContext; sessionId: string; roundId: string; input: { attendeeIds: string[]; minutes: string } }) {
  const now = options.ctx.now ?? new Date();
  await requireVisibleSession(options.actor, options.sessionId, now);
  await getDb().$transaction(async (tx) => {
    const session = await lockSession(tx, options.sessionId);
    requireSessionAction(options.actor, session, "recordRound", now);
    const round = await tx.round.findFirst({ where: { id: options.roundId, sessionId: session.id }, select: { id: true, number: true, status: true, _count: { select: { signatures: true } } } });
    if (!round) throw new DomainError("notFound");
    if (round.status === "CANCELLED") throw new DomainError("round.wrongState");
    if (round._count.signatures > 0) throw new DomainError("round.minutesSigned");
    const seated = new Set(session.seats.map((seat) => seat.userId));
    if (options.input.attendeeIds.some((id) => !seated.has(id))) throw new DomainError("round.attendeeUnknown", { field: "attendeeIds" });
    const minutesHash = sha256Hex(options.input.minutes);
    await tx.round.update({
      where: { id: round.id },
      data: { status: "HELD", heldAt: now, attendeeIds: options.input.attendeeIds, minutes: options.input.minutes, minutesAt: now, minutesById: options.actor.userId, minutesHash },
    });
    await appendAudit(tx, session.id, auditEvent("round.held", { roundId: round.id, number: round.number, attendeeIds: options.input.attendeeIds }), options.actor.userId, options.ctx, now);
    await appendAudit(tx, session.id, auditEvent("minutes.written", { roundId: round.id, number: round.number, minutesHash }), options.actor.userId, options.ctx, now);
    await notify(tx, chiefsOf(session), session.id, "minutes.toSign", { number: round.number }, options.actor.userId);
  });
}

export async function signMinutes(options: { actor: Actor; ctx: RequestContext; sessionId: string; roundId: string; minutesHash: string }) {
  const now = options.ctx.now ?? new Date();
  await requireVisibleSession(options.actor, options.sessionId, now);
  await getDb().$transaction(async (tx) => {
    const session = await lockSession(tx, options.sessionId);
    const side = requireSessionAction(options.actor, session, "signMinutes", now).roles.chiefOf!;
    const round = await tx.round.findFirst({ where: { id: options.roundId, sessionId: session.id }, select: { id: true, number: true, minutesHash: true, signatures: { select: { side: true } } } });
    if (!round) throw new DomainError("notFound");
    if (!round.minutesHash) throw new DomainError("round.noMinutes");
    // The chief signs exactly the text they saw: if the minutes changed meanwhile, refuse.
    if (round.minutesHash !== options.minutesHash) throw new DomainError("round.minutesSigned");
    if (round.signatures.some((signature) => signature.side === side)) throw new DomainError("procedure.alreadyDone");
    await tx.minutesSignature.create({ data: { id: newId(), roundId: round.id, side, userId: options.actor.userId, signedAt: now, contentHash: round.minutesHash } });
    await appendAudit(tx, session.id, auditEvent("minutes.signed", { roundId: round.id, number: round.number, side, minutesHash: round.minutesHash }), options.actor.userId, options.ctx, now);
  });
}

// ─── Caucus ─────────────────────────────────────────────────────────────────────────────────

export async function listCaucusNotes(options: { actor: Actor; sessionId: string; side: Side; now?: Date }) {
  const now = options.now ?? new Date();
  const { session } = await requireVisibleSession(options.actor, options.sessionId, now);
  requireSessionAction(options.actor, session, "readCaucus", now, options.side);
  return {
    title: session.title,
    notes: await getDb().caucusNote.findMany({
      where: { sessionId: session.id, side: options.side },
      orderBy: { createdAt: "desc" },
      take: 200,
      select: { id: true, body: true, createdAt: true, author: { select: { displayName: true } } },
    }),
  };
}

export async function addCaucusNote(options: { actor: Actor; sessionId: string; side: Side; body: string; now?: Date }) {
  const now = options.now ?? new Date();
  const { session } = await requireVisibleSession(options.actor, options.sessionId, now);
  requireSessionAction(options.actor, session, "writeCaucus", now, options.side);
  await getDb().caucusNote.create({ data: { id: newId(), sessionId: session.id, side: options.side, authorId: options.actor.userId, body: options.body } });
}

// ─── Notifications ──────────────────────────────────────────────────────────────────────────

export async function listNotifications(options: { actor: Actor }) {
  return getDb().notification.findMany({
    where: { userId: options.actor.userId },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { id: true, type: true, payload: true, createdAt: true, readAt: true, session: { select: { id: true, title: true } } },
  });
}

export async function countUnreadNotifications(userId: string): Promise<number> {
  return getDb().notification.count({ where: { userId, readAt: null } });
}

export async function markNotificationsRead(options: { actor: Actor; now?: Date }) {
  await getDb().notification.updateMany({ where: { userId: options.actor.userId, readAt: null }, data: { readAt: options.now ?? new Date() } });
}

/** Organizations that may be invited into a session (directory, by type). */
/** Whether the actor may send a written proposal for any of their organizations (the dashboard's button). */
export async function canProposeSessions(options: { actor: Actor }): Promise<boolean> {
  const ids = options.actor.memberships.map((membership) => membership.organizationId);
  if (ids.length === 0) return false;
  const organizations = await getDb().organization.findMany({ where: { id: { in: ids } }, select: { id: true, type: true } });
  return organizations.some((org) => decideOrganization(options.actor, "proposeSession", org).allowed);
}

export async function listPartyCandidates(options: { actor: Actor }) {
  requireAllowed(decideOrganization(options.actor, "viewOrganization"));
  return getDb().organization.findMany({ orderBy: [{ type: "asc" }, { name: "asc" }], take: 500, select: { id: true, name: true, nameEn: true, type: true, regionCode: true, verified: true } });
}

// ─── Live draft access ──────────────────────────────────────────────────────────────────────

export type DraftCapabilities = { view: boolean; edit: boolean; comment: boolean; offer: boolean };

/** What a user may do with a session's draft right now; null when they may not see the session. */
export async function getDraftAccess(options: { actor: Actor; sessionId: string }): Promise<DraftCapabilities | null> {
  // Every realtime join and access re-check comes here: only the capabilities, without the rule
  // context getDraftHeader also computes for the page (measured in the realtime fan-out bench).
  const session = await getDb().bargainingSession.findUnique({ where: { id: options.sessionId }, include: sessionInclude });
  return session ? (draftCapabilitiesOf(options.actor, session)?.capabilities ?? null) : null;
}

/**
 * For the realtime server: the actor's capabilities on the draft and the side of their seat (the
 * colour and label others see on their presence), or null when they may not see the session.
 */
export async function getDraftParticipant(options: { actor: Actor; sessionId: string }): Promise<{ capabilities: DraftCapabilities; side: "WORKER" | "EMPLOYER" | null } | null> {
  const session = await getDb().bargainingSession.findUnique({ where: { id: options.sessionId }, include: sessionInclude });
  const access = session ? draftCapabilitiesOf(options.actor, session) : null;
  if (!access) return null;
  return { capabilities: access.capabilities, side: speakingSide(access.roles) };
}

/** The draft's capabilities, from the one projection (the realtime dispatcher checks against these). */
function draftCapabilitiesOf(actor: Actor, session: LoadedSession, now = new Date()): { roles: SessionRoles; capabilities: DraftCapabilities } | null {
  const subject = subjectOf(actor, session);
  const may = (action: SessionAction) => decide(subject, action, now).allowed;
  if (!may("view")) return null;
  return { roles: subject.roles, capabilities: { view: true, edit: may("editDraft"), comment: may("commentDraft"), offer: may("offerDraft") } };
}

/** The little the draft and versions pages need: title, the user's side and capabilities. */
export async function getDraftHeader(options: { actor: Actor; sessionId: string }) {
  const session = await getDb().bargainingSession.findUnique({ where: { id: options.sessionId }, include: sessionInclude });
  if (!session) return null;
  const access = draftCapabilitiesOf(options.actor, session);
  if (!access) return null;
  const { roles, capabilities } = access;
  return {
    title: session.title,
    side: speakingSide(roles),
    capabilities,
    // The same facts the server checks signing against (draftBreaches), so the browser shows the same results.
    ruleContext: ruleContextFor(session.regionCode, effectiveDay(session)),
  };
}

// ─── Comments and offers on the draft ───────────────────────────────────────────────────────

async function requireDraftCapability(actor: Actor, sessionId: string, capability: keyof DraftCapabilities) {
  const access = await getDraftAccess({ actor, sessionId });
  if (!access) throw new DomainError("notFound");
  if (!access[capability]) throw new DomainError("forbidden");
  const session = await getDb().bargainingSession.findUniqueOrThrow({ where: { id: sessionId }, include: sessionInclude });
  return { access, roles: rolesIn(actor, session), session };
}

const commentSelect = {
  id: true, threadId: true, side: true, body: true, anchorStart: true, anchorEnd: true, quote: true, mentions: true, resolvedAt: true, createdAt: true,
  author: { select: { displayName: true } },
} satisfies Prisma.DraftCommentSelect;

type CommentRow = Prisma.DraftCommentGetPayload<{ select: typeof commentSelect }>;
export type CommentThread = ReturnType<typeof threadOf>;

function threadOf(root: CommentRow, replies: CommentRow[]) {
  const plain = (row: CommentRow) => ({ id: row.id, side: row.side, body: row.body, mentions: row.mentions, author: row.author.displayName, createdAt: row.createdAt.toISOString() });
  return {
    ...plain(root),
    anchorStart: root.anchorStart ? Buffer.from(root.anchorStart).toString("base64") : null,
    anchorEnd: root.anchorEnd ? Buffer.from(root.anchorEnd).toString("base64") : null,
    quote: root.quote,
    resolved: root.resolvedAt !== null,
    replies: replies.map(plain),
  };
}

export async function listCommentThreads(options: { actor: Actor; sessionId: string }) {
  await requireDraftCapability(options.actor, options.sessionId, "view");
  const rows = await getDb().draftComment.findMany({ where: { sessionId: options.sessionId }, orderBy: { createdAt: "asc" }, select: commentSelect });
  return rows.filter((row) => !row.threadId).map((root) => threadOf(root, rows.filter((row) => row.threadId === root.id)));
}

async function loadThread(sessionId: string, threadId: string) {
  const rows = await getDb().draftComment.findMany({ where: { sessionId, OR: [{ id: threadId }, { threadId }] }, orderBy: { createdAt: "asc" }, select: commentSelect });
  const root = rows.find((row) => row.id === threadId && !row.threadId);
  if (!root) throw new DomainError("notFound");
  return threadOf(root, rows.filter((row) => row.threadId === threadId));
}

export async function addComment(options: {
  actor: Actor;
  sessionId: string;
  input: { body: string; anchorStart: Uint8Array; anchorEnd: Uint8Array; quote: string; mentions: Side[] };
}) {
  const { roles } = await requireDraftCapability(options.actor, options.sessionId, "comment");
  const id = newId();
  await getDb().draftComment.create({
    data: {
      id,
      sessionId: options.sessionId,
      authorId: options.actor.userId,
      side: speakingSide(roles),
      body: options.input.body,
      anchorStart: Buffer.from(options.input.anchorStart),
      anchorEnd: Buffer.from(options.input.anchorEnd),
      quote: options.input.quote,
      mentions: options.input.mentions,
    },
  });
  return loadThread(options.sessionId, id);
}

export async function replyToComment(options: { actor: Actor; sessionId: string; threadId: string; body: string; mentions: Side[] }) {
  const { roles } = await requireDraftCapability(options.actor, options.sessionId, "comment");
  await loadThread(options.sessionId, options.threadId);
  await getDb().draftComment.create({
    data: { id: newId(), sessionId: options.sessionId, threadId: options.threadId, authorId: options.actor.userId, side: speakingSide(roles), body: options.body, mentions: options.mentions },
  });
  return loadThread(options.sessionId, options.threadId);
}

export async function resolveComment(options: { actor: Actor; sessionId: string; threadId: string; resolved: boolean; now?: Date }) {
  await requireDraftCapability(options.actor, options.sessionId, "comment");
  const result = await getDb().draftComment.updateMany({
    where: { id: options.threadId, sessionId: options.sessionId, threadId: null },
    data: options.resolved ? { resolvedAt: options.now ?? new Date(), resolvedById: options.actor.userId } : { resolvedAt: null, resolvedById: null },
  });
  if (result.count === 0) throw new DomainError("notFound");
  return loadThread(options.sessionId, options.threadId);
}

const offerSelect = { id: true, termKey: true, side: true, value: true, valueJson: true, note: true, roundNumber: true, createdAt: true, acceptedAt: true, author: { select: { displayName: true } } } satisfies Prisma.TermOfferSelect;
const plainOffer = (row: Prisma.TermOfferGetPayload<{ select: typeof offerSelect }>) => ({
  id: row.id, termKey: row.termKey, side: row.side, value: (row.value ?? row.valueJson) as number | unknown[] | Record<string, unknown>, note: row.note, roundNumber: row.roundNumber,
  createdAt: row.createdAt.toISOString(), accepted: row.acceptedAt !== null, author: row.author.displayName,
});
export type TermOfferView = ReturnType<typeof plainOffer>;

export async function listOffers(options: { actor: Actor; sessionId: string }) {
  await requireDraftCapability(options.actor, options.sessionId, "view");
  const rows = await getDb().termOffer.findMany({ where: { sessionId: options.sessionId }, orderBy: { createdAt: "asc" }, select: offerSelect });
  return rows.map(plainOffer);
}

export async function makeOffer(options: { actor: Actor; sessionId: string; input: { termKey: string; value: number | unknown[] | Record<string, unknown>; note?: string } }) {
  const { roles } = await requireDraftCapability(options.actor, options.sessionId, "offer");
  // Whoever may make an offer sits for a side or negotiates for one (the projection's offerDraft).
  const side = speakingSide(roles)!;
  const roundNumber = await getDb().round.count({ where: { sessionId: options.sessionId } });
  const row = await getDb().termOffer.create({
    data: {
      id: newId(),
      sessionId: options.sessionId,
      termKey: options.input.termKey,
      side,
      authorId: options.actor.userId,
      ...(typeof options.input.value === "number" ? { value: options.input.value } : { valueJson: options.input.value as Prisma.InputJsonValue }),
      note: options.input.note,
      roundNumber,
    },
    select: offerSelect,
  });
  return plainOffer(row);
}

/**
 * Marks an offer accepted and writes the audit trace; the caller (the realtime server) writes the
 * value into the draft in the same breath. Only an editor may accept.
 */
export async function acceptOffer(options: { actor: Actor; sessionId: string; offerId: string; previous: unknown; ctx: RequestContext }) {
  await requireDraftCapability(options.actor, options.sessionId, "edit");
  const now = options.ctx.now ?? new Date();
  return getDb().$transaction(async (tx) => {
    await lockSession(tx, options.sessionId);
    const offer = await tx.termOffer.findFirst({ where: { id: options.offerId, sessionId: options.sessionId }, select: offerSelect });
    if (!offer) throw new DomainError("notFound");
    if (offer.acceptedAt) throw new DomainError("procedure.alreadyDone");
    const updated = await tx.termOffer.update({ where: { id: offer.id }, data: { acceptedAt: now, acceptedById: options.actor.userId }, select: offerSelect });
    await appendAudit(
      tx,
      options.sessionId,
      auditEvent("offer.accepted", { offerId: offer.id, termKey: offer.termKey, value: offer.value ?? offer.valueJson, side: offer.side, previous: (options.previous ?? null) as never }),
      options.actor.userId,
      options.ctx,
      now,
    );
    return plainOffer(updated);
  });
}

/** Blocking rule-check results on the stored draft's terms (the stored state is authoritative). */
export async function draftBreaches(sessionId: string) {
  const { loadDocument } = await import("../../realtime/document-store.ts");
  const { blockingBreaches } = await import("~/domain/rule-checks.ts");
  const { termsSchema } = await import("~/domain/terms.ts");
  const session = await getDb().bargainingSession.findUniqueOrThrow({ where: { id: sessionId }, select: { regionCode: true, plannedEffectiveFrom: true, effectiveFrom: true } });
  const { doc } = await loadDocument(sessionId);
  try {
    const parsed = termsSchema.safeParse(doc.getMap("terms").toJSON());
    return parsed.success ? blockingBreaches(parsed.data, ruleContextFor(session.regionCode, effectiveDay(session))) : [];
  } finally {
    doc.destroy();
  }
}
