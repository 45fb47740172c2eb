/** Input schemas for the agreement page (ratification, signing, filing, review, feedback). */
import { z } from "zod";
import { BALLOT_CHOICES, VOTE_LIMITS } from "./ratification.ts";
import { reviewAnswersSchema, reviewRowsSchema } from "./review.ts";
import { FEEDBACK_LIMITS } from "./notice.ts";
import { TOPICS } from "./session-topics.ts";
import { idSchema } from "./validation.ts";

const text = (max: number) =>
  z
    .string({ required_error: "validation.required", invalid_type_error: "validation.required" })
    .transform((value) => value.trim())
    .pipe(z.string().min(1, "validation.required").max(max, "validation.tooLong"));

export const agreementActionSchema = z.discriminatedUnion(
  "intent",
  [
    z
      .object({
        intent: z.literal("openVote"),
        secret: z.enum(["on"]).optional().transform((value) => value === "on"),
        closesInHours: z.coerce
          .number({ invalid_type_error: "validation.number" })
          .int("validation.number")
          .min(VOTE_LIMITS.minHours, "validation.rangeMin")
          .max(VOTE_LIMITS.maxDays * 24, "validation.rangeMax"),
      })
      // The roll comes as one textarea per enterprise (roll_<organization id>), read separately.
      .passthrough(),
    z.object({ intent: z.literal("castBallot"), choice: z.enum(BALLOT_CHOICES, { errorMap: () => ({ message: "validation.choice" }) }) }),
    z.object({ intent: z.literal("closeVote") }),
    z.object({ intent: z.literal("signAgreement"), password: z.string({ required_error: "validation.required" }).min(1, "validation.required").max(200, "validation.tooLong") }),
    z.object({ intent: z.literal("file"), answers: reviewAnswersSchema.default([]) }),
    z.object({ intent: z.literal("object"), clause: reviewRowsSchema, reason: reviewRowsSchema }),
    z.object({ intent: z.literal("moderateFeedback"), feedbackId: idSchema, status: z.enum(["PUBLISHED", "REJECTED"], { errorMap: () => ({ message: "validation.choice" }) }) }),
  ],
  { errorMap: () => ({ message: "validation.choice" }) },
);

/** A worker's feedback on a notice (public form). */
export const feedbackSchema = z.object({
  topic: z.enum(TOPICS, { errorMap: () => ({ message: "validation.choice" }) }),
  body: text(FEEDBACK_LIMITS.bodyMax),
});
