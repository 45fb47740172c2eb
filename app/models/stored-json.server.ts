/**
 * Every Json column of the schema, read and written in one place through its zod schema
 * (issue 16): the rest of the code gets typed values and never casts stored JSON. Writing checks
 * that a value is JSON (no `undefined` deep inside, no class instances, no cycles); reading checks
 * the shape we wrote, and a row that does not match is refused loudly (a stored value we cannot
 * read is a bug or a tampered row, never something to guess at).
 *
 *   BargainingSession.agreements  storedAgreements       AuditEvent.payload, Notification.payload  storedRecord
 *   TermOffer.valueJson           storedOfferValue       DraftVersion/NoticeVersion/NoticeCorrection.terms  storedTerms
 *   NoticeVersion.parties         storedParties          NoticeVersion.signatures  storedSignatures
 *   NoticeVersion.ratification    storedRatification     RatificationVote.outcome  storedOutcome
 */
import { z } from "zod";
import type { Prisma } from "~/infra/db.server.ts";
import { noticeRatificationSchema, type NoticeParty, type NoticeSignature } from "~/domain/notice.ts";
import { SIDES, type SessionSnapshot, type SuspensionPlan } from "~/domain/procedure.ts";

/** A JSON value as Prisma writes it. */
const jsonValue: z.ZodType<Prisma.InputJsonValue> = z.lazy(() =>
  z.union([z.string(), z.number().finite(), z.boolean(), z.array(jsonValue.nullable()), z.record(jsonValue.nullable())]),
);

/** Any value we store in a Json column, checked to be JSON. */
export function toStoredJson(value: unknown): Prisma.InputJsonValue {
  return jsonValue.parse(value);
}

/** A stored column read through its schema; a mismatch names the column. */
function reader<S extends z.ZodTypeAny>(column: string, schema: S) {
  return (stored: unknown): z.output<S> => {
    const parsed = schema.safeParse(stored);
    if (!parsed.success) throw new Error(`stored ${column} does not match its schema: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    return parsed.data;
  };
}

const side = z.enum(SIDES);

const suspensionSchema = z.object({ resumesAt: z.string(), meetingAt: z.string(), location: z.string(), agenda: z.string() }).strict() satisfies z.ZodType<SuspensionPlan>;

/** The sides whose chief has agreed, per pending two-step decision, and the terms agreed to. */
const agreementsSchema = z
  .object({
    SUSPEND: z.array(side).optional(),
    RESUME: z.array(side).optional(),
    DRAFT: z.array(side).optional(),
    REOPEN: z.array(side).optional(),
    terms: z
      .object({
        SUSPEND: suspensionSchema.optional(),
        RESUME: z.object({}).strict().optional(),
        DRAFT: z.object({ startsOn: z.string().nullable() }).strict().optional(),
        REOPEN: z.object({ reason: z.string() }).strict().optional(),
      })
      .strict()
      .optional(),
  })
  .strict() satisfies z.ZodType<SessionSnapshot["agreements"]>;
export const storedAgreements = reader("BargainingSession.agreements", agreementsSchema);

/** The suspension both chiefs agreed (第三十五条), while SUSPENDED. */
export const storedSuspension = reader("BargainingSession.suspension", suspensionSchema.nullable());

/** An object of JSON values (audit payloads, notification payloads). */
export const storedRecord = reader("payload", z.record(z.unknown()));

/** Structured terms (the draft's, a version's, a notice's, a correction's). */
export const storedTerms = reader("terms", z.record(z.unknown()));

/** An offer's value: a number (stored in `value`) or a table or object (in `valueJson`). */
export function storedOfferValue(value: number | null, valueJson: unknown): number | unknown[] | Record<string, unknown> {
  if (value !== null) return value;
  return reader("TermOffer.valueJson", z.union([z.array(z.unknown()), z.record(z.unknown())]))(valueJson);
}

const partyVerificationSchema = z.object({ status: z.string(), creditCode: z.string().nullable(), verifiedAt: z.string().nullable() });
const partySchema = z.object({ slug: z.string(), name: z.string(), nameEn: z.string().nullable(), type: z.string(), role: z.string(), verification: partyVerificationSchema.optional() }) satisfies z.ZodType<NoticeParty>;
const signatureSchema = z.object({ side, name: z.string(), organization: z.string().nullable(), signedAt: z.string(), contentHash: z.string() }) satisfies z.ZodType<NoticeSignature>;

export const storedParties = reader("NoticeVersion.parties", z.array(partySchema));
export const storedSignatures = reader("NoticeVersion.signatures", z.array(signatureSchema));

/** The ratification a notice records: the tally and the rule applied, and whether the ballot was secret. */
export const storedRatification = reader("NoticeVersion.ratification", noticeRatificationSchema);

/** A closed vote's outcome: the thresholds met, the tally, the rule, who voted. */
export const storedOutcome = reader(
  "RatificationVote.outcome",
  z
    .object({ passed: z.boolean(), attendanceMet: z.boolean(), approvalMet: z.boolean(), enterprisesMet: z.boolean(), tally: z.unknown(), rule: z.unknown() })
    .passthrough()
    .nullable(),
);
