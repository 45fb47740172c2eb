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

const SOURCES = {
  rights56: { zh: "人社部发〔2021〕56号", en: "MOHRSS [2021] No. 56" },
  delivery38: { zh: "国市监网监发〔2021〕38号", en: "SAMR [2021] No. 38 (food delivery)" },
  workTimeGuidance: { zh: "人社部新就业形态劳动者休息和劳动报酬权益保障指引", en: "MOHRSS guidance on rest and pay of platform workers" },
  report2025: { zh: "国务院关于新就业形态劳动者权益保障工作情况的报告（2025年12月）", en: "State Council report on platform workers' rights (Dec 2025)" },
  minimumWageRules: { zh: "《最低工资规定》（劳动和社会保障部令第21号）", en: "Provisions on Minimum Wages (MOLSS Order No. 21)" },
  commentary2026: { zh: "2026年新就业形态劳动者权益保障解读", en: "2026 commentary on platform workers' rights" },
} as const;

const cite = (source: Source, part: { zh: string; en: string }): Source => ({ zh: `${source.zh}${part.zh}`, en: `${source.en}, ${part.en}` });

/** The food-delivery guidance's reference: after 4 hours of continuous delivery, 20 minutes without orders. */
export const FATIGUE_REFERENCE = { maxContinuousMinutes: 240, restMinutes: 20 } as const;
/** Causes outside the worker's control that must never be penalised. */
export const REQUIRED_EXCLUDED_CAUSES = ["TRAFFIC_CONTROL", "BAD_WEATHER", "MERCHANT_DELAY", "BUILDING_ACCESS"] as const;

type Check = (terms: Terms, context?: RuleContext) => CheckResult[];

const yuan = (fen: number) => (fen / 100).toFixed(2);

/**
 * Pay at the agreed quota for normal work is not below the region's hourly minimum wage in force on
 * the effective date (人社部发〔2021〕56号 第（六）项; 《最低工资规定》). Shown beside the field whose
 * price sets the pay at quota (the base piece rate, or the piece-rate table).
 */
