/** Accounts: sign-up, credential checks, language preference. */
import { getDb } from "~/infra/db.server.ts";
import { DomainError } from "~/domain/errors.ts";
import type { Locale } from "~/domain/validation.ts";
import { newId } from "~/infra/ids.server.ts";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "~/auth/password.server.ts";
import { checkLoginAllowed, checkSignupAllowed, recordLoginFailure, recordLoginSuccess } from "~/auth/rate-limit.server.ts";

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/** Creates an account. E-mail must already be normalized (lower-case, trimmed) by the schema. */
export async function signUp(options: { email: string; displayName: string; password: string; locale: Locale | null; ip: string }) {
  await checkSignupAllowed(options.ip);
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

/** Checks e-mail and password under the login throttle; returns the user id. */
export async function verifyLogin(options: { email: string; password: string; ip: string }): Promise<string> {
  await checkLoginAllowed(options.ip, options.email);
  const user = await getDb().user.findUnique({ where: { email: options.email }, select: { id: true, passwordHash: true } });
  const valid = user ? await verifyPassword(user.passwordHash, options.password) : await verifyAgainstDummy(options.password);
  if (!user || !valid) {
    await recordLoginFailure(options.email);
    throw new DomainError("auth.invalidCredentials");
  }
  await recordLoginSuccess(options.email);
  return user.id;
}

export async function setUserLocale(options: { actorId: string; locale: Locale }): Promise<void> {
  await getDb().user.update({ where: { id: options.actorId }, data: { locale: options.locale } });
}
