/**
 * Ratification thresholds (app/domain/ratification.ts) at their edges: at least 2/3 attending,
 * more than half of ALL representatives approving; industry-wide, more than half of each covered
 * enterprise's representatives approving.
 */
import { describe, expect, it } from "vitest";
import { parseRollInput, ratificationOutcome, type Ballot, type BallotChoice, type RollEntry } from "../../app/domain/ratification.ts";

const roll = (sizes: Record<string, number>): RollEntry[] => Object.entries(sizes).flatMap(([enterpriseId, size]) => Array.from({ length: size }, () => ({ enterpriseId })));
const ballots = (enterpriseId: string, counts: Partial<Record<BallotChoice, number>>): Ballot[] =>
  (Object.entries(counts) as Array<[BallotChoice, number]>).flatMap(([choice, count]) => Array.from({ length: count }, () => ({ enterpriseId, choice })));

describe("ordinary agreement", () => {
  const nine = roll({ a: 9 });
  it("passes with exactly 2/3 attending and half of all approving, rounded up", () => {
    // 9 representatives: 6 attend (= 2/3), 5 approve (>= 4.5).
    const outcome = ratificationOutcome({ scope: "ORDINARY", roll: nine, ballots: ballots("a", { YES: 5, NO: 1 }) });
    expect(outcome).toMatchObject({ passed: true, attendanceMet: true, approvalMet: true });
    expect(outcome.tally).toMatchObject({ roll: 9, attended: 6, yes: 5, no: 1, attendanceNeeded: 6, approvalNeeded: 5 });
  });
  it("fails one short of 2/3 attending, even if everyone present approves", () => {
    const outcome = ratificationOutcome({ scope: "ORDINARY", roll: nine, ballots: ballots("a", { YES: 5 }) });
    expect(outcome).toMatchObject({ passed: false, attendanceMet: false, approvalMet: true });
  });
  it("counts approvals against all representatives, not those present", () => {
    // 10 representatives, 7 attend, 4 approve: a majority of those present, but not half of 10.
    const outcome = ratificationOutcome({ scope: "ORDINARY", roll: roll({ a: 10 }), ballots: ballots("a", { YES: 4, NO: 2, ABSTAIN: 1 }) });
    expect(outcome).toMatchObject({ passed: false, attendanceMet: true, approvalMet: false });
    expect(ratificationOutcome({ scope: "ORDINARY", roll: roll({ a: 10 }), ballots: ballots("a", { YES: 6, ABSTAIN: 1 }) }).passed).toBe(true);
  });
  it("passes with exactly half of all approving and exactly two thirds attending: 以上 includes the number (第三十六条)", () => {
    // 5 of 10 approving, 7 of 10 attending.
    const half = ratificationOutcome({ scope: "ORDINARY", roll: roll({ a: 10 }), ballots: ballots("a", { YES: 5, NO: 1, ABSTAIN: 1 }) });
    expect(half).toMatchObject({ passed: true, approvalMet: true });
    expect(half.tally).toMatchObject({ approvalNeeded: 5, attendanceNeeded: 7 });
    // 2 of 3 attending, both approving.
    expect(ratificationOutcome({ scope: "ORDINARY", roll: roll({ a: 3 }), ballots: ballots("a", { YES: 2 }) })).toMatchObject({ passed: true, attendanceMet: true, approvalMet: true });
    // One short of either fails.
    expect(ratificationOutcome({ scope: "ORDINARY", roll: roll({ a: 10 }), ballots: ballots("a", { YES: 4, NO: 3 }) }).approvalMet).toBe(false);
    expect(ratificationOutcome({ scope: "ORDINARY", roll: roll({ a: 3 }), ballots: ballots("a", { YES: 1 }) }).attendanceMet).toBe(false);
  });
  it("treats abstentions as attendance but not approval", () => {
    const outcome = ratificationOutcome({ scope: "ORDINARY", roll: roll({ a: 3 }), ballots: ballots("a", { YES: 1, ABSTAIN: 1 }) });
    expect(outcome).toMatchObject({ attendanceMet: true, approvalMet: false, passed: false });
  });
  it("never passes an empty roll", () => {
    expect(ratificationOutcome({ scope: "ORDINARY", roll: [], ballots: [] }).passed).toBe(false);
  });
  it("ignores enterprises for the ordinary rule", () => {
    const outcome = ratificationOutcome({ scope: "ORDINARY", roll: roll({ a: 4, b: 2 }), ballots: [...ballots("a", { YES: 4 }), ...ballots("b", { NO: 2 })] });
    expect(outcome).toMatchObject({ passed: true, enterprisesMet: true });
    expect(outcome.rule).toMatchObject({ scope: "ORDINARY", perEnterprise: null });
  });
});

