/**
 * Terms schema version 2 (app/domain/terms.ts): stored version-1 terms are read as version 2 with
 * the same values, invalid terms are not read at all, penalty rules are refined, and the new
 * distance term is typed in kilometres and stored in metres.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatTermValue, parseTermInput, penaltyRuleSchema, penaltyRulesSchema, readTerms, TERM_FIELDS, TERM_KEYS, TERMS_SCHEMA_VERSION, termsSchema, type PenaltyRule } from "../../app/domain/terms.ts";

/** Terms as a version-1 draft stored them: no schemaVersion, none of the version-2 terms. */
const version1 = {
  pieceRateBaseFen: 650,
  pieceRateNightSurchargeFen: 100,
  badWeatherSubsidyFen: 200,
  holidayMultiplierBp: 20_000,
  commissionCapBp: 800,
  maxContinuousMinutes: 240,
  restAfterContinuousMinutes: 20,
  maxDailyMinutes: 600,
  waitingAllowanceMinutes: 30,
  penaltyCapFen: 5000,
  appealWindowDays: 7,
  pieceRateTable: [{ orderType: "STANDARD", fromMetres: 0, toMetres: 3000, timeBand: "ALL_DAY", priceFen: 550 }],
  penaltyExcludedCauses: ["TRAFFIC_CONTROL", "BAD_WEATHER", "MERCHANT_DELAY", "BUILDING_ACCESS"],
  allocation: { medianEstimate: true, dispatchRadiusMetres: 3000, maxConcurrentOrders: 3 },
};

const lateRule: PenaltyRule = { kind: "LATE_DELIVERY", amountFen: 500, monthlyCapFen: 1500, appealWindowDays: 7, excludedCauses: ["TRAFFIC_CONTROL", "BAD_WEATHER", "MERCHANT_DELAY", "BUILDING_ACCESS"] };

describe("reading stored terms", () => {
  it("reads version-1 terms as version 2 with the same values", () => {
    expect(TERMS_SCHEMA_VERSION).toBe(3);
    expect(readTerms(version1)).toEqual({ ...version1, schemaVersion: 3 });
    expect(readTerms({ ...version1, schemaVersion: 1 })).toEqual({ ...version1, schemaVersion: 3 });
  });

  it("reads version-2 terms as version 3 with the same values", () => {
    const version2 = { ...version1, schemaVersion: 2, baseDistanceMetres: 3000, distanceSurchargeFenPerKm: 100, quotaMinutesPerOrder: 12, restDaysPerMonth: 4, paidLeaveDaysPerYear: 5, commissionShownPerOrder: true, penaltyRules: [lateRule], algorithms: [] };
    expect(readTerms(version2)).toEqual({ ...version2, schemaVersion: 3 });
  });

  it("reads version-3 terms unchanged (issue 22: appeals, pay timing, entry and exit, injury protection, rounding, rewards)", () => {
    const version3 = {
      ...version1,
      schemaVersion: 3,
      appealResponseHours: 24,
      payCycleDays: 7,
      exitNoticeDays: 7,
      accidentCoverFen: 60_000_000,
      roundingRule: "PER_ORDER_HALF_UP",
      occupationalInjury: "BOTH",
      rewardRules: [{ kind: "PEAK_HOURS", amountFen: 300, condition: "午高峰每单" }],
    };
    expect(readTerms(version3)).toEqual(version3);
    expect(readTerms({ ...version3, roundingRule: "ROUND_DOWN" })).toBeNull();
    expect(readTerms({ ...version3, occupationalInjury: "MAYBE" })).toBeNull();
    expect(readTerms({ ...version3, rewardRules: [{ kind: "PEAK_HOURS", amountFen: 300, condition: "" }] })).toBeNull();
    expect(readTerms({ ...version3, rewardRules: [{ kind: "PEAK_HOURS", amountFen: 300, condition: "x".repeat(201) }] })).toBeNull();
    expect(readTerms({ ...version3, appealResponseHours: 0 })).toBeNull();
  });

  it("reads nothing stored as empty version-2 terms", () => {
    expect(readTerms(undefined)).toEqual({ schemaVersion: 3 });
    expect(readTerms(null)).toEqual({ schemaVersion: 3 });
    expect(readTerms({})).toEqual({ schemaVersion: 3 });
  });

  it("does not read invalid terms", () => {
    expect(readTerms({ ...version1, unknownTerm: 1 })).toBeNull();
    expect(readTerms({ ...version1, schemaVersion: 4 })).toBeNull();
    expect(readTerms({ ...version1, pieceRateBaseFen: -1 })).toBeNull();
    expect(readTerms({ ...version1, pieceRateBaseFen: 6.5 })).toBeNull();
    expect(readTerms({ ...version1, pieceRateBaseFen: "six" })).toBeNull();
    expect(readTerms({ ...version1, pieceRateTable: [{ ...version1.pieceRateTable[0], toMetres: 0 }] })).toBeNull();
    expect(readTerms({ ...version1, penaltyRules: [{ ...lateRule, monthlyCapFen: 100 }] })).toBeNull();
    expect(readTerms({ ...version1, algorithms: [{ kind: "UNKNOWN" }] })).toBeNull();
    expect(readTerms("terms")).toBeNull();
  });

  it("does not read a number term stored as something else as a number (null, empty text, text, true)", () => {
    for (const stored of [null, "", "650", true, [650]]) expect(readTerms({ ...version1, pieceRateBaseFen: stored }), JSON.stringify(stored)).toBeNull();
    expect(termsSchema.safeParse({ quotaMinutesPerOrder: "12" }).success).toBe(false);
  });
});

