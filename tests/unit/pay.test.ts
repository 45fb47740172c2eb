/**
 * The pay calculator of app/domain/pay.ts: worked examples a worker can check by hand (each
 * amount is written out in the test name or beside it), then properties over generated valid
 * terms and periods (fast-check, fixed seeds so a failure is reproducible).
 */
import fc from "fast-check";
import { ROUNDING_RULES } from "../../app/domain/terms.ts";
import { describe, expect, it } from "vitest";
import {
  calculatePay,
  comparePay,
  payPerHourAtQuota,
  unitPrice,
  workerPeriodSchema,
  type OrderLine,
  type PayResult,
  type PenaltyIncurred,
  type WorkerPeriod,
} from "../../app/domain/pay.ts";
import { WORKER_PROFILES } from "../../app/domain/worker-profiles.ts";
import { EXCLUDED_CAUSES, ORDER_TYPES, PENALTY_KINDS, TIME_BANDS, termsSchema, type PenaltyRule, type PieceRateRow, type Terms } from "../../app/domain/terms.ts";

/**
 * Hangzhou-like terms: standard orders priced by the table, every other type by the base price of
 * 5.00 yuan up to 3 km plus 1.00 yuan per started km beyond; night +1.00, bad weather +2.00,
 * holidays 2×, commission at most 8 %, penalties capped at 50.00 yuan a month.
 */
const terms: Terms = termsSchema.parse({
  pieceRateBaseFen: 500,
  baseDistanceMetres: 3000,
  distanceSurchargeFenPerKm: 100,
  pieceRateNightSurchargeFen: 100,
  badWeatherSubsidyFen: 200,
  holidayMultiplierBp: 20_000,
  commissionCapBp: 800,
  waitingAllowanceMinutes: 30,
  penaltyCapFen: 5000,
  penaltyExcludedCauses: ["TRAFFIC_CONTROL", "BAD_WEATHER"],
  pieceRateTable: [
    { orderType: "STANDARD", fromMetres: 0, toMetres: 3000, timeBand: "ALL_DAY", priceFen: 550 },
    { orderType: "STANDARD", fromMetres: 3000, toMetres: 5000, timeBand: "ALL_DAY", priceFen: 700 },
    { orderType: "STANDARD", fromMetres: 0, toMetres: 3000, timeBand: "PEAK", priceFen: 650 },
    { orderType: "STANDARD", fromMetres: 0, toMetres: 3000, timeBand: "NIGHT", priceFen: 750 },
  ],
  penaltyRules: [
    { kind: "LATE_DELIVERY", amountFen: 500, monthlyCapFen: 1500, appealWindowDays: 7, excludedCauses: ["MERCHANT_DELAY", "BUILDING_ACCESS"] },
    { kind: "CUSTOMER_COMPLAINT", amountFen: 1000, monthlyCapFen: 2000, appealWindowDays: 7, excludedCauses: [] },
  ],
});

const order = (orderType: OrderLine["orderType"], distanceMetres: number, timeBand: OrderLine["timeBand"], count: number, extra: Partial<Pick<OrderLine, "holidayCount" | "badWeatherCount">> = {}): OrderLine => ({
  orderType,
  distanceMetres,
  timeBand,
  count,
  holidayCount: 0,
  badWeatherCount: 0,
  ...extra,
});

/** One day of 10 hours online, 8 taking orders, no commission unless given; validated like the form input. */
const period = (over: Partial<WorkerPeriod>): WorkerPeriod => workerPeriodSchema.parse({ days: 1, onlineMinutes: 600, orderTakingMinutes: 480, orders: [], penalties: [], commissionBp: 0, ...over });

const keys = (result: PayResult) => result.lines.map((line) => `${line.key}:${line.amountFen}`);

/** 20 urgent orders of 2 km all day at the base price: 20 × 5.00 = 100.00 yuan. */
const hundredYuan = [order("URGENT", 2000, "ALL_DAY", 20)];

