/**
 * What differs per industry (issue 22): which terms an agreement of the industry states, how some
 * of them are named (a courier's piece rate is a fee per parcel, a driver's is the fare), and which
 * working-time rule applies to continuous work:
 * - ride-hailing and freight drivers: 《道路交通安全法实施条例》第六十二条（七） forbids driving more
 *   than 4 hours without stopping, or stopping less than 20 minutes: a legal floor, so a blocking check;
 * - food delivery: after more than 4 hours of continuous delivery, a fatigue prompt and 20 minutes
 *   without orders (国市监网监发〔2021〕38号 三): guidance, so a warning;
 * - couriers and other platform work: no hour limit is set by a rule we can cite, so the limit the
 *   parties set is their agreed practice, shown as such.
 * "More than 4 hours" (超过) excludes exactly 4 hours (《民法典》第一千二百五十九条).
 */
import type { Industry } from "./session-topics.ts";
import type { ChoiceKey, TermKey } from "./terms.ts";

export type ContinuousWorkRule = "DRIVING_LAW" | "DELIVERY_GUIDANCE" | "AGREED_PRACTICE";

/** The structured (non-numeric) terms an industry's editor shows besides its numeric terms. */
export type StructuredTerm = "pieceRateTable" | "allocation" | "penaltyRules" | "algorithms" | "rewardRules" | "commissionShownPerOrder";

export type IndustryProfile = {
  numeric: readonly TermKey[];
  choices: readonly ChoiceKey[];
  structured: readonly StructuredTerm[];
  /** Terms named differently in this industry: the i18n key is `termByIndustry.<industry>.<term>`. */
  renamed: readonly TermKey[];
  continuousWork: ContinuousWorkRule;
  /** Hours within which routine problems are resolved by default, when a rule gives one. */
  appealDefaultHours: number | null;
};

/** Terms every agreement states, whatever the industry. */
const COMMON: readonly TermKey[] = [
  "holidayMultiplierBp",
  "quotaMinutesPerOrder",
  "maxContinuousMinutes",
  "restAfterContinuousMinutes",
  "maxDailyMinutes",
  "waitingAllowanceMinutes",
  "restDaysPerMonth",
  "paidLeaveDaysPerYear",
  "payCycleDays",
  "penaltyCapFen",
  "appealWindowDays",
  "appealResponseHours",
  "exitNoticeDays",
  "accidentCoverFen",
];
const CHOICES: readonly ChoiceKey[] = ["roundingRule", "occupationalInjury"];
const GENERAL: readonly StructuredTerm[] = ["penaltyRules", "algorithms", "rewardRules"];

/** The 4-hour figure of 第六十二条（七） and of 38号 三, in minutes, and the 20 minutes of rest. */
export const CONTINUOUS_WORK_LIMIT = { maxContinuousMinutes: 240, restMinutes: 20 } as const;

export const INDUSTRY_PROFILES: Readonly<Record<Industry, IndustryProfile>> = {
  FOOD_DELIVERY: {
    numeric: ["pieceRateBaseFen", "baseDistanceMetres", "distanceSurchargeFenPerKm", "pieceRateNightSurchargeFen", "badWeatherSubsidyFen", "commissionCapBp", ...COMMON],
    choices: CHOICES,
    structured: ["pieceRateTable", "allocation", "commissionShownPerOrder", ...GENERAL],
    renamed: [],
    continuousWork: "DELIVERY_GUIDANCE",
    appealDefaultHours: 24,
  },
  EXPRESS: {
    numeric: ["pieceRateBaseFen", "badWeatherSubsidyFen", ...COMMON],
    choices: CHOICES,
    structured: ["allocation", ...GENERAL],
    renamed: ["pieceRateBaseFen", "quotaMinutesPerOrder"],
    continuousWork: "AGREED_PRACTICE",
    appealDefaultHours: null,
  },
  RIDE_HAILING: {
    numeric: ["pieceRateBaseFen", "baseDistanceMetres", "distanceSurchargeFenPerKm", "pieceRateNightSurchargeFen", "commissionCapBp", ...COMMON],
    choices: CHOICES,
    structured: ["allocation", "commissionShownPerOrder", ...GENERAL],
    renamed: ["pieceRateBaseFen", "baseDistanceMetres", "distanceSurchargeFenPerKm", "pieceRateNightSurchargeFen", "commissionCapBp", "quotaMinutesPerOrder", "maxContinuousMinutes"],
    continuousWork: "DRIVING_LAW",
    appealDefaultHours: null,
  },
  FREIGHT: {
    numeric: ["pieceRateBaseFen", "baseDistanceMetres", "distanceSurchargeFenPerKm", "commissionCapBp", ...COMMON],
    choices: CHOICES,
    structured: ["allocation", "commissionShownPerOrder", ...GENERAL],
    renamed: ["pieceRateBaseFen", "baseDistanceMetres", "distanceSurchargeFenPerKm", "commissionCapBp", "quotaMinutesPerOrder", "maxContinuousMinutes"],
    continuousWork: "DRIVING_LAW",
    appealDefaultHours: null,
  },
  OTHER: {
    numeric: ["pieceRateBaseFen", "baseDistanceMetres", "distanceSurchargeFenPerKm", "pieceRateNightSurchargeFen", "badWeatherSubsidyFen", "commissionCapBp", ...COMMON],
    choices: CHOICES,
    structured: ["pieceRateTable", "allocation", "commissionShownPerOrder", ...GENERAL],
    renamed: [],
    continuousWork: "AGREED_PRACTICE",
    appealDefaultHours: null,
  },
};

export function industryProfile(industry: string): IndustryProfile {
  return INDUSTRY_PROFILES[(industry in INDUSTRY_PROFILES ? industry : "OTHER") as Industry];
}

/** The i18n key of a term's name in an industry. */
export function termLabelKey(industry: string, key: TermKey): string {
  return industryProfile(industry).renamed.includes(key) ? `termByIndustry.${industry}.${key}` : `term.${key}`;
}
