/**
 * Login, sign-up and password re-entry throttling with rate-limiter-flexible, stored in PostgreSQL
 * through Prisma so that every process behind a load balancer counts the same attempts
 * (decisions 006 and 038). Designed so that nobody can turn it against the account holder
 * (issue 19, item 4):
 *
 * - **per client, across accounts** (`login-ip`): every attempt from one address, known devices
 *   excepted;
 * - **per account and client** (`login-pair`: the account with the device token, else with the
 *   address): failures cost a progressive wait (1 s, 2 s, 4 s … after the third) and a ceiling;
 *   one attacker's pair never touches another's;
 * - **per account** (`login-account`): failures from anywhere; past the ceiling, attempts from
 *   devices the account never logged in from are refused for the window — a device that has logged
 *   in before (its `xs_device` cookie) is never refused by it, so the owner is not locked out;
 * - **password re-entry** to confirm an act (signing, confirming a correction): its own counter per
 *   login session (`confirm-session`), untouched by anyone else's failures.
 */
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { getDb } from "~/infra/db.server.ts";
import { DomainError } from "~/domain/errors.ts";

export const LOGIN_LIMITS = {
  /** Every login attempt from one address (devices the account knows excepted). */
  perIp: { points: 30, duration: 15 * 60 },
  /** Failures on one account from devices it does not know; cleared by a successful login. */
  failuresPerAccount: { points: 5, duration: 15 * 60 },
  /** Failures of one account from one device or address. */
  failuresPerPair: { points: 10, duration: 15 * 60 },
  /** After this many failures of a pair, each further attempt waits 2^(n − this) seconds. */
  pairFreeFailures: 3,
  /** Wrong passwords re-entered to confirm an act, per login session. */
  confirmationsPerSession: { points: 5, duration: 15 * 60 },
  /** Sign-ups from one IP address. */
  signupsPerIp: { points: 10, duration: 60 * 60 },
  /** The account holder is told of failed attempts when the account's count reaches this. */
  notifyAfterFailures: 5,
} as const;

/**
 * Sign-in codes by SMS (issue 25; our rule, not a regulation's): a number may ask once a minute
 * and five times an hour, an address twenty times an hour (an SMS costs money and reaches a
 * person's phone: a script must not turn it into a way to spam a number); wrong codes for one
 * number are also counted across its codes.
 */
export const SMS_LIMITS = {
  perPhoneMinute: { points: 1, duration: 60 },
  perPhoneHour: { points: 5, duration: 60 * 60 },
  perIpHour: { points: 20, duration: 60 * 60 },
  wrongCodesPerPhone: { points: 10, duration: 60 * 60 },
  /** Unknown invitation codes typed from one address. */
  wrongInviteCodesPerIp: { points: 10, duration: 60 * 60 },
  /** Unknown complaint receipt codes typed from one address (issue 25). */
  wrongReceiptsPerIp: { points: 10, duration: 60 * 60 },
} as const;

type Limiters = { loginIp: RateLimiterPrisma; loginAccount: RateLimiterPrisma; loginPair: RateLimiterPrisma; pairWait: RateLimiterPrisma; confirm: RateLimiterPrisma; signupIp: RateLimiterPrisma; smsMinute: RateLimiterPrisma; smsHour: RateLimiterPrisma; smsIp: RateLimiterPrisma; smsWrong: RateLimiterPrisma; inviteWrong: RateLimiterPrisma; receiptWrong: RateLimiterPrisma };
let limiters: Limiters | undefined;

function getLimiters(): Limiters {
  const storeClient = getDb();
  const make = (keyPrefix: string, limits: { points: number; duration: number }) =>
    new RateLimiterPrisma({ storeClient, tableName: "rateLimiterFlexible", keyPrefix, ...limits, clearExpiredByTimeout: true });
  limiters ??= {
    loginIp: make("login-ip", LOGIN_LIMITS.perIp),
    loginAccount: make("login-account", LOGIN_LIMITS.failuresPerAccount),
    loginPair: make("login-pair", LOGIN_LIMITS.failuresPerPair),
    // A pair's progressive wait: one point, blocked for the wait after a failure.
    pairWait: make("login-wait", { points: 1, duration: 1 }),
    confirm: make("confirm-session", LOGIN_LIMITS.confirmationsPerSession),
    signupIp: make("signup-ip", LOGIN_LIMITS.signupsPerIp),
    smsMinute: make("sms-minute", SMS_LIMITS.perPhoneMinute),
    smsHour: make("sms-hour", SMS_LIMITS.perPhoneHour),
    smsIp: make("sms-ip", SMS_LIMITS.perIpHour),
    smsWrong: make("sms-wrong", SMS_LIMITS.wrongCodesPerPhone),
    inviteWrong: make("invite-wrong", SMS_LIMITS.wrongInviteCodesPerIp),
    receiptWrong: make("receipt-wrong", SMS_LIMITS.wrongReceiptsPerIp),
  };
  return limiters;
}

function refusal(msBeforeNext: number): DomainError {
  return new DomainError("auth.rateLimited", { params: { minutes: Math.max(1, Math.ceil(msBeforeNext / 60_000)) } });
}

