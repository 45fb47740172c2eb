/**
 * Input schemas shared by forms, JSON endpoints and (later) socket events. Every message is an
 * i18n key under `validation.` so that the edge can localize it; limits are named constants so
 * that forms can show them (maxLength attributes) and tests can probe them.
 */
import { z } from "zod";
import { MEMBERSHIP_ROLES, ORGANIZATION_TYPES } from "./actors.ts";
import { REGION_CODES } from "./regions.ts";
import { parseCreditCode } from "./credit-code.ts";

export const LIMITS = {
  emailMax: 254,
  displayNameMax: 80,
  passwordMin: 10,
  passwordMax: 128,
  orgNameMax: 120,
  orgDescriptionMax: 2000,
  slugMax: 48,
  inviteNoteMax: 200,
  authorityMax: 120,
  phoneMax: 30,
  reasonMax: 1000,
} as const;

export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];

const trimmed = (max: number) =>
  z
    .string({ required_error: "validation.required", invalid_type_error: "validation.required" })
    .transform((value) => value.trim())
    .pipe(z.string().min(1, "validation.required").max(max, "validation.tooLong"));

export const emailSchema = z
  .string({ required_error: "validation.required", invalid_type_error: "validation.required" })
  .transform((value) => value.trim().toLowerCase())
  .pipe(z.string().min(1, "validation.required").max(LIMITS.emailMax, "validation.tooLong").email("validation.email"));

export const passwordSchema = z
  .string({ required_error: "validation.required", invalid_type_error: "validation.required" })
  .min(1, "validation.required")
  .min(LIMITS.passwordMin, "validation.passwordTooShort")
  .max(LIMITS.passwordMax, "validation.tooLong");

/** Where to go after login: only paths on this site, never another origin. */
export const redirectToSchema = z
  .string()
  .optional()
  .transform((value) => (value && /^\/(?!\/)[^\\\s]*$/.test(value) && value.length <= 500 ? value : "/"));

export const loginSchema = z.object({
  email: emailSchema,
  password: z
    .string({ required_error: "validation.required", invalid_type_error: "validation.required" })
    .min(1, "validation.required")
    .max(LIMITS.passwordMax, "validation.tooLong"),
  redirectTo: redirectToSchema,
});

export const signupSchema = z
  .object({
    email: emailSchema,
    displayName: trimmed(LIMITS.displayNameMax),
    password: passwordSchema,
    confirmPassword: z.string({ required_error: "validation.required", invalid_type_error: "validation.required" }),
    redirectTo: redirectToSchema,
  })
  .refine((data) => data.password === data.confirmPassword, { message: "validation.passwordMismatch", path: ["confirmPassword"] });

export const localeSchema = z.object({
  locale: z.enum(LOCALES, { errorMap: () => ({ message: "validation.locale" }) }),
  redirectTo: redirectToSchema,
});

export const organizationTypeSchema = z.enum(ORGANIZATION_TYPES, { errorMap: () => ({ message: "validation.choice" }) });
export const membershipRoleSchema = z.enum(MEMBERSHIP_ROLES, { errorMap: () => ({ message: "validation.choice" }) });

export const slugSchema = z
  .string({ required_error: "validation.required", invalid_type_error: "validation.required" })
  .transform((value) => value.trim().toLowerCase())
  .pipe(
    z
      .string()
      .min(3, "validation.slug")
      .max(LIMITS.slugMax, "validation.tooLong")
      .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "validation.slug"),
  );

const optionalText = (max: number) =>
  z
    .string({ invalid_type_error: "validation.required" })
    .optional()
    .transform((value) => value?.trim() || undefined)
    .pipe(z.string().max(max, "validation.tooLong").optional());

export const organizationCreateSchema = z.object({
  name: trimmed(LIMITS.orgNameMax),
  nameEn: optionalText(LIMITS.orgNameMax),
  slug: slugSchema,
  type: organizationTypeSchema,
  regionCode: z.enum(REGION_CODES, { errorMap: () => ({ message: "validation.choice" }) }),
  description: optionalText(LIMITS.orgDescriptionMax),
});