export const payAtQuotaAboveMinimumWage: Check = (terms, context) => {
  const source = cite(SOURCES.rights56, { zh: "第（六）项；" + SOURCES.minimumWageRules.zh, en: "item 6; " + SOURCES.minimumWageRules.en });
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
    ? [{ id: "commission", severity: "warning", field: "commissionCapBp", messageKey: "rules.commission.notShown", source: cite(SOURCES.report2025, { zh: "（阳光抽成）", en: "(transparent commission)" }) }]
    : [];

/** Each penalty rule: appealable, capped, and never applied for causes outside the worker's control. */
export const penaltyRulesFair: Check = (terms) => {
  const results: CheckResult[] = [];
  for (const rule of terms.penaltyRules ?? []) {
    const excluded = new Set([...rule.excludedCauses, ...(terms.penaltyExcludedCauses ?? [])]);
    const missing = REQUIRED_EXCLUDED_CAUSES.filter((cause) => !excluded.has(cause));
    if (missing.length) {
      results.push({ id: "penaltyRule", severity: "blocking", field: "penaltyRules", messageKey: "rules.penaltyRule.causesMissing", values: { kind: rule.kind, count: missing.length }, source: SOURCES.commentary2026 });
    }
    if (terms.penaltyCapFen !== undefined && rule.monthlyCapFen > terms.penaltyCapFen) {
      results.push({ id: "penaltyRule", severity: "warning", field: "penaltyRules", messageKey: "rules.penaltyRule.aboveOverallCap", values: { kind: rule.kind }, source: SOURCES.report2025 });
    }
    if (rule.appealWindowDays < 7) {
      results.push({ id: "penaltyRule", severity: "warning", field: "penaltyRules", messageKey: "rules.penaltyRule.shortAppeal", values: { kind: rule.kind, days: rule.appealWindowDays }, source: cite(SOURCES.rights56, { zh: "第（十）项", en: "item 10" }) });
    }
  }
  return results;
};

/** The algorithm register covers dispatch, time estimates, rating and pay deduction, each complete. */
export const registerComplete: Check = (terms) => {
  const source = cite(SOURCES.rights56, { zh: "第（十）项", en: "item 10" });
  const register = terms.algorithms ?? [];
  const results: CheckResult[] = [];
  const present = new Set(register.map((entry) => entry.kind));
  const absent = ALGORITHM_KINDS.filter((kind) => !present.has(kind));
  if (absent.length) results.push({ id: "register", severity: "warning", field: "algorithms", messageKey: "rules.register.kindsMissing", values: { count: absent.length }, source });
  for (const entry of register) {
    const missing = missingParts(entry);
    if (missing.length) results.push({ id: "register", severity: "warning", field: "algorithms", messageKey: "rules.register.incomplete", values: { kind: entry.kind, name: entry.name || "—", parts: missing.join(",") }, source });
    if (entry.kind === "TIME_ESTIMATE" && entry.estimatePolicy === "STRICTEST") {
      results.push({ id: "register", severity: "warning", field: "algorithms", messageKey: "rules.algorithm.notMedian", source: cite(SOURCES.delivery38, { zh: "第二部分（算法取中）", en: "part 2 (median estimate)" }) });
    }
  }
  return results;
};

export const holidayPayAboveNormal: Check = (terms) => {
  const source = cite(SOURCES.rights56, { zh: "第（六）项", en: "item 6" });
  if (terms.holidayMultiplierBp === undefined) return [{ id: "holidayPay", severity: "warning", field: "holidayMultiplierBp", messageKey: "rules.holidayPay.missing", source }];
  if (terms.holidayMultiplierBp <= 10_000) {
    return [{ id: "holidayPay", severity: "blocking", field: "holidayMultiplierBp", messageKey: "rules.holidayPay.notAbove", values: { multiplier: terms.holidayMultiplierBp / 10_000 }, source }];
  }
  return [];
};

export const subsidiesStated: Check = (terms) => {
  const source = cite(SOURCES.delivery38, { zh: "第一部分", en: "part 1" });
  const results: CheckResult[] = [];
  for (const field of ["pieceRateNightSurchargeFen", "badWeatherSubsidyFen"] as const) {
    const value = terms[field];
    if (value !== undefined && value < 0) results.push({ id: "subsidies", severity: "blocking", field, messageKey: "rules.subsidies.negative", source });
    else if (!value) results.push({ id: "subsidies", severity: "warning", field, messageKey: "rules.subsidies.missing", source });
  }
  return results;
};

export const fatigueProtection: Check = (terms) => {
  const reference = cite(SOURCES.delivery38, { zh: "第三部分", en: "part 3" });
  const floor = SOURCES.workTimeGuidance;
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
  const source = SOURCES.workTimeGuidance;
  const results: CheckResult[] = [];
  if (terms.maxDailyMinutes === undefined || terms.maxDailyMinutes === 0) {
    results.push({ id: "daily", severity: "blocking", field: "maxDailyMinutes", messageKey: "rules.daily.noLimit", source });
  } else if (terms.maxContinuousMinutes && terms.maxDailyMinutes < terms.maxContinuousMinutes) {
    results.push({ id: "daily", severity: "warning", field: "maxDailyMinutes", messageKey: "rules.daily.belowContinuous", source });
  }
  // Working time counts accumulated order-taking time plus an allowance for waiting and preparation.
  if (terms.waitingAllowanceMinutes === undefined) results.push({ id: "daily", severity: "warning", field: "waitingAllowanceMinutes", messageKey: "rules.daily.noAllowance", source });
  return results;
};

export const commissionCapStated: Check = (terms) =>
  terms.commissionCapBp === undefined
    ? [{ id: "commission", severity: "warning", field: "commissionCapBp", messageKey: "rules.commission.missing", source: cite(SOURCES.report2025, { zh: "（阳光抽成）", en: "(transparent commission)" }) }]
    : [];

export const penaltiesFair: Check = (terms) => {
  const results: CheckResult[] = [];
  if (terms.appealWindowDays === undefined) {
    results.push({ id: "penalties", severity: "blocking", field: "appealWindowDays", messageKey: "rules.penalties.noAppeal", source: cite(SOURCES.rights56, { zh: "第（十）项", en: "item 10" }) });
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
    ? [{ id: "algorithm", severity: "warning", field: "allocation", messageKey: "rules.algorithm.notMedian", source: cite(SOURCES.delivery38, { zh: "第二部分（算法取中）", en: "part 2 (median estimate)" }) }]
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
