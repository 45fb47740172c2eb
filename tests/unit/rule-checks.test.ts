/** Each rule check with a passing and a failing example from realistic terms. */
import { describe, expect, it } from "vitest";
import {
  blockingBreaches,
  checkTerms,
  commissionCapStated,
  commissionShownPerOrder,
  dailyMaximum,
  fatigueProtection,
  holidayPayAboveNormal,
  medianEstimate,
  payAtQuotaAboveMinimumWage,
  penaltiesFair,
  penaltyRulesFair,
  registerComplete,
  subsidiesStated,
  appealResponseStated,
  roundingStated,
  platformRulesStated,
  injuryProtectionStated,
  type Terms,
} from "../../app/domain/rule-checks.ts";
import type { AlgorithmEntry } from "../../app/domain/algorithm-register.ts";
import { ruleContextFor } from "../../app/domain/minimum-wage.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { en } from "../../app/i18n/en.ts";

/** An algorithm register covering the four kinds of system, each entry complete. */
const completeRegister: AlgorithmEntry[] = (["DISPATCH", "TIME_ESTIMATE", "RATING", "PAY_DEDUCTION"] as const).map((kind) => ({
  kind,
  name: `${kind} system`,
  decides: "What it decides, in plain language.",
  parameters: [
    { name: "distance", weightBp: 7000 },
    { name: "orders in hand", weightBp: 3000 },
  ],
  humanReview: "Station manager, answer in writing.",
  reviewAnswerDays: 7,
  ...(kind === "TIME_ESTIMATE" ? { estimatePolicy: "MEDIAN" as const } : {}),
}));

/** A Hangzhou food-delivery draft that passes every check. */
const good: Terms = {
  pieceRateBaseFen: 650,
  quotaMinutesPerOrder: 12,
  commissionShownPerOrder: true,
  algorithms: completeRegister,
  pieceRateNightSurchargeFen: 100,
  badWeatherSubsidyFen: 200,
  holidayMultiplierBp: 20_000,
  commissionCapBp: 0,
  maxContinuousMinutes: 240,
  restAfterContinuousMinutes: 20,
  maxDailyMinutes: 600,
  waitingAllowanceMinutes: 30,
  penaltyCapFen: 5000,
  appealWindowDays: 7,
  penaltyExcludedCauses: ["TRAFFIC_CONTROL", "BAD_WEATHER", "MERCHANT_DELAY", "BUILDING_ACCESS"],
  allocation: { medianEstimate: true, dispatchRadiusMetres: 3000, maxConcurrentOrders: 3 },
  // Schema v3 (issue 22).
  appealResponseHours: 24,
  payCycleDays: 7,
  exitNoticeDays: 7,
  roundingRule: "PER_ORDER_HALF_UP",
  occupationalInjury: "BOTH",
  accidentCoverFen: 60_000_000,
  rewardRules: [],
};

/** The facts of an agreement that takes effect on `date` (China time) for `termMonths`. */
const contextOn = (regionCode: string, date: string, industry = "FOOD_DELIVERY", termMonths = 12) =>
  ruleContextFor({ regionCode, industry, plannedEffectiveFrom: new Date(`${date}T00:00:00+08:00`), effectiveFrom: null, termMonths });

const ids = (results: ReturnType<typeof checkTerms>) => results.map((result) => `${result.severity}:${result.messageKey}`);

describe("a realistic draft", () => {
  it("passes every check", () => {
    expect(checkTerms(good)).toEqual([]);
  });
  it("an empty draft has the legal floors as blocking breaches", () => {
    expect(blockingBreaches({}).map((result) => result.messageKey).sort()).toEqual(
      ["rules.daily.noLimit", "rules.fatigue.noLimit", "rules.fatigue.noRest", "rules.penalties.noAppeal"].sort(),
    );
  });
});

