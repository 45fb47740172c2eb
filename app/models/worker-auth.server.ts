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
import { maskPhone, SIGN_IN_CODE } from "~/domain/worker-auth.ts";
import type { Industry } from "~/domain/session-topics.ts";
import { checkCodeGuessAllowed, checkSignInCodeAllowed, recordWrongCode } from "~/auth/rate-limit.server.ts";
import { hashPassword, verifyPassword } from "~/auth/password.server.ts";
import { getDb } from "~/infra/db.server.ts";
import { newId } from "~/infra/ids.server.ts";
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