describe("worked examples: the price of an order", () => {
  it("a table row: 10 standard orders of 1.5 km all day at 5.50 = 55.00 yuan", () => {
    const result = calculatePay(terms, period({ orders: [order("STANDARD", 1500, "ALL_DAY", 10)] }));
    expect(result.lines).toEqual([{ key: "ordersTable", values: { orderType: "STANDARD", timeBand: "ALL_DAY", distanceKm: 1.5, count: 10, unitFen: 550 }, amountFen: 5500 }]);
    expect(result).toMatchObject({ grossFen: 5500, commissionFen: 0, penaltiesFen: 0, netFen: 5500, unpriced: 0 });
  });

  it("the row of the order's own time band comes first: 1.5 km at peak is 6.50", () => {
    expect(unitPrice(terms, { orderType: "STANDARD", distanceMetres: 1500, timeBand: "PEAK" })).toEqual({ fen: 650, source: "table", night: false });
  });

  it("without a row for its time band, the all-day row of the same distance: 4 km at peak is 7.00", () => {
    expect(unitPrice(terms, { orderType: "STANDARD", distanceMetres: 4000, timeBand: "PEAK" })).toEqual({ fen: 700, source: "table", night: false });
    const result = calculatePay(terms, period({ orders: [order("STANDARD", 4000, "PEAK", 3)] }));
    expect(keys(result)).toEqual(["ordersTable:2100"]);
  });

  it("distance bands include their start and exclude their end: 3 km is in the 3–5 km band", () => {
    expect(unitPrice(terms, { orderType: "STANDARD", distanceMetres: 2999, timeBand: "ALL_DAY" })?.fen).toBe(550);
    expect(unitPrice(terms, { orderType: "STANDARD", distanceMetres: 3000, timeBand: "ALL_DAY" })?.fen).toBe(700);
  });

  it("without a table row, the base price plus 1.00 per started km beyond the 3 km base distance", () => {
    const price = (orderType: OrderLine["orderType"], distanceMetres: number) => unitPrice(terms, { orderType, distanceMetres, timeBand: "ALL_DAY" });
    expect(price("URGENT", 0)).toEqual({ fen: 500, source: "base", night: false });
    expect(price("URGENT", 3000)?.fen).toBe(500);
    expect(price("URGENT", 3001)?.fen).toBe(600); // 1 m beyond starts a kilometre
    expect(price("URGENT", 4000)?.fen).toBe(600);
    expect(price("URGENT", 4001)?.fen).toBe(700);
    // A standard order beyond the table (6.5 km): 5.00 + 4 started km × 1.00 = 9.00.
    expect(price("STANDARD", 6500)).toEqual({ fen: 900, source: "base", night: false });
    const result = calculatePay(terms, period({ orders: [order("BULKY", 6500, "ALL_DAY", 2)] }));
    expect(result.lines).toEqual([{ key: "ordersBase", values: { orderType: "BULKY", timeBand: "ALL_DAY", distanceKm: 6.5, count: 2, unitFen: 900 }, amountFen: 1800 }]);
  });

  it("no base distance means no distance surcharge at any distance", () => {
    const withoutBase = { ...terms, baseDistanceMetres: undefined };
    expect(unitPrice(withoutBase, { orderType: "URGENT", distanceMetres: 20_000, timeBand: "ALL_DAY" })?.fen).toBe(500);
  });

  it("an order with neither a row nor a base price is counted as unpriced and pays nothing", () => {
    const noBase = { ...terms, pieceRateBaseFen: undefined };
    const result = calculatePay(noBase, period({ orders: [order("GROCERY", 1000, "ALL_DAY", 4), order("STANDARD", 1000, "ALL_DAY", 1)] }));
    expect(keys(result)).toEqual(["unpriced:0", "ordersTable:550"]);
    expect(result).toMatchObject({ unpriced: 4, grossFen: 550, netFen: 550 });
  });
});

describe("worked examples: surcharges and subsidies", () => {
  it("a night row already prices the night: 4 standard night orders of 1.5 km = 4 × 7.50, no surcharge", () => {
    const result = calculatePay(terms, period({ orders: [order("STANDARD", 1500, "NIGHT", 4)] }));
    expect(keys(result)).toEqual(["ordersTable:3000"]);
  });

  it("a night order priced from the all-day row gets the night surcharge: 4 × (7.00 + 1.00)", () => {
    const result = calculatePay(terms, period({ orders: [order("STANDARD", 4000, "NIGHT", 4)] }));
    expect(keys(result)).toEqual(["ordersTable:2800", "nightSurcharge:400"]);
    expect(result.lines[1]!.values).toEqual({ count: 4, unitFen: 100 });
    expect(result.grossFen).toBe(3200);
  });

  it("a night order at the base price gets the night surcharge: 2 × (5.00 + 1.00)", () => {
    const result = calculatePay(terms, period({ orders: [order("URGENT", 2000, "NIGHT", 2)] }));
    expect(keys(result)).toEqual(["ordersBase:1000", "nightSurcharge:200"]);
  });

  it("a holiday at 2× adds the normal price once more: 10 orders at 5.50, 4 on a holiday → 55.00 + 22.00", () => {
    const result = calculatePay(terms, period({ orders: [order("STANDARD", 1500, "ALL_DAY", 10, { holidayCount: 4 })] }));
    expect(keys(result)).toEqual(["ordersTable:5500", "holiday:2200"]);
    expect(result.lines[1]!.values).toEqual({ count: 4, multiplier: 2 });
  });

  it("the holiday multiplier applies to the night surcharge too: 2 night orders at (5.00 + 1.00) on a holiday at 2× → 24.00", () => {
    const result = calculatePay(terms, period({ orders: [order("URGENT", 2000, "NIGHT", 2, { holidayCount: 2 })] }));
    expect(keys(result)).toEqual(["ordersBase:1000", "nightSurcharge:200", "holiday:1200"]);
    expect(result.grossFen).toBe(2400);
  });

  it("a 1.5× holiday adds half the price: 4 × 5.50 × 0.5 = 11.00; no multiplier agreed adds nothing", () => {
    const line = [order("STANDARD", 1500, "ALL_DAY", 10, { holidayCount: 4 })];
    expect(keys(calculatePay({ ...terms, holidayMultiplierBp: 15_000 }, period({ orders: line })))).toEqual(["ordersTable:5500", "holiday:1100"]);
    expect(keys(calculatePay({ ...terms, holidayMultiplierBp: undefined }, period({ orders: line })))).toEqual(["ordersTable:5500"]);
  });

  it("the bad-weather subsidy is per order and not multiplied on a holiday: 3 × 2.00", () => {
    const result = calculatePay(terms, period({ orders: [order("STANDARD", 1500, "ALL_DAY", 10, { holidayCount: 10, badWeatherCount: 3 })] }));
    expect(keys(result)).toEqual(["ordersTable:5500", "holiday:5500", "badWeather:600"]);
    expect(result.lines[2]!.values).toEqual({ count: 3, unitFen: 200 });
    expect(keys(calculatePay({ ...terms, badWeatherSubsidyFen: undefined }, period({ orders: [order("STANDARD", 1500, "ALL_DAY", 10, { badWeatherCount: 3 })] })))).toEqual(["ordersTable:5500"]);
  });
});

