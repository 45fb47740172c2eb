/**
 * Structured terms of a draft agreement (the `terms` Y.Map of the draft document). One zod schema
 * per term, shared by the browser form (validation while typing) and the server. Money in fen,
 * rates in basis points, time in minutes (shared/DESIGN.md, "Data conventions"). The full term
 * schema with rule checks is the next step (issue 5); these are the terms bargained most often.
 */
import { z } from "zod";

const fen = z.coerce.number({ invalid_type_error: "validation.number" }).int("validation.number").min(0, "validation.rangeMin").max(100_000_00, "validation.rangeMax");
const basisPoints = z.coerce.number({ invalid_type_error: "validation.number" }).int("validation.number").min(0, "validation.rangeMin").max(10_000, "validation.rangeMax");
const minutes = (max: number) => z.coerce.number({ invalid_type_error: "validation.number" }).int("validation.number").min(0, "validation.rangeMin").max(max, "validation.rangeMax");

export const TERM_FIELDS = {
  pieceRateBaseFen: { topic: "pieceRate", unit: "fen", schema: fen },
  pieceRateNightSurchargeFen: { topic: "pieceRate", unit: "fen", schema: fen },
  badWeatherSubsidyFen: { topic: "pieceRate", unit: "fen", schema: fen },
  // 1× to 5× (10,000 to 50,000 basis points): its own bounds, not the 0–100 % of a rate.
  holidayMultiplierBp: { topic: "pay", unit: "bp", schema: z.coerce.number({ invalid_type_error: "validation.number" }).int("validation.number").min(10_000, "validation.rangeMin").max(50_000, "validation.rangeMax") },
  commissionCapBp: { topic: "commission", unit: "bp", schema: basisPoints },
  maxContinuousMinutes: { topic: "workTime", unit: "minutes", schema: minutes(24 * 60) },
  restAfterContinuousMinutes: { topic: "workTime", unit: "minutes", schema: minutes(24 * 60) },
  maxDailyMinutes: { topic: "workTime", unit: "minutes", schema: minutes(24 * 60) },
  waitingAllowanceMinutes: { topic: "workTime", unit: "minutes", schema: minutes(24 * 60) },
  penaltyCapFen: { topic: "penalties", unit: "fen", schema: fen },
  appealWindowDays: { topic: "penalties", unit: "days", schema: z.coerce.number({ invalid_type_error: "validation.number" }).int("validation.number").min(1, "validation.rangeMin").max(365, "validation.rangeMax") },
} as const;

export type TermKey = keyof typeof TERM_FIELDS;
export const TERM_KEYS = Object.keys(TERM_FIELDS) as TermKey[];

/** Parses one term as typed by a person (money in yuan with up to two decimals, rates in %). */
export function parseTermInput(key: TermKey, raw: string): { ok: true; value: number } | { ok: false; message: { key: string; values?: Record<string, number> } } {
  const field = TERM_FIELDS[key];
  const trimmed = raw.trim();
  if (trimmed === "") return { ok: false, message: { key: "validation.required" } };
  if (!/^\d+(\.\d{1,2})?$/.test(trimmed)) return { ok: false, message: { key: "validation.number" } };
  const number = Number(trimmed);
  // People type yuan and percentages; we store fen and basis points.
  const stored = field.unit === "fen" || field.unit === "bp" ? Math.round(number * 100) : number;
  const result = field.schema.safeParse(stored);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  const values: Record<string, number> = {};
  if (issue.code === "too_small") values.min = field.unit === "fen" || field.unit === "bp" ? Number(issue.minimum) / 100 : Number(issue.minimum);
  if (issue.code === "too_big") values.max = field.unit === "fen" || field.unit === "bp" ? Number(issue.maximum) / 100 : Number(issue.maximum);
  return { ok: false, message: { key: issue.message.startsWith("validation.") ? issue.message : "validation.invalid", values } };
}

/** A stored term value as a person reads it (yuan, %, minutes, days). */
export function formatTermValue(key: TermKey, value: number): string {
  const unit = TERM_FIELDS[key].unit;
  return unit === "fen" || unit === "bp" ? (value / 100).toFixed(2) : String(value);
}

export const ORDER_TYPES = ["STANDARD", "URGENT", "BULKY", "GROCERY"] as const;
export const TIME_BANDS = ["ALL_DAY", "PEAK", "NIGHT"] as const;
/** Causes a worker does not control, for which no penalty may be applied (shared/DESIGN.md). */
export const EXCLUDED_CAUSES = ["TRAFFIC_CONTROL", "BAD_WEATHER", "MERCHANT_DELAY", "BUILDING_ACCESS", "SYSTEM_FAILURE"] as const;

const metres = z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(0, "validation.rangeMin").max(100_000, "validation.rangeMax");

/** One row of the piece-rate table: an order type in a distance band and a time band. */
export const pieceRateRowSchema = z
  .object({
    orderType: z.enum(ORDER_TYPES, { errorMap: () => ({ message: "validation.choice" }) }),
    fromMetres: metres,
    toMetres: metres,
    timeBand: z.enum(TIME_BANDS, { errorMap: () => ({ message: "validation.choice" }) }),
    priceFen: fen,
  })
  .strict()
  .refine((row) => row.toMetres > row.fromMetres, { message: "validation.bandOrder", path: ["toMetres"] });

export const pieceRateTableSchema = z.array(pieceRateRowSchema).max(60, "validation.tooMany");
export const excludedCausesSchema = z.array(z.enum(EXCLUDED_CAUSES, { errorMap: () => ({ message: "validation.choice" }) })).max(EXCLUDED_CAUSES.length);
export const allocationSchema = z
  .object({
    /** 算法取中: delivery-time estimates use the median, not the strictest (国市监网监发〔2021〕38号). */
    medianEstimate: z.boolean(),
    dispatchRadiusMetres: metres,
    maxConcurrentOrders: z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(1, "validation.rangeMin").max(20, "validation.rangeMax"),
  })
  .strict();

/** Validates a whole terms map (the server checks every update that touches terms with this). */
export const termsSchema = z
  .object({
    ...(Object.fromEntries(TERM_KEYS.map((key) => [key, TERM_FIELDS[key].schema.optional()])) as Record<TermKey, z.ZodOptional<z.ZodNumber>>),
    pieceRateTable: pieceRateTableSchema.optional(),
    penaltyExcludedCauses: excludedCausesSchema.optional(),
    allocation: allocationSchema.optional(),
  })
  .strict();