describe("the parties' agreed per-enterprise practice (not law, issue 20 item 2)", () => {
  const sizes = { a: 4, b: 3 };
  it("passes when half or more of each enterprise approves (半数以上 includes exactly half)", () => {
    // a: 2 of 4 (= half), b: 2 of 3; total 4 of 7 (≥ 3.5).
    const outcome = ratificationOutcome({ scope: "AGREED_PER_ENTERPRISE", roll: roll(sizes), ballots: [...ballots("a", { YES: 2, NO: 2 }), ...ballots("b", { YES: 2, NO: 1 })] });
    expect(outcome).toMatchObject({ passed: true, enterprisesMet: true });
    expect(outcome.tally.enterprises.map((enterprise) => enterprise.approved)).toEqual([true, true]);
  });
  it("fails when one enterprise has less than half approving, though the total is a clear majority", () => {
    // a: 4 of 4, b: 1 of 3 (< 1.5); total 5 of 7 > half, attendance 7/7.
    const outcome = ratificationOutcome({ scope: "AGREED_PER_ENTERPRISE", roll: roll(sizes), ballots: [...ballots("a", { YES: 4 }), ...ballots("b", { YES: 1, NO: 2 })] });
    expect(outcome).toMatchObject({ passed: false, attendanceMet: true, approvalMet: true, enterprisesMet: false });
    expect(outcome.tally.enterprises.find((enterprise) => enterprise.enterpriseId === "b")).toMatchObject({ roll: 3, yes: 1, approved: false });
    expect(outcome.rule.perEnterprise).not.toBeNull();
  });
  it("under art. 36 alone (ORDINARY), an industry-wide roll is counted as one: no enterprise can block", () => {
    const outcome = ratificationOutcome({ scope: "ORDINARY", roll: roll(sizes), ballots: [...ballots("a", { YES: 4 }), ...ballots("b", { NO: 3 })] });
    expect(outcome).toMatchObject({ passed: true, approvalMet: true });
    expect(outcome.rule.perEnterprise).toBeNull();
  });
  it("still needs 2/3 attendance overall", () => {
    // 12 representatives (a: 6, b: 6); 4 + 3 = 7 attend (< 8); every enterprise approves by a majority of its own.
    const outcome = ratificationOutcome({ scope: "AGREED_PER_ENTERPRISE", roll: roll({ a: 6, b: 6 }), ballots: [...ballots("a", { YES: 4 }), ...ballots("b", { YES: 4 })] });
    expect(outcome.attendanceMet).toBe(true);
    const short = ratificationOutcome({ scope: "AGREED_PER_ENTERPRISE", roll: roll({ a: 6, b: 6 }), ballots: [...ballots("a", { YES: 4 }), ...ballots("b", { YES: 3 })] });
    expect(short).toMatchObject({ attendanceMet: false, passed: false });
  });
  it("refuses ballots that do not fit the roll", () => {
    expect(() => ratificationOutcome({ scope: "AGREED_PER_ENTERPRISE", roll: roll({ a: 1 }), ballots: ballots("a", { YES: 2 }) })).toThrow();
    expect(() => ratificationOutcome({ scope: "AGREED_PER_ENTERPRISE", roll: roll({ a: 1 }), ballots: ballots("z", { YES: 1 }) })).toThrow();
  });
});

describe("roll input", () => {
  it("reads one address per line per enterprise, ignoring blank lines and case", () => {
    const parsed = parseRollInput({ a: "One@Example.test\n\n two@example.test ", b: "three@example.test" });
    expect(parsed).toEqual({ ok: true, roll: [{ enterpriseId: "a", email: "one@example.test" }, { enterpriseId: "a", email: "two@example.test" }, { enterpriseId: "b", email: "three@example.test" }] });
  });
  it("refuses a malformed address, a duplicate and an empty roll, naming the field", () => {
    expect(parseRollInput({ a: "not-an-address" })).toMatchObject({ ok: false, field: "roll_a", message: { key: "errors.ratification.badEmail", values: { line: 1 } } });
    expect(parseRollInput({ a: "ok@example.test\nalso-ok@example.test\nbroken" })).toMatchObject({ field: "roll_a", message: { values: { line: 3, email: "broken" } } });
    expect(parseRollInput({ a: "x@example.test", b: "X@example.test" })).toMatchObject({ ok: false, field: "roll_b", message: { key: "errors.ratification.duplicateEmail", values: { line: 1 } } });
    expect(parseRollInput({ a: " \n " })).toMatchObject({ ok: false, field: "roll", message: { key: "errors.ratification.emptyRoll" } });
  });
});