describe("worked examples: commission", () => {
  it("at the rate charged when below the cap: 5 % of 100.00 = 5.00", () => {
    const result = calculatePay(terms, period({ orders: hundredYuan, commissionBp: 500 }));
    expect(result.lines.at(-1)).toEqual({ key: "commission", values: { rate: 5, capped: "no" }, amountFen: -500 });
    expect(result).toMatchObject({ grossFen: 10_000, commissionFen: 500, netFen: 9500 });
  });

  it("never above the agreed cap: 12 % charged, 8 % taken = 8.00", () => {
    const result = calculatePay(terms, period({ orders: hundredYuan, commissionBp: 1200 }));
    expect(result.lines.at(-1)).toEqual({ key: "commission", values: { rate: 8, capped: "yes" }, amountFen: -800 });
    expect(result.netFen).toBe(9200);
  });

  it("at the cap when the rate is not given", () => {
    const result = calculatePay(terms, period({ orders: hundredYuan, commissionBp: null }));
    expect(result.lines.at(-1)).toEqual({ key: "commission", values: { rate: 8, capped: "no" }, amountFen: -800 });
  });

  it("without an agreed cap: the rate charged, or nothing when not given", () => {
    const uncapped = { ...terms, commissionCapBp: undefined };
    expect(calculatePay(uncapped, period({ orders: hundredYuan, commissionBp: 1000 })).commissionFen).toBe(1000);
    const none = calculatePay(uncapped, period({ orders: hundredYuan, commissionBp: null }));
    expect(none.commissionFen).toBe(0);
    expect(none.lines.some((line) => line.key === "commission")).toBe(false);
  });
});

describe("worked examples: penalties", () => {
  const withPenalties = (penalties: PenaltyIncurred[], over: Partial<WorkerPeriod> = {}) => calculatePay(terms, period({ orders: hundredYuan, penalties, ...over }));

  it("a penalty the agreement has no rule for is not applied", () => {
    const result = withPenalties([{ kind: "BAD_REVIEW", count: 2, cause: null }]);
    expect(result.lines.at(-1)).toEqual({ key: "penaltyNoRule", values: { kind: "BAD_REVIEW", count: 2 }, amountFen: 0 });
    expect(result).toMatchObject({ penaltiesFen: 0, netFen: 10_000 });
  });

  it("a penalty whose cause the rule excludes is not applied (merchant delay)", () => {
    const result = withPenalties([{ kind: "LATE_DELIVERY", count: 1, cause: "MERCHANT_DELAY" }]);
    expect(result.lines.at(-1)).toEqual({ key: "penaltyExcluded", values: { kind: "LATE_DELIVERY", count: 1, cause: "MERCHANT_DELAY" }, amountFen: 0 });
    expect(result.penaltiesFen).toBe(0);
  });

  it("a penalty whose cause the agreement excludes for all penalties is not applied (bad weather)", () => {
    const result = withPenalties([{ kind: "CUSTOMER_COMPLAINT", count: 1, cause: "BAD_WEATHER" }]);
    expect(keys(result).at(-1)).toBe("penaltyExcluded:0");
    expect(result.penaltiesFen).toBe(0);
  });

  it("a penalty with no cause, or a cause not excluded anywhere, is applied at the rule's amount", () => {
    const result = withPenalties([
      { kind: "LATE_DELIVERY", count: 1, cause: null },
      { kind: "CUSTOMER_COMPLAINT", count: 1, cause: "SYSTEM_FAILURE" },
    ]);
    expect(keys(result).slice(-2)).toEqual(["penalty:-500", "penalty:-1000"]);
    expect(result.lines.at(-2)!.values).toEqual({ kind: "LATE_DELIVERY", count: 1, unitFen: 500, capped: "no" });
    expect(result).toMatchObject({ penaltiesFen: 1500, netFen: 8500 });
  });

  it("the monthly cap of a kind holds across several lines: late 2 × 5.00, 2 × 5.00, 1 × 5.00 with a 15.00 cap → 10.00 + 5.00 + 0", () => {
    const result = withPenalties([
      { kind: "LATE_DELIVERY", count: 2, cause: null },
      { kind: "CUSTOMER_COMPLAINT", count: 1, cause: null },
      { kind: "LATE_DELIVERY", count: 2, cause: null },
      { kind: "LATE_DELIVERY", count: 1, cause: null },
    ]);
    expect(keys(result).slice(1)).toEqual(["penalty:-1000", "penalty:-1000", "penalty:-500", "penalty:0"]);
    expect(result.lines.slice(1).map((line) => line.values.capped)).toEqual(["no", "no", "yes", "yes"]);
    expect(result).toMatchObject({ penaltiesFen: 2500, netFen: 7500 });
  });

  it("the overall cap limits all penalties together: 15.00 + 20.00 with a 20.00 cap → 20.00", () => {
    const result = calculatePay({ ...terms, penaltyCapFen: 2000 }, period({ orders: hundredYuan, penalties: [{ kind: "LATE_DELIVERY", count: 3, cause: null }, { kind: "CUSTOMER_COMPLAINT", count: 2, cause: null }] }));
    expect(keys(result).slice(1)).toEqual(["penalty:-1500", "penalty:-2000", "penaltyCap:1500"]);
    expect(result.lines.at(-1)!.values).toEqual({ capFen: 2000 });
    expect(result).toMatchObject({ penaltiesFen: 2000, netFen: 8000 });
  });

  it("deductions never exceed earnings: 10.00 earned, 0.80 commission, 15.00 of penalties → net 0", () => {
    const result = calculatePay(terms, period({ orders: [order("URGENT", 2000, "ALL_DAY", 2)], commissionBp: null, penalties: [{ kind: "LATE_DELIVERY", count: 3, cause: null }] }));
    expect(keys(result)).toEqual(["ordersBase:1000", "commission:-80", "penalty:-1500", "penaltyLimit:580"]);
    expect(result).toMatchObject({ grossFen: 1000, commissionFen: 80, penaltiesFen: 920, netFen: 0 });
  });

  it("penalties with no orders at all leave net at 0", () => {
    const result = calculatePay(terms, period({ penalties: [{ kind: "CUSTOMER_COMPLAINT", count: 1, cause: null }] }));
    expect(result).toMatchObject({ grossFen: 0, penaltiesFen: 0, netFen: 0 });
  });
});

