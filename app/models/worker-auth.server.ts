/**
 * Workers' sign-in by phone (issue 25, item 1): a six-digit code sent by SMS through the outbox
 * and the job queue, stored only as a scrypt hash (a copy of the database cannot try the million
 * codes within the five minutes one lives), sealed in the outbox until sent, spent once used, after
 * five wrong tries, or when a newer one is sent. Requests and wrong codes are rate-limited
 * (app/auth/rate-limit.server.ts). The account is created at the first sign-in: a phone number,
 * no e-mail, no password (app/domain/worker-auth.ts; decision 044).
 */
import { randomInt } from "node:crypto";
import { DomainError } from "~/domain/errors.ts";
import type { Actor } from "~/domain/actors.ts";
import { decideOrganization, requireAllowed } from "~/domain/capabilities.ts";
import { formatInviteCode, INVITE_CODE, maskPhone, SIGN_IN_CODE } from "~/domain/worker-auth.ts";
import type { Industry } from "~/domain/session-topics.ts";
import { checkCodeGuessAllowed, checkInviteCodeAllowed, checkSignInCodeAllowed, recordWrongCode, recordWrongInviteCode } from "~/auth/rate-limit.server.ts";
import { hashPassword, verifyPassword } from "~/auth/password.server.ts";
import { getDb } from "~/infra/db.server.ts";
import { hashToken, newId, randomCode } from "~/infra/ids.server.ts";
import { seal } from "~/infra/sealed.server.ts";
import { writeOutboxToPhone } from "~/models/outbox.server.ts";

/** Sends a sign-in code to `phone` (E.164). The answer is the same whether or not it has an account. */
export async function requestSignInCode(options: { phone: string; ip: string; locale: string | null; now?: Date }): Promise<void> {
  const now = options.now ?? new Date();
  await checkSignInCodeAllowed(options.phone, options.ip);
  const code = String(randomInt(0, 10 ** SIGN_IN_CODE.digits)).padStart(SIGN_IN_CODE.digits, "0");
  const codeHash = await hashPassword(code);
  await getDb().$transaction(async (tx) => {
    // Only the newest code of a number works.
    await tx.phoneCode.updateMany({ where: { phone: options.phone, usedAt: null }, data: { usedAt: now } });
    await tx.phoneCode.create({ data: { id: newId(), phone: options.phone, codeHash, expiresAt: new Date(now.getTime() + SIGN_IN_CODE.ttlMinutes * 60_000), createdAt: now } });
    await writeOutboxToPhone(tx, { phone: options.phone, locale: options.locale, kind: "account.signInCode", payload: { sealedCode: seal(code), minutes: SIGN_IN_CODE.ttlMinutes }, now });
  });
}

/**
 * Checks a code typed for `phone`; on success spends it and returns the worker's account, created
 * on first sign-in. A wrong code counts against the code and the number; no live code (never sent,
 * expired, used, or replaced by a newer one) is refused as expired.
 */
export async function verifySignInCode(options: { phone: string; code: string; locale: string | null; now?: Date }): Promise<{ userId: string; created: boolean }> {
  const db = getDb();
  const now = options.now ?? new Date();
  await checkCodeGuessAllowed(options.phone);
  const current = await db.phoneCode.findFirst({ where: { phone: options.phone, usedAt: null, expiresAt: { gt: now } }, orderBy: { createdAt: "desc" } });
  if (!current) {
    await recordWrongCode(options.phone);
    throw new DomainError("worker.codeExpired", { field: "code", params: { minutes: SIGN_IN_CODE.ttlMinutes } });
  }
  if (!(await verifyPassword(current.codeHash, options.code))) {
    await recordWrongCode(options.phone);
    const attempts = current.attempts + 1;
    await db.phoneCode.updateMany({ where: { id: current.id, usedAt: null }, data: { attempts, ...(attempts >= SIGN_IN_CODE.maxAttempts ? { usedAt: now } : {}) } });
    throw new DomainError("worker.codeWrong", { field: "code", params: { left: Math.max(0, SIGN_IN_CODE.maxAttempts - attempts) } });
  }
  // Spent exactly once, even when the same code is sent twice at the same moment.
  const claimed = await db.phoneCode.updateMany({ where: { id: current.id, usedAt: null }, data: { usedAt: now } });
  if (claimed.count !== 1) throw new DomainError("worker.codeExpired", { field: "code", params: { minutes: SIGN_IN_CODE.ttlMinutes } });
  const existing = await db.user.findUnique({ where: { phone: options.phone }, select: { id: true } });
  if (existing) return { userId: existing.id, created: false };
  const user = await db.user.upsert({
    where: { phone: options.phone },
    create: { id: newId(), phone: options.phone, email: null, passwordHash: null, displayName: maskPhone(options.phone), locale: options.locale },
    update: {},
    select: { id: true },
  });
  return { userId: user.id, created: true };
}

