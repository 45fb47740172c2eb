/** Each rule check with a passing and a failing example from realistic terms. */
import { describe, expect, it } from "vitest";
import {
  blockingBreaches,
  checkTerms,
  commissionCapStated,
  dailyMaximum,
  fatigueProtection,
  holidayPayAboveNormal,
  medianEstimate,
  penaltiesFair,
  subsidiesStated,
  type Terms,
} from "../../app/domain/rule-checks.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { en } from "../../app/i18n/en.ts";

/** A Hangzhou food-delivery draft that passes every check. */
const good: Terms = {
  pieceRateBaseFen: 650,
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
