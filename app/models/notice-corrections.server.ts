/**
 * Corrections of a published notice: a chief proposes one (with the reason), withdraws it, or the
 * other side's chief confirms it with their password and it is published as a new version. Also
 * the session's notices as its agreement page lists them.
 */
import { getDb } from "~/infra/db.server.ts";
import type { Actor } from "~/auth/actor.server.ts";
import { auditEvent } from "~/domain/audit.ts";
import { DomainError } from "~/domain/errors.ts";
import { canonicalJson } from "~/domain/hash.ts";
import { agreementContentHash, correctionEffectiveFrom, type NoticeSignature } from "~/domain/notice.ts";
import { otherSide, type Side } from "~/domain/procedure.ts";
import { newId } from "~/infra/ids.server.ts";
import { verifyPassword } from "~/auth/password.server.ts";
import { checkConfirmationAllowed, recordConfirmationFailure, recordConfirmationSuccess } from "~/auth/rate-limit.server.ts";
import { appendAudit, lockSession, notify, requireSessionAction, chiefsOf, type RequestContext } from "~/models/session-core.server.ts";
import { appendVersion } from "~/models/notice.server.ts";
import { requireVisibleSession } from "~/models/session-clock.server.ts";
import { storedParties, storedTerms, toStoredJson } from "~/models/stored-json.server.ts";


/** The notice versions a session published, with any pending correction (agreement page). */
export async function getSessionNotices(options: { actor: Actor; sessionId: string }) {
  await requireVisibleSession(options.actor, options.sessionId, new Date());
  const db = getDb();
  const versions = await db.noticeVersion.findMany({ where: { sessionId: options.sessionId }, orderBy: { publishedAt: "asc" }, select: { id: true, noticeId: true, version: true, kind: true, publishedAt: true, effectiveFrom: true, hash: true, text: true, terms: true } });
  const latestIds = new Set<string>();
  for (const version of versions) {
    const newest = await db.noticeVersion.findFirst({ where: { noticeId: version.noticeId }, orderBy: { version: "desc" }, select: { id: true } });
    if (newest?.id === version.id) latestIds.add(version.id);
  }
  const corrections = await db.noticeCorrection.findMany({ where: { sessionId: options.sessionId, confirmedAt: null, withdrawnAt: null }, orderBy: { proposedAt: "desc" } });
  return { versions: versions.map((version) => ({ ...version, terms: storedTerms(version.terms), latest: latestIds.has(version.id) })), pendingCorrections: corrections };
}

/** The stored terms of a version the session published (to carry structured terms into a correction). */
export async function getNoticeTerms(options: { actor: Actor; sessionId: string; noticeVersionId: string }): Promise<Record<string, unknown>> {
  await requireVisibleSession(options.actor, options.sessionId, new Date());
  const row = await getDb().noticeVersion.findFirst({ where: { id: options.noticeVersionId, sessionId: options.sessionId }, select: { terms: true } });
  if (!row) throw new DomainError("notFound");
  return storedTerms(row.terms ?? {});
}

/**
 * The chief's side, if the projection allows the correction action now; `about` is the side of the
 * correction it concerns (withdrawing: the side that proposed it; confirming: the other side).
 */
async function requireCorrectionAction(actor: Actor, sessionId: string, now: Date, action: "proposeCorrection" | "withdrawCorrection" | "confirmCorrection", about?: Side): Promise<Side> {
  const { session } = await requireVisibleSession(actor, sessionId, now);
  return requireSessionAction(actor, session, action, now, about).roles.chiefOf!;
}

/** The password re-entered to confirm: its own counter per login session (issue 19). */
async function requirePassword(actor: Actor, password: string, ctx: RequestContext) {
  const user = await getDb().user.findUniqueOrThrow({ where: { id: actor.userId }, select: { passwordHash: true } });
  const scope = `${actor.userId}:${ctx.loginSessionId ?? "-"}`;
  await checkConfirmationAllowed(scope);
  if (!(await verifyPassword(user.passwordHash, password))) {
    await recordConfirmationFailure(scope);
    throw new DomainError("agreement.badPassword", { field: "password" });
  }
  await recordConfirmationSuccess(scope);
}

/** A chief proposes a correction of the series' latest version (their session's). */
export async function proposeCorrection(options: { actor: Actor; ctx: RequestContext; sessionId: string; noticeVersionId: string; input: { text: string; terms: Record<string, unknown>; reason: string } }) {
  const now = options.ctx.now ?? new Date();
  const side = await requireCorrectionAction(options.actor, options.sessionId, now, "proposeCorrection");
  const db = getDb();
  const target = await db.noticeVersion.findFirst({ where: { id: options.noticeVersionId, sessionId: options.sessionId }, select: { id: true, noticeId: true, text: true, terms: true, next: { select: { id: true } } } });
  if (!target) throw new DomainError("notFound");
  if (target.next) throw new DomainError("notice.notLatest");
  if (canonicalJson({ text: target.text, terms: target.terms }) === canonicalJson({ text: options.input.text, terms: options.input.terms })) throw new DomainError("notice.correctionUnchanged");
  const id = newId();
  await db.$transaction(async (tx) => {
    const session = await lockSession(tx, options.sessionId);
    if (await tx.noticeCorrection.findFirst({ where: { noticeVersionId: target.id, confirmedAt: null, withdrawnAt: null }, select: { id: true } })) throw new DomainError("notice.correctionPending");
    const contentHash = agreementContentHash({ text: options.input.text, terms: options.input.terms });
    await tx.noticeCorrection.create({
      data: { id, noticeVersionId: target.id, sessionId: options.sessionId, text: options.input.text, terms: toStoredJson(options.input.terms), reason: options.input.reason, proposedById: options.actor.userId, proposedSide: side, proposedAt: now, contentHash },
    });
    await appendAudit(tx, options.sessionId, auditEvent("notice.correctionProposed", { correctionId: id, noticeVersionId: target.id, side, contentHash, reason: options.input.reason }), options.actor.userId, options.ctx, now);
    await notify(tx, chiefsOf(session), options.sessionId, "notice.correctionProposed", { href: `/sessions/${options.sessionId}/agreement` }, options.actor.userId);
  });
  return { id };
}