/** The worker's industry and region, if they said. */
export async function getWorkerProfile(userId: string) {
  return getDb().workerProfile.findUnique({ where: { userId }, select: { industry: true, regionCode: true } });
}

export async function setWorkerProfile(userId: string, profile: { industry: Industry; regionCode: string }) {
  await getDb().workerProfile.upsert({ where: { userId }, create: { userId, ...profile }, update: profile });
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A union's invitation code for a worker (issue 25, item 1): returned once, only its hash kept,
 * usable once before it expires. The union's administrators and negotiators make them.
 */
export async function createWorkerInvitationCode(options: { actor: Actor; organization: { id: string; type: string }; expiresInDays: number; note?: string; now?: Date }) {
  requireAllowed(decideOrganization(options.actor, "inviteWorkers", options.organization as { id: string; type: "UNION" }));
  const now = options.now ?? new Date();
  const code = randomCode(INVITE_CODE.alphabet, INVITE_CODE.length);
  const invitation = await getDb().invitation.create({
    data: { id: newId(), organizationId: options.organization.id, role: "MEMBER", tokenHash: hashToken(code), forWorker: true, note: options.note, createdById: options.actor.userId, expiresAt: new Date(now.getTime() + options.expiresInDays * DAY_MS) },
    select: { id: true, expiresAt: true },
  });
  return { ...invitation, code: formatInviteCode(code) };
}

/**
 * Signs a worker in with a union's invitation code (normalized): creates their account (the name
 * they give, no e-mail, no phone) and their membership of the union, and spends the code. A wrong
 * code counts against the address; a used, revoked or expired one says so.
 */
export async function signInWithInvitationCode(options: { code: string; displayName: string; locale: string | null; ip: string; now?: Date }): Promise<{ userId: string; organization: { slug: string } }> {
  const db = getDb();
  const now = options.now ?? new Date();
  await checkInviteCodeAllowed(options.ip);
  const invitation = await db.invitation.findUnique({ where: { tokenHash: hashToken(options.code) }, select: { id: true, forWorker: true, role: true, expiresAt: true, acceptedAt: true, revokedAt: true, organization: { select: { id: true, slug: true } } } });
  if (!invitation || !invitation.forWorker) {
    await recordWrongInviteCode(options.ip);
    throw new DomainError("workerInvite.invalid", { field: "inviteCode" });
  }
  if (invitation.revokedAt) throw new DomainError("workerInvite.revoked", { field: "inviteCode" });
  if (invitation.acceptedAt) throw new DomainError("workerInvite.used", { field: "inviteCode" });
  if (invitation.expiresAt <= now) throw new DomainError("workerInvite.expired", { field: "inviteCode" });
  const userId = newId();
  await db.$transaction(async (tx) => {
    // Claimed first: one code admits one worker, even when typed twice at once.
    const claimed = await tx.invitation.updateMany({ where: { id: invitation.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } }, data: { acceptedAt: now } });
    if (claimed.count === 0) throw new DomainError("workerInvite.used", { field: "inviteCode" });
    await tx.user.create({ data: { id: userId, email: null, phone: null, passwordHash: null, displayName: options.displayName, locale: options.locale } });
    await tx.invitation.update({ where: { id: invitation.id }, data: { acceptedById: userId } });
    await tx.membership.create({ data: { id: newId(), userId, organizationId: invitation.organization.id, role: invitation.role } });
  });
  return { userId, organization: invitation.organization };
}