/** 统一社会信用代码: length, alphabet and check character (GB 32100-2015), normalized. */
export const creditCodeSchema = z
  .string({ required_error: "validation.required", invalid_type_error: "validation.required" })
  .max(64, "validation.creditCode.length")
  .transform((value, ctx) => {
    const parsed = parseCreditCode(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `validation.creditCode.${parsed.problem}` });
      return z.NEVER;
    }
    return parsed.code;
  });

/** What an organization's administrator submits for verification (its name is the record's). */
export const verificationRequestSchema = z.object({
  creditCode: creditCodeSchema,
  registrationAuthority: trimmed(LIMITS.authorityMax),
  parentUnionName: optionalText(LIMITS.orgNameMax),
  contactName: trimmed(LIMITS.displayNameMax),
  contactPhone: z
    .string({ required_error: "validation.required", invalid_type_error: "validation.required" })
    .transform((value) => value.trim())
    .pipe(z.string().min(1, "validation.required").max(LIMITS.phoneMax, "validation.tooLong").regex(/^\+?[0-9][0-9 -]{4,28}$/, "validation.phone")),
  contactEmail: emailSchema,
});

export const verificationDecisionSchema = z.object({
  requestId: z.lazy(() => idSchema),
  decision: z.enum(["approve", "reject"], { errorMap: () => ({ message: "validation.choice" }) }),
  reason: optionalText(LIMITS.reasonMax),
});

export const organizationUpdateSchema = z.object({
  name: trimmed(LIMITS.orgNameMax),
  nameEn: optionalText(LIMITS.orgNameMax),
  description: optionalText(LIMITS.orgDescriptionMax),
});

export const invitationCreateSchema = z.object({
  role: membershipRoleSchema,
  expiresInDays: z
    .preprocess((value) => (value === "" ? undefined : value), z.coerce.number({ invalid_type_error: "validation.number" })
    .int("validation.number")
    .min(1, "validation.rangeMin")
    .max(30, "validation.rangeMax")
    .optional())
    .transform((value) => value ?? 7),
  note: optionalText(LIMITS.inviteNoteMax),
});

export const idSchema = z.string({ required_error: "validation.required" }).min(1, "validation.required").max(64, "validation.tooLong").regex(/^[A-Za-z0-9_-]+$/, "validation.id");

/** A message to show: an i18n key and the values for its placeholders. */
export type Message = { key: string; values?: Record<string, string | number> };
export type FieldErrors = Record<string, Message[]>;

/** One zod issue as a message: its i18n key, and its limit as a value so the sentence can name it. */
function issueMessage(issue: z.ZodIssue): Message {
  const key = issue.message.startsWith("validation.") ? issue.message : "validation.invalid";
  const values: Record<string, number> = {};
  if (issue.code === "too_big") values.max = Number(issue.maximum);
  if (issue.code === "too_small") values.min = Number(issue.minimum);
  return { key, values };
}

/**
 * One field's issues as messages. This is the `formatError` given to Conform's `parseWithZod`,
 * both on the server (app/http/forms.server.ts) and in the browser (`useValidatedForm` in
 * app/components/forms.tsx), so that the two say the same sentence for the same input.
 */
export function messagesOf(issues: z.ZodIssue[]): Message[] {
  return issues.map(issueMessage);
}

/** Field → messages, for forms. Limits travel as values so the sentence can name them. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) (errors[issue.path.join(".") || "_form"] ??= []).push(issueMessage(issue));
  return errors;
}

/**
 * A zod issue as a message in the units a person types: a bound on a `…Fen` or `…Bp` field is
 * shown in yuan or % (÷ 100), on a `…Metres` field in kilometres (÷ 1000), so that "at most {{max}}"
 * is filled with the number the person would type (shared/DESIGN.md, "Data conventions").
 */
export function typedIssueMessage(issue: z.ZodIssue): { key: string; values: Record<string, number> } {
  const last = String(issue.path[issue.path.length - 1] ?? "");
  const scale = /(Fen|Bp)$/.test(last) ? 100 : /Metres$/.test(last) ? 1000 : 1;
  const values: Record<string, number> = {};
  if (issue.code === "too_big") values.max = Number(issue.maximum) / scale;
  if (issue.code === "too_small") values.min = Number(issue.minimum) / scale;
  return { key: issue.message.startsWith("validation.") ? issue.message : "validation.invalid", values };
}