describe("each check", () => {
  it("holiday pay must be above normal pay", () => {
    expect(holidayPayAboveNormal(good)).toEqual([]);
    expect(ids(holidayPayAboveNormal({ ...good, holidayMultiplierBp: 10_000 }))).toEqual(["blocking:rules.holidayPay.notAbove"]);
    expect(ids(holidayPayAboveNormal({ ...good, holidayMultiplierBp: undefined }))).toEqual(["warning:rules.holidayPay.missing"]);
  });
  it("subsidies are stated and never negative", () => {
    expect(subsidiesStated(good)).toEqual([]);
    expect(ids(subsidiesStated({ ...good, badWeatherSubsidyFen: 0 }))).toEqual(["warning:rules.subsidies.missing"]);
    expect(ids(subsidiesStated({ ...good, pieceRateNightSurchargeFen: -1 }))).toEqual(["blocking:rules.subsidies.negative"]);
  });
  it("fatigue protection: a continuous limit and a rest, measured against 4 h / 20 min", () => {
    const delivery = contextOn("330100", "2026-03-01");
    expect(fatigueProtection(good, delivery)).toEqual([]);
    expect(ids(fatigueProtection({ ...good, maxContinuousMinutes: 300, restAfterContinuousMinutes: 10 }, delivery))).toEqual([
      "warning:rules.fatigue.longerThanReference",
      "warning:rules.fatigue.shorterThanReference",
    ]);
    expect(ids(fatigueProtection({ ...good, maxContinuousMinutes: undefined, restAfterContinuousMinutes: 0 }))).toEqual(["blocking:rules.fatigue.noLimit", "blocking:rules.fatigue.noRest"]);
  });
  it("a daily maximum counting order-taking time plus an allowance", () => {
    expect(dailyMaximum(good)).toEqual([]);
    expect(ids(dailyMaximum({ ...good, maxDailyMinutes: undefined }))).toEqual(["blocking:rules.daily.noLimit"]);
    expect(ids(dailyMaximum({ ...good, maxDailyMinutes: 200, waitingAllowanceMinutes: undefined }))).toEqual(["warning:rules.daily.belowContinuous", "warning:rules.daily.noAllowance"]);
  });
  it("a commission cap is stated", () => {
    expect(commissionCapStated(good)).toEqual([]);
    expect(ids(commissionCapStated({ ...good, commissionCapBp: undefined }))).toEqual(["warning:rules.commission.missing"]);
  });
  it("penalties are appealable, capped and never for causes outside the worker's control", () => {
    expect(penaltiesFair(good)).toEqual([]);
    expect(ids(penaltiesFair({ ...good, appealWindowDays: undefined }))).toEqual(["blocking:rules.penalties.noAppeal"]);
    const causes = penaltiesFair({ ...good, penaltyCapFen: undefined, penaltyExcludedCauses: ["BAD_WEATHER"] });
    expect(ids(causes)).toEqual(["warning:rules.penalties.noCap", "warning:rules.penalties.causesMissing"]);
    expect(causes[1]!.values).toEqual({ count: 3 });
  });
  it("delivery-time estimates use the median", () => {
    expect(medianEstimate(good)).toEqual([]);
    expect(ids(medianEstimate({ ...good, allocation: { ...good.allocation!, medianEstimate: false } }))).toEqual(["warning:rules.algorithm.notMedian"]);
  });
});

describe("messages", () => {
  it("every result names its field, cites a source in both languages and has a message in both languages", () => {
    const lookup = (messages: unknown, key: string) => key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], messages);
    const all = [...checkTerms({}), ...checkTerms({ ...good, holidayMultiplierBp: 10_000, pieceRateNightSurchargeFen: -1, maxContinuousMinutes: 300, restAfterContinuousMinutes: 5, maxDailyMinutes: 100, allocation: { ...good.allocation!, medianEstimate: false } })];
    expect(all.length).toBeGreaterThan(10);
    for (const result of all) {
      expect(result.field).toBeTruthy();
      expect(result.source.zh).toMatch(/〔20\d\d〕|指引|报告/);
      expect(result.source.en.length).toBeGreaterThan(5);
      expect(typeof lookup(zhCN, result.messageKey), result.messageKey).toBe("string");
      expect(typeof lookup(en, result.messageKey), result.messageKey).toBe("string");
    }
  });
});

describe("term bounds", () => {
  it("accept a holiday multiplier above 1× (up to 5×) and refuse one below", async () => {
    const { parseTermInput } = await import("../../app/domain/terms.ts");
    expect(parseTermInput("holidayMultiplierBp", "200")).toEqual({ ok: true, value: 20_000 });
    expect(parseTermInput("holidayMultiplierBp", "500")).toEqual({ ok: true, value: 50_000 });
    expect(parseTermInput("holidayMultiplierBp", "90")).toMatchObject({ ok: false, message: { key: "validation.rangeMin" } });
    expect(parseTermInput("holidayMultiplierBp", "501")).toMatchObject({ ok: false, message: { key: "validation.rangeMax" } });
  });
});

