/**
 * Ratification of an agreed draft by the worker representatives or the workers' congress
 * (shared/DESIGN.md, "The bargaining procedure"). Pure: the roll (who may vote, for which covered
 * enterprise) and the ballots cast come in, the outcome with its tally and the rule applied comes
 * out. Thresholds come from PROCEDURE_RULES, never from literals here.
 *
 * - 《集体合同规定》第三十六条, for every agreement — enterprise, industry-wide or regional (an
 *   industry's or region's workers' congress votes under the same thresholds; 《劳动合同法》第五十三条、
 *   第五十四条): 三分之二以上 of all representatives attend (cast a ballot, abstentions included)
 *   and 半数以上 of ALL representatives (not of those present) approve. 以上 includes the number.
 * - The parties' agreed practice (`AGREED_PER_ENTERPRISE`, issue 20 item 2): the same, and in EACH
 *   covered enterprise 半数以上 of that enterprise's representatives approve. It is not national law
 *   and is never cited as such: it applies only when the proposal chose it and the other side
 *   accepted the proposal. No provincial measure is offered as a choice, because none could be
 *   confirmed against a published text here (docs/procedure.md).
 */
import { z } from "zod";
import { PROCEDURE_RULES } from "./procedure-rules.ts";

export const RATIFICATION_SCOPES = ["ORDINARY", "AGREED_PER_ENTERPRISE"] as const;
export type RatificationScope = (typeof RATIFICATION_SCOPES)[number];
export const BALLOT_CHOICES = ["YES", "NO", "ABSTAIN"] as const;
export type BallotChoice = (typeof BALLOT_CHOICES)[number];

export type RollEntry = { enterpriseId: string };
export type Ballot = { enterpriseId: string; choice: BallotChoice };

export type EnterpriseTally = { enterpriseId: string; roll: number; attended: number; yes: number; no: number; abstain: number; approved: boolean };

export type RatificationTally = {
  roll: number;
  attended: number;
  yes: number;
  no: number;
  abstain: number;
  /** Least attendance and least approvals that were needed. */
  attendanceNeeded: number;
  approvalNeeded: number;
  enterprises: EnterpriseTally[];
};

export type RatificationRule = {
  scope: RatificationScope;
  attendance: string;
  approval: string;
  perEnterprise: string | null;
  source: { zh: string; en: string };
};

export type RatificationOutcome = {
  passed: boolean;
  attendanceMet: boolean;
  approvalMet: boolean;
  /** Agreed per-enterprise practice only: every covered enterprise's half approved (true otherwise). */
  enterprisesMet: boolean;
  tally: RatificationTally;
  rule: RatificationRule;
};

const { attendanceNumerator, attendanceDenominator, approvalNumerator, approvalDenominator } = PROCEDURE_RULES.ratification.value;
const { enterpriseApprovalNumerator, enterpriseApprovalDenominator } = PROCEDURE_RULES.agreedPerEnterpriseRatification.value;

/** "At least num/den of total": count * den >= total * num, in integers (no rounding surprises). */
const atLeast = (count: number, total: number, numerator: number, denominator: number) => count * denominator >= total * numerator;
/** Smallest count that is at least / more than the fraction. */
const leastAtLeast = (total: number, numerator: number, denominator: number) => Math.ceil((total * numerator) / denominator);

export function ratificationRule(scope: RatificationScope): RatificationRule {
  return {
    scope,
    attendance: `>= ${attendanceNumerator}/${attendanceDenominator}`,
    approval: `>= ${approvalNumerator}/${approvalDenominator} of all`,
    perEnterprise: scope === "AGREED_PER_ENTERPRISE" ? `>= ${enterpriseApprovalNumerator}/${enterpriseApprovalDenominator} of each covered enterprise` : null,
    source: scope === "AGREED_PER_ENTERPRISE" ? PROCEDURE_RULES.agreedPerEnterpriseRatification.source : PROCEDURE_RULES.ratification.source,
  };
}

/**
 * The outcome of a vote. Ballots from an enterprise not on the roll, or more ballots than an
 * enterprise has representatives, are a caller bug: refused loudly rather than counted.
 */
