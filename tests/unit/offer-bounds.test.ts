import { describe, expect, it } from "vitest";
import { offerInputSchema } from "../../app/domain/draft-validation.ts";
import { formatTermValue, parseTermInput } from "../../app/domain/terms.ts";

describe("offers on single-number terms use the term's own bounds", () => {
  it("refuses a holiday multiplier below 1× when the offer is made", () => {
    const result = offerInputSchema.safeParse({ termKey: "holidayMultiplierBp", value: 5_000 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("validation.rangeMin");
    expect(result.error?.issues[0]?.path).toEqual(["value"]);
  });

  it("refuses a commission cap above 100 % and a quota of 0 minutes", () => {
    expect(offerInputSchema.safeParse({ termKey: "commissionCapBp", value: 12_000 }).success).toBe(false);
    expect(offerInputSchema.safeParse({ termKey: "quotaMinutesPerOrder", value: 0 }).success).toBe(false);
  });

  it("accepts values inside the term's bounds", () => {
    expect(offerInputSchema.safeParse({ termKey: "holidayMultiplierBp", value: 15_000 }).success).toBe(true);
    expect(offerInputSchema.safeParse({ termKey: "quotaMinutesPerOrder", value: 12 }).success).toBe(true);
    expect(offerInputSchema.safeParse({ termKey: "penaltyExcludedCauses", value: ["BAD_WEATHER"] }).success).toBe(true);
  });
});

describe("distances", () => {
  it("round-trip to the metre (three decimals of a kilometre)", () => {
    expect(parseTermInput("baseDistanceMetres", formatTermValue("baseDistanceMetres", 3456))).toEqual({ ok: true, value: 3456 });
    expect(parseTermInput("baseDistanceMetres", "3.4567").ok).toBe(false);
  });

  it("money still takes two decimals at most", () => {
    expect(parseTermInput("pieceRateBaseFen", "6.505").ok).toBe(false);
  });
});
