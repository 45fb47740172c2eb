/** Accounts: sign-up, credential checks, language preference. */
import { getDb } from "~/infra/db.server.ts";
import { DomainError } from "~/domain/errors.ts";
import type { Locale } from "~/domain/validation.ts";
import { hashToken, newId, newToken } from "~/infra/ids.server.ts";
import { writeOutbox, writeOutboxToAddress } from "~/models/outbox.server.ts";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "~/auth/password.server.ts";
import { passwordWeakness } from "~/auth/password-strength.server.ts";
import { checkLoginAllowed, checkSignupAllowed, LOGIN_LIMITS, recordLoginFailure, recordLoginSuccess } from "~/auth/rate-limit.server.ts";

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/** How long a sign-up's confirmation link stays valid. */
export const SIGNUP_CONFIRMATION_HOURS = 24;

/**
 * Starts a sign-up (issue 19, item 5). The answer is the same whether or not the address has an
 * account, and takes as long (the password is hashed either way): a new address gets a link to
 * confirm it, and the account is created when the link is followed (`confirmSignup`); an address
 * that has an account gets a notice that someone tried to register with it. Both go through the
 * outbox. E-mail must already be normalized (lower-case, trimmed) by the schema.
 */
export async function signUp(options: { email: string; displayName: string; password: string; locale: Locale | null; ip: string; now?: Date }): Promise<void> {
  await checkSignupAllowed(options.ip);
  const weakness = passwordWeakness(options.password, [options.email, options.displayName]);
  if (weakness) throw new DomainError(weakness, { field: "password" });
  const now = options.now ?? new Date();
  const passwordHash = await hashPassword(options.password);
  const db = getDb();
  await db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email: options.email }, select: { id: true } });
    if (existing) {
      await writeOutbox(tx, { userIds: [existing.id], sessionId: null, kind: "account.signupAttempt", payload: { href: "/login" }, now });
      return;
    }
    const { token, hash } = newToken();
    await tx.pendingSignup.deleteMany({ where: { expiresAt: { lt: now } } });
    await tx.pendingSignup.create({ data: { tokenHash: hash, email: options.email, displayName: options.displayName, passwordHash, locale: options.locale, createdAt: now, expiresAt: new Date(now.getTime() + SIGNUP_CONFIRMATION_HOURS * 3_600_000) } });
    await writeOutboxToAddress(tx, { to: { email: options.email, displayName: options.displayName, locale: options.locale }, kind: "account.confirmEmail", payload: { href: `/signup/confirm/${token}`, hours: SIGNUP_CONFIRMATION_HOURS }, now });
  });
}

/** What a confirmation link offers (the name it will register), or why it cannot be used. */
export async function getPendingSignup(options: { token: string; now?: Date }) {
  const now = options.now ?? new Date();
  const pending = await getDb().pendingSignup.findUnique({ where: { tokenHash: hashToken(options.token) }, select: { email: true, displayName: true, expiresAt: true } });
  if (!pending) throw new DomainError("signup.linkInvalid");
  if (pending.expiresAt <= now) throw new DomainError("signup.linkExpired");
  return pending;
}

/**
 * Follows a confirmation link: creates the account with what was entered at sign-up, once; the
 * address's other pending sign-ups go with it. Returns the new user's id.
 */
export async function confirmSignup(options: { token: string; now?: Date }): Promise<string> {
  const now = options.now ?? new Date();
  const db = getDb();
  try {
    return await db.$transaction(async (tx) => {
      const pending = await tx.pendingSignup.findUnique({ where: { tokenHash: hashToken(options.token) } });
      if (!pending) throw new DomainError("signup.linkInvalid");
      if (pending.expiresAt <= now) throw new DomainError("signup.linkExpired");
      const claimed = await tx.pendingSignup.deleteMany({ where: { email: pending.email } });
      if (claimed.count === 0) throw new DomainError("signup.linkInvalid");
      const user = await tx.user.create({
        data: { id: newId(), email: pending.email, displayName: pending.displayName, passwordHash: pending.passwordHash, locale: pending.locale },
        select: { id: true },
      });
      return user.id;
    });
  } catch (error) {
    // The address got an account meanwhile (another link of it followed at the same moment).
    if (isUniqueViolation(error)) throw new DomainError("signup.linkInvalid");
    throw error;
  }
}

/**
 * Checks e-mail and password under the login throttle (app/auth/rate-limit.server.ts). `device` is
 * the browser's `xs_device` token, if any: a device the account has logged in from before is not
 * refused by the account's failure ceiling. Returns the user id and the device token to keep (a
 * new one for a device the account did not know). The account holder is told (in-app and by
 * e-mail) when failed attempts on the account reach LOGIN_LIMITS.notifyAfterFailures.
 */
export async function verifyLogin(options: { email: string; password: string; ip: string; device?: string | null; now?: Date }): Promise<{ userId: string; device: string }> {
  const db = getDb();
  const now = options.now ?? new Date();
  const user = await db.user.findUnique({ where: { email: options.email }, select: { id: true, passwordHash: true } });
  const known = user && options.device ? await db.knownDevice.findFirst({ where: { tokenHash: hashToken(options.device), userId: user.id }, select: { tokenHash: true } }) : null;
  const attempt = { email: options.email, ip: options.ip, knownDevice: known ? known.tokenHash : null };
  await checkLoginAllowed(attempt);
  // An account without a password (a worker who signs in by SMS) never logs in by password.
  const valid = user?.passwordHash ? await verifyPassword(user.passwordHash, options.password) : (await verifyAgainstDummy(options.password)) && false;
  if (!user || !valid) {
    const failures = await recordLoginFailure(attempt);
    if (user && failures === LOGIN_LIMITS.notifyAfterFailures) {
      await db.$transaction((tx) => writeOutbox(tx, { userIds: [user.id], sessionId: null, kind: "account.loginFailures", payload: { count: failures, href: "/notifications" }, now }));
    }
    throw new DomainError("auth.invalidCredentials");
  }
  await recordLoginSuccess(attempt);
  if (known) {
    await db.knownDevice.update({ where: { tokenHash: known.tokenHash }, data: { lastSeenAt: now } });
    return { userId: user.id, device: options.device! };
  }
  const { token, hash } = newToken();
  await db.knownDevice.create({ data: { tokenHash: hash, userId: user.id, createdAt: now, lastSeenAt: now } });
  return { userId: user.id, device: token };
}

export async function setUserLocale(options: { actorId: string; locale: Locale }): Promise<void> {
  await getDb().user.update({ where: { id: options.actorId }, data: { locale: options.locale } });
}