describe("worked examples: pay per hour", () => {
  it("per hour online and per hour of working time (order-taking plus 30 min allowance a day)", () => {
    // 100.00 net; 600 min online → 10.00/h; 480 + 30 = 510 working minutes → 100.00 × 60 / 510 = 11.76/h.
    const result = calculatePay(terms, period({ orders: hundredYuan }));
    expect(result).toMatchObject({ netFen: 10_000, perOnlineHourFen: 1000, perWorkingHourFen: 1176 });
  });

  it("the allowance counts once per day worked: 2 days, 960 min taking orders + 2 × 30 = 1020 min", () => {
    const result = calculatePay(terms, period({ orders: hundredYuan, days: 2, onlineMinutes: 1200, orderTakingMinutes: 960 }));
    expect(result).toMatchObject({ perOnlineHourFen: 500, perWorkingHourFen: 588 });
  });

  it("no time online gives no per-hour figure", () => {
    const result = calculatePay(terms, period({ orders: hundredYuan, days: 0, onlineMinutes: 0, orderTakingMinutes: 0 }));
    expect(result).toMatchObject({ perOnlineHourFen: null, perWorkingHourFen: null });
  });

  it("pay at quota: 5.50 a standard order every 12 minutes with 8 % commission → 55.00 − 4.40 = 25.30 an hour", () => {
    const atBase = { pieceRateBaseFen: 550, quotaMinutesPerOrder: 12, commissionCapBp: 800 };
    // No longest working day agreed: a day of 8 hours is assumed (and said); no allowance.
    expect(payPerHourAtQuota(atBase)).toEqual({ perHourFen: 2530, perOrderFen: 506, priceSource: "base", dayMinutes: 480, dayAssumed: true, allowanceMinutes: 0 });
    // With the table, the shortest standard all-day band (from 0.5 km) sets the price: 5 orders an hour at 4.80, each less
    // its commission rounded to the fen (0.384 → 0.38): 5 × 4.42 = 22.10 (rounded once on the total it would be 22.08).
    const atTable = { ...atBase, pieceRateTable: [{ orderType: "STANDARD", fromMetres: 500, toMetres: 3000, timeBand: "ALL_DAY", priceFen: 480 }, { orderType: "STANDARD", fromMetres: 3000, toMetres: 5000, timeBand: "ALL_DAY", priceFen: 300 }] } satisfies Terms;
    expect(payPerHourAtQuota(atTable)).toMatchObject({ perHourFen: 2210, priceSource: "table" });
    expect(payPerHourAtQuota({ ...atTable, roundingRule: "TOTAL_HALF_UP" })).toMatchObject({ perHourFen: 2208, priceSource: "table" });
  });

  it("pay at quota counts the agreed allowance as working time (人社厅发〔2023〕50号 第四条): a 10-hour day with 60 minutes' allowance takes orders for 9 hours", () => {
    // 540 minutes of orders at one every 12 minutes = 45 orders × 5.06 = 227.70 over 10 hours of working time = 22.77 an hour.
    const terms = { pieceRateBaseFen: 550, quotaMinutesPerOrder: 12, commissionCapBp: 800, maxDailyMinutes: 600, waitingAllowanceMinutes: 60 };
    expect(payPerHourAtQuota(terms)).toEqual({ perHourFen: 2277, perOrderFen: 506, priceSource: "base", dayMinutes: 600, dayAssumed: false, allowanceMinutes: 60 });
    // Without the allowance the same day pays the full 25.30.
    expect(payPerHourAtQuota({ ...terms, waitingAllowanceMinutes: 0 })?.perHourFen).toBe(2530);
  });

  it("pay at quota needs a quota and a price", () => {
    expect(payPerHourAtQuota({ pieceRateBaseFen: 550 })).toBeNull();
    expect(payPerHourAtQuota({ quotaMinutesPerOrder: 12, pieceRateTable: [{ orderType: "STANDARD", fromMetres: 0, toMetres: 3000, timeBand: "PEAK", priceFen: 650 }] })).toBeNull();
  });
});

