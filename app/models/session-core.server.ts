/**
 * What every bargaining-session model shares, at the bottom of the models' layers: the loaded
 * session and its procedure snapshot, the subject the capability projection decides on
 * (`subjectOf`, `requireSessionAction`), the session lock, the audit chain's append, notifications
 * and who to send them to. Imports nothing from the other session models.
 */
import "~/infra/crypto.server.ts";
import { Prisma } from "~/infra/db.server.ts";
import type { Actor } from "~/auth/actor.server.ts";
import { eventHash, GENESIS_HASH, type AuditDraft } from "~/domain/audit.ts";
import { DomainError } from "~/domain/errors.ts";
import { type SessionSnapshot, type Side } from "~/domain/procedure.ts";
import { sessionRolesOf, type SessionRoles } from "~/domain/session-access.ts";
import { decide, requireAllowed, type SessionAction, type SessionSubject } from "~/domain/capabilities.ts";
import { newId } from "~/infra/ids.server.ts";
import { writeOutbox } from "~/models/outbox.server.ts";
import { storedAgreements, storedSuspension, toStoredJson } from "~/models/stored-json.server.ts";

export type Tx = Prisma.TransactionClient;

/** Who did it, from where: written into every audit event. */
/** Who sent a change and from where; `loginSessionId` scopes a re-entered password's counter. */
export type RequestContext = { ip: string | null; userAgent: string | null; now?: Date; loginSessionId?: string | null };


export const sessionInclude = {
  parties: { select: { id: true, organizationId: true, role: true, covered: true, isProposer: true, consent: true } },
  // Seats in office: not ended, and confirmed (a recorder nominated by one side is not in office
  // until the other side confirms, 《集体合同规定》第三十三条（五）).
  seats: { where: { endedAt: null, confirmedAt: { not: null } }, select: { id: true, userId: true, side: true, kind: true, isChief: true } },
} satisfies Prisma.BargainingSessionInclude;

export type LoadedSession = Prisma.BargainingSessionGetPayload<{ include: typeof sessionInclude }>;

export function snapshotOf(session: LoadedSession): SessionSnapshot {
  return {
    state: session.state,
    purpose: session.purpose,
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
    agreements: storedAgreements(session.agreements),
    suspension: storedSuspension(session.suspension ?? null),
    signatures: session.signatures,
    delegation: session.seats.filter((seat) => seat.kind === "REPRESENTATIVE" && seat.side).map((seat) => ({ side: seat.side as Side, isChief: seat.isChief })),
    hasRecorder: session.seats.some((seat) => seat.kind === "RECORDER"),
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
  await tx.auditEvent.create({ data: { id: newId(), ...event, payload: toStoredJson(event.payload), hash: eventHash(event) } });
}

/** Tells these users, through the outbox (in-app at once, e-mail by a job), in the change's transaction. */
export async function notify(tx: Tx, userIds: Iterable<string>, sessionId: string, type: string, payload: Record<string, unknown>, exceptUserId?: string) {
  const unique = [...new Set(userIds)].filter((id) => id !== exceptUserId);
  await writeOutbox(tx, { userIds: unique, sessionId, kind: type, payload });
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


export function patchData(patch: Partial<SessionSnapshot>): Prisma.BargainingSessionUpdateInput {
  const { agreements, suspension, ...rest } = patch;
  return {
    ...rest,
    ...(agreements !== undefined ? { agreements: toStoredJson(agreements) } : {}),
    ...(suspension !== undefined ? { suspension: suspension === null ? Prisma.DbNull : toStoredJson(suspension) } : {}),
  };
}
