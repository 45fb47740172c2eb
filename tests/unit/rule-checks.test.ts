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
};

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
    expect(fatigueProtection(good)).toEqual([]);
    expect(ids(fatigueProtection({ ...good, maxContinuousMinutes: 300, restAfterContinuousMinutes: 10 }))).toEqual([
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
const hangzhou = ruleContextFor("330100", "2026-03-01");

describe("pay at the agreed quota is not below the hourly minimum wage", () => {
  // No commission in `good`: a standard order every 12 minutes is 5 orders an hour.
  const atPrice = (pieceRateBaseFen: number): Terms => ({ ...good, pieceRateBaseFen });

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
      values: { pay: "24.00", minimum: "25.00", effectiveFrom: "2026-01-01", date: "2026-03-01" },
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
    const nationwide = ruleContextFor("000000", "2026-03-01");
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
    const before = ruleContextFor("330100", "1990-01-01");
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
      ...payAtQuotaAboveMinimumWage({ ...good, pieceRateBaseFen: 480 }, ruleContextFor("000000", "2026-03-01")),
      ...payAtQuotaAboveMinimumWage({ ...good, pieceRateBaseFen: 480 }, ruleContextFor("330100", "1990-01-01")),
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
