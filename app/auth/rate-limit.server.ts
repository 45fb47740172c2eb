/**
 * Login and sign-up throttling with rate-limiter-flexible, stored in PostgreSQL through Prisma so
 * that every process behind a load balancer counts the same attempts.
 * See docs/decisions/006-rate-limiting.md.
 */
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { getDb } from "~/infra/db.server.ts";
import { DomainError } from "~/domain/errors.ts";

export const LOGIN_LIMITS = {
  /** Every login attempt from one IP address. */
  perIp: { points: 30, duration: 15 * 60 },
  /** Failed attempts on one account (from anywhere); cleared by a successful login. */
  failuresPerAccount: { points: 5, duration: 15 * 60 },
  /** Sign-ups from one IP address. */
  signupsPerIp: { points: 10, duration: 60 * 60 },
} as const;

type Limiters = { loginIp: RateLimiterPrisma; loginAccount: RateLimiterPrisma; signupIp: RateLimiterPrisma };
let limiters: Limiters | undefined;

function getLimiters(): Limiters {
  const storeClient = getDb();
  const make = (keyPrefix: string, limits: { points: number; duration: number }) =>
    new RateLimiterPrisma({ storeClient, tableName: "rateLimiterFlexible", keyPrefix, ...limits, clearExpiredByTimeout: true });
  limiters ??= {
    loginIp: make("login-ip", LOGIN_LIMITS.perIp),
    loginAccount: make("login-account", LOGIN_LIMITS.failuresPerAccount),
    signupIp: make("signup-ip", LOGIN_LIMITS.signupsPerIp),
  };
  return limiters;
}

function refusal(result: RateLimiterRes): DomainError {
  return new DomainError("auth.rateLimited", { params: { minutes: Math.max(1, Math.ceil(result.msBeforeNext / 60_000)) } });
}

async function consume(limiter: RateLimiterPrisma, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw refusal(error);
    throw error;
  }
}

/** Counts one login attempt; refuses when the IP or the account is over its limit. */
export async function checkLoginAllowed(ip: string, email: string): Promise<void> {
  const { loginIp, loginAccount } = getLimiters();
  await consume(loginIp, ip);
  const account = await loginAccount.get(email);
  if (account && account.consumedPoints >= LOGIN_LIMITS.failuresPerAccount.points) throw refusal(account);
}

export async function recordLoginFailure(email: string): Promise<void> {
  await getLimiters().loginAccount.penalty(email, 1);
}

export async function recordLoginSuccess(email: string): Promise<void> {
  await getLimiters().loginAccount.delete(email);
}

export async function checkSignupAllowed(ip: string): Promise<void> {
  await consume(getLimiters().signupIp, ip);
}

/**
 * A password re-entered by a signed-in user to confirm an act (signing an agreement, confirming a
 * correction): the per-account failure limit applies, as for logins, but the attempt does not
 * spend the address's login budget.
 */
export async function checkPasswordRetryAllowed(email: string): Promise<void> {
  const account = await getLimiters().loginAccount.get(email);
  if (account && account.consumedPoints >= LOGIN_LIMITS.failuresPerAccount.points) throw refusal(account);
}