// ---------------------------------------------------------------------------------------------
// Checks added with terms schema v2.

/** Hangzhou in 2026: hourly minimum wage 25.00 yuan (in force from 2026-01-01). */
const hangzhou = contextOn("330100", "2026-03-01");

describe("pay at the agreed quota is not below the hourly minimum wage", () => {
  // No commission in `good`: a standard order every 12 minutes is 5 orders an hour (no allowance: every working minute takes orders).
  const atPrice = (pieceRateBaseFen: number): Terms => ({ ...good, pieceRateBaseFen, waitingAllowanceMinutes: 0 });

  it("uses Hangzhou's 25.00 yuan an hour in 2026", () => {
    expect(hangzhou.minimumWage).toMatchObject({ hourlyFen: 2500, effectiveFrom: "2026-01-01", nationwideStrictest: false });
  });

  it("5.50 a standard order with a 12-minute quota is 27.50 an hour: passes", () => {
    expect(payAtQuotaAboveMinimumWage(atPrice(550), hangzhou)).toEqual([]);
  });

  it("exactly the minimum (5.00 → 25.00 an hour) passes", () => {
    expect(payAtQuotaAboveMinimumWage(atPrice(500), hangzhou)).toEqual([]);
  });

  it("4.80 a standard order is 24.00 an hour: blocking, beside the base piece rate, citing the regional data", () => {
    const [result, ...rest] = payAtQuotaAboveMinimumWage(atPrice(480), hangzhou);
    expect(rest).toEqual([]);
    expect(result).toMatchObject({
      id: "minimumWage",
      severity: "blocking",
      field: "pieceRateBaseFen",
      messageKey: "rules.minimumWage.below",
      values: { pay: "24.00", minimum: "25.00", effectiveFrom: "2026-01-01", date: "2026-03-01", hours: 10, allowance: 0, verified: "no" },
    });
    expect(result!.source.zh).toContain("人社部发〔2021〕56号");
    expect(result!.source.zh).toContain(hangzhou.minimumWage!.source.zh);
    expect(result!.source.en).toContain(hangzhou.minimumWage!.source.en);
    expect(blockingBreaches(atPrice(480), hangzhou).map((breach) => breach.messageKey)).toEqual(["rules.minimumWage.below"]);
  });

  it("the commission taken counts: 5.50 with a 10 % cap is 24.75 an hour: blocking", () => {
    expect(ids(payAtQuotaAboveMinimumWage({ ...atPrice(550), commissionCapBp: 1000 }, hangzhou))).toEqual(["blocking:rules.minimumWage.below"]);
  });

  it("when a standard all-day table row sets the price, the result is beside the piece-rate table", () => {
    const table: Terms = { ...atPrice(550), pieceRateTable: [{ orderType: "STANDARD", fromMetres: 0, toMetres: 3000, timeBand: "ALL_DAY", priceFen: 480 }] };
    expect(payAtQuotaAboveMinimumWage(table, hangzhou)).toMatchObject([{ severity: "blocking", field: "pieceRateTable", values: { pay: "24.00" } }]);
    expect(payAtQuotaAboveMinimumWage({ ...table, pieceRateTable: [{ ...table.pieceRateTable![0]!, priceFen: 550 }] }, hangzhou)).toEqual([]);
  });

  it("a nationwide agreement is held to the strictest region (Beijing, 27.70): 27.50 an hour is blocking", () => {
    const nationwide = contextOn("000000", "2026-03-01");
    expect(payAtQuotaAboveMinimumWage(atPrice(550), nationwide)).toMatchObject([{ severity: "blocking", messageKey: "rules.minimumWage.belowNationwide", values: { pay: "27.50", minimum: "27.70" } }]);
    expect(payAtQuotaAboveMinimumWage(atPrice(560), nationwide)).toEqual([]);
  });

  it("no agreed quota: a warning beside the quota, with or without regional data", () => {
    const noQuota = { ...good, quotaMinutesPerOrder: undefined };
    expect(payAtQuotaAboveMinimumWage(noQuota, hangzhou)).toMatchObject([{ severity: "warning", field: "quotaMinutesPerOrder", messageKey: "rules.minimumWage.noQuota" }]);
    expect(ids(payAtQuotaAboveMinimumWage(noQuota))).toEqual(["warning:rules.minimumWage.noQuota"]);
  });

  it("no price for a standard order: a warning beside the base piece rate", () => {
    expect(payAtQuotaAboveMinimumWage({ ...good, pieceRateBaseFen: undefined }, hangzhou)).toMatchObject([{ severity: "warning", field: "pieceRateBaseFen", messageKey: "rules.minimumWage.noPrice" }]);
    expect(ids(payAtQuotaAboveMinimumWage({ ...good, pieceRateBaseFen: undefined }))).toEqual(["warning:rules.minimumWage.noPrice"]);
  });

  it("no minimum-wage data for the date: a warning to check by hand", () => {
    const before = contextOn("330100", "1990-01-01", "FOOD_DELIVERY", 1);
    expect(payAtQuotaAboveMinimumWage(atPrice(480), before)).toMatchObject([{ severity: "warning", field: "quotaMinutesPerOrder", messageKey: "rules.minimumWage.noData", values: { date: "1990-01-01" } }]);
  });

  it("without a context (no region known) nothing is compared", () => {
    expect(payAtQuotaAboveMinimumWage(atPrice(100))).toEqual([]);
    expect(checkTerms(atPrice(100)).filter((result) => result.id === "minimumWage")).toEqual([]);
  });

  it("the realistic draft passes every check in Hangzhou too", () => {
    expect(checkTerms(good, hangzhou)).toEqual([]);
  });
});

