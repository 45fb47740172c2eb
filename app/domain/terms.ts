/**
 * Structured terms of a draft agreement (the `terms` Y.Map of the draft document). One zod schema
 * per term, shared by the browser form (validation while typing) and the server. Money in fen,
 * rates in basis points, time in minutes, distances in metres (shared/DESIGN.md, "Data
 * conventions").
 *
 * The schema is versioned (`TERMS_SCHEMA_VERSION`, stored as `schemaVersion` in the terms map):
 * version 1 had the single numbers, the piece-rate table, excluded causes and allocation; version 2
 * adds the distance surcharge, the labour quota, rest days and leave, how commission is shown, one
 * rule per penalty and the algorithm register; version 3 (issue 22) adds the appeal response time,
 * pay timing, entry and exit notice, occupational injury protection and accident cover, the
 * rounding rule and reward rules. Every field is optional, so an older document is a valid newer
 * document; `readTerms` is the one place that upgrades older versions, so stored
 * agreements and published notices are never misread when the schema grows (decision 021).
 */
import { z } from "zod";
import { algorithmRegisterSchema } from "./algorithm-register.ts";

export const TERMS_SCHEMA_VERSION = 3;

const fen = z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(0, "validation.rangeMin").max(100_000_00, "validation.rangeMax");
const basisPoints = z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(0, "validation.rangeMin").max(10_000, "validation.rangeMax");
const minutes = (max: number) => z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(0, "validation.rangeMin").max(max, "validation.rangeMax");

export const TERM_FIELDS = {
  pieceRateBaseFen: { topic: "pieceRate", unit: "fen", schema: fen },
  // Outside the piece-rate table: the base price covers orders up to this distance, then a surcharge per started kilometre.
  baseDistanceMetres: { topic: "pieceRate", unit: "metres", schema: z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(0, "validation.rangeMin").max(100_000, "validation.rangeMax") },
  distanceSurchargeFenPerKm: { topic: "pieceRate", unit: "fen", schema: fen },
  pieceRateNightSurchargeFen: { topic: "pieceRate", unit: "fen", schema: fen },
  badWeatherSubsidyFen: { topic: "pieceRate", unit: "fen", schema: fen },
  // 1× to 5× (10,000 to 50,000 basis points): its own bounds, not the 0–100 % of a rate.
  holidayMultiplierBp: { topic: "pay", unit: "bp", schema: z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(10_000, "validation.rangeMin").max(50_000, "validation.rangeMax") },
  commissionCapBp: { topic: "commission", unit: "bp", schema: basisPoints },
  // Labour quota (劳动定额): minutes a standard order takes at normal intensity; pay at quota is checked against the minimum wage.
  quotaMinutesPerOrder: { topic: "quota", unit: "minutes", schema: z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(1, "validation.rangeMin").max(600, "validation.rangeMax") },
  maxContinuousMinutes: { topic: "workTime", unit: "minutes", schema: minutes(24 * 60) },
  restAfterContinuousMinutes: { topic: "workTime", unit: "minutes", schema: minutes(24 * 60) },
  maxDailyMinutes: { topic: "workTime", unit: "minutes", schema: minutes(24 * 60) },
  waitingAllowanceMinutes: { topic: "workTime", unit: "minutes", schema: minutes(24 * 60) },
  restDaysPerMonth: { topic: "rest", unit: "days", schema: z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(0, "validation.rangeMin").max(31, "validation.rangeMax") },
  paidLeaveDaysPerYear: { topic: "rest", unit: "days", schema: z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(0, "validation.rangeMin").max(366, "validation.rangeMax") },
  penaltyCapFen: { topic: "penalties", unit: "fen", schema: fen },
  appealWindowDays: { topic: "penalties", unit: "days", schema: z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(1, "validation.rangeMin").max(365, "validation.rangeMax") },
  // Version 3 (issue 22).
  /** Hours within which the platform answers a worker's appeal or complaint (国市监网监发〔2021〕38号 九: routine problems within 24 hours). */
  appealResponseHours: { topic: "penalties", unit: "hours", schema: z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(1, "validation.rangeMin").max(720, "validation.rangeMax") },
  /** Pay is settled at least every this many days (支付周期). */
  payCycleDays: { topic: "pay", unit: "days", schema: z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(1, "validation.rangeMin").max(31, "validation.rangeMax") },
  /** Days of notice before a worker's account is suspended or removed for a reason other than a safety emergency (准入退出). */
  exitNoticeDays: { topic: "entryExit", unit: "days", schema: z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(0, "validation.rangeMin").max(90, "validation.rangeMax") },
  /** Sum insured per person by the accident insurance the platform buys (up to 10 million yuan). */
  accidentCoverFen: { topic: "protection", unit: "fen", schema: z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(0, "validation.rangeMin").max(1_000_000_000, "validation.rangeMax") },
} as const;

