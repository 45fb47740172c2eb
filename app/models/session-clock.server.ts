/**
 * The procedure's clock on one session: the transitions time alone causes (review lapsing, taking
 * effect, expiring) written with their audit events, and publication of the notice when review
 * ends; and `requireVisibleSession`, through which every read of a session applies it first.
 */
import "~/infra/crypto.server.ts";
import { getDb } from "~/infra/db.server.ts";
import type { Actor } from "~/auth/actor.server.ts";
import { auditEvent } from "~/domain/audit.ts";
import { DomainError } from "~/domain/errors.ts";
import { advanceByClock } from "~/domain/procedure.ts";
import { publishAgreementNotice } from "~/models/notice.server.ts";
import { appendAudit, chiefsOf, lockSession, negotiatorsOf, notify, patchData, requireSessionAction, rolesIn, sessionInclude, snapshotOf, type Tx } from "~/models/session-core.server.ts";

/**
 * Applies the clock: time-driven transitions (review lapsing, taking effect, expiring) are written
 * with their audit events, whether or not anyone is looking (the sweep in server.ts calls this
 * for every session in a time-driven state; reads call it too).
 */
export async function applyClock(tx: Tx, sessionId: string, now: Date): Promise<void> {
  const session = await lockSession(tx, sessionId);
  const steps = advanceByClock(snapshotOf(session), now);
  for (const step of steps) {
    await tx.bargainingSession.update({ where: { id: sessionId }, data: patchData(step.patch) });
    await appendAudit(tx, sessionId, auditEvent("session.clock", { event: step.event.type, from: step.from, to: step.to }), null, { ip: null, userAgent: null }, step.at);
    // Review over without objection: the agreement is published at once, its notice period runs.
    if (step.to === "APPROVED") {
      await publishAgreementNotice(tx, sessionId, step.at);
    }
  }
  if (steps.some((step) => step.to === "IN_FORCE")) {
    await notify(tx, [...(await negotiatorsOf(tx, session, ["WORKER", "EMPLOYER"])), ...chiefsOf(session)], sessionId, "session.inForce", {});
  }
}


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