async function consume(limiter: RateLimiterPrisma, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw refusal(error.msBeforeNext);
    throw error;
  }
}

/** Who is trying: the account, and the client (a device token the account knows, else an address). */
export type LoginAttempt = { email: string; ip: string; knownDevice: string | null };

const pairKey = (attempt: LoginAttempt) => `${attempt.email} ${attempt.knownDevice ? `device:${attempt.knownDevice}` : `ip:${attempt.ip}`}`;

/** Counts one attempt; refuses when the client, the pair or (for an unknown device) the account is over its limit. */
export async function checkLoginAllowed(attempt: LoginAttempt): Promise<void> {
  const { loginIp, loginAccount, loginPair, pairWait } = getLimiters();
  if (!attempt.knownDevice) await consume(loginIp, attempt.ip);
  const key = pairKey(attempt);
  const wait = await pairWait.get(key);
  if (wait && wait.consumedPoints > 1) throw refusal(wait.msBeforeNext);
  const pair = await loginPair.get(key);
  if (pair && pair.consumedPoints >= LOGIN_LIMITS.failuresPerPair.points) throw refusal(pair.msBeforeNext);
  if (attempt.knownDevice) return;
  const account = await loginAccount.get(attempt.email);
  if (account && account.consumedPoints >= LOGIN_LIMITS.failuresPerAccount.points) throw refusal(account.msBeforeNext);
}

/** Records a failure; returns the account's failure count in the window (to tell its owner). */
export async function recordLoginFailure(attempt: LoginAttempt): Promise<number> {
  const { loginAccount, loginPair, pairWait } = getLimiters();
  const key = pairKey(attempt);
  const pair = await loginPair.penalty(key, 1);
  const beyond = pair.consumedPoints - LOGIN_LIMITS.pairFreeFailures;
  if (beyond > 0) await pairWait.block(key, Math.min(2 ** (beyond - 1), LOGIN_LIMITS.failuresPerPair.duration));
  const account = await loginAccount.penalty(attempt.email, 1);
  return account.consumedPoints;
}

export async function recordLoginSuccess(attempt: LoginAttempt): Promise<void> {
  const { loginAccount, loginPair, pairWait } = getLimiters();
  const key = pairKey(attempt);
  await Promise.all([loginAccount.delete(attempt.email), loginPair.delete(key), pairWait.delete(key)]);
}

export async function checkSignupAllowed(ip: string): Promise<void> {
  await consume(getLimiters().signupIp, ip);
}

/**
 * A password re-entered by a signed-in user to confirm an act (signing an agreement, confirming a
 * correction): counted per login session (`scope`), so only that session's own wrong passwords
 * slow it; an attacker's login failures on the account do not.
 */
export async function checkConfirmationAllowed(scope: string): Promise<void> {
  const state = await getLimiters().confirm.get(scope);
  if (state && state.consumedPoints >= LOGIN_LIMITS.confirmationsPerSession.points) throw refusal(state.msBeforeNext);
}

export async function recordConfirmationFailure(scope: string): Promise<void> {
  await getLimiters().confirm.penalty(scope, 1);
}

export async function recordConfirmationSuccess(scope: string): Promise<void> {
  await getLimiters().confirm.delete(scope);
}

/** Counts a request for a sign-in code; refuses when the number or the address asked too often. */
export async function checkSignInCodeAllowed(phone: string, ip: string): Promise<void> {
  const { smsMinute, smsHour, smsIp } = getLimiters();
  await consume(smsIp, ip);
  await consume(smsMinute, phone);
  await consume(smsHour, phone);
}

/** Refuses a code check when the number had too many wrong codes in the window. */
export async function checkCodeGuessAllowed(phone: string): Promise<void> {
  const state = await getLimiters().smsWrong.get(phone);
  if (state && state.consumedPoints >= SMS_LIMITS.wrongCodesPerPhone.points) throw refusal(state.msBeforeNext);
}

export async function recordWrongCode(phone: string): Promise<void> {
  await getLimiters().smsWrong.penalty(phone, 1);
}

/** Refuses an invitation code from an address that typed too many unknown ones. */
export async function checkInviteCodeAllowed(ip: string): Promise<void> {
  const state = await getLimiters().inviteWrong.get(ip);
  if (state && state.consumedPoints >= SMS_LIMITS.wrongInviteCodesPerIp.points) throw refusal(state.msBeforeNext);
}

export async function recordWrongInviteCode(ip: string): Promise<void> {
  await getLimiters().inviteWrong.penalty(ip, 1);
}

/** Refuses a receipt code from an address that typed too many unknown ones (issue 25). */
export async function checkReceiptGuessAllowed(ip: string): Promise<void> {
  const state = await getLimiters().receiptWrong.get(ip);
  if (state && state.consumedPoints >= SMS_LIMITS.wrongReceiptsPerIp.points) throw refusal(state.msBeforeNext);
}

export async function recordWrongReceipt(ip: string): Promise<void> {
  await getLimiters().receiptWrong.penalty(ip, 1);
}