export function ratificationOutcome(input: { scope: RatificationScope; roll: readonly RollEntry[]; ballots: readonly Ballot[] }): RatificationOutcome {
  const { scope, roll, ballots } = input;
  const enterpriseIds = [...new Set(roll.map((entry) => entry.enterpriseId))];
  const enterprises: EnterpriseTally[] = enterpriseIds.map((enterpriseId) => {
    const own = ballots.filter((ballot) => ballot.enterpriseId === enterpriseId);
    const size = roll.filter((entry) => entry.enterpriseId === enterpriseId).length;
    if (own.length > size) throw new Error(`more ballots than representatives for ${enterpriseId}`);
    const yes = own.filter((ballot) => ballot.choice === "YES").length;
    return {
      enterpriseId,
      roll: size,
      attended: own.length,
      yes,
      no: own.filter((ballot) => ballot.choice === "NO").length,
      abstain: own.filter((ballot) => ballot.choice === "ABSTAIN").length,
      approved: size > 0 && atLeast(yes, size, enterpriseApprovalNumerator, enterpriseApprovalDenominator),
    };
  });
  if (ballots.some((ballot) => !enterpriseIds.includes(ballot.enterpriseId))) throw new Error("ballot from an enterprise not on the roll");
  const total = roll.length;
  const attended = ballots.length;
  const yes = ballots.filter((ballot) => ballot.choice === "YES").length;
  // 《集体合同规定》第三十六条: 三分之二以上 attend and 全体职工代表半数以上 approve. 以上 includes
  // the number itself (《民法典》第一千二百五十九条): 2 of 3 attending and 5 of 10 approving suffice.
  // An empty roll can never pass.
  const attendanceMet = total > 0 && atLeast(attended, total, attendanceNumerator, attendanceDenominator);
  const approvalMet = total > 0 && atLeast(yes, total, approvalNumerator, approvalDenominator);
  const enterprisesMet = scope === "ORDINARY" || (enterprises.length > 0 && enterprises.every((enterprise) => enterprise.approved));
  return {
    passed: attendanceMet && approvalMet && enterprisesMet,
    attendanceMet,
    approvalMet,
    enterprisesMet,
    tally: {
      roll: total,
      attended,
      yes,
      no: ballots.filter((ballot) => ballot.choice === "NO").length,
      abstain: ballots.filter((ballot) => ballot.choice === "ABSTAIN").length,
      attendanceNeeded: leastAtLeast(total, attendanceNumerator, attendanceDenominator),
      approvalNeeded: Math.max(1, leastAtLeast(total, approvalNumerator, approvalDenominator)),
      enterprises,
    },
    rule: ratificationRule(scope),
  };
}

/** Every ballot is in: the vote may close before its closing time. */
export const everyoneVoted = (rollSize: number, voted: number) => rollSize > 0 && voted >= rollSize;

export const VOTE_LIMITS = { maxVoters: 500, minHours: 1, maxDays: PROCEDURE_RULES.maxVoteDays.value } as const;

const emailLine = z.string().trim().toLowerCase().email("validation.email").max(254, "validation.tooLong");

/**
 * The roll as typed by the person opening the vote: for each covered enterprise, one e-mail per
 * line. Blank lines are ignored; a malformed address or one listed twice is refused with its line.
 */
export function parseRollInput(byEnterprise: Record<string, string>): { ok: true; roll: Array<{ enterpriseId: string; email: string }> } | { ok: false; field: string; message: { key: string; values?: Record<string, string | number> } } {
  const roll: Array<{ enterpriseId: string; email: string }> = [];
  const seen = new Set<string>();
  for (const [enterpriseId, raw] of Object.entries(byEnterprise)) {
    const lines = raw.split(/[\n,;，；]+/).map((line) => line.trim()).filter(Boolean);
    for (const [index, line] of lines.entries()) {
      const parsed = emailLine.safeParse(line);
      // Which entry of which list: the message names it (the field is marked beside its list).
      if (!parsed.success) return { ok: false, field: `roll_${enterpriseId}`, message: { key: "errors.ratification.badEmail", values: { email: line.slice(0, 80), line: index + 1 } } };
      if (seen.has(parsed.data)) return { ok: false, field: `roll_${enterpriseId}`, message: { key: "errors.ratification.duplicateEmail", values: { email: parsed.data, line: index + 1 } } };
      seen.add(parsed.data);
      roll.push({ enterpriseId, email: parsed.data });
    }
  }
  if (roll.length === 0) return { ok: false, field: "roll", message: { key: "errors.ratification.emptyRoll" } };
  if (roll.length > VOTE_LIMITS.maxVoters) return { ok: false, field: "roll", message: { key: "validation.tooMany" } };
  return { ok: true, roll };
}