describe("the rounding rule (issue 22, item 5)", () => {
  const orders = (count: number, holidayCount = 0): WorkerPeriod => ({ days: 1, onlineMinutes: 600, orderTakingMinutes: 600, orders: [{ orderType: "STANDARD", distanceMetres: 1000, timeBand: "ALL_DAY", count, holidayCount, badWeatherCount: 0 }], penalties: [], commissionBp: null });

  it("by default each order is priced and rounded to the fen, half up, before summing: 10 orders at 5.55 with 8 % commission → 10 × 0.44 = 4.40", () => {
    const result = calculatePay({ pieceRateBaseFen: 555, commissionCapBp: 800 }, orders(10));
    expect(result).toMatchObject({ grossFen: 5550, commissionFen: 440, netFen: 5110, rounding: { rule: "PER_ORDER_HALF_UP", stated: false } });
  });

  it("rounded once on the total when the parties agree so: 55.50 × 8 % = 4.44", () => {
    const result = calculatePay({ pieceRateBaseFen: 555, commissionCapBp: 800, roundingRule: "TOTAL_HALF_UP" }, orders(10));
    expect(result).toMatchObject({ grossFen: 5550, commissionFen: 444, netFen: 5106, rounding: { rule: "TOTAL_HALF_UP", stated: true } });
  });

  it("half up at exactly half a fen: 1.5 × 5.55 = 8.325 → 8.33 an order, so 2 holiday orders add 2 × 2.78; once on the total, 5.55", () => {
    const perOrder = calculatePay({ pieceRateBaseFen: 555, holidayMultiplierBp: 15_000, roundingRule: "PER_ORDER_HALF_UP" }, orders(2, 2));
    expect(perOrder.lines.find((line) => line.key === "holiday")?.amountFen).toBe(556);
    const total = calculatePay({ pieceRateBaseFen: 555, holidayMultiplierBp: 15_000, roundingRule: "TOTAL_HALF_UP" }, orders(2, 2));
    expect(total.lines.find((line) => line.key === "holiday")?.amountFen).toBe(555);
  });

  it("a worker checks one order against the app: one order's commission is the same whichever day it is on", () => {
    const one = calculatePay({ pieceRateBaseFen: 555, commissionCapBp: 800 }, orders(1));
    const many = calculatePay({ pieceRateBaseFen: 555, commissionCapBp: 800 }, orders(37));
    expect(many.commissionFen).toBe(37 * one.commissionFen);
  });
});

