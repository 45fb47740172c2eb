/**
 * The labour bureau's review of a filed agreement, as data (issue 20, item 4). The bureau reviews
 * legality — the parties' standing, the procedure, the content (《集体合同规定》第四十四条) — and
 * may serve a review opinion (审查意见书) within 15 days of receiving the text (第四十五条, 第四十七条):
 * the parties, the date it received the text, the opinion and its date. Here the opinion is
 * structured as the clauses it concerns and the reason for each. The parties answer by
 * renegotiating the matters objected to, signing again and refiling (第四十六条), and say item by
 * item how they answered each.
 */
import { z } from "zod";
import { fieldErrorsOf, type FieldErrors } from "./validation.ts";

export const REVIEW_LIMITS = { itemsMax: 30, clauseMax: 300, reasonMax: 2_000, answerMax: 2_000 } as const;

export type ReviewItem = { clause: string; reason: string };

const text = (max: number) =>
  z
    .string({ required_error: "validation.required", invalid_type_error: "validation.required" })
    .transform((value) => value.trim())
    .pipe(z.string().min(1, "validation.required").max(max, "validation.tooLong"));

export const reviewItemSchema = z.object({ clause: text(REVIEW_LIMITS.clauseMax), reason: text(REVIEW_LIMITS.reasonMax) });

/** An opinion's items: at least one, each a clause and its reason. */
export const reviewItemsSchema = z.array(reviewItemSchema).min(1, "validation.reviewItems").max(REVIEW_LIMITS.itemsMax, "validation.tooMany");

/** The form's rows (`clause[]`, `reason[]`), bounded before they are paired. */
export const reviewRowsSchema = z.array(z.string().max(REVIEW_LIMITS.reasonMax * 2, "validation.tooLong")).max(REVIEW_LIMITS.itemsMax * 2, "validation.tooMany").default([]);

/** The parties' answers, one per item of the opinion, in its order. */
export const reviewAnswersSchema = z.array(text(REVIEW_LIMITS.answerMax)).max(REVIEW_LIMITS.itemsMax, "validation.tooMany");

/** The items of an opinion from the form's rows, or the first problem with them as a field message. */
export function parseReviewRows(clauses: readonly string[], reasons: readonly string[]): { ok: true; items: ReviewItem[] } | { ok: false; errors: FieldErrors } {
  const parsed = reviewItemsSchema.safeParse(itemsFromRows(clauses, reasons));
  if (parsed.success) return { ok: true, items: parsed.data };
  const first = Object.values(fieldErrorsOf(parsed.error)).flat()[0]!;
  return { ok: false, errors: { items: [first] } };
}

/**
 * Form rows to items: pairs of clause and reason; rows left entirely empty are dropped (a form
 * shows a few spare rows), a half-filled row is kept so that its empty half is reported.
 */
export function itemsFromRows(clauses: readonly string[], reasons: readonly string[]): Array<{ clause: string; reason: string }> {
  const rows: Array<{ clause: string; reason: string }> = [];
  for (let index = 0; index < Math.max(clauses.length, reasons.length); index++) {
    const clause = clauses[index] ?? "";
    const reason = reasons[index] ?? "";
    if (clause.trim() === "" && reason.trim() === "") continue;
    rows.push({ clause, reason });
  }
  return rows;
}
