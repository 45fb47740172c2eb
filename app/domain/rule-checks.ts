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
import { CONTINUOUS_WORK_LIMIT, industryProfile } from "./industries.ts";
import type { MinimumWageInForce } from "./minimum-wage.ts";
import { payPerHourAtQuota } from "./pay.ts";
import { TERM_FIELDS, type Terms } from "./terms.ts";

export type { Terms };
/**
 * Facts a check needs beyond the terms: the agreement's region and industry, its first and last day
 * (China time), the minimum wage in force on the first day (null when the data has none) and every
 * standard that takes effect during the term.
 */
export type RuleContext = {
  regionCode: string;
  industry: string;
  effectiveOn: string;
  endsOn: string | null;
  minimumWage: MinimumWageInForce | null;
  laterMinimumWages: MinimumWageInForce[];
};
/** `info`: a fact worth saying beside the field that needs no change (a limit that is the parties' agreed practice). */
export type Severity = "blocking" | "warning" | "info";
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
  workingTimeForPay: cite("restAndPay2023", "第四条"),
  drivingRest: cite("roadTrafficRegulation", "第六十二条（七）"),
  injuryProtection: cite("rights56", "第（九）项"),
  deliveryInsurance: cite("delivery38", "第五部分"),
  routineIn24Hours: cite("delivery38", "第九部分"),
  rulesHeard: cite("rights56", "第（十）项"),
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

/** Causes outside the worker's control that must never be penalised. */
export const REQUIRED_EXCLUDED_CAUSES = ["TRAFFIC_CONTROL", "BAD_WEATHER", "MERCHANT_DELAY", "BUILDING_ACCESS"] as const;

type Check = (terms: Terms, context?: RuleContext) => CheckResult[];

const yuan = (fen: number) => (fen / 100).toFixed(2);

/**
 * Pay at the agreed quota for normal work is not below the hourly minimum wage in force where the
 * work happens, on the effective date and on every day of the term (人社部发〔2021〕56号 第（五）项;
 * 《最低工资规定》). Pay per hour counts working time with the agreed allowance (宽放时间,
 * 人社厅发〔2023〕50号 第四条; `payPerHourAtQuota`). Shown beside the field whose price sets the pay
 * at quota (the base piece rate, or the piece-rate table). A standard without a verified source is
 * still compared against, and the message says it is unverified.
 */
export const payAtQuotaAboveMinimumWage: Check = (terms, context) => {
  const source = SOURCES.minimumWage;
  if (!terms.quotaMinutesPerOrder) return [{ id: "minimumWage", severity: "warning", field: "quotaMinutesPerOrder", messageKey: "rules.minimumWage.noQuota", source }];
  const atQuota = payPerHourAtQuota(terms);
  if (!atQuota) return [{ id: "minimumWage", severity: "warning", field: "pieceRateBaseFen", messageKey: "rules.minimumWage.noPrice", source }];
  if (!context) return [];
  const standards = [...(context.minimumWage ? [context.minimumWage] : []), ...context.laterMinimumWages];
  if (standards.length === 0) return [{ id: "minimumWage", severity: "warning", field: "quotaMinutesPerOrder", messageKey: "rules.minimumWage.noData", values: { date: context.effectiveOn }, source }];
  const field = atQuota.priceSource === "table" ? "pieceRateTable" : "pieceRateBaseFen";
  const results: CheckResult[] = [];
  if (!context.minimumWage) results.push({ id: "minimumWage", severity: "warning", field: "quotaMinutesPerOrder", messageKey: "rules.minimumWage.noData", values: { date: context.effectiveOn }, source });
  for (const minimum of minimumWageBreaches(terms, context)) {
    const values = {
      pay: yuan(atQuota.perHourFen),
      minimum: yuan(minimum.hourlyFen),
      effectiveFrom: minimum.effectiveFrom,
      date: minimum.effectiveFrom > context.effectiveOn ? minimum.effectiveFrom : context.effectiveOn,
      hours: atQuota.dayMinutes / 60,
      allowance: atQuota.allowanceMinutes,
      tier: minimum.tier.zh,
      tierEn: minimum.tier.en,
      verified: minimum.verified ? "yes" : "no",
    };
    const dataSource = citeAll(source, SOURCES.workingTimeForPay, minimum.source);
    const messageKey = minimum.nationwideStrictest ? "rules.minimumWage.belowNationwide" : minimum.effectiveFrom > context.effectiveOn ? "rules.minimumWage.belowDuringTerm" : "rules.minimumWage.below";
    results.push({ id: "minimumWage", severity: "blocking", field, messageKey, values, source: dataSource });
  }
  return results;
};

/**
 * The standards in force on some day of the agreement's term that pay at quota falls below
 * (`payAtQuotaAboveMinimumWage` reports them; the re-check of agreements in force records them).
 */