export type TermKey = keyof typeof TERM_FIELDS;

/**
 * Terms chosen from a list. `roundingRule`: how amounts are rounded to the fen (default when not
 * stated: each order priced and rounded half up before summing, so a worker can check an order
 * against the app). `occupationalInjury`: how work injuries are covered (人社部发〔2021〕56号 （九）:
 * the occupational injury protection scheme for platform workers, and commercial insurance).
 */
export const TERM_CHOICES = {
  roundingRule: { topic: "pay", options: ["PER_ORDER_HALF_UP", "TOTAL_HALF_UP"] },
  occupationalInjury: { topic: "protection", options: ["SCHEME", "COMMERCIAL", "BOTH", "NONE"] },
} as const;
export type ChoiceKey = keyof typeof TERM_CHOICES;
export const CHOICE_KEYS = Object.keys(TERM_CHOICES) as ChoiceKey[];
export const ROUNDING_RULES = TERM_CHOICES.roundingRule.options;
export type RoundingRule = (typeof ROUNDING_RULES)[number];
export const DEFAULT_ROUNDING_RULE: RoundingRule = "PER_ORDER_HALF_UP";
export const TERM_KEYS = Object.keys(TERM_FIELDS) as TermKey[];

/** Parses one term as typed by a person (money in yuan with up to two decimals, rates in %). */
export function parseTermInput(key: TermKey, raw: string): { ok: true; value: number } | { ok: false; message: { key: string; values?: Record<string, number> } } {
  const field = TERM_FIELDS[key];
  const trimmed = raw.trim();
  if (trimmed === "") return { ok: false, message: { key: "validation.required" } };
  // Yuan and percentages take two decimals; kilometres three (whole metres).
  const decimals = field.unit === "metres" ? 3 : 2;
  // The message says what is expected in the unit typed (a money value with three decimals is not "enter a whole number").
  const formatKey = field.unit === "fen" ? "validation.money" : field.unit === "bp" ? "validation.percent" : field.unit === "metres" ? "validation.kilometres" : "validation.number";
  if (!new RegExp(`^\\d+(\\.\\d{1,${decimals}})?$`).test(trimmed)) return { ok: false, message: { key: formatKey } };
  const number = Number(trimmed);
  // People type yuan and percentages; we store fen and basis points.
  const stored = field.unit === "fen" || field.unit === "bp" ? Math.round(number * 100) : field.unit === "metres" ? Math.round(number * 1000) : number;
  const result = field.schema.safeParse(stored);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  const values: Record<string, number> = {};
  const shown = (stored: number) => (field.unit === "fen" || field.unit === "bp" ? stored / 100 : field.unit === "metres" ? stored / 1000 : stored);
  if (issue.code === "too_small") values.min = shown(Number(issue.minimum));
  if (issue.code === "too_big") values.max = shown(Number(issue.maximum));
  return { ok: false, message: { key: issue.message.startsWith("validation.") ? issue.message : "validation.invalid", values } };
}