describe("the commission is shown on every order", () => {
  it("passes when agreed", () => {
    expect(commissionShownPerOrder(good)).toEqual([]);
  });
  it("warns beside the commission cap when not agreed", () => {
    expect(commissionShownPerOrder({ ...good, commissionShownPerOrder: false })).toMatchObject([{ severity: "warning", field: "commissionCapBp", messageKey: "rules.commission.notShown" }]);
    expect(ids(commissionShownPerOrder({ ...good, commissionShownPerOrder: undefined }))).toEqual(["warning:rules.commission.notShown"]);
  });
  it("leaves a missing cap to the cap check", () => {
    expect(commissionShownPerOrder({ ...good, commissionCapBp: undefined, commissionShownPerOrder: undefined })).toEqual([]);
  });
});

describe("each penalty rule is fair", () => {
  const required = ["TRAFFIC_CONTROL", "BAD_WEATHER", "MERCHANT_DELAY", "BUILDING_ACCESS"] as const;
  const late = { kind: "LATE_DELIVERY" as const, amountFen: 500, monthlyCapFen: 1500, appealWindowDays: 7, excludedCauses: [...required] };
  const withRule = (rule: Partial<typeof late>, terms: Terms = {}) => ({ ...good, ...terms, penaltyRules: [{ ...late, ...rule }] });

  it("passes with the required causes excluded, a cap within the overall cap and 7 days to appeal", () => {
    expect(penaltyRulesFair(withRule({}))).toEqual([]);
    // The causes excluded for every penalty count for each rule.
    expect(penaltyRulesFair(withRule({ excludedCauses: [] }))).toEqual([]);
    expect(penaltyRulesFair({ ...good, penaltyRules: undefined })).toEqual([]);
  });

  it("warns of a rule that would penalise a cause outside the worker's control (a commentary is no basis for blocking, issue 21)", () => {
    const results = penaltyRulesFair(withRule({ excludedCauses: ["BAD_WEATHER"] }, { penaltyExcludedCauses: [] }));
    expect(results).toMatchObject([{ severity: "warning", field: "penaltyRules", messageKey: "rules.penaltyRule.causesMissing", values: { kind: "LATE_DELIVERY", count: 3 } }]);
    expect(blockingBreaches(withRule({ excludedCauses: ["BAD_WEATHER"] }, { penaltyExcludedCauses: ["TRAFFIC_CONTROL"] }))).toEqual([]);
  });

  it("warns when a rule's monthly cap is above the overall cap", () => {
    expect(penaltyRulesFair(withRule({ monthlyCapFen: 6000 }))).toMatchObject([{ severity: "warning", messageKey: "rules.penaltyRule.aboveOverallCap", values: { kind: "LATE_DELIVERY" } }]);
    expect(penaltyRulesFair(withRule({ monthlyCapFen: 5000 }))).toEqual([]);
  });

  it("warns when the appeal window is shorter than 7 days", () => {
    expect(penaltyRulesFair(withRule({ appealWindowDays: 3 }))).toMatchObject([{ severity: "warning", messageKey: "rules.penaltyRule.shortAppeal", values: { kind: "LATE_DELIVERY", days: 3 } }]);
  });

  it("reports each rule on its own", () => {
    const terms: Terms = { ...good, penaltyExcludedCauses: [], penaltyRules: [late, { ...late, kind: "BAD_REVIEW", excludedCauses: [], appealWindowDays: 1 }] };
    expect(penaltyRulesFair(terms).map((result) => `${result.messageKey}:${result.values?.kind}`)).toEqual(["rules.penaltyRule.causesMissing:BAD_REVIEW", "rules.penaltyRule.shortAppeal:BAD_REVIEW"]);
  });
});

