/** Accounts: sign-up, credential checks, language preference. */
import { getDb } from "~/infra/db.server.ts";
import { DomainError } from "~/domain/errors.ts";
import type { Locale } from "~/domain/validation.ts";
import { hashToken, newId, newToken } from "~/infra/ids.server.ts";
import { writeOutbox } from "~/models/outbox.server.ts";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "~/auth/password.server.ts";
import { passwordWeakness } from "~/auth/password-strength.server.ts";
import { checkLoginAllowed, checkSignupAllowed, LOGIN_LIMITS, recordLoginFailure, recordLoginSuccess } from "~/auth/rate-limit.server.ts";

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/** Creates an account. E-mail must already be normalized (lower-case, trimmed) by the schema. */
export async function signUp(options: { email: string; displayName: string; password: string; locale: Locale | null; ip: string }) {
  await checkSignupAllowed(options.ip);
  const weakness = passwordWeakness(options.password, [options.email, options.displayName]);
  if (weakness) throw new DomainError(weakness, { field: "password" });
  const db = getDb();
  const existing = await db.user.findUnique({ where: { email: options.email }, select: { id: true } });
  if (existing) throw new DomainError("auth.emailTaken", { field: "email" });
  try {
    return await db.user.create({
      data: {
        id: newId(),
        email: options.email,
        displayName: options.displayName,
        passwordHash: await hashPassword(options.password),
        locale: options.locale,
      },
      select: { id: true, email: true, displayName: true },
    });
  } catch (error) {
    // Two sign-ups with the same e-mail at once: the unique index decides.
    if (isUniqueViolation(error)) throw new DomainError("auth.emailTaken", { field: "email" });
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
  const valid = user ? await verifyPassword(user.passwordHash, options.password) : await verifyAgainstDummy(options.password);
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
