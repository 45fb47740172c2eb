/**
 * The algorithm register (算法公示): for each agreement version, the automated systems that
 * dispatch orders, estimate delivery time, rank or appraise workers, and deduct pay — what each
 * decides, its main parameters and their relative weight, the delivery-time estimate policy, and
 * how a worker asks for a person to review a decision. Platforms must hear the union on these
 * rules and publish them (人社部发〔2021〕56号 第（十）项; 国市监网监发〔2021〕38号 "算法取中").
 *
 * Entries are edited as structured terms while bargaining, so the schema accepts incomplete
 * entries (empty text); completeness is a rule check (`registerComplete` in rule-checks.ts), not a
 * validation error, so nothing a negotiator typed is refused half-way.
 */
import { z } from "zod";

export const ALGORITHM_KINDS = ["DISPATCH", "TIME_ESTIMATE", "RATING", "PAY_DEDUCTION"] as const;
export type AlgorithmKind = (typeof ALGORITHM_KINDS)[number];
/** How delivery-time estimates are set: the median of actual times (算法取中), the strictest, or another stated policy. */
export const ESTIMATE_POLICIES = ["MEDIAN", "STRICTEST", "OTHER"] as const;

const text = (max: number) => z.string({ invalid_type_error: "validation.invalid" }).max(max, "validation.tooLong");

export const algorithmParameterSchema = z
  .object({
    name: text(60),
    /** Relative weight in basis points; the weights of one system add up to 100 %. */
    weightBp: z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(0, "validation.rangeMin").max(10_000, "validation.rangeMax"),
  })
  .strict();

export const algorithmEntrySchema = z
  .object({
    kind: z.enum(ALGORITHM_KINDS, { errorMap: () => ({ message: "validation.choice" }) }),
    name: text(80),
    /** What the system decides, in plain language. */
    decides: text(500),
    parameters: z.array(algorithmParameterSchema).max(12, "validation.tooMany"),
    /** Only for delivery-time estimates. */
    estimatePolicy: z.enum(ESTIMATE_POLICIES, { errorMap: () => ({ message: "validation.choice" }) }).optional(),
    /** How to ask for a person to review a decision (channel, who answers). */
    humanReview: text(300),
    /** Days within which a review request is answered. */
    reviewAnswerDays: z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(1, "validation.rangeMin").max(60, "validation.rangeMax"),
  })
  .strict();

export const algorithmRegisterSchema = z.array(algorithmEntrySchema).max(20, "validation.tooMany");

export type AlgorithmEntry = z.infer<typeof algorithmEntrySchema>;
export type AlgorithmRegister = z.infer<typeof algorithmRegisterSchema>;

/** What is missing from one entry, as i18n keys under `rules.register.` (empty when complete). */
export function missingParts(entry: AlgorithmEntry): string[] {
  const missing: string[] = [];
  if (!entry.name.trim()) missing.push("name");
  if (!entry.decides.trim()) missing.push("decides");
  if (entry.parameters.length === 0 || entry.parameters.some((parameter) => !parameter.name.trim())) missing.push("parameters");
  else if (entry.parameters.reduce((sum, parameter) => sum + parameter.weightBp, 0) !== 10_000) missing.push("weights");
  if (!entry.humanReview.trim()) missing.push("humanReview");
  if (entry.kind === "TIME_ESTIMATE" && !entry.estimatePolicy) missing.push("estimatePolicy");
  return missing;
}

/** An empty entry of a kind, as the editor adds it. */
export function emptyEntry(kind: AlgorithmKind): AlgorithmEntry {
  return { kind, name: "", decides: "", parameters: [], humanReview: "", reviewAnswerDays: 7, ...(kind === "TIME_ESTIMATE" ? { estimatePolicy: "MEDIAN" as const } : {}) };
}
