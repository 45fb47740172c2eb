/**
 * The pay calculator: given the terms of one agreement version and a worker's period (orders by
 * type, distance and time band; hours online and taking orders; holiday and bad-weather orders;
 * penalties incurred), compute gross pay, commission, penalties, net pay and pay per hour, with a
 * line-by-line breakdown a worker can follow. One implementation, used by the terms editor, the
 * offers panel, the version comparison, the public notice page and the minimum-wage check.
 *
 * All amounts are integer fen. How an order is priced:
 *  1. the piece-rate table row for its order type, time band and distance band; if none, the row
 *     for the same type and distance in the all-day band; if none, the base piece rate plus the
 *     distance surcharge per started kilometre beyond the base distance;
 *  2. plus the night surcharge for a night order, unless its price came from a night row;
 *  3. times the holiday multiplier on a statutory holiday;
 *  4. plus the bad-weather subsidy for an order delivered in bad weather.
 * Commission is taken at the rate the worker was charged, never above the agreed cap (the cap is
 * assumed when the rate is not given).
 * Rounding follows the agreed `roundingRule` (issue 22): by default each order's amounts (its price
 * with the holiday multiplier, its commission) are rounded to the fen half up before summing, as a
 * worker checks an order against the app; `TOTAL_HALF_UP` sums exact amounts and rounds each total
 * once. Half up on integers (`halfUp`), never on floating-point products. A penalty is applied only if the agreement has a rule for
 * it and its cause is not excluded, capped by its rule's monthly cap and the overall cap.
 * Deductions never exceed what was earned: net pay is never negative.
 */
import { z } from "zod";
import { DEFAULT_ROUNDING_RULE, EXCLUDED_CAUSES, ORDER_TYPES, PENALTY_KINDS, TIME_BANDS, type PieceRateRow, type RoundingRule, type Terms } from "./terms.ts";

const count = z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(0, "validation.rangeMin").max(100_000, "validation.rangeMax");
const minutes = z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(0, "validation.rangeMin").max(31 * 24 * 60, "validation.rangeMax");

export const orderLineSchema = z
  .object({
    orderType: z.enum(ORDER_TYPES, { errorMap: () => ({ message: "validation.choice" }) }),
    distanceMetres: z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(0, "validation.rangeMin").max(100_000, "validation.rangeMax"),
    timeBand: z.enum(TIME_BANDS, { errorMap: () => ({ message: "validation.choice" }) }),
    count,
    /** How many of these were on a statutory holiday. */
    holidayCount: count,
    /** How many of these were delivered in bad weather. */
    badWeatherCount: count,
  })
  .strict()
  .refine((line) => line.holidayCount <= line.count && line.badWeatherCount <= line.count, { message: "pay.error.moreThanOrders", path: ["count"] });

export const penaltyIncurredSchema = z
  .object({
    kind: z.enum(PENALTY_KINDS, { errorMap: () => ({ message: "validation.choice" }) }),
    count,
    /** The cause recorded for it, when it was one outside the worker's control. */
    cause: z.enum(EXCLUDED_CAUSES, { errorMap: () => ({ message: "validation.choice" }) }).nullable(),
  })
  .strict();

export const workerPeriodSchema = z
  .object({
    days: z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(0, "validation.rangeMin").max(31, "validation.rangeMax"),
    onlineMinutes: minutes,
    orderTakingMinutes: minutes,
    orders: z.array(orderLineSchema).max(50, "validation.tooMany"),
    penalties: z.array(penaltyIncurredSchema).max(20, "validation.tooMany"),
    /** The commission rate actually charged, in basis points; the agreed cap when not given. */
    commissionBp: z.number({ invalid_type_error: "validation.number" }).int("validation.number").min(0, "validation.rangeMin").max(10_000, "validation.rangeMax").nullable(),
  })
  .strict()
  .refine((period) => period.orderTakingMinutes <= period.onlineMinutes, { message: "pay.error.takingAboveOnline", path: ["orderTakingMinutes"] });

export type OrderLine = z.infer<typeof orderLineSchema>;
export type PenaltyIncurred = z.infer<typeof penaltyIncurredSchema>;
export type WorkerPeriod = z.infer<typeof workerPeriodSchema>;