export function minimumWageBreaches(terms: Terms, context: RuleContext): MinimumWageInForce[] {
  const atQuota = payPerHourAtQuota(terms);
  if (!atQuota) return [];
  const standards = [...(context.minimumWage ? [context.minimumWage] : []), ...context.laterMinimumWages];
  return standards.filter((standard) => atQuota.perHourFen < standard.hourlyFen);
}

/**
 * What a public notice says about the minimum wage (issue 22): the standard in force where the
 * agreement applies on its effective date, pay per hour of working time at the agreed quota, and
 * the difference; the standards that take effect later in the term; null parts where the data or
 * the terms do not allow a figure.
 */
export function wageFloorOf(terms: Terms | null, context: RuleContext) {
  const atQuota = terms ? payPerHourAtQuota(terms) : null;
  const standard = context.minimumWage;
  return {
    date: context.effectiveOn,
    standard: standard
      ? { key: standard.key, hourlyFen: standard.hourlyFen, monthlyFen: standard.monthlyFen, tier: standard.tier, effectiveFrom: standard.effectiveFrom, verified: standard.verified, areaResolved: standard.areaResolved, nationwide: standard.nationwideStrictest, source: standard.source }
      : null,
    atQuota,
    differenceFen: atQuota && standard ? atQuota.perHourFen - standard.hourlyFen : null,
    later: context.laterMinimumWages.map((later) => ({ key: later.key, hourlyFen: later.hourlyFen, tier: later.tier, effectiveFrom: later.effectiveFrom, verified: later.verified, below: atQuota ? atQuota.perHourFen < later.hourlyFen : null })),
  };
}
export type WageFloor = ReturnType<typeof wageFloorOf>;

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

/**
 * Continuous work and rest, per industry (app/domain/industries.ts). Every agreement states the
 * longest continuous work and the rest after it (人社厅发〔2023〕50号 第五条: set by bargaining).
 * Drivers (ride-hailing, freight): more than 4 hours of continuous driving, or a stop shorter than
 * 20 minutes, breaks 《道路交通安全法实施条例》第六十二条（七）: blocking. Food delivery: the 38号
 * reference (after more than 4 hours, 20 minutes without orders) is guidance: a warning. Couriers
 * and other work: the limit is the parties' agreed practice, shown as such. 240 minutes is exactly
 * 4 hours and is not "more than 4 hours".
 */
