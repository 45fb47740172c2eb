/** Input schemas for the disputes page (app/routes/_session.sessions.$id.disputes.tsx); messages are i18n keys. */
import { z } from "zod";
import { DISPUTE_LIMITS, PARTICIPANT_ROLES, type Participant } from "./disputes.ts";
import { PROCEDURE_RULES } from "./procedure-rules.ts";
import { SIDES } from "./procedure.ts";
import { idSchema } from "./validation.ts";

const text = (max: number) =>
  z
    .string({ required_error: "validation.required", invalid_type_error: "validation.required" })
    .transform((value) => value.trim())
    .pipe(z.string().min(1, "validation.required").max(max, "validation.tooLong"));

const optionalText = (max: number) =>
  z
    .string({ invalid_type_error: "validation.required" })
    .optional()
    .transform((value) => value?.trim() || undefined)
    .pipe(z.string().max(max, "validation.tooLong").optional());

const side = z.enum(SIDES, { errorMap: () => ({ message: "validation.choice" }) });

/** A list field of the participants' rows (`role[]`, `organization[]`, `people[]`): one string per row. */
const rows = <T extends z.ZodTypeAny>(item: T) => z.array(item, { invalid_type_error: "validation.invalid", required_error: "validation.required" }).max(DISPUTE_LIMITS.participantsMax, "validation.tooMany");

const actions = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("apply"), side, statement: text(DISPUTE_LIMITS.statementMax) }),
    z.object({ intent: z.literal("referRefusal"), statement: text(DISPUTE_LIMITS.statementMax) }),
    z.object({
      intent: z.literal("referPerformance"),
      side,
      statement: text(DISPUTE_LIMITS.statementMax),
      referredTo: text(DISPUTE_LIMITS.referredToMax),
      referenceNumber: optionalText(DISPUTE_LIMITS.referenceNumberMax),
    }),
    z.object({ intent: z.literal("accept"), disputeId: idSchema }),
    // The bureau's record of who coordinates (第五十条): rows of role, organization and the people
    // it sent; a row without an organization is a blank row of the form and is dropped (below).
    z.object({
      intent: z.literal("recordParticipants"),
      disputeId: idSchema,
      role: rows(z.enum(PARTICIPANT_ROLES, { errorMap: () => ({ message: "validation.choice" }) })),
      organization: rows(z.string().max(DISPUTE_LIMITS.organizationMax, "validation.tooLong")),
      people: rows(z.string().max(DISPUTE_LIMITS.peopleMax, "validation.tooLong")),
    }),
    z.object({
      intent: z.literal("extend"),
      disputeId: idSchema,
      days: z.coerce
        .number({ invalid_type_error: "validation.number" })
        .int("validation.number")
        .min(1, "validation.rangeMin")
        .max(PROCEDURE_RULES.coordinationExtensionDays.value, "validation.rangeMax"),
      reason: text(DISPUTE_LIMITS.reasonMax),
    }),
    z.object({ intent: z.literal("conclude"), disputeId: idSchema, settlementText: text(DISPUTE_LIMITS.settlementMax) }),
    z.object({ intent: z.literal("withdraw"), disputeId: idSchema }),
  ],
  { errorMap: () => ({ message: "validation.choice" }) },
);

/** The intents of the page, for the tests that must cover each (access control, refusals, fuzzing). */
export const DISPUTE_INTENTS = actions.options.map((option) => option.shape.intent.value);

/** Every intent of the disputes page; the participants' rows come out paired, as `participants`. */
export const disputeActionSchema = actions
  .superRefine((form, ctx) => {
    if (form.intent !== "recordParticipants") return;
    if (form.role.length !== form.organization.length || form.role.length !== form.people.length) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "validation.invalid", path: ["organization"] });
      return;
    }
    form.role.forEach((_role, index) => {
      if (!form.organization[index]!.trim() && form.people[index]!.trim()) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "validation.required", path: ["organization"] });
    });
  })
  .transform((form) => {
    if (form.intent !== "recordParticipants") return form;
    const participants = form.role
      .map((role, index): Participant => ({ role, organization: form.organization[index]!.trim(), people: form.people[index]!.trim() }))
      .filter((row) => row.organization !== "");
    return { intent: form.intent, disputeId: form.disputeId, participants };
  });
export type DisputeAction = z.output<typeof disputeActionSchema>;