/** One line of the breakdown: an i18n key under `pay.line.`, its values, and a signed amount in fen. */
export type PayLine = { key: string; values: Record<string, string | number>; amountFen: number };

export type PayResult = {
  lines: PayLine[];
  grossFen: number;
  commissionFen: number;
  penaltiesFen: number;
  netFen: number;
  /** Net pay per hour online, in fen (null without online time). */
  perOnlineHourFen: number | null;
  /** Net pay per hour of working time (order-taking plus the agreed allowance per day), in fen. */
  perWorkingHourFen: number | null;
  /** Orders whose price could not be found (no table row and no base rate). */
  unpriced: number;
  /** The rounding rule applied, and whether it was the default because the terms state none. */
  rounding: { rule: RoundingRule; stated: boolean };
};

type UnitPrice = { fen: number; source: "table" | "base"; night: boolean } | null;

function tableRow(table: PieceRateRow[], line: Pick<OrderLine, "orderType" | "distanceMetres">, band: OrderLine["timeBand"]): PieceRateRow | undefined {
  return table.find((row) => row.orderType === line.orderType && row.timeBand === band && line.distanceMetres >= row.fromMetres && line.distanceMetres < row.toMetres);
}

/** The price of one order before the night surcharge, holiday multiplier and bad-weather subsidy. */
export function unitPrice(terms: Terms, line: Pick<OrderLine, "orderType" | "distanceMetres" | "timeBand">): UnitPrice {
  const table = terms.pieceRateTable ?? [];
  const exact = tableRow(table, line, line.timeBand);
  if (exact) return { fen: exact.priceFen, source: "table", night: exact.timeBand === "NIGHT" };
  const allDay = line.timeBand === "ALL_DAY" ? undefined : tableRow(table, line, "ALL_DAY");
  if (allDay) return { fen: allDay.priceFen, source: "table", night: false };
  if (terms.pieceRateBaseFen === undefined) return null;
  const beyond = Math.max(0, line.distanceMetres - (terms.baseDistanceMetres ?? Number.POSITIVE_INFINITY));
  const surcharge = beyond > 0 ? Math.ceil(beyond / 1000) * (terms.distanceSurchargeFenPerKm ?? 0) : 0;
  return { fen: terms.pieceRateBaseFen + surcharge, source: "base", night: false };
}

/** `fen × bp / 10 000` rounded to the fen, half up, in integer arithmetic (amounts are never negative). */
export const halfUp = (fen: number, bp: number) => Math.floor((fen * bp + 5_000) / 10_000);