describe("the algorithm register is complete", () => {
  const entry = (kind: AlgorithmEntry["kind"]) => completeRegister.find((candidate) => candidate.kind === kind)!;

  it("passes with the four kinds, each complete", () => {
    expect(registerComplete(good)).toEqual([]);
  });

  it("warns when kinds are missing, and counts them", () => {
    expect(registerComplete({ ...good, algorithms: [entry("DISPATCH")] })).toMatchObject([{ severity: "warning", field: "algorithms", messageKey: "rules.register.kindsMissing", values: { count: 3 } }]);
    expect(registerComplete({ ...good, algorithms: undefined })).toMatchObject([{ values: { count: 4 } }]);
  });

  it("warns for an incomplete entry, naming what it lacks", () => {
    const lopsided = { ...entry("DISPATCH"), parameters: [{ name: "distance", weightBp: 9000 }] };
    const unnamed = { ...entry("RATING"), name: "", humanReview: "" };
    const results = registerComplete({ ...good, algorithms: [lopsided, entry("TIME_ESTIMATE"), unnamed, entry("PAY_DEDUCTION")] });
    expect(results).toMatchObject([
      { severity: "warning", messageKey: "rules.register.incomplete", values: { kind: "DISPATCH", name: "DISPATCH system", parts: "weights" } },
      { severity: "warning", messageKey: "rules.register.incomplete", values: { kind: "RATING", name: "—", parts: "name,humanReview" } },
    ]);
    expect(ids(registerComplete({ ...good, algorithms: [entry("DISPATCH"), { ...entry("TIME_ESTIMATE"), estimatePolicy: undefined }, entry("RATING"), entry("PAY_DEDUCTION")] }))).toEqual(["warning:rules.register.incomplete"]);
  });

  it("warns when delivery-time estimates use the strictest times, not the median", () => {
    const strictest = { ...entry("TIME_ESTIMATE"), estimatePolicy: "STRICTEST" as const };
    expect(ids(registerComplete({ ...good, algorithms: [entry("DISPATCH"), strictest, entry("RATING"), entry("PAY_DEDUCTION")] }))).toEqual(["warning:rules.algorithm.notMedian"]);
    expect(registerComplete({ ...good, algorithms: [entry("DISPATCH"), { ...strictest, estimatePolicy: "OTHER" as const }, entry("RATING"), entry("PAY_DEDUCTION")] })).toEqual([]);
  });
});

