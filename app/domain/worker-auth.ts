/**
 * Workers sign in with a mobile number and a one-time code sent to it, without an e-mail address
 * (issue 25, item 1). The rules here are ours, not a regulation's: a code of six digits that
 * expires after five minutes, at most five wrong tries per code, and how often a number may ask
 * for one (`SMS_LIMITS`, app/auth/rate-limit.server.ts). Numbers are mainland China mobile numbers
 * (the riders' accounts on the platforms are), kept in E.164 form.
 */
import { z } from "zod";
import { INDUSTRIES } from "./session-topics.ts";
import { REGION_CODES } from "./regions.ts";
import { LIMITS, redirectToSchema } from "./validation.ts";

export const SIGN_IN_CODE = {
  digits: 6,
  /** Minutes a code may be used after it is sent. */
  ttlMinutes: 5,
  /** Wrong codes tried against one code before it is spent. */
  maxAttempts: 5,
} as const;

/** A mainland China mobile number (11 digits starting 13–19), with or without +86, spaces or hyphens. */
export const phoneSchema = z
  .string({ required_error: "validation.required", invalid_type_error: "validation.required" })
  .max(LIMITS.phoneMax, "validation.tooLong")
  .transform((value) => value.replace(/[\s-]/g, ""))
  .pipe(
    z
      .string()
      .min(1, "validation.required")
      .regex(/^(?:\+?86)?1[3-9]\d{9}$/, "validation.mobile")
      .transform((value) => `+86${value.slice(-11)}`),
  );

export const signInCodeRequestSchema = z.object({
  intent: z.literal("send"),
  phone: phoneSchema,
  redirectTo: redirectToSchema,
});

export const signInCodeVerifySchema = z.object({
  intent: z.literal("verify"),
  phone: phoneSchema,
  code: z
    .string({ required_error: "validation.required", invalid_type_error: "validation.required" })
    .transform((value) => value.replace(/\s/g, ""))
    .pipe(z.string().min(1, "validation.required").regex(/^\d{6}$/, "validation.signInCode")),
  redirectTo: redirectToSchema,
});

/**
 * A union's invitation code for a worker: ten characters of Crockford's base-32 alphabet (no I,
 * L, O or U to misread), shown as XXXXX-XXXXX; typed in any case, with or without the hyphen.
 */
export const INVITE_CODE = { alphabet: "0123456789ABCDEFGHJKMNPQRSTVWXYZ", length: 10, expiresInDays: { default: 14, max: 60 } } as const;

export function normalizeInviteCode(typed: string): string {
  return typed.replace(/[\s-]/g, "").toUpperCase();
}

export function formatInviteCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

export const inviteCodeSchema = z
  .string({ required_error: "validation.required", invalid_type_error: "validation.required" })
  .max(40, "validation.tooLong")
  .transform(normalizeInviteCode)
  .pipe(z.string().min(1, "validation.required").regex(new RegExp(`^[${INVITE_CODE.alphabet}]{${INVITE_CODE.length}}$`), "validation.inviteCode"));

export const inviteCodeSignInSchema = z.object({
  intent: z.literal("invite"),
  inviteCode: inviteCodeSchema,
  displayName: z
    .string({ required_error: "validation.required", invalid_type_error: "validation.required" })
    .transform((value) => value.trim())
    .pipe(z.string().min(1, "validation.required").max(LIMITS.displayNameMax, "validation.tooLong")),
  redirectTo: redirectToSchema,
});

export const workerSignInSchema = z.discriminatedUnion("intent", [signInCodeRequestSchema, signInCodeVerifySchema, inviteCodeSignInSchema], { errorMap: () => ({ message: "validation.choice" }) });

/** What a union's staff fill in to make a worker's invitation code. */
export const workerCodeCreateSchema = z.object({
  expiresInDays: z.coerce
    .number({ invalid_type_error: "validation.number" })
    .int("validation.number")
    .min(1, "validation.rangeMin")
    .max(INVITE_CODE.expiresInDays.max, "validation.rangeMax"),
  note: z
    .string({ invalid_type_error: "validation.required" })
    .optional()
    .transform((value) => value?.trim() || undefined)
    .pipe(z.string().max(LIMITS.inviteNoteMax, "validation.tooLong").optional()),
});

/** The industry and region a worker works in: the agreements covering them are theirs. */
export const workerProfileSchema = z.object({
  industry: z.enum(INDUSTRIES, { errorMap: () => ({ message: "validation.choice" }) }),
  regionCode: z.enum(REGION_CODES, { errorMap: () => ({ message: "validation.choice" }) }),
});

/** "+8613812345678" → "138****5678": enough for the person to recognise their number, not more. */
export function maskPhone(phone: string): string {
  const digits = phone.slice(-11);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}
