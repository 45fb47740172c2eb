/**
 * An organization's audit chain (app/domain/organization-audit.ts): appending under the
 * organization's row lock, and the verdict on the whole chain (an organization's chain is short:
 * it is recomputed on every read).
 */
import "~/infra/crypto.server.ts";
import type { Prisma } from "~/infra/db.server.ts";
import { getDb } from "~/infra/db.server.ts";
import { GENESIS_HASH } from "~/domain/audit.ts";
import { DomainError } from "~/domain/errors.ts";
import { organizationEventHash, verifyOrganizationChain, type OrganizationAuditDraft } from "~/domain/organization-audit.ts";
import { newId } from "~/infra/ids.server.ts";
import { toStoredJson, storedRecord } from "~/models/stored-json.server.ts";

type Tx = Prisma.TransactionClient;
export type OrganizationRequestContext = { ip: string | null; userAgent: string | null; now?: Date };

/** Locks the organization's row for the rest of the transaction: one writer of its chain at a time. */
export async function lockOrganization(tx: Tx, organizationId: string) {
  const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM "Organization" WHERE id = ${organizationId} FOR UPDATE`;
  if (locked.length === 0) throw new DomainError("notFound");
  return tx.organization.findUniqueOrThrow({ where: { id: organizationId } });
}

/** Appends to the organization's chain; the caller holds the organization's lock. */
export async function appendOrganizationAudit(tx: Tx, organizationId: string, draft: OrganizationAuditDraft, actorId: string | null, ctx: OrganizationRequestContext, at: Date) {
  const last = await tx.organizationAuditEvent.findFirst({ where: { organizationId }, orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  const event = {
    organizationId,
    seq: (last?.seq ?? 0) + 1,
    type: draft.type,
    payload: draft.payload,
    actorId,
    at,
    ip: ctx.ip,
    userAgent: ctx.userAgent?.slice(0, 500) ?? null,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  await tx.organizationAuditEvent.create({ data: { id: newId(), ...event, payload: toStoredJson(event.payload), hash: organizationEventHash(event) } });
}

/** The organization's chain, newest last, with the verdict on the whole of it. */
export async function organizationAuditTrail(organizationId: string) {
  const events = await getDb().organizationAuditEvent.findMany({
    where: { organizationId },
    orderBy: { seq: "asc" },
    select: { organizationId: true, seq: true, type: true, payload: true, actorId: true, at: true, ip: true, userAgent: true, prevHash: true, hash: true },
  });
  const verdict = verifyOrganizationChain(events);
  const names = new Map(
    (await getDb().user.findMany({ where: { id: { in: [...new Set(events.map((e) => e.actorId).filter((id): id is string => id !== null))] } }, select: { id: true, displayName: true } })).map((user) => [user.id, user.displayName]),
  );
  return {
    verdict,
    events: events.map((event) => ({ seq: event.seq, type: event.type, payload: storedRecord(event.payload), at: event.at, actor: event.actorId ? names.get(event.actorId) ?? null : null, hash: event.hash })),
  };
}