describe("example worker profiles", () => {
  it.each(WORKER_PROFILES.map((profile) => [profile.id, profile.period] as const))("%s is a valid period and is paid something under realistic terms", (_id, profilePeriod) => {
    expect(workerPeriodSchema.safeParse(profilePeriod).success).toBe(true);
    const result = calculatePay(terms, profilePeriod);
    expect(result.netFen).toBeGreaterThan(0);
    expect(result.unpriced).toBe(0);
    expect(result.lines.reduce((sum, line) => sum + line.amountFen, 0)).toBe(result.netFen);
  });

  it("the full-time profile's late deliveries in bad weather are not penalised", () => {
    const fullTime = WORKER_PROFILES.find((profile) => profile.id === "fullTime")!;
    const result = calculatePay(terms, fullTime.period);
    expect(result.lines.filter((line) => line.key.startsWith("penalty")).map((line) => `${line.key}:${line.amountFen}`)).toEqual(["penalty:-1500", "penaltyExcluded:0"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties. Generated terms and periods are valid by construction; one property asserts it, so
// a generator that drifts from the schemas fails loudly instead of testing nothing.

const SEED = 20_261_124;
const RUNS = { seed: SEED, numRuns: 500 } as const;

/** Mostly everyday amounts, sometimes anywhere in the schema's range. */
const fenArb = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 3000 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 100_000_00 }) });
const distanceArb = fc.oneof(fc.constantFrom(0, 1000, 2999, 3000, 3001, 5000), fc.integer({ min: 0, max: 100_000 }));
const rowArb: fc.Arbitrary<PieceRateRow> = fc
  .record({ orderType: fc.constantFrom(...ORDER_TYPES), fromMetres: fc.oneof(fc.constantFrom(0, 1000, 3000), fc.integer({ min: 0, max: 99_999 })), width: fc.integer({ min: 1, max: 10_000 }), timeBand: fc.constantFrom(...TIME_BANDS), priceFen: fenArb })
  .map(({ width, ...row }) => ({ ...row, toMetres: Math.min(100_000, row.fromMetres + width) }));
const causesArb = fc.uniqueArray(fc.constantFrom(...EXCLUDED_CAUSES));
const ruleArb: fc.Arbitrary<PenaltyRule> = fc
  .record({ kind: fc.constantFrom(...PENALTY_KINDS), amountFen: fenArb, headroomFen: fenArb, appealWindowDays: fc.integer({ min: 1, max: 365 }), excludedCauses: causesArb })
  .map(({ headroomFen, ...rule }) => ({ ...rule, monthlyCapFen: Math.min(100_000_00, rule.amountFen + headroomFen) }));

const termsArb: fc.Arbitrary<Terms> = fc.record(
  {
    pieceRateBaseFen: fenArb,
    baseDistanceMetres: distanceArb,
    distanceSurchargeFenPerKm: fenArb,
    pieceRateNightSurchargeFen: fenArb,
    badWeatherSubsidyFen: fenArb,
    holidayMultiplierBp: fc.integer({ min: 10_000, max: 50_000 }),
    commissionCapBp: fc.integer({ min: 0, max: 10_000 }),
    quotaMinutesPerOrder: fc.integer({ min: 1, max: 600 }),
    waitingAllowanceMinutes: fc.integer({ min: 0, max: 24 * 60 }),
    penaltyCapFen: fenArb,
    penaltyExcludedCauses: causesArb,
    pieceRateTable: fc.array(rowArb, { maxLength: 12 }),
    penaltyRules: fc.uniqueArray(ruleArb, { selector: (rule) => rule.kind, maxLength: PENALTY_KINDS.length }),
    maxDailyMinutes: fc.integer({ min: 0, max: 24 * 60 }),
    roundingRule: fc.constantFrom(...ROUNDING_RULES),
  },
  { requiredKeys: [] },
);

const countArb = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 300 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 100_000 }) });
const orderLineArb: fc.Arbitrary<OrderLine> = fc
  .record({ orderType: fc.constantFrom(...ORDER_TYPES), distanceMetres: distanceArb, timeBand: fc.constantFrom(...TIME_BANDS), count: countArb, holiday: fc.nat(), badWeather: fc.nat() })
  .map(({ holiday, badWeather, ...line }) => ({ ...line, holidayCount: holiday % (line.count + 1), badWeatherCount: badWeather % (line.count + 1) }));
const penaltyArb: fc.Arbitrary<PenaltyIncurred> = fc.record({ kind: fc.constantFrom(...PENALTY_KINDS), count: fc.integer({ min: 0, max: 40 }), cause: fc.option(fc.constantFrom(...EXCLUDED_CAUSES), { nil: null }) });
const periodArb: fc.Arbitrary<WorkerPeriod> = fc
  .record({
    days: fc.integer({ min: 0, max: 31 }),
    onlineMinutes: fc.integer({ min: 0, max: 31 * 24 * 60 }),
    taking: fc.nat(),
    orders: fc.array(orderLineArb, { maxLength: 49 }),
    penalties: fc.array(penaltyArb, { maxLength: 20 }),
    commissionBp: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null }),
  })
  .map(({ taking, ...rest }) => ({ ...rest, orderTakingMinutes: taking % (rest.onlineMinutes + 1) }));

const sum = (amounts: number[]) => amounts.reduce((total, amount) => total + amount, 0);
/** What lines take away, as a positive amount (0, not −0, when they take nothing). */
const deducted = (lines: PayResult["lines"]) => lines.reduce((total, line) => total - line.amountFen, 0);
const EARNING_LINES = new Set(["ordersTable", "ordersBase", "nightSurcharge", "holiday", "badWeather"]);
const PENALTY_LINES = new Set(["penalty", "penaltyCap", "penaltyLimit"]);