describe("messages of the checks added with schema v2", () => {
  it("every result names its field, cites a source in both languages and has a message in both languages", () => {
    const lookup = (messages: unknown, key: string) => key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], messages);
    const results = [
      ...payAtQuotaAboveMinimumWage({ ...good, pieceRateBaseFen: 480 }, hangzhou),
      ...payAtQuotaAboveMinimumWage({ ...good, pieceRateBaseFen: 480 }, contextOn("000000", "2026-03-01")),
      ...payAtQuotaAboveMinimumWage({ ...good, pieceRateBaseFen: 480 }, contextOn("330100", "1990-01-01", "FOOD_DELIVERY", 1)),
      ...payAtQuotaAboveMinimumWage({ ...good, quotaMinutesPerOrder: undefined }),
      ...payAtQuotaAboveMinimumWage({ ...good, pieceRateBaseFen: undefined }),
      ...commissionShownPerOrder({ ...good, commissionShownPerOrder: false }),
      ...penaltyRulesFair({ ...good, penaltyExcludedCauses: [], penaltyRules: [{ kind: "LATE_DELIVERY", amountFen: 500, monthlyCapFen: 9000, appealWindowDays: 3, excludedCauses: [] }] }),
      ...registerComplete({ ...good, algorithms: [{ ...completeRegister[1]!, name: "", estimatePolicy: "STRICTEST" }] }),
    ];
    expect(new Set(results.map((result) => result.messageKey)).size).toBe(12);
    for (const result of results) {
      expect(result.field).toBeTruthy();
      expect(result.source.zh).toMatch(/〔20\d\d〕|指引|报告|解读/);
      expect(result.source.en.length).toBeGreaterThan(5);
      expect(typeof lookup(zhCN, result.messageKey), result.messageKey).toBe("string");
      expect(typeof lookup(en, result.messageKey), result.messageKey).toBe("string");
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Issue 22: checks right for each industry and each day.

describe("the minimum wage on the effective date and on every day of the term", () => {
  // Zhejiang's standards in the data: 24.00 an hour (first tier) before 2026-01-01, 25.00 from it.
  const at = (pieceRateBaseFen: number, waitingAllowanceMinutes = 0): Terms => ({ ...good, pieceRateBaseFen, waitingAllowanceMinutes });

  it("an agreement effective before the new standard, whose term reaches it: blocking from the day it takes effect", () => {
    const context = contextOn("330100", "2025-08-01", "FOOD_DELIVERY", 12);
    expect(context.minimumWage).toMatchObject({ hourlyFen: 2400 });
    expect(context.laterMinimumWages.map((standard) => [standard.hourlyFen, standard.effectiveFrom])).toEqual([[2500, "2026-01-01"]]);
    // 4.90 a standard order = 24.50 an hour: above 24.00 on the effective date, below 25.00 from 2026-01-01.
    expect(payAtQuotaAboveMinimumWage(at(490), context)).toMatchObject([{ severity: "blocking", messageKey: "rules.minimumWage.belowDuringTerm", values: { pay: "24.50", minimum: "25.00", effectiveFrom: "2026-01-01", date: "2026-01-01" } }]);
  });

  it("the same agreement ending before the new standard passes; one effective after it is held to it", () => {
    expect(payAtQuotaAboveMinimumWage(at(490), contextOn("330100", "2025-08-01", "FOOD_DELIVERY", 3))).toEqual([]);
    expect(payAtQuotaAboveMinimumWage(at(490), contextOn("330100", "2026-01-01", "FOOD_DELIVERY", 12))).toMatchObject([{ messageKey: "rules.minimumWage.below", values: { minimum: "25.00" } }]);
    expect(payAtQuotaAboveMinimumWage(at(500), contextOn("330100", "2026-01-01", "FOOD_DELIVERY", 12))).toEqual([]);
  });

  it("the allowance counts as working time (人社厅发〔2023〕50号 第四条): 5.30 an order passes without it, fails with 60 minutes in a 10-hour day", () => {
    const context = contextOn("330100", "2026-03-01");
    // 26.50 an hour without an allowance; with it, 9 of 10 hours take orders: 23.85 an hour of working time.
    expect(payAtQuotaAboveMinimumWage(at(530, 0), context)).toEqual([]);
    expect(payAtQuotaAboveMinimumWage(at(530, 60), context)).toMatchObject([{ severity: "blocking", values: { pay: "23.85", minimum: "25.00", hours: 10, allowance: 60 } }]);
    const [result] = payAtQuotaAboveMinimumWage(at(530, 60), context);
    expect(result!.source.zh).toContain("人社厅发〔2023〕50号");
  });
});

describe("working time and rest, per industry", () => {
  const continuous = (minutes: number, rest = 20): Terms => ({ ...good, maxContinuousMinutes: minutes, restAfterContinuousMinutes: rest });

  it.each([
    ["RIDE_HAILING", "blocking:rules.fatigue.drivingTooLong"],
    ["FREIGHT", "blocking:rules.fatigue.drivingTooLong"],
    ["FOOD_DELIVERY", "warning:rules.fatigue.longerThanReference"],
  ] as const)("%s: exactly 4 hours (240 minutes) is not 'more than 4 hours'; 241 minutes is %s", (industry, at241) => {
    const context = contextOn("330100", "2026-03-01", industry);
    expect(ids(fatigueProtection(continuous(240), context))).toEqual([]);
    expect(ids(fatigueProtection(continuous(241), context))).toEqual([at241]);
  });

  it("drivers: a stop shorter than 20 minutes is blocking (《道路交通安全法实施条例》第六十二条（七）); food delivery: a warning", () => {
    const driving = fatigueProtection(continuous(240, 19), contextOn("330100", "2026-03-01", "RIDE_HAILING"));
    expect(ids(driving)).toEqual(["blocking:rules.fatigue.drivingRestTooShort"]);
    expect(driving[0]!.source.zh).toContain("《道路交通安全法实施条例》第六十二条（七）");
    expect(ids(fatigueProtection(continuous(240, 19), contextOn("330100", "2026-03-01", "FOOD_DELIVERY")))).toEqual(["warning:rules.fatigue.shorterThanReference"]);
    expect(ids(fatigueProtection(continuous(240, 20), contextOn("330100", "2026-03-01", "FREIGHT")))).toEqual([]);
  });

  it("couriers: no rule sets an hour limit, so the agreed limit is shown as the parties' agreed practice, at 240 and at 241 alike", () => {
    const context = contextOn("330100", "2026-03-01", "EXPRESS");
    expect(fatigueProtection(continuous(240), context)).toMatchObject([{ severity: "info", messageKey: "rules.fatigue.agreedPractice", values: { minutes: 240, rest: 20 } }]);
    expect(fatigueProtection(continuous(241), context)).toMatchObject([{ severity: "info", messageKey: "rules.fatigue.agreedPractice", values: { minutes: 241 } }]);
    expect(blockingBreaches(continuous(600, 5), context)).toEqual([]);
  });

  it("every industry states a continuous limit, a rest and a daily maximum (人社厅发〔2023〕50号 第五条)", () => {
    for (const industry of ["FOOD_DELIVERY", "EXPRESS", "RIDE_HAILING", "FREIGHT", "OTHER"]) {
      const context = contextOn("330100", "2026-03-01", industry);
      expect(blockingBreaches({ ...good, maxContinuousMinutes: undefined, restAfterContinuousMinutes: undefined, maxDailyMinutes: undefined }, context).map((result) => result.messageKey).sort(), industry).toEqual(
        ["rules.daily.noLimit", "rules.fatigue.noLimit", "rules.fatigue.noRest"].sort(),
      );
    }
  });
});

describe("penalty caps: the message and the check agree", () => {
  it("the overall cap is a monthly total, in the check, the message and the calculator", () => {
    expect(ids(penaltiesFair({ ...good, penaltyCapFen: undefined }))).toEqual(["warning:rules.penalties.noCap"]);
    expect(zhCN.rules.penalties.noCap).toContain("每月扣罚总额上限");
    expect(en.rules.penalties.noCap).toContain("monthly cap");
    expect(zhCN.term.penaltyCapFen).toBe("每月扣罚总额上限");
  });
  it("a rule's own monthly cap above the overall monthly cap is warned of; equal is fine", () => {
    const rule = { kind: "LATE_DELIVERY" as const, amountFen: 500, monthlyCapFen: 5001, appealWindowDays: 7, excludedCauses: [] };
    expect(ids(penaltyRulesFair({ ...good, penaltyRules: [rule] }))).toEqual(["warning:rules.penaltyRule.aboveOverallCap"]);
    expect(penaltyRulesFair({ ...good, penaltyRules: [{ ...rule, monthlyCapFen: 5000 }] })).toEqual([]);
  });
});

describe("appeals are answered in a stated time", () => {
  it("food delivery: missing or longer than 24 hours (国市监网监发〔2021〕38号 九) is warned of; 24 hours is fine", () => {
    const context = contextOn("330100", "2026-03-01", "FOOD_DELIVERY");
    expect(appealResponseStated({ ...good, appealResponseHours: undefined }, context)).toMatchObject([{ severity: "warning", field: "appealResponseHours", messageKey: "rules.appeals.missingDelivery", values: { hours: 24 } }]);
    expect(appealResponseStated({ ...good, appealResponseHours: undefined }, context)[0]!.source.zh).toContain("国市监网监发〔2021〕38号第九部分");
    expect(appealResponseStated({ ...good, appealResponseHours: 24 }, context)).toEqual([]);
    expect(appealResponseStated({ ...good, appealResponseHours: 25 }, context)).toMatchObject([{ severity: "warning", messageKey: "rules.appeals.longerThanDelivery", values: { hours: 25, reference: 24 } }]);
  });
  it("other industries state their own time, without that default", () => {
    for (const industry of ["RIDE_HAILING", "EXPRESS", "FREIGHT"]) {
      const context = contextOn("330100", "2026-03-01", industry);
      expect(ids(appealResponseStated({ ...good, appealResponseHours: undefined }, context))).toEqual(["warning:rules.appeals.missing"]);
      expect(appealResponseStated({ ...good, appealResponseHours: 72 }, context)).toEqual([]);
    }
  });
});

describe("the terms that were missing", () => {
  const context = contextOn("330100", "2026-03-01", "FOOD_DELIVERY");
  it("the rounding rule: stated, or a warning that the default applies", () => {
    expect(ids(roundingStated({ ...good, roundingRule: undefined }))).toEqual(["warning:rules.rounding.missing"]);
    expect(roundingStated(good)).toEqual([]);
  });
  it("pay timing, entry and exit, and rewards are stated (an empty reward list states there are none)", () => {
    expect(ids(platformRulesStated({ ...good, payCycleDays: undefined, exitNoticeDays: undefined, rewardRules: undefined }))).toEqual(["warning:rules.payCycle.missing", "warning:rules.entryExit.missing", "warning:rules.rewards.missing"]);
    expect(platformRulesStated(good)).toEqual([]);
  });
  it("occupational injury protection (人社部发〔2021〕56号 第（九）项): missing, none, or commercial insurance without a sum insured", () => {
    expect(ids(injuryProtectionStated({ ...good, occupationalInjury: undefined }, context))).toEqual(["warning:rules.injury.missing"]);
    expect(ids(injuryProtectionStated({ ...good, occupationalInjury: "NONE" }, context))).toEqual(["warning:rules.injury.none"]);
    expect(ids(injuryProtectionStated({ ...good, occupationalInjury: "COMMERCIAL", accidentCoverFen: undefined }, context))).toEqual(["warning:rules.injury.noCover"]);
    expect(injuryProtectionStated({ ...good, occupationalInjury: "SCHEME", accidentCoverFen: undefined }, context)).toEqual([]);
    expect(injuryProtectionStated({ ...good, occupationalInjury: undefined }, context)[0]!.source.zh).toContain("人社部发〔2021〕56号第（九）项");
  });
  it("the realistic draft passes every check for every industry (the courier's limit is only noted as agreed practice)", () => {
    for (const industry of ["FOOD_DELIVERY", "RIDE_HAILING", "FREIGHT", "OTHER"]) {
      expect(checkTerms(good, contextOn("330100", "2026-03-01", industry)).filter((result) => result.severity !== "info"), industry).toEqual([]);
    }
    expect(ids(checkTerms(good, contextOn("330100", "2026-03-01", "EXPRESS")))).toEqual(["info:rules.fatigue.agreedPractice"]);
  });
});

describe("the demo agreements of each industry", () => {
  it("the ride-hailing and courier agreements pass every check of their industry, with their own fields", async () => {
    const { DEMO_RIDE_HAILING_TERMS, DEMO_COURIER_TERMS } = await import("../../prisma/demo-scenario.ts");
    expect(checkTerms(DEMO_RIDE_HAILING_TERMS, contextOn("330100", "2026-08-01", "RIDE_HAILING", 24)).filter((result) => result.severity !== "info")).toEqual([]);
    // Couriers: no night surcharge or commission cap in their terms, and no warning about them; the limit is noted as agreed practice.
    expect(ids(checkTerms(DEMO_COURIER_TERMS, contextOn("330100", "2026-08-01", "EXPRESS", 24)))).toEqual(["info:rules.fatigue.agreedPractice"]);
    // The same courier terms read as food delivery would be warned of the missing night surcharge and commission cap.
    expect(ids(checkTerms(DEMO_COURIER_TERMS, contextOn("330100", "2026-08-01", "FOOD_DELIVERY", 24)))).toEqual(expect.arrayContaining(["warning:rules.subsidies.missing", "warning:rules.commission.missing"]));
  });
});

describe("the checks read the base rate as well as the table (issue 23)", () => {
  it("a base piece rate of 3.00 is a breach even when the table's standard order is well paid", () => {
    const context = contextOn("330100", "2026-03-01");
    const terms: Terms = { ...good, waitingAllowanceMinutes: 0, pieceRateBaseFen: 300, pieceRateTable: [{ orderType: "STANDARD", fromMetres: 0, toMetres: 3000, timeBand: "ALL_DAY", priceFen: 650 }] };
    expect(payAtQuotaAboveMinimumWage(terms, context)).toMatchObject([{ severity: "blocking", field: "pieceRateBaseFen", values: { pay: "15.00" } }]);
    expect(checkTerms(terms, context).some((result) => result.severity === "blocking")).toBe(true);
    expect(payAtQuotaAboveMinimumWage({ ...terms, pieceRateBaseFen: 650 }, context)).toEqual([]);
  });
});