export function calculatePay(terms: Terms, period: WorkerPeriod): PayResult {
  const lines: PayLine[] = [];
  let grossFen = 0;
  let unpriced = 0;
  const add = (key: string, values: Record<string, string | number>, amountFen: number) => {
    lines.push({ key, values, amountFen });
    return amountFen;
  };

  const rule: RoundingRule = terms.roundingRule ?? DEFAULT_ROUNDING_RULE;
  const perOrder = rule === "PER_ORDER_HALF_UP";
  // The agreed rate on each amount: per order it is rounded for each order, otherwise once on the total.
  const cap = terms.commissionCapBp;
  const rate = period.commissionBp === null ? (cap ?? 0) : cap === undefined ? period.commissionBp : Math.min(period.commissionBp, cap);
  let commissionPerOrderFen = 0;
  const commissionOn = (unitFen: number, count: number) => {
    if (perOrder) commissionPerOrderFen += halfUp(unitFen, rate) * count;
  };

  for (const order of period.orders) {
    if (order.count === 0) continue;
    const price = unitPrice(terms, order);
    const labels = { orderType: order.orderType, timeBand: order.timeBand, distanceKm: order.distanceMetres / 1000, count: order.count };
    if (!price) {
      unpriced += order.count;
      add("unpriced", labels, 0);
      continue;
    }
    const night = order.timeBand === "NIGHT" && !price.night ? (terms.pieceRateNightSurchargeFen ?? 0) : 0;
    const unitFen = price.fen + night;
    grossFen += add(price.source === "table" ? "ordersTable" : "ordersBase", { ...labels, unitFen: price.fen }, price.fen * order.count);
    if (night > 0) grossFen += add("nightSurcharge", { count: order.count, unitFen: night }, night * order.count);
    commissionOn(unitFen, order.count);
    if (order.holidayCount > 0) {
      // The extra on top of normal pay, so the holiday line shows exactly what the holiday adds.
      const multiplier = terms.holidayMultiplierBp ?? 10_000;
      const extraPerOrder = halfUp(unitFen, multiplier) - unitFen;
      const extra = perOrder ? extraPerOrder * order.holidayCount : halfUp(unitFen * order.holidayCount, multiplier) - unitFen * order.holidayCount;
      if (extra > 0) grossFen += add("holiday", { count: order.holidayCount, multiplier: multiplier / 10_000 }, extra);
      if (extraPerOrder > 0) commissionOn(extraPerOrder, order.holidayCount);
    }
    if (order.badWeatherCount > 0 && terms.badWeatherSubsidyFen) {
      grossFen += add("badWeather", { count: order.badWeatherCount, unitFen: terms.badWeatherSubsidyFen }, terms.badWeatherSubsidyFen * order.badWeatherCount);
      commissionOn(terms.badWeatherSubsidyFen, order.badWeatherCount);
    }
  }

  const commissionFen = Math.min(grossFen, perOrder ? commissionPerOrderFen : halfUp(grossFen, rate));
  if (commissionFen > 0) add("commission", { rate: rate / 100, capped: period.commissionBp !== null && cap !== undefined && period.commissionBp > cap ? "yes" : "no" }, -commissionFen);

  let penaltiesFen = 0;
  const rules = new Map((terms.penaltyRules ?? []).map((rule) => [rule.kind, rule]));
  const globallyExcluded = new Set(terms.penaltyExcludedCauses ?? []);
  const byKind = new Map<string, number>();
  for (const penalty of period.penalties) {
    if (penalty.count === 0) continue;
    const rule = rules.get(penalty.kind);
    if (!rule) {
      add("penaltyNoRule", { kind: penalty.kind, count: penalty.count }, 0);
      continue;
    }
    if (penalty.cause && (rule.excludedCauses.includes(penalty.cause) || globallyExcluded.has(penalty.cause))) {
      add("penaltyExcluded", { kind: penalty.kind, count: penalty.count, cause: penalty.cause }, 0);
      continue;
    }
    const already = byKind.get(penalty.kind) ?? 0;
    const amount = Math.max(0, Math.min(rule.amountFen * penalty.count, rule.monthlyCapFen - already));
    byKind.set(penalty.kind, already + amount);
    penaltiesFen += amount;
    add("penalty", { kind: penalty.kind, count: penalty.count, unitFen: rule.amountFen, capped: amount < rule.amountFen * penalty.count ? "yes" : "no" }, -amount);
  }
  // The overall cap, then the rule that deductions never exceed what was earned.
  const overallCap = terms.penaltyCapFen ?? Number.POSITIVE_INFINITY;
  if (penaltiesFen > overallCap) {
    add("penaltyCap", { capFen: overallCap }, penaltiesFen - overallCap);
    penaltiesFen = overallCap;
  }
  const room = grossFen - commissionFen;
  if (penaltiesFen > room) {
    add("penaltyLimit", {}, penaltiesFen - room);
    penaltiesFen = room;
  }

  const netFen = grossFen - commissionFen - penaltiesFen;
  const workingMinutes = period.orderTakingMinutes + (terms.waitingAllowanceMinutes ?? 0) * period.days;
  return {
    lines,
    grossFen,
    commissionFen,
    penaltiesFen,
    netFen,
    perOnlineHourFen: period.onlineMinutes > 0 ? Math.floor((netFen * 60) / period.onlineMinutes) : null,
    perWorkingHourFen: workingMinutes > 0 ? Math.floor((netFen * 60) / workingMinutes) : null,
    unpriced,
    rounding: { rule, stated: terms.roundingRule !== undefined },
  };
}

export type PayComparison = { before: PayResult; after: PayResult; netDeltaFen: number; perOnlineHourDeltaFen: number | null };

/** The same period under two rule versions: what the worker gains (positive) or loses. */
export function comparePay(before: Terms, after: Terms, period: WorkerPeriod): PayComparison {
  const a = calculatePay(before, period);
  const b = calculatePay(after, period);
  return {
    before: a,
    after: b,
    netDeltaFen: b.netFen - a.netFen,
    perOnlineHourDeltaFen: a.perOnlineHourFen === null || b.perOnlineHourFen === null ? null : b.perOnlineHourFen - a.perOnlineHourFen,
  };
}

