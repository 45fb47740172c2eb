/** Input schemas for bargaining-session forms and endpoints (messages are i18n keys). */
import { z } from "zod";
import { SIDES } from "./procedure.ts";
import { reviewAnswersSchema, reviewRowsSchema } from "./review.ts";
import { RATIFICATION_SCOPES } from "./ratification.ts";
import { SESSION_PURPOSES, TERMINATION_GROUND_KEYS } from "./amendment.ts";
import { PROCEDURE_RULES } from "./procedure-rules.ts";
import { REGION_CODES } from "./regions.ts";
import { INDUSTRIES, TOPICS } from "./session-topics.ts";
import { emailSchema, idSchema } from "./validation.ts";

export const SESSION_LIMITS = { titleMax: 200, proposalMax: 20_000, reasonsMax: 5_000, locationMax: 300, agendaMax: 5_000, minutesMax: 100_000, noteMax: 10_000, partiesMax: 50 } as const;

const text = (max: number) =>
  z
    .string({ required_error: "validation.required", invalid_type_error: "validation.required" })
    .transform((value) => value.trim())
    .pipe(z.string().min(1, "validation.required").max(max, "validation.tooLong"));

const idList = z.array(idSchema).max(SESSION_LIMITS.partiesMax, "validation.tooMany");

export const proposalSchema = z.object({
  proposerOrganizationId: idSchema,
  title: text(SESSION_LIMITS.titleMax),
  industry: z.enum(INDUSTRIES, { errorMap: () => ({ message: "validation.choice" }) }),
  regionCode: z.enum(REGION_CODES, { errorMap: () => ({ message: "validation.choice" }) }),
  topics: z.array(z.enum(TOPICS, { errorMap: () => ({ message: "validation.choice" }) })).min(1, "validation.pickOne").default([]),
  proposalText: text(SESSION_LIMITS.proposalMax),
  termMonths: z.coerce
    .number({ invalid_type_error: "validation.number" })
    .int("validation.number")
    .min(PROCEDURE_RULES.termMonths.value.min, "validation.rangeMin")
    .max(PROCEDURE_RULES.termMonths.value.max, "validation.rangeMax"),
  representativesPerSide: z.coerce
    .number({ invalid_type_error: "validation.number" })
    .int("validation.number")
    .min(PROCEDURE_RULES.minRepresentativesPerSide.value, "validation.rangeMin")
    .max(PROCEDURE_RULES.maxRepresentativesPerSide.value, "validation.rangeMax"),
  recipientOrganizationIds: idList.min(1, "validation.pickOne").default([]),
  observerOrganizationIds: idList.default([]),
  coveredOrganizationIds: idList.default([]),
  /**
   * How the ratification vote will be counted (issue 20, item 2): 第三十六条, or with the parties'
   * agreed per-enterprise practice on top. Agreed by accepting the proposal.
   */
  ratificationPractice: z.enum(RATIFICATION_SCOPES, { errorMap: () => ({ message: "validation.choice" }) }).default("ORDINARY"),
  /** A new agreement, or a renewal, amendment or termination of a series (第三十九条至第四十一条). */
  purpose: z.enum(SESSION_PURPOSES, { errorMap: () => ({ message: "validation.choice" }) }).default("AGREEMENT"),
  /** A termination's ground and reason (第三十九条, 第四十条); required for a termination (checked by the model). */
  terminationGround: z.preprocess((value) => (value === "" ? undefined : value), z.enum(TERMINATION_GROUND_KEYS, { errorMap: () => ({ message: "validation.choice" }) }).optional()),
  terminationReason: z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), text(SESSION_LIMITS.reasonsMax).optional()),
  /** The notice series a renewal continues (empty: a new series). */
  continuesNoticeId: z.preprocess((value) => (value === "" ? undefined : value), idSchema.optional()),
});

