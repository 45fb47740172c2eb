/**
 * Issue 16: every Json column is read and written through its schema in one place
 * (app/models/stored-json.server.ts). Writing refuses what is not JSON; reading refuses a shape we
 * never wrote, naming the column, instead of handing the rest of the code a lie.
 */
import { describe, expect, it } from "vitest";
import {
  storedAgreements,
  storedOfferValue,
  storedOutcome,
  storedParties,
  storedRatification,
  storedRecord,
  storedSignatures,
  storedTerms,
  toStoredJson,
} from "../../app/models/stored-json.server.ts";

describe("writing", () => {
  it("takes JSON: strings, finite numbers, booleans, nested arrays and objects, nulls inside", () => {
    const value = { a: "x", b: 1.5, c: true, d: [1, null, { e: [] }], f: null };
    expect(toStoredJson(value)).toEqual(value);
  });

  it("refuses what JSON cannot hold: undefined or a function deep inside, NaN, Infinity, a Date, a Map", () => {
    for (const bad of [{ a: undefined }, { a: [() => 1] }, { a: Number.NaN }, [Infinity], { at: new Date() }, new Map([["a", 1]])]) {
      expect(() => toStoredJson(bad), JSON.stringify(bad)).toThrow();
    }
  });
});

describe("reading", () => {
  it("reads the two-step agreements by side, and refuses another side or kind", () => {
    expect(storedAgreements({})).toEqual({});
    expect(storedAgreements({ DRAFT: ["WORKER"] })).toEqual({ DRAFT: ["WORKER"] });
    expect(() => storedAgreements({ DRAFT: ["BUREAU"] })).toThrow(/BargainingSession.agreements/);
    expect(() => storedAgreements({ MERGE: ["WORKER"] })).toThrow(/BargainingSession.agreements/);
  });

  it("reads an offer's number from value and a table or object from valueJson", () => {
    expect(storedOfferValue(560, null)).toBe(560);
    expect(storedOfferValue(null, [{ a: 1 }])).toEqual([{ a: 1 }]);
    expect(storedOfferValue(null, { rules: [] })).toEqual({ rules: [] });
    expect(() => storedOfferValue(null, "560")).toThrow(/TermOffer.valueJson/);
  });

  it("reads a notice's parties, signatures and ratification, and refuses a party without a slug or a signature of a third side", () => {
    const party = { slug: "u", name: "工会", nameEn: null, type: "UNION", role: "WORKER" };
    expect(storedParties([party])).toEqual([party]);
    expect(() => storedParties([{ ...party, slug: 1 }])).toThrow(/NoticeVersion.parties/);
    const signature = { side: "WORKER", name: "王", organization: null, signedAt: "2026-01-01T00:00:00.000Z", contentHash: "a".repeat(64) };
    expect(storedSignatures([signature])).toEqual([signature]);
    expect(() => storedSignatures([{ ...signature, side: "BUREAU" }])).toThrow(/NoticeVersion.signatures/);
    expect(storedRatification(null)).toBeNull();
    expect(storedRatification({ scope: "ORDINARY", secret: true, tally: { roll: 2 }, rule: null })).toMatchObject({ secret: true, scope: "ORDINARY" });
    expect(() => storedRatification({ secret: "yes" })).toThrow(/NoticeVersion.ratification/);
  });

  it("reads a vote's outcome with its thresholds, terms and payloads as objects", () => {
    const outcome = { passed: true, attendanceMet: true, approvalMet: true, enterprisesMet: true, tally: {}, rule: {}, voted: [] };
    expect(storedOutcome(outcome)).toEqual(outcome);
    expect(() => storedOutcome({ passed: "yes" })).toThrow(/RatificationVote.outcome/);
    expect(storedTerms({ pieceRateBaseFen: 560 })).toEqual({ pieceRateBaseFen: 560 });
    expect(() => storedTerms([1, 2])).toThrow(/terms/);
    expect(storedRecord({ to: "BARGAINING" })).toEqual({ to: "BARGAINING" });
    expect(() => storedRecord("x")).toThrow(/payload/);
  });
});
