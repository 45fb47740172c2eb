/**
 * Rule checks on a draft's structured terms. Each check is a named pure function with a message
 * (an i18n key under `rules.`) that cites its source. Severity: a breach of a legal floor is
 * "blocking" (signing is refused while it stands); the rest "warn".
 *
 * Some checks need facts from outside the terms: the region's minimum wage in force on the
 * agreement's effective date comes in a `RuleContext` (app/domain/minimum-wage.ts), built by the
 * caller so that the browser and the server check with the same row.
 */
import { ALGORITHM_KINDS, missingParts } from "./algorithm-register.ts";
import { cite, citeAll } from "./citations.ts";
import type { MinimumWageInForce } from "./minimum-wage.ts";
import { payPerHourAtQuota } from "./pay.ts";
import type { Terms } from "./terms.ts";

export type { Terms };
/** Facts a check needs beyond the terms. `minimumWage` is null when the data has no row for the region and date. */
export type RuleContext = { regionCode: string; effectiveOn: string; minimumWage: MinimumWageInForce | null };
export type Severity = "blocking" | "warning";
export type Source = { zh: string; en: string };
export type CheckResult = {
  id: string;
  severity: Severity;
  /** The term the result belongs to (shown next to that field). */
  field: string;
  messageKey: string;
  values?: Record<string, string | number>;
  source: Source;
};

/**
 * Sources, from the citation register (app/domain/citations.ts): `cite` refuses an unregistered
 * document or part when this module loads. A commentary may explain but is no basis for a blocking
 * check: the one blocking result that cites only the commentary (penaltyRulesFair, causes outside
 * the worker's control) awaits a decision, and tests/unit/citations.test.ts lets no other join it
 * (docs/citations.md).
 */
const SOURCES = {
  minimumWage: citeAll(cite("rights56", "第（五）项"), cite("minimumWageRules")),
  holidayPay: cite("rights56", "第（六）项"),
  rulesHeardAndAppeals: cite("rights56", "第（十）项"),
  deliveryPay: cite("delivery38", "第一部分"),
  medianEstimate: cite("delivery38", "第二部分", { zh: "（算法取中）", en: "(median estimate)" }),
  fatigueReference: cite("delivery38", "第三部分"),
  workingTimeLimits: cite("restAndPay2023", "第五条"),
  workingTimeAllowance: cite("restAndPay2023", "第四条"),
  transparentCommission: cite("report2025", "一、（二）", { zh: "（阳光抽成）", en: "(transparent commission)" }),
  report2025: cite("report2025"),
  commentary2026: cite("commentary2026"),
} as const;

/** The food-delivery guidance's reference: after 4 hours of continuous delivery, 20 minutes without orders. */
export const FATIGUE_REFERENCE = { maxContinuousMinutes: 240, restMinutes: 20 } as const;
/** Causes outside the worker's control that must never be penalised. */
export const REQUIRED_EXCLUDED_CAUSES = ["TRAFFIC_CONTROL", "BAD_WEATHER", "MERCHANT_DELAY", "BUILDING_ACCESS"] as const;

type Check = (terms: Terms, context?: RuleContext) => CheckResult[];

const yuan = (fen: number) => (fen / 100).toFixed(2);

/**
 * Pay at the agreed quota for normal work is not below the region's hourly minimum wage in force on
 * the effective date (人社部发〔2021〕56号 第（五）项; 《最低工资规定》). Shown beside the field whose
 * price sets the pay at quota (the base piece rate, or the piece-rate table).
 */
export const payAtQuotaAboveMinimumWage: Check = (terms, context) => {
  const source = SOURCES.minimumWage;
  if (!terms.quotaMinutesPerOrder) return [{ id: "minimumWage", severity: "warning", field: "quotaMinutesPerOrder", messageKey: "rules.minimumWage.noQuota", source }];
  const atQuota = payPerHourAtQuota(terms);
  if (!atQuota) return [{ id: "minimumWage", severity: "warning", field: "pieceRateBaseFen", messageKey: "rules.minimumWage.noPrice", source }];
  if (!context) return [];
  const minimum = context.minimumWage;
  if (!minimum) return [{ id: "minimumWage", severity: "warning", field: "quotaMinutesPerOrder", messageKey: "rules.minimumWage.noData", values: { date: context.effectiveOn }, source }];
  const field = atQuota.priceSource === "table" ? "pieceRateTable" : "pieceRateBaseFen";
  const values = { pay: yuan(atQuota.perHourFen), minimum: yuan(minimum.hourlyFen), effectiveFrom: minimum.effectiveFrom, date: context.effectiveOn };
  const dataSource = { zh: `${source.zh}；${minimum.source.zh}`, en: `${source.en}; ${minimum.source.en}` };
  if (atQuota.perHourFen < minimum.hourlyFen) {
    return [{ id: "minimumWage", severity: "blocking", field, messageKey: minimum.nationwideStrictest ? "rules.minimumWage.belowNationwide" : "rules.minimumWage.below", values, source: dataSource }];
  }
  return [];
};