/** datetime-local values are China time (UTC+8), the time zone of every demo and most users. */
const chinaDateTime = z
  .string({ required_error: "validation.required" })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "validation.dateTime")
  .transform((value) => new Date(`${value}:00+08:00`))
  .refine((date) => !Number.isNaN(date.getTime()), "validation.dateTime");

/** A day (YYYY-MM-DD, China time), or empty for none. */
const optionalDay = z.preprocess(
  (value) => (value === "" ? undefined : value),
  z
    .string({ invalid_type_error: "validation.date" })
    .regex(/^\d{4}-\d{2}-\d{2}$/, "validation.date")
    .refine((value) => !Number.isNaN(new Date(`${value}T00:00:00+08:00`).getTime()) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), "validation.date")
    .optional(),
);

export const sessionActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("accept") }),
    z.object({ intent: z.literal("decline"), reasons: text(SESSION_LIMITS.reasonsMax) }),
    z.object({ intent: z.literal("withdraw") }),
    z.object({ intent: z.literal("startBargaining") }),
    // Agreeing the draft, with the later start date the parties may write into it (第四十七条: in
    // force at the end of review, or later as agreed).
    z.object({ intent: z.literal("agree"), kind: z.literal("DRAFT", { errorMap: () => ({ message: "validation.choice" }) }), startsOn: optionalDay }),
    // 第三十五条: the length of the suspension, and the time, place and content of the next meeting.
    z.object({ intent: z.literal("suspend"), resumesAt: chinaDateTime, meetingAt: chinaDateTime, location: text(SESSION_LIMITS.locationMax), agenda: text(SESSION_LIMITS.agendaMax) }),
    z.object({ intent: z.literal("resume") }),
    z.object({ intent: z.literal("reopen"), reason: text(SESSION_LIMITS.reasonsMax) }),
    // Refiling after a review opinion answers each of its items (第四十六条).
    z.object({ intent: z.literal("file"), answers: reviewAnswersSchema.default([]) }),
    // The opinion's rows, paired and checked by parseReviewRows (app/domain/review.ts).
    z.object({ intent: z.literal("object"), clause: reviewRowsSchema, reason: reviewRowsSchema }),
    z.object({ intent: z.literal("requestRenewal") }),
    z.object({
      intent: z.literal("appointSeat"),
      kind: z.enum(["REPRESENTATIVE", "RECORDER"], { errorMap: () => ({ message: "validation.choice" }) }),
      side: z.enum(SIDES, { errorMap: () => ({ message: "validation.choice" }) }).optional(),
      email: emailSchema,
      isChief: z.enum(["on"]).optional().transform((value) => value === "on"),
      outsideProfessional: z.enum(["on"]).optional().transform((value) => value === "on"),
      replacesSeatId: idSchema.optional(),
    }),
    z.object({ intent: z.literal("endSeat"), seatId: idSchema, reason: text(SESSION_LIMITS.reasonsMax) }),
    z.object({ intent: z.literal("confirmRecorder"), seatId: idSchema }),
    z.object({ intent: z.literal("scheduleRound"), scheduledAt: chinaDateTime, location: text(SESSION_LIMITS.locationMax), agenda: text(SESSION_LIMITS.agendaMax) }),
    z.object({ intent: z.literal("recordRound"), roundId: idSchema, attendeeIds: z.array(idSchema).max(100, "validation.tooMany").default([]), minutes: text(SESSION_LIMITS.minutesMax) }),
    z.object({ intent: z.literal("signMinutes"), roundId: idSchema, minutesHash: z.string().regex(/^[0-9a-f]{64}$/, "validation.invalid") }),
  ],
  { errorMap: () => ({ message: "validation.choice" }) },
);

export const caucusNoteSchema = z.object({ body: text(SESSION_LIMITS.noteMax) });
export const sideParamSchema = z.enum(["worker", "employer"]).transform((value) => (value === "worker" ? "WORKER" : "EMPLOYER") as "WORKER" | "EMPLOYER");