export const fatigueProtection: Check = (terms, context) => {
  const floor = SOURCES.workingTimeLimits;
  // Without the agreement's facts (its industry), only the floor every industry shares is checked.
  const rule = context ? industryProfile(context.industry).continuousWork : null;
  const results: CheckResult[] = [];
  const limit = CONTINUOUS_WORK_LIMIT;
  if (terms.maxContinuousMinutes === undefined || terms.maxContinuousMinutes === 0) {
    results.push({ id: "fatigue", severity: "blocking", field: "maxContinuousMinutes", messageKey: "rules.fatigue.noLimit", source: floor });
  } else if (terms.maxContinuousMinutes > limit.maxContinuousMinutes) {
    if (rule === "DRIVING_LAW") {
      results.push({ id: "fatigue", severity: "blocking", field: "maxContinuousMinutes", messageKey: "rules.fatigue.drivingTooLong", values: { minutes: terms.maxContinuousMinutes, reference: limit.maxContinuousMinutes }, source: SOURCES.drivingRest });
    } else if (rule === "DELIVERY_GUIDANCE") {
      results.push({ id: "fatigue", severity: "warning", field: "maxContinuousMinutes", messageKey: "rules.fatigue.longerThanReference", values: { minutes: terms.maxContinuousMinutes, reference: limit.maxContinuousMinutes }, source: SOURCES.fatigueReference });
    }
  }
  if (terms.restAfterContinuousMinutes === undefined || terms.restAfterContinuousMinutes === 0) {
    results.push({ id: "fatigue", severity: "blocking", field: "restAfterContinuousMinutes", messageKey: "rules.fatigue.noRest", source: floor });
  } else if (terms.restAfterContinuousMinutes < limit.restMinutes) {
    if (rule === "DRIVING_LAW") {
      results.push({ id: "fatigue", severity: "blocking", field: "restAfterContinuousMinutes", messageKey: "rules.fatigue.drivingRestTooShort", values: { minutes: terms.restAfterContinuousMinutes, reference: limit.restMinutes }, source: SOURCES.drivingRest });
    } else if (rule === "DELIVERY_GUIDANCE") {
      results.push({ id: "fatigue", severity: "warning", field: "restAfterContinuousMinutes", messageKey: "rules.fatigue.shorterThanReference", values: { minutes: terms.restAfterContinuousMinutes, reference: limit.restMinutes }, source: SOURCES.fatigueReference });
    }
  }
  if (rule === "AGREED_PRACTICE" && terms.maxContinuousMinutes && terms.restAfterContinuousMinutes) {
    results.push({ id: "fatigue", severity: "info", field: "maxContinuousMinutes", messageKey: "rules.fatigue.agreedPractice", values: { minutes: terms.maxContinuousMinutes, rest: terms.restAfterContinuousMinutes }, source: floor });
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

/**
 * Appeals are answered in a stated time. Food delivery: routine problems from objective causes are
 * resolved within 24 hours (国市监网监发〔2021〕38号 九), so a missing or longer time is warned of;
 * other industries state their own time, without that default.
 */
export const appealResponseStated: Check = (terms, context) => {
  const hours = industryProfile(context?.industry ?? "OTHER").appealDefaultHours;
  const source = hours ? SOURCES.routineIn24Hours : SOURCES.rulesHeardAndAppeals;
  if (terms.appealResponseHours === undefined) {
    return [{ id: "appeals", severity: "warning", field: "appealResponseHours", messageKey: hours ? "rules.appeals.missingDelivery" : "rules.appeals.missing", values: { hours: hours ?? 0 }, source }];
  }
  if (hours && terms.appealResponseHours > hours) {
    return [{ id: "appeals", severity: "warning", field: "appealResponseHours", messageKey: "rules.appeals.longerThanDelivery", values: { hours: terms.appealResponseHours, reference: hours }, source }];
  }
  return [];
};

/** How amounts are rounded is stated, so a worker can check an order against the app; the default applies meanwhile. */
export const roundingStated: Check = (terms) =>
  terms.roundingRule === undefined ? [{ id: "rounding", severity: "warning", field: "roundingRule", messageKey: "rules.rounding.missing", source: SOURCES.rulesHeard }] : [];

/** Pay timing, entry and exit, and rewards are rules the agreement states (人社部发〔2021〕56号 第（十）项). */
export const platformRulesStated: Check = (terms) => {
  const results: CheckResult[] = [];
  if (terms.payCycleDays === undefined) results.push({ id: "payCycle", severity: "warning", field: "payCycleDays", messageKey: "rules.payCycle.missing", source: SOURCES.rulesHeard });
  if (terms.exitNoticeDays === undefined) results.push({ id: "entryExit", severity: "warning", field: "exitNoticeDays", messageKey: "rules.entryExit.missing", source: SOURCES.rulesHeard });
  if (terms.rewardRules === undefined) results.push({ id: "rewards", severity: "warning", field: "rewardRules", messageKey: "rules.rewards.missing", source: SOURCES.rulesHeard });
  return results;
};

/**
 * Occupational injury protection: platforms take part in the occupational injury protection scheme
 * as required (人社部发〔2021〕56号 第（九）项, which names ride-hailing, food delivery, instant
 * delivery and intra-city freight platforms first) and are encouraged to buy accident insurance; for
 * food delivery, 38号 五. Warnings: whether a platform must join depends on the scheme's rollout.
 */
export const injuryProtectionStated: Check = (terms, context) => {
  const source = context?.industry === "FOOD_DELIVERY" ? citeAll(SOURCES.injuryProtection, SOURCES.deliveryInsurance) : SOURCES.injuryProtection;
  if (terms.occupationalInjury === undefined) return [{ id: "injury", severity: "warning", field: "occupationalInjury", messageKey: "rules.injury.missing", source }];
  if (terms.occupationalInjury === "NONE") return [{ id: "injury", severity: "warning", field: "occupationalInjury", messageKey: "rules.injury.none", source }];
  if (terms.occupationalInjury !== "SCHEME" && !terms.accidentCoverFen) return [{ id: "injury", severity: "warning", field: "accidentCoverFen", messageKey: "rules.injury.noCover", source }];
  return [];
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
  { name: "appealResponseStated", check: appealResponseStated },
  { name: "roundingStated", check: roundingStated },
  { name: "platformRulesStated", check: platformRulesStated },
  { name: "injuryProtectionStated", check: injuryProtectionStated },
];

/**
 * Whether a result concerns a term the agreement's industry states (app/domain/industries.ts): a
 * warning about a courier's night surcharge or commission cap, terms couriers' agreements do not
 * have, is not shown. A blocking result always is.
 */
function concernsIndustry(result: CheckResult, context: RuleContext | undefined): boolean {
  if (!context || result.severity === "blocking") return true;
  const profile = industryProfile(context.industry);
  if (result.field in TERM_FIELDS) return (profile.numeric as readonly string[]).includes(result.field);
  if (result.field === "pieceRateTable" || result.field === "allocation" || result.field === "commissionShownPerOrder") return (profile.structured as readonly string[]).includes(result.field);
  return true;
}

/** Every check on the terms; blocking results first. */
export function checkTerms(terms: Terms, context?: RuleContext): CheckResult[] {
  const results = RULE_CHECKS.flatMap(({ check }) => check(terms, context)).filter((result) => concernsIndustry(result, context));
  return [...results.filter((result) => result.severity === "blocking"), ...results.filter((result) => result.severity === "warning"), ...results.filter((result) => result.severity === "info")];
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