describe("penalty rules", () => {
  const messages = (schema: typeof penaltyRuleSchema | typeof penaltyRulesSchema, value: unknown) => {
    const parsed = schema.safeParse(value);
    return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}:${issue.message}`);
  };

  it("a monthly cap at or above the amount", () => {
    expect(messages(penaltyRuleSchema, lateRule)).toEqual([]);
    expect(messages(penaltyRuleSchema, { ...lateRule, monthlyCapFen: 500 })).toEqual([]);
    expect(messages(penaltyRuleSchema, { ...lateRule, monthlyCapFen: 499 })).toEqual(["monthlyCapFen:validation.capBelowAmount"]);
  });

  it("an appeal window of 1 to 365 days, known causes only, no extra keys", () => {
    expect(messages(penaltyRuleSchema, { ...lateRule, appealWindowDays: 0 })).toEqual(["appealWindowDays:validation.rangeMin"]);
    expect(messages(penaltyRuleSchema, { ...lateRule, excludedCauses: ["RAIN"] })).toEqual(["excludedCauses.0:validation.choice"]);
    expect(messages(penaltyRuleSchema, { ...lateRule, kind: "SPEEDING" })).toEqual(["kind:validation.choice"]);
    expect(messages(penaltyRuleSchema, { ...lateRule, note: "x" })).toHaveLength(1);
  });

  it("one rule per kind", () => {
    const complaint: PenaltyRule = { ...lateRule, kind: "CUSTOMER_COMPLAINT", amountFen: 1000, monthlyCapFen: 2000 };
    expect(messages(penaltyRulesSchema, [lateRule, complaint])).toEqual([]);
    expect(messages(penaltyRulesSchema, [lateRule, complaint, { ...lateRule, amountFen: 300 }])).toEqual([":validation.duplicateKind"]);
    expect(termsSchema.safeParse({ penaltyRules: [lateRule, lateRule] }).success).toBe(false);
  });
});

describe("the version-2 scalar terms", () => {
  it("have their units", () => {
    expect(TERM_FIELDS.baseDistanceMetres.unit).toBe("metres");
    expect(TERM_FIELDS.distanceSurchargeFenPerKm.unit).toBe("fen");
    expect(TERM_FIELDS.quotaMinutesPerOrder.unit).toBe("minutes");
    expect(TERM_FIELDS.restDaysPerMonth.unit).toBe("days");
    expect(TERM_FIELDS.paidLeaveDaysPerYear.unit).toBe("days");
  });

  it("a distance is typed in kilometres and stored in metres", () => {
    expect(parseTermInput("baseDistanceMetres", "3.5")).toEqual({ ok: true, value: 3500 });
    expect(parseTermInput("baseDistanceMetres", " 3 ")).toEqual({ ok: true, value: 3000 });
    expect(parseTermInput("baseDistanceMetres", "0.25")).toEqual({ ok: true, value: 250 });
    expect(parseTermInput("baseDistanceMetres", "4.57")).toEqual({ ok: true, value: 4570 });
    expect(parseTermInput("baseDistanceMetres", "100")).toEqual({ ok: true, value: 100_000 });
  });

  it("a distance beyond 100 km, or badly typed, is refused with the bound in kilometres", () => {
    expect(parseTermInput("baseDistanceMetres", "100.01")).toEqual({ ok: false, message: { key: "validation.rangeMax", values: { max: 100 } } });
    expect(parseTermInput("baseDistanceMetres", "")).toEqual({ ok: false, message: { key: "validation.required" } });
    expect(parseTermInput("baseDistanceMetres", "3.5555")).toEqual({ ok: false, message: { key: "validation.kilometres" } });
    expect(parseTermInput("baseDistanceMetres", "-1")).toEqual({ ok: false, message: { key: "validation.kilometres" } });
    expect(parseTermInput("baseDistanceMetres", "3,5")).toEqual({ ok: false, message: { key: "validation.kilometres" } });
  });

  it("a distance is shown in kilometres", () => {
    expect(formatTermValue("baseDistanceMetres", 3500)).toBe("3.5");
    expect(formatTermValue("baseDistanceMetres", 3000)).toBe("3");
    expect(formatTermValue("baseDistanceMetres", 250)).toBe("0.25");
    expect(formatTermValue("distanceSurchargeFenPerKm", 100)).toBe("1.00");
  });

  it("the quota, rest days and leave have their bounds", () => {
    expect(parseTermInput("quotaMinutesPerOrder", "12")).toEqual({ ok: true, value: 12 });
    expect(parseTermInput("quotaMinutesPerOrder", "0")).toEqual({ ok: false, message: { key: "validation.rangeMin", values: { min: 1 } } });
    expect(parseTermInput("quotaMinutesPerOrder", "12.5")).toEqual({ ok: false, message: { key: "validation.number", values: {} } });
    expect(parseTermInput("restDaysPerMonth", "32")).toEqual({ ok: false, message: { key: "validation.rangeMax", values: { max: 31 } } });
    expect(parseTermInput("paidLeaveDaysPerYear", "366")).toEqual({ ok: true, value: 366 });
    expect(parseTermInput("paidLeaveDaysPerYear", "367")).toEqual({ ok: false, message: { key: "validation.rangeMax", values: { max: 366 } } });
    expect(parseTermInput("distanceSurchargeFenPerKm", "1.5")).toEqual({ ok: true, value: 150 });
  });

  it("any value a person can type is shown so that typing it back gives the same value", () => {
    // Distances typed in km with up to two decimals are whole tens of metres.
    const reachable = (key: (typeof TERM_KEYS)[number]) => fc.oneof(fc.integer({ min: 0, max: 1500 }), fc.integer({ min: 0, max: 100_000_00 })).map((value) => (TERM_FIELDS[key].unit === "metres" ? value - (value % 10) : value)).filter((value) => TERM_FIELDS[key].schema.safeParse(value).success);
    fc.assert(
      fc.property(
        fc.constantFrom(...TERM_KEYS).chain((key) => fc.tuple(fc.constant(key), reachable(key))),
        ([key, value]) => {
          expect(parseTermInput(key, formatTermValue(key, value))).toEqual({ ok: true, value });
        },
      ),
      { seed: 20_261_124, numRuns: 500 },
    );
  });
});
