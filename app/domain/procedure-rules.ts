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
  /** Ratification: 三分之二以上 of representatives attend, 半数以上 of all approve (以上 includes the number). */
  ratification: {
    value: { attendanceNumerator: 2, attendanceDenominator: 3, approvalNumerator: 1, approvalDenominator: 2 },
    source: { zh: `${REGULATION_ZH}第三十六条`, en: `${REGULATION_EN}, art. 36` },
  },
  /**
   * Industry-wide agreement: besides the attendance above, more than half of the representatives
   * of each covered enterprise approve (shared/DESIGN.md, "The bargaining procedure").
   */
  industryWideRatification: {
    value: { enterpriseApprovalNumerator: 1, enterpriseApprovalDenominator: 2 },
    source: { zh: `${REGULATION_ZH}第三十六条；行业性集体合同按各覆盖企业职工代表分别计票`, en: `${REGULATION_EN}, art. 36; industry-wide agreements counted per covered enterprise` },
  },
  /** Longest a ratification vote stays open (a configuration bound, not a legal one). */
  maxVoteDays: {
    value: 30,
    source: { zh: "平台配置上限", en: "platform configuration limit" },
  },
  /**
   * Rules that change workers' pay, appraisal or penalties are published before they take effect
   * so that workers and the union can be heard. The policy sets no number of days; this is the
   * platform's stated notice period.
   */
  noticePeriodDays: {
    value: 7,
    source: { zh: "国市监网监发〔2021〕38号（制定调整涉及外卖送餐员切身利益的制度应提前公示）；人社部发〔2021〕56号第（十）项", en: "SAMR guidance 国市监网监发〔2021〕38号 (rules affecting delivery riders are published in advance); MOHRSS 人社部发〔2021〕56号 item 10" },
  },
} as const satisfies Record<string, Rule<unknown>>;

export type ProcedureRules = typeof PROCEDURE_RULES;
