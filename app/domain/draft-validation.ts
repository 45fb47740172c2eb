/** Inputs of draft comments and offers (socket events), validated on the server and in the browser. */
import { z } from "zod";
import { SIDES } from "./procedure.ts";
import { allocationSchema, excludedCausesSchema, pieceRateTableSchema, TERM_FIELDS, TERM_KEYS, type TermKey } from "./terms.ts";
import { canonicalJson } from "./hash.ts";
import { idSchema } from "./validation.ts";

export const DRAFT_LIMITS = { commentMax: 5_000, quoteMax: 2_000, anchorMaxBytes: 512, noteMax: 1_000 } as const;

const body = z
  .string({ required_error: "validation.required", invalid_type_error: "validation.required" })
  .transform((value) => value.trim())
  .pipe(z.string().min(1, "validation.required").max(DRAFT_LIMITS.commentMax, "validation.tooLong"));

/** A Yjs relative position, encoded (Y.encodeRelativePosition), as bytes or base64. */
const anchor = z
  .union([z.instanceof(Uint8Array), z.string().regex(/^[A-Za-z0-9+/=]+$/, "validation.invalid")])
  .transform((value, ctx) => {
    if (typeof value !== "string") return new Uint8Array(value);
    try {
      return Uint8Array.from(atob(value), (char) => char.charCodeAt(0));
    } catch {
      // Base64 alphabet but not base64 (a bad length, "/"): atob throws, which must be a refusal.
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "validation.invalid" });
      return z.NEVER;
    }
  })
  .refine((bytes) => bytes.byteLength > 0 && bytes.byteLength <= DRAFT_LIMITS.anchorMaxBytes, "validation.invalid");

const mentions = z.array(z.enum(SIDES, { errorMap: () => ({ message: "validation.choice" }) })).max(2, "validation.tooMany").default([]);

export const commentInputSchema = z.object({
  body,
  anchorStart: anchor,
  anchorEnd: anchor,
  quote: z.string().max(DRAFT_LIMITS.quoteMax, "validation.tooLong").default(""),
  mentions,
});

export const replyInputSchema = z.object({ threadId: idSchema, body, mentions });
export const resolveInputSchema = z.object({ threadId: idSchema, resolved: z.boolean({ invalid_type_error: "validation.choice" }) });

const note = z.string().max(DRAFT_LIMITS.noteMax, "validation.tooLong").optional();

/** An offer on a single-number term, or a whole piece-rate table. */
export const offerInputSchema = z.discriminatedUnion("termKey", [
  z.object({
    termKey: z.literal("pieceRateTable"),
    value: pieceRateTableSchema.refine((rows) => rows.length > 0, "validation.pickOne"),
    note,
  }),
  z.object({ termKey: z.literal("penaltyExcludedCauses"), value: excludedCausesSchema, note }),
  z.object({ termKey: z.literal("allocation"), value: allocationSchema, note }),
  z.object({
    termKey: z.enum(TERM_KEYS as [string, ...string[]], { errorMap: () => ({ message: "validation.choice" }) }),
    value: z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(0, "validation.rangeMin").max(100_000_000, "validation.rangeMax"),
    note,
  }),
], { errorMap: (issue, ctx) => ({ message: issue.code === "invalid_union_discriminator" ? "validation.choice" : ctx.defaultError }) })
  // A single-number offer must be a value the term itself accepts (a 0.5× holiday multiplier is refused when made, not when accepted).
  .superRefine((offer, context) => {
    if (typeof offer.value !== "number" || !(offer.termKey in TERM_FIELDS)) return;
    const result = TERM_FIELDS[offer.termKey as TermKey].schema.safeParse(offer.value);
    if (!result.success) for (const issue of result.error.issues) context.addIssue({ ...issue, path: ["value"] } as z.IssueData);
    // An offer is a position: nothing (0.00 yuan, 0 minutes) is not one, except where zero is itself a demand.
    else if (offer.value === 0 && !ZERO_IS_A_POSITION.has(offer.termKey as TermKey)) context.addIssue({ code: "custom", path: ["value"], message: "validation.offerPositive" });
  });

/**
 * Terms where an offer of zero is a real position: no penalties at all, no commission, no waiting
 * allowance, no notice before exit. Every other single-number offer must be above zero.
 */
export const ZERO_IS_A_POSITION: ReadonlySet<TermKey> = new Set<TermKey>(["penaltyCapFen", "commissionCapBp", "waitingAllowanceMinutes", "exitNoticeDays", "pieceRateNightSurchargeFen", "badWeatherSubsidyFen", "distanceSurchargeFenPerKm", "paidLeaveDaysPerYear"]);

/** Whether an offer repeats a value (a number, a table, a list of causes), whatever the order of its keys. */
export function sameOfferValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