/** The commission taken is shown on every order (阳光抽成). */
export const commissionShownPerOrder: Check = (terms) =>
  terms.commissionCapBp !== undefined && terms.commissionShownPerOrder !== true
    ? [{ id: "commission", severity: "warning", field: "commissionCapBp", messageKey: "rules.commission.notShown", source: SOURCES.transparentCommission }]
    : [];

/** Each penalty rule: appealable, capped, and never applied for causes outside the worker's control. */
export const penaltyRulesFair: Check = (terms) => {
  const results: CheckResult[] = [];
  for (const rule of terms.penaltyRules ?? []) {
    const excluded = new Set([...rule.excludedCauses, ...(terms.penaltyExcludedCauses ?? [])]);
    const missing = REQUIRED_EXCLUDED_CAUSES.filter((cause) => !excluded.has(cause));
    if (missing.length) {
      results.push({ id: "penaltyRule", severity: "warning", field: "penaltyRules", messageKey: "rules.penaltyRule.causesMissing", values: { kind: rule.kind, count: missing.length }, source: SOURCES.report2025 });
    }
    if (terms.penaltyCapFen !== undefined && rule.monthlyCapFen > terms.penaltyCapFen) {
      results.push({ id: "penaltyRule", severity: "warning", field: "penaltyRules", messageKey: "rules.penaltyRule.aboveOverallCap", values: { kind: rule.kind }, source: SOURCES.report2025 });
    }
    if (rule.appealWindowDays < 7) {
      results.push({ id: "penaltyRule", severity: "warning", field: "penaltyRules", messageKey: "rules.penaltyRule.shortAppeal", values: { kind: rule.kind, days: rule.appealWindowDays }, source: SOURCES.rulesHeardAndAppeals });
    }
  }
  return results;
};

/** The algorithm register covers dispatch, time estimates, rating and pay deduction, each complete. */
export const registerComplete: Check = (terms) => {
  const source = SOURCES.rulesHeardAndAppeals;
  const register = terms.algorithms ?? [];
  const results: CheckResult[] = [];
  const present = new Set(register.map((entry) => entry.kind));
  const absent = ALGORITHM_KINDS.filter((kind) => !present.has(kind));
  if (absent.length) results.push({ id: "register", severity: "warning", field: "algorithms", messageKey: "rules.register.kindsMissing", values: { count: absent.length }, source });
  for (const entry of register) {
    const missing = missingParts(entry);
    if (missing.length) results.push({ id: "register", severity: "warning", field: "algorithms", messageKey: "rules.register.incomplete", values: { kind: entry.kind, name: entry.name || "—", parts: missing.join(",") }, source });
    if (entry.kind === "TIME_ESTIMATE" && entry.estimatePolicy === "STRICTEST") {
      results.push({ id: "register", severity: "warning", field: "algorithms", messageKey: "rules.algorithm.notMedian", source: SOURCES.medianEstimate });
    }
  }
  return results;
};

export const holidayPayAboveNormal: Check = (terms) => {
  const source = SOURCES.holidayPay;
  if (terms.holidayMultiplierBp === undefined) return [{ id: "holidayPay", severity: "warning", field: "holidayMultiplierBp", messageKey: "rules.holidayPay.missing", source }];
  if (terms.holidayMultiplierBp <= 10_000) {
    return [{ id: "holidayPay", severity: "blocking", field: "holidayMultiplierBp", messageKey: "rules.holidayPay.notAbove", values: { multiplier: terms.holidayMultiplierBp / 10_000 }, source }];
  }
  return [];
};

export const subsidiesStated: Check = (terms) => {
  const source = SOURCES.deliveryPay;
  const results: CheckResult[] = [];
  for (const field of ["pieceRateNightSurchargeFen", "badWeatherSubsidyFen"] as const) {
    const value = terms[field];
    if (value !== undefined && value < 0) results.push({ id: "subsidies", severity: "blocking", field, messageKey: "rules.subsidies.negative", source });
    else if (!value) results.push({ id: "subsidies", severity: "warning", field, messageKey: "rules.subsidies.missing", source });
  }
  return results;
};

export const fatigueProtection: Check = (terms) => {
  const reference = SOURCES.fatigueReference;
  const floor = SOURCES.workingTimeLimits;
  const results: CheckResult[] = [];
  if (terms.maxContinuousMinutes === undefined || terms.maxContinuousMinutes === 0) {
    results.push({ id: "fatigue", severity: "blocking", field: "maxContinuousMinutes", messageKey: "rules.fatigue.noLimit", source: floor });
  } else if (terms.maxContinuousMinutes > FATIGUE_REFERENCE.maxContinuousMinutes) {
    results.push({ id: "fatigue", severity: "warning", field: "maxContinuousMinutes", messageKey: "rules.fatigue.longerThanReference", values: { minutes: terms.maxContinuousMinutes, reference: FATIGUE_REFERENCE.maxContinuousMinutes }, source: reference });
  }
  if (terms.restAfterContinuousMinutes === undefined || terms.restAfterContinuousMinutes === 0) {
    results.push({ id: "fatigue", severity: "blocking", field: "restAfterContinuousMinutes", messageKey: "rules.fatigue.noRest", source: floor });
  } else if (terms.restAfterContinuousMinutes < FATIGUE_REFERENCE.restMinutes) {
    results.push({ id: "fatigue", severity: "warning", field: "restAfterContinuousMinutes", messageKey: "rules.fatigue.shorterThanReference", values: { minutes: terms.restAfterContinuousMinutes, reference: FATIGUE_REFERENCE.restMinutes }, source: reference });
  }
  return results;
};

