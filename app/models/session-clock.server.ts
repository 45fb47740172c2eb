/**
 * The procedure's clock on one session: the transitions time alone causes (review lapsing, taking
 * effect, expiring, a suspension ending on its agreed date) written with their audit events,
 * and publication of the notice when the agreement takes effect; and `requireVisibleSession`, through which every read of a session applies it first.
 */
import "~/infra/crypto.server.ts";
import { getDb } from "~/infra/db.server.ts";
import type { Actor } from "~/auth/actor.server.ts";
import { auditEvent } from "~/domain/audit.ts";
import { DomainError } from "~/domain/errors.ts";
import { advanceByClock } from "~/domain/procedure.ts";
import { replacedState } from "~/domain/amendment.ts";
import { versionInForceOn } from "~/domain/notice.ts";
import { publishAgreementNotice } from "~/models/notice.server.ts";
import { appendAudit, chiefsOf, lockSession, negotiatorsOf, notify, patchData, requireSessionAction, rolesIn, sessionInclude, snapshotOf, type LoadedSession, type Tx } from "~/models/session-core.server.ts";

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
    // In force: published to everyone it covers (第四十八条). It takes effect when review ends
    // without objection (第四十七条) or on the later date the parties agreed; no period is added.
    if (step.event.type === "TOOK_EFFECT") {
      // The version in force until now, if this amends or ends it, is replaced (第三十九条至第四十一条).
      await closeReplacedSession(tx, session, step.at);
      await publishAgreementNotice(tx, sessionId, step.at);
    }
  }
  if (steps.some((step) => step.to === "IN_FORCE")) {
    await notify(tx, [...(await negotiatorsOf(tx, session, ["WORKER", "EMPLOYER"])), ...chiefsOf(session)], sessionId, "session.inForce", {});
  }
}


/**
 * When an amendment or a termination takes effect, the session whose version of the series was in
 * force until then is AMENDED or TERMINATED, with the event in its own chain (the law's effect does
 * not wait for our publication).
 */
async function closeReplacedSession(tx: Tx, session: LoadedSession, at: Date) {
  const target = replacedState(session.purpose);
  if (!target || !session.continuesNoticeId) return;
  const versions = await tx.noticeVersion.findMany({ where: { noticeId: session.continuesNoticeId }, select: { version: true, effectiveFrom: true, effectiveUntil: true, sessionId: true } });
  const replaced = versionInForceOn(versions, new Date(at.getTime() - 1));
  if (!replaced || replaced.sessionId === session.id) return;
  const other = await lockSession(tx, replaced.sessionId);
  if (!["IN_FORCE", "RENEWAL_REQUESTED"].includes(other.state)) return;
  await tx.bargainingSession.update({ where: { id: other.id }, data: { state: target } });
  await appendAudit(tx, other.id, auditEvent("session.clock", { event: target === "AMENDED" ? "AMENDED_BY" : "TERMINATED_BY", from: other.state, to: target, by: session.id }), null, { ip: null, userAgent: null }, at);
  await notify(tx, [...(await negotiatorsOf(tx, other, ["WORKER", "EMPLOYER"])), ...chiefsOf(other)], other.id, "session.stateChanged", { to: target });
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