/** The length of working day assumed when the terms state no longest working day: 8 hours, a modelling choice, not a rule. */
export const ASSUMED_DAY_MINUTES = 480;

export type PayAtQuota = {
  /** Net pay per hour of working time, in fen (rounded down). */
  perHourFen: number;
  /** Net pay for one standard order, in fen, computed by `calculatePay`. */
  perOrderFen: number;
  priceSource: "table" | "base";
  /** The working day the hour is taken from: the agreed longest working day, or 8 hours assumed. */
  dayMinutes: number;
  dayAssumed: boolean;
  /** The agreed allowance (宽放时间) counted as working time in that day (人社厅发〔2023〕50号 第四条). */
  allowanceMinutes: number;
};

/**
 * Pay for one hour of working time at the agreed quota. Working time is order-taking time plus the
 * agreed allowance (宽放时间, 人社厅发〔2023〕50号 第四条), so in a working day of D minutes with an
 * allowance of W minutes, orders are taken for D − W minutes, one standard order every
 * `quotaMinutesPerOrder` (Q) minutes: pay per hour = net pay per order × (D − W) / Q ÷ (D / 60),
 * rounded down to the fen. D is the agreed longest working day, or 8 hours when none is agreed.
 * A standard order: the standard type in the shortest distance band of the all-day band, and the
 * base price at the base distance when a base price is agreed too (the lower of the two counts), at
 * the agreed commission cap, priced by `calculatePay`, so the check and the calculator cannot
 * disagree. Null when the quota or a price is missing.
 */
export function payPerHourAtQuota(terms: Terms): PayAtQuota | null {
  const quota = terms.quotaMinutesPerOrder;
  if (!quota) return null;
  // The table's standard order, and the base rate on its own (what an order outside the table's
  // bands is paid): the lower of the two is what a worker can be held to (issue 23: the checks
  // read the base rate as well as the table).
  const candidates = [atQuotaPriced({ ...terms, quotaMinutesPerOrder: quota }), terms.pieceRateBaseFen !== undefined && (terms.pieceRateTable ?? []).length > 0 ? atQuotaPriced({ ...terms, quotaMinutesPerOrder: quota, pieceRateTable: [] }) : null];
  return candidates.reduce<PayAtQuota | null>((lowest, candidate) => (candidate && (!lowest || candidate.perHourFen < lowest.perHourFen) ? candidate : lowest), null);
}

function atQuotaPriced(terms: Terms & { quotaMinutesPerOrder: number }): PayAtQuota | null {
  const standardRows = (terms.pieceRateTable ?? []).filter((row) => row.orderType === "STANDARD" && row.timeBand === "ALL_DAY");
  const distanceMetres = standardRows.length ? Math.min(...standardRows.map((row) => row.fromMetres)) : 0;
  const price = unitPrice(terms, { orderType: "STANDARD", distanceMetres, timeBand: "ALL_DAY" });
  if (!price) return null;
  // 60 standard orders through the calculator, so the agreed rounding applies as on a worker's statement.
  const sixty = calculatePay(terms, {
    days: 0,
    onlineMinutes: 60 * terms.quotaMinutesPerOrder,
    orderTakingMinutes: 60 * terms.quotaMinutesPerOrder,
    orders: [{ orderType: "STANDARD", distanceMetres, timeBand: "ALL_DAY", count: 60, holidayCount: 0, badWeatherCount: 0 }],
    penalties: [],
    commissionBp: null,
  });
  const dayAssumed = !terms.maxDailyMinutes;
  const dayMinutes = terms.maxDailyMinutes || ASSUMED_DAY_MINUTES;
  const allowanceMinutes = Math.min(terms.waitingAllowanceMinutes ?? 0, dayMinutes);
  const takingMinutes = dayMinutes - allowanceMinutes;
  // (net of 60 orders ÷ 60) × (takingMinutes ÷ quota) orders a day ÷ (dayMinutes ÷ 60) hours.
  const perHourFen = Math.floor((sixty.netFen * takingMinutes) / (terms.quotaMinutesPerOrder * dayMinutes));
  return { perHourFen, perOrderFen: Math.round(sixty.netFen / 60), priceSource: price.source, dayMinutes, dayAssumed, allowanceMinutes };
}
