/**
 * Deadlines and thresholds of the collective-bargaining procedure, as data with the rule each
 * comes from (shared/DESIGN.md, "The bargaining procedure"). Code reads these; it never writes the
 * numbers itself.
 */
export type Rule<T> = { value: T; source: { zh: string; en: string } };

const REGULATION_ZH = "《集体合同规定》（劳动和社会保障部令第22号）";
const REGULATION_EN = "Provisions on Collective Contracts (MOLSS Order No. 22)";

export const PROCEDURE_RULES = {
  /** The other side answers a written proposal in writing within this many days. */
  answerWithinDays: {
    value: 20,
    source: { zh: `${REGULATION_ZH}第三十二条`, en: `${REGULATION_EN}, art. 32` },
  },
  /** Each side names at least this many representatives, equal in number, one of them chief. */
  minRepresentativesPerSide: {
    value: 3,
    source: { zh: `${REGULATION_ZH}第十九条`, en: `${REGULATION_EN}, art. 19` },
  },
  /** Most representatives per side we accept (a configuration bound, not a legal one). */
  maxRepresentativesPerSide: {
    value: 15,
    source: { zh: "平台配置上限", en: "platform configuration limit" },
  },
  /** A vacant seat is refilled within this many days. */
  vacancyRefillDays: {
    value: 15,
    source: { zh: `${REGULATION_ZH}第三十条`, en: `${REGULATION_EN}, art. 30` },
  },
  /** The signed agreement is filed with the labour bureau within this many days of signing. */
  fileWithinDays: {
    value: 10,
    source: { zh: `${REGULATION_ZH}第四十二条`, en: `${REGULATION_EN}, art. 42` },
  },
  /** The bureau may object within this many days of filing; otherwise the agreement takes effect. */
  reviewDays: {
    value: 15,
    source: { zh: `${REGULATION_ZH}第四十七条`, en: `${REGULATION_EN}, art. 47` },
  },
  /** Term of an agreement, in months. */
  termMonths: {
    value: { min: 12, max: 36 },
    source: { zh: `${REGULATION_ZH}第三十八条`, en: `${REGULATION_EN}, art. 38` },
  },
  /** Renewal may be requested in the last months of the term. */
  renewalWindowMonths: {
    value: 3,
    source: { zh: `${REGULATION_ZH}第三十八条`, en: `${REGULATION_EN}, art. 38` },
  },
  /** Ratification: at least 2/3 of representatives attend, more than 1/2 of all approve. */
  ratification: {
    value: { attendanceNumerator: 2, attendanceDenominator: 3, approvalNumerator: 1, approvalDenominator: 2 },
    source: { zh: `${REGULATION_ZH}第三十六条`, en: `${REGULATION_EN}, art. 36` },
  },
} as const satisfies Record<string, Rule<unknown>>;

export type ProcedureRules = typeof PROCEDURE_RULES;
