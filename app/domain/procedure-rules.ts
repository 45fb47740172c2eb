/**
 * Deadlines and thresholds of the collective-bargaining procedure, as data with the rule each
 * comes from (shared/DESIGN.md, "The bargaining procedure"). Code reads these; it never writes the
 * numbers itself.
 */
import { cite } from "./citations.ts";

export type Rule<T> = { value: T; source: { zh: string; en: string } };

/** An article of 《集体合同规定》, from the citation register (app/domain/citations.ts). */
const regulation = (article: string) => cite("collectiveContracts", article);

export const PROCEDURE_RULES = {
  /** The other side answers a written proposal in writing within this many days. */
  answerWithinDays: {
    value: 20,
    source: regulation("第三十二条"),
  },
  /** Each side names at least this many representatives, equal in number, one of them chief. */
  minRepresentativesPerSide: {
    value: 3,
    source: regulation("第十九条"),
  },
  /** Most representatives per side we accept (a configuration bound, not a legal one). */
  maxRepresentativesPerSide: {
    value: 15,
    source: { zh: "平台配置上限", en: "platform configuration limit" },
  },
  /** A vacant seat is refilled within this many days of the vacancy (第三十一条; 第三十条 is replacing a representative). */
  vacancyRefillDays: {
    value: 15,
    source: regulation("第三十一条"),
  },
  /** The signed agreement is filed with the labour bureau within this many days of signing. */
  fileWithinDays: {
    value: 10,
    source: regulation("第四十二条"),
  },
  /** The bureau may object within this many days of filing; otherwise the agreement takes effect. */
  reviewDays: {
    value: 15,
    source: regulation("第四十七条"),
  },
  /** Term of an agreement, in months. */
  termMonths: {
    value: { min: 12, max: 36 },
    source: regulation("第三十八条"),
  },
  /** Renewal may be requested in the last months of the term. */
  renewalWindowMonths: {
    value: 3,
    source: regulation("第三十八条"),
  },
  /** Ratification: 三分之二以上 of representatives attend, 半数以上 of all approve (以上 includes the number). */
  ratification: {
    value: { attendanceNumerator: 2, attendanceDenominator: 3, approvalNumerator: 1, approvalDenominator: 2 },
    source: regulation("第三十六条"),
  },
  /**
   * Not law: the parties' agreed practice, offered as a choice in the proposal (issue 20, item 2).
   * Besides 第三十六条's thresholds, 半数以上 of each covered enterprise's representatives approve.
   * 第三十六条 has no per-enterprise count; an industry-wide or regional agreement goes to the
   * industry's (region's) workers' congress under the same thresholds (《劳动合同法》第五十三条、第五十四条).
   */
  agreedPerEnterpriseRatification: {
    value: { enterpriseApprovalNumerator: 1, enterpriseApprovalDenominator: 2 },
    source: { zh: "双方在协商要约中约定的计票做法（非国家规定；法定门槛为《集体合同规定》第三十六条）", en: "the parties' agreed practice, chosen in the proposal (not national law; the statutory thresholds are art. 36 of the Provisions on Collective Contracts)" },
  },
  /** Longest a ratification vote stays open (a configuration bound, not a legal one). */
  maxVoteDays: {
    value: 30,
    source: { zh: "平台配置上限", en: "platform configuration limit" },
  },
  /**
   * The labour bureau ends its coordination of a bargaining dispute within this many days of
   * accepting the application (第五十二条: 应当自受理协调处理申请之日起30日内结束协调处理工作).
   */
  coordinationDays: {
    value: 30,
    source: regulation("第五十二条"),
  },
  /**
   * Coordination not ended in time may be extended, by at most this many days (第五十二条:
   * 延长期限不得超过15日 — 15 itself is allowed). Once per dispute (platform reading: the article
   * speaks of one extension).
   */
  coordinationExtensionDays: {
    value: 15,
    source: regulation("第五十二条"),
  },
} as const satisfies Record<string, Rule<unknown>>;

export type ProcedureRules = typeof PROCEDURE_RULES;