describe("properties over valid terms and periods", () => {
  it("the generators produce only valid terms and periods", () => {
    fc.assert(
      fc.property(termsArb, periodArb, (generatedTerms, generatedPeriod) => {
        expect(termsSchema.safeParse(generatedTerms).success).toBe(true);
        expect(workerPeriodSchema.safeParse(generatedPeriod).success).toBe(true);
      }),
      RUNS,
    );
  });

  it("amounts are whole fen, never negative, and net never exceeds gross", () => {
    fc.assert(
      fc.property(termsArb, periodArb, (generatedTerms, generatedPeriod) => {
        const result = calculatePay(generatedTerms, generatedPeriod);
        for (const amount of [result.grossFen, result.commissionFen, result.penaltiesFen, result.netFen, ...result.lines.map((line) => line.amountFen)]) expect(Number.isSafeInteger(amount)).toBe(true);
        expect(result.grossFen).toBeGreaterThanOrEqual(0);
        expect(result.commissionFen).toBeGreaterThanOrEqual(0);
        expect(result.penaltiesFen).toBeGreaterThanOrEqual(0);
        expect(result.netFen).toBeGreaterThanOrEqual(0);
        expect(result.netFen).toBeLessThanOrEqual(result.grossFen);
        if (result.perOnlineHourFen !== null) expect(result.perOnlineHourFen).toBeGreaterThanOrEqual(0);
        if (result.perWorkingHourFen !== null) expect(result.perWorkingHourFen).toBeGreaterThanOrEqual(0);
      }),
      RUNS,
    );
  });

  it("the breakdown lines sum to net pay, and gross, commission and penalties match their lines", () => {
    fc.assert(
      fc.property(termsArb, periodArb, (generatedTerms, generatedPeriod) => {
        const result = calculatePay(generatedTerms, generatedPeriod);
        expect(sum(result.lines.map((line) => line.amountFen))).toBe(result.netFen);
        expect(result.netFen).toBe(result.grossFen - result.commissionFen - result.penaltiesFen);
        expect(sum(result.lines.filter((line) => EARNING_LINES.has(line.key)).map((line) => line.amountFen))).toBe(result.grossFen);
        expect(deducted(result.lines.filter((line) => line.key === "commission"))).toBe(result.commissionFen);
        expect(deducted(result.lines.filter((line) => PENALTY_LINES.has(line.key)))).toBe(result.penaltiesFen);
        // Lines that apply nothing apply nothing.
        for (const line of result.lines.filter((candidate) => ["unpriced", "penaltyNoRule", "penaltyExcluded"].includes(candidate.key))) expect(line.amountFen).toBe(0);
      }),
      RUNS,
    );
  });

  it("commission never exceeds the cap; penalties never exceed each rule's monthly cap, the overall cap or what is left after commission", () => {
    fc.assert(
      fc.property(termsArb, periodArb, (generatedTerms, generatedPeriod) => {
        const result = calculatePay(generatedTerms, generatedPeriod);
        const cap = generatedTerms.commissionCapBp;
        const rate = generatedPeriod.commissionBp ?? cap ?? 0;
        const effective = cap === undefined ? rate : Math.min(rate, cap);
        if (generatedTerms.roundingRule === "TOTAL_HALF_UP") {
          // Summed exactly, rounded once.
          expect(result.commissionFen).toBe(Math.round((result.grossFen * effective) / 10_000));
        } else {
          // Each order's amounts rounded (half a fen at most each), then summed; never above what was earned.
          const amounts = sum(generatedPeriod.orders.map((line) => line.count + line.holidayCount + line.badWeatherCount));
          expect(Math.abs(result.commissionFen - (result.grossFen * effective) / 10_000)).toBeLessThanOrEqual(amounts / 2 + 0.5);
          expect(result.commissionFen).toBeLessThanOrEqual(result.grossFen);
        }
        expect(result.rounding).toEqual({ rule: generatedTerms.roundingRule ?? "PER_ORDER_HALF_UP", stated: generatedTerms.roundingRule !== undefined });
        if (generatedTerms.penaltyCapFen !== undefined) expect(result.penaltiesFen).toBeLessThanOrEqual(generatedTerms.penaltyCapFen);
        expect(result.penaltiesFen).toBeLessThanOrEqual(result.grossFen - result.commissionFen);
        for (const rule of generatedTerms.penaltyRules ?? []) {
          const applied = deducted(result.lines.filter((line) => line.key === "penalty" && line.values.kind === rule.kind));
          expect(applied).toBeLessThanOrEqual(rule.monthlyCapFen);
        }
        const rulesKinds = new Set((generatedTerms.penaltyRules ?? []).map((rule) => rule.kind));
        for (const line of result.lines.filter((candidate) => candidate.key === "penalty")) expect(rulesKinds.has(line.values.kind as PenaltyRule["kind"])).toBe(true);
        expect(result.unpriced).toBe(sum(generatedPeriod.orders.filter((line) => line.count > 0 && unitPrice(generatedTerms, line) === null).map((line) => line.count)));
      }),
      RUNS,
    );
  });

  it("adding an order line never lowers gross or net pay", () => {
    fc.assert(
      fc.property(termsArb, periodArb, orderLineArb, fc.nat(), (generatedTerms, generatedPeriod, extra, at) => {
        const before = calculatePay(generatedTerms, generatedPeriod);
        const orders = [...generatedPeriod.orders];
        orders.splice(at % (orders.length + 1), 0, extra);
        const after = calculatePay(generatedTerms, { ...generatedPeriod, orders });
        expect(after.grossFen).toBeGreaterThanOrEqual(before.grossFen);
        expect(after.netFen).toBeGreaterThanOrEqual(before.netFen);
      }),
      RUNS,
    );
  });

  it("increasing an order count never lowers gross or net pay", () => {
    fc.assert(
      fc.property(termsArb, periodArb.filter((generated) => generated.orders.length > 0), fc.nat(), fc.integer({ min: 1, max: 500 }), (generatedTerms, generatedPeriod, at, more) => {
        const index = at % generatedPeriod.orders.length;
        const orders = generatedPeriod.orders.map((line, position) => (position === index ? { ...line, count: Math.min(100_000, line.count + more) } : line));
        const before = calculatePay(generatedTerms, generatedPeriod);
        const after = calculatePay(generatedTerms, { ...generatedPeriod, orders });
        expect(after.grossFen).toBeGreaterThanOrEqual(before.grossFen);
        expect(after.netFen).toBeGreaterThanOrEqual(before.netFen);
      }),
      RUNS,
    );
  });

  it("a holiday never pays less: moving orders into the holiday count never lowers gross or net", () => {
    fc.assert(
      fc.property(termsArb, periodArb.filter((generated) => generated.orders.some((line) => line.holidayCount < line.count)), fc.nat(), fc.nat(), (generatedTerms, generatedPeriod, at, more) => {
        const candidates = generatedPeriod.orders.flatMap((line, position) => (line.holidayCount < line.count ? [position] : []));
        const index = candidates[at % candidates.length]!;
        const orders = generatedPeriod.orders.map((line, position) => (position === index ? { ...line, holidayCount: line.holidayCount + 1 + (more % (line.count - line.holidayCount)) } : line));
        expect(workerPeriodSchema.safeParse({ ...generatedPeriod, orders }).success).toBe(true);
        const before = calculatePay(generatedTerms, generatedPeriod);
        const after = calculatePay(generatedTerms, { ...generatedPeriod, orders });
        expect(after.grossFen).toBeGreaterThanOrEqual(before.grossFen);
        expect(after.netFen).toBeGreaterThanOrEqual(before.netFen);
      }),
      RUNS,
    );
  });

  it("comparing a version with itself changes nothing", () => {
    fc.assert(
      fc.property(termsArb, periodArb, (generatedTerms, generatedPeriod) => {
        const comparison = comparePay(generatedTerms, generatedTerms, generatedPeriod);
        expect(comparison.netDeltaFen).toBe(0);
        expect(comparison.perOnlineHourDeltaFen).toBe(generatedPeriod.onlineMinutes > 0 ? 0 : null);
        expect(comparison.after).toEqual(comparison.before);
      }),
      RUNS,
    );
  });

  it("the comparison's deltas are the difference of the two results", () => {
    fc.assert(
      fc.property(termsArb, termsArb, periodArb, (before, after, generatedPeriod) => {
        const comparison = comparePay(before, after, generatedPeriod);
        const a = calculatePay(before, generatedPeriod);
        const b = calculatePay(after, generatedPeriod);
        expect(comparison.before).toEqual(a);
        expect(comparison.after).toEqual(b);
        expect(comparison.netDeltaFen).toBe(b.netFen - a.netFen);
        expect(comparison.perOnlineHourDeltaFen).toBe(a.perOnlineHourFen === null ? null : b.perOnlineHourFen! - a.perOnlineHourFen);
      }),
      RUNS,
    );
  });

  it("pay at quota is the calculator's per-hour pay for an hour of standard orders at the quota, the lower of the table's and the base rate's", () => {
    fc.assert(
      fc.property(termsArb, fc.integer({ min: 1, max: 600 }), (generatedTerms, quota) => {
        const withQuota = { ...generatedTerms, quotaMinutesPerOrder: quota };
        const atQuota = payPerHourAtQuota(withQuota);
        // Each way a standard order may be priced: through the table (if it has a standard all-day row) and at the base rate alone.
        const variants = [withQuota, ...(withQuota.pieceRateBaseFen !== undefined && (withQuota.pieceRateTable ?? []).length > 0 ? [{ ...withQuota, pieceRateTable: [] }] : [])];
        const expected = variants
          .map((terms) => {
            const rows = (terms.pieceRateTable ?? []).filter((row) => row.orderType === "STANDARD" && row.timeBand === "ALL_DAY");
            const distanceMetres = rows.length ? Math.min(...rows.map((row) => row.fromMetres)) : 0;
            const price = unitPrice(terms, { orderType: "STANDARD", distanceMetres, timeBand: "ALL_DAY" });
            if (!price) return null;
            // 60 standard orders as a worker would enter them, commission at the cap.
            const sixty = calculatePay(terms, { days: 0, onlineMinutes: 60 * quota, orderTakingMinutes: 60 * quota, orders: [{ orderType: "STANDARD", distanceMetres, timeBand: "ALL_DAY", count: 60, holidayCount: 0, badWeatherCount: 0 }], penalties: [], commissionBp: null });
            const day = terms.maxDailyMinutes || 480;
            const allowance = Math.min(terms.waitingAllowanceMinutes ?? 0, day);
            const perHourFen = Math.floor((sixty.netFen * (day - allowance)) / (quota * day));
            // With no allowance, it is the calculator's own per-hour figure for those orders.
            if (allowance === 0) expect(perHourFen).toBe(sixty.perOnlineHourFen);
            // And by hand, up to rounding (half a fen per order) and flooring (under a fen).
            const byHand = ((price.fen * (10_000 - (terms.commissionCapBp ?? 0))) / 10_000) * ((day - allowance) * 60) / (quota * day);
            expect(Math.abs(perHourFen - byHand)).toBeLessThanOrEqual(((day - allowance) * 60) / (quota * day) / 2 + 1);
            return { perHourFen, priceSource: price.source };
          })
          .filter((candidate): candidate is { perHourFen: number; priceSource: "table" | "base" } => candidate !== null);
        if (expected.length === 0) {
          expect(atQuota).toBeNull();
          return;
        }
        expect(atQuota!.perHourFen).toBe(Math.min(...expected.map((candidate) => candidate.perHourFen)));
      }),
      RUNS,
    );
  });
});