/** A stored term value as a person reads it (yuan, %, kilometres, minutes, days). */
export function formatTermValue(key: TermKey, value: number): string {
  const unit = TERM_FIELDS[key].unit;
  if (unit === "metres") return String(value / 1000);
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

/** What a penalty is for. A penalty not listed in the agreement cannot be applied. */
export const PENALTY_KINDS = ["LATE_DELIVERY", "CUSTOMER_COMPLAINT", "ORDER_CANCELLED", "BAD_REVIEW", "RULE_BREACH"] as const;

/** One penalty rule: its amount, a monthly cap, the causes for which it is never applied, and the appeal window. */
export const penaltyRuleSchema = z
  .object({
    kind: z.enum(PENALTY_KINDS, { errorMap: () => ({ message: "validation.choice" }) }),
    amountFen: fen,
    monthlyCapFen: fen,
    appealWindowDays: z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(1, "validation.rangeMin").max(365, "validation.rangeMax"),
    excludedCauses: excludedCausesSchema,
  })
  .strict()
  .refine((rule) => rule.monthlyCapFen >= rule.amountFen, { message: "validation.capBelowAmount", path: ["monthlyCapFen"] });
export const penaltyRulesSchema = z
  .array(penaltyRuleSchema)
  .max(PENALTY_KINDS.length, "validation.tooMany")
  .refine((rules) => new Set(rules.map((rule) => rule.kind)).size === rules.length, { message: "validation.duplicateKind" });

/** What a reward is for. */
export const REWARD_KINDS = ["ORDER_COUNT", "PEAK_HOURS", "SERVICE_RATING", "LONG_SERVICE", "OTHER"] as const;

/** One reward rule: what it is for, the amount, and the condition in words. */
export const rewardRuleSchema = z
  .object({
    kind: z.enum(REWARD_KINDS, { errorMap: () => ({ message: "validation.choice" }) }),
    amountFen: fen,
    condition: z.string({ invalid_type_error: "validation.invalid" }).trim().min(1, "validation.required").max(200, "validation.tooLong"),
  })
  .strict();
export const rewardRulesSchema = z.array(rewardRuleSchema).max(10, "validation.tooMany");

/** Validates a whole terms map (the server checks every update that touches terms with this). */
export const termsSchema = z
  .object({
    schemaVersion: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    ...(Object.fromEntries(TERM_KEYS.map((key) => [key, TERM_FIELDS[key].schema.optional()])) as Record<TermKey, z.ZodOptional<z.ZodNumber>>),
    roundingRule: z.enum(TERM_CHOICES.roundingRule.options, { errorMap: () => ({ message: "validation.choice" }) }).optional(),
    occupationalInjury: z.enum(TERM_CHOICES.occupationalInjury.options, { errorMap: () => ({ message: "validation.choice" }) }).optional(),
    rewardRules: rewardRulesSchema.optional(),
    pieceRateTable: pieceRateTableSchema.optional(),
    penaltyExcludedCauses: excludedCausesSchema.optional(),
    allocation: allocationSchema.optional(),
    /** Whether the commission taken is shown on every order (阳光抽成). */
    commissionShownPerOrder: z.boolean().optional(),
    penaltyRules: penaltyRulesSchema.optional(),
    algorithms: algorithmRegisterSchema.optional(),
  })
  .strict();

export type Terms = z.infer<typeof termsSchema>;
export type PieceRateRow = z.infer<typeof pieceRateRowSchema>;
export type PenaltyRule = z.infer<typeof penaltyRuleSchema>;
export type RewardRule = z.infer<typeof rewardRuleSchema>;

/**
 * Reads stored terms of any schema version as the current version, or null when they are not valid.
 * Each version is a subset of the next, so upgrading only stamps the version.
 */
export function readTerms(raw: unknown): Terms | null {
  const parsed = termsSchema.safeParse(raw ?? {});
  if (!parsed.success) return null;
  return { ...parsed.data, schemaVersion: TERMS_SCHEMA_VERSION };
}