export const dailyMaximum: Check = (terms) => {
  const source = SOURCES.workingTimeLimits;
  const results: CheckResult[] = [];
  if (terms.maxDailyMinutes === undefined || terms.maxDailyMinutes === 0) {
    results.push({ id: "daily", severity: "blocking", field: "maxDailyMinutes", messageKey: "rules.daily.noLimit", source });
  } else if (terms.maxContinuousMinutes && terms.maxDailyMinutes < terms.maxContinuousMinutes) {
    results.push({ id: "daily", severity: "warning", field: "maxDailyMinutes", messageKey: "rules.daily.belowContinuous", source });
  }
  // Working time counts accumulated order-taking time plus an allowance for waiting and preparation (第四条).
  if (terms.waitingAllowanceMinutes === undefined) results.push({ id: "daily", severity: "warning", field: "waitingAllowanceMinutes", messageKey: "rules.daily.noAllowance", source: SOURCES.workingTimeAllowance });
  return results;
};

export const commissionCapStated: Check = (terms) =>
  terms.commissionCapBp === undefined
    ? [{ id: "commission", severity: "warning", field: "commissionCapBp", messageKey: "rules.commission.missing", source: SOURCES.transparentCommission }]
    : [];

export const penaltiesFair: Check = (terms) => {
  const results: CheckResult[] = [];
  if (terms.appealWindowDays === undefined) {
    results.push({ id: "penalties", severity: "blocking", field: "appealWindowDays", messageKey: "rules.penalties.noAppeal", source: SOURCES.rulesHeardAndAppeals });
  }
  if (terms.penaltyCapFen === undefined) {
    results.push({ id: "penalties", severity: "warning", field: "penaltyCapFen", messageKey: "rules.penalties.noCap", source: SOURCES.report2025 });
  }
  const excluded = new Set(terms.penaltyExcludedCauses ?? []);
  const missing = REQUIRED_EXCLUDED_CAUSES.filter((cause) => !excluded.has(cause));
  if (missing.length) {
    results.push({ id: "penalties", severity: "warning", field: "penaltyExcludedCauses", messageKey: "rules.penalties.causesMissing", values: { count: missing.length }, source: SOURCES.report2025 });
  }
  return results;
};

export const medianEstimate: Check = (terms) =>
  terms.allocation && !terms.allocation.medianEstimate
    ? [{ id: "algorithm", severity: "warning", field: "allocation", messageKey: "rules.algorithm.notMedian", source: SOURCES.medianEstimate }]
    : [];

export const RULE_CHECKS: ReadonlyArray<{ name: string; check: Check }> = [
  { name: "payAtQuotaAboveMinimumWage", check: payAtQuotaAboveMinimumWage },
  { name: "holidayPayAboveNormal", check: holidayPayAboveNormal },
  { name: "subsidiesStated", check: subsidiesStated },
  { name: "fatigueProtection", check: fatigueProtection },
  { name: "dailyMaximum", check: dailyMaximum },
  { name: "commissionCapStated", check: commissionCapStated },
  { name: "penaltiesFair", check: penaltiesFair },
  { name: "medianEstimate", check: medianEstimate },
  { name: "commissionShownPerOrder", check: commissionShownPerOrder },
  { name: "penaltyRulesFair", check: penaltyRulesFair },
  { name: "registerComplete", check: registerComplete },
];

/** Every check on the terms; blocking results first. */
export function checkTerms(terms: Terms, context?: RuleContext): CheckResult[] {
  const results = RULE_CHECKS.flatMap(({ check }) => check(terms, context));
  return [...results.filter((result) => result.severity === "blocking"), ...results.filter((result) => result.severity === "warning")];
}

/**
 * Terms that do not parse cannot be checked, so they are a blocking breach in their own right
 * (issue 18, item 4): whatever let them into the document, nothing unreadable is ever signed.
 */
export const UNREADABLE_TERMS: CheckResult = {
  id: "termsUnreadable",
  severity: "blocking",
  field: "terms",
  messageKey: "rules.termsUnreadable",
  source: { zh: "平台规则：无法校验的条款不得签署", en: "Platform rule: terms that cannot be checked are never signed" },
};

export function blockingBreaches(terms: Terms, context?: RuleContext): CheckResult[] {
  return checkTerms(terms, context).filter((result) => result.severity === "blocking");
}
