/**
 * The algorithm register (app/domain/algorithm-register.ts): the schema accepts what a negotiator
 * has typed so far but nothing malformed; `missingParts` names what an entry still lacks.
 */
import { describe, expect, it } from "vitest";
import { ALGORITHM_KINDS, algorithmEntrySchema, algorithmRegisterSchema, emptyEntry, missingParts, type AlgorithmEntry } from "../../app/domain/algorithm-register.ts";

/** A complete dispatch entry, as a platform would publish it. */
const dispatch: AlgorithmEntry = {
  kind: "DISPATCH",
  name: "智能派单",
  decides: "Which rider is offered each order.",
  parameters: [
    { name: "distance to the merchant", weightBp: 6000 },
    { name: "orders in hand", weightBp: 3000 },
    { name: "direction of travel", weightBp: 1000 },
  ],
  humanReview: "Station manager by phone, answer in writing.",
  reviewAnswerDays: 3,
};
const timeEstimate: AlgorithmEntry = { ...dispatch, kind: "TIME_ESTIMATE", name: "送达时间预估", decides: "The delivery time shown to the customer.", estimatePolicy: "MEDIAN" };

const issues = (value: unknown) => {
  const parsed = algorithmEntrySchema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}:${issue.message}`);
};

describe("the schema", () => {
  it("accepts complete entries", () => {
    expect(issues(dispatch)).toEqual([]);
    expect(issues(timeEstimate)).toEqual([]);
  });

  it("accepts incomplete entries: empty texts, no parameters, weights not adding up (completeness is a rule check)", () => {
    for (const kind of ALGORITHM_KINDS) expect(issues(emptyEntry(kind))).toEqual([]);
    expect(issues({ ...dispatch, parameters: [{ name: "", weightBp: 100 }] })).toEqual([]);
    expect(issues({ ...timeEstimate, estimatePolicy: undefined })).toEqual([]);
  });

  it("refuses an unknown kind or estimate policy", () => {
    expect(issues({ ...dispatch, kind: "SURGE_PRICING" })).toEqual(["kind:validation.choice"]);
    expect(issues({ ...timeEstimate, estimatePolicy: "FASTEST" })).toEqual(["estimatePolicy:validation.choice"]);
  });

  it("refuses keys it does not know, in an entry and in a parameter", () => {
    expect(issues({ ...dispatch, secret: true })).toHaveLength(1);
    expect(issues({ ...dispatch, parameters: [{ name: "distance", weightBp: 10_000, hidden: 1 }] })).toHaveLength(1);
  });

  it("refuses texts longer than their limits: name 80, decides 500, human review 300, parameter name 60", () => {
    expect(issues({ ...dispatch, name: "派".repeat(80) })).toEqual([]);
    expect(issues({ ...dispatch, name: "派".repeat(81) })).toEqual(["name:validation.tooLong"]);
    expect(issues({ ...dispatch, decides: "x".repeat(501) })).toEqual(["decides:validation.tooLong"]);
    expect(issues({ ...dispatch, humanReview: "x".repeat(301) })).toEqual(["humanReview:validation.tooLong"]);
    expect(issues({ ...dispatch, parameters: [{ name: "x".repeat(61), weightBp: 10_000 }] })).toEqual(["parameters.0.name:validation.tooLong"]);
  });

  it("refuses weights outside 0–100 %, fractional weights, review periods outside 1–60 days, more than 12 parameters", () => {
    expect(issues({ ...dispatch, parameters: [{ name: "distance", weightBp: 10_001 }] })).toEqual(["parameters.0.weightBp:validation.rangeMax"]);
    expect(issues({ ...dispatch, parameters: [{ name: "distance", weightBp: -1 }] })).toEqual(["parameters.0.weightBp:validation.rangeMin"]);
    expect(issues({ ...dispatch, parameters: [{ name: "distance", weightBp: 50.5 }] })).toEqual(["parameters.0.weightBp:validation.number"]);
    expect(issues({ ...dispatch, reviewAnswerDays: 0 })).toEqual(["reviewAnswerDays:validation.rangeMin"]);
    expect(issues({ ...dispatch, reviewAnswerDays: 61 })).toEqual(["reviewAnswerDays:validation.rangeMax"]);
    expect(issues({ ...dispatch, parameters: Array.from({ length: 13 }, (_, index) => ({ name: `p${index}`, weightBp: 0 })) })).toEqual(["parameters:validation.tooMany"]);
  });

  it("refuses a register of more than 20 entries", () => {
    expect(algorithmRegisterSchema.safeParse(Array.from({ length: 20 }, () => dispatch)).success).toBe(true);
    expect(algorithmRegisterSchema.safeParse(Array.from({ length: 21 }, () => dispatch)).success).toBe(false);
  });
});

describe("what an entry still lacks", () => {
  it("nothing when complete", () => {
    expect(missingParts(dispatch)).toEqual([]);
    expect(missingParts(timeEstimate)).toEqual([]);
  });
  it("a name", () => {
    expect(missingParts({ ...dispatch, name: "  " })).toEqual(["name"]);
  });
  it("what it decides", () => {
    expect(missingParts({ ...dispatch, decides: "" })).toEqual(["decides"]);
  });
  it("parameters: none, or one without a name", () => {
    expect(missingParts({ ...dispatch, parameters: [] })).toEqual(["parameters"]);
    expect(missingParts({ ...dispatch, parameters: [...dispatch.parameters.slice(1), { name: " ", weightBp: 6000 }] })).toEqual(["parameters"]);
  });
  it("weights that do not add up to 100 %", () => {
    expect(missingParts({ ...dispatch, parameters: [{ name: "distance", weightBp: 6000 }, { name: "orders in hand", weightBp: 3000 }] })).toEqual(["weights"]);
    expect(missingParts({ ...dispatch, parameters: [{ name: "distance", weightBp: 6000 }, { name: "orders in hand", weightBp: 4001 }] })).toEqual(["weights"]);
    expect(missingParts({ ...dispatch, parameters: [{ name: "distance", weightBp: 10_000 }] })).toEqual([]);
  });
  it("how to ask for a person to review a decision", () => {
    expect(missingParts({ ...dispatch, humanReview: "" })).toEqual(["humanReview"]);
  });
  it("the estimate policy, for delivery-time estimates only", () => {
    expect(missingParts({ ...timeEstimate, estimatePolicy: undefined })).toEqual(["estimatePolicy"]);
    expect(missingParts({ ...dispatch, estimatePolicy: undefined })).toEqual([]);
  });
  it("everything, for a new empty entry", () => {
    expect(missingParts(emptyEntry("RATING"))).toEqual(["name", "decides", "parameters", "humanReview"]);
    // A new time-estimate entry starts at the median (算法取中), so the policy is not missing.
    expect(emptyEntry("TIME_ESTIMATE").estimatePolicy).toBe("MEDIAN");
    expect(missingParts(emptyEntry("TIME_ESTIMATE"))).toEqual(["name", "decides", "parameters", "humanReview"]);
  });
});