export async function withdrawCorrection(options: { actor: Actor; ctx: RequestContext; sessionId: string; correctionId: string }) {
  const now = options.ctx.now ?? new Date();
  const pending = await getDb().noticeCorrection.findFirst({ where: { id: options.correctionId, sessionId: options.sessionId, confirmedAt: null, withdrawnAt: null }, select: { proposedSide: true } });
  if (!pending) throw new DomainError("notFound");
  // Only the chief of the side that proposed it withdraws it.
  const side = await requireCorrectionAction(options.actor, options.sessionId, now, "withdrawCorrection", pending.proposedSide);
  await getDb().$transaction(async (tx) => {
    await lockSession(tx, options.sessionId);
    const updated = await tx.noticeCorrection.updateMany({ where: { id: options.correctionId, sessionId: options.sessionId, proposedSide: side, confirmedAt: null, withdrawnAt: null }, data: { withdrawnAt: now } });
    if (updated.count === 0) throw new DomainError("notFound");
    await appendAudit(tx, options.sessionId, auditEvent("notice.correctionWithdrawn", { correctionId: options.correctionId }), options.actor.userId, options.ctx, now);
  });
}

/** The other side's chief confirms with their password: the correction is published as a new version. */
export async function confirmCorrection(options: { actor: Actor; ctx: RequestContext; sessionId: string; correctionId: string; password: string }) {
  const now = options.ctx.now ?? new Date();
  const db = getDb();
  const correction = await db.noticeCorrection.findFirst({ where: { id: options.correctionId, sessionId: options.sessionId, confirmedAt: null, withdrawnAt: null } });
  if (!correction) throw new DomainError("notFound");
  // The other side's chief confirms.
  const side = await requireCorrectionAction(options.actor, options.sessionId, now, "confirmCorrection", otherSide(correction.proposedSide));
  await requirePassword(options.actor, options.password, options.ctx);
  // A correction is a publication too: every party must be verified now (issue 18). The refused
  // attempt is recorded in the session's chain.
  const unverified = await db.sessionParty.findMany({ where: { sessionId: options.sessionId, organization: { verification: { not: "VERIFIED" } } }, select: { organizationId: true } });
  if (unverified.length > 0) {
    await db.$transaction(async (tx) => {
      await lockSession(tx, options.sessionId);
      await appendAudit(tx, options.sessionId, auditEvent("notice.publicationRefused", { reason: "unverifiedParty", organizationIds: unverified.map((party) => party.organizationId) }), options.actor.userId, options.ctx, now);
    });
    throw new DomainError("notice.unverifiedParty");
  }
  return db.$transaction(async (tx) => {
    await lockSession(tx, options.sessionId);
    const claimed = await tx.noticeCorrection.updateMany({ where: { id: correction.id, confirmedAt: null, withdrawnAt: null }, data: { confirmedAt: now, confirmedById: options.actor.userId } });
    if (claimed.count === 0) throw new DomainError("notFound");
    const corrected = await tx.noticeVersion.findUniqueOrThrow({ where: { id: correction.noticeVersionId }, include: { next: { select: { id: true } } } });
    if (corrected.next) throw new DomainError("notice.notLatest");
    const people = await tx.user.findMany({ where: { id: { in: [correction.proposedById, options.actor.userId] } }, select: { id: true, displayName: true } });
    const seats = await tx.seat.findMany({ where: { sessionId: options.sessionId, isChief: true, userId: { in: people.map((person) => person.id) } }, select: { userId: true, organization: { select: { name: true } } } });
    const signature = (userId: string, signedSide: Side, at: Date): NoticeSignature => ({
      side: signedSide,
      name: people.find((person) => person.id === userId)?.displayName ?? "",
      organization: seats.find((seat) => seat.userId === userId)?.organization?.name ?? null,
      signedAt: at.toISOString(),
      contentHash: correction.contentHash,
    });
    const signatures = [signature(correction.proposedById, correction.proposedSide, correction.proposedAt), signature(options.actor.userId, side, now)].sort((a, b) => a.side.localeCompare(b.side));
    const published = await appendVersion(
      tx,
      options.sessionId,
      // A correction only ever adds a version to its own series.
      { noticeId: corrected.noticeId, industry: corrected.industry, regionCode: corrected.regionCode, platformSlugs: corrected.platformSlugs },
      {
        kind: "CORRECTION",
        title: corrected.title,
        text: correction.text,
        terms: correction.terms,
        industry: corrected.industry,
        regionCode: corrected.regionCode,
        platformSlugs: corrected.platformSlugs,
        parties: storedParties(corrected.parties),
        signatures,
        ratification: corrected.ratification,
        agreementHash: correction.contentHash,
        correctionReason: correction.reason,
        publishedAt: now,
        effectiveFrom: correctionEffectiveFrom(corrected, now),
        effectiveUntil: corrected.effectiveUntil,
      },
      now,
    );
    await appendAudit(
      tx,
      options.sessionId,
      auditEvent("notice.published", { noticeId: published.noticeId, noticeVersionId: published.id, version: published.version, kind: "CORRECTION", hash: published.hash, effectiveFrom: correctionEffectiveFrom(corrected, now).toISOString() }),
      options.actor.userId,
      options.ctx,
      now,
    );
    return published;
  });
}
