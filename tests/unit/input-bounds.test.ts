/** Issue 13: bounds on client-supplied values, checked iteratively before anything walks them. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkInputBounds, checkJsonTextBounds, JSON_INPUT_BOUNDS } from "../../app/domain/input-bounds.ts";

/** Nesting depth by plain recursion: the reference the iterative check must agree with (small values only). */
function referenceDepth(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(referenceDepth));
}

function nestedArray(depth: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < depth; i += 1) value = [value];
  return value;
}

describe("checkInputBounds", () => {
  it("accepts scalars, and containers up to the depth limit itself", () => {
    for (const value of [null, undefined, true, 0, -1.5e300, "", "协商", { a: [1, { b: "c" }] }]) expect(checkInputBounds(value)).toBeNull();
    expect(checkInputBounds(nestedArray(32))).toBeNull();
    expect(checkInputBounds(nestedArray(33))).toEqual({ reason: "tooDeep", max: 32 });
  });

  it("refuses a value nested 100,000 levels deep without exhausting the stack", () => {
    expect(() => JSON.stringify(nestedArray(100_000))).toThrow(RangeError);
    expect(checkInputBounds(nestedArray(100_000))).toEqual({ reason: "tooDeep", max: JSON_INPUT_BOUNDS.maxDepth });
    let object: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i += 1) object = { a: object };
    expect(checkInputBounds(object)).toEqual({ reason: "tooDeep", max: JSON_INPUT_BOUNDS.maxDepth });
  });

  it("counts strings by their UTF-8 bytes, keys included, and binary data by its length", () => {
    const bounds = { maxDepth: 4, maxBytes: 100 };
    expect(checkInputBounds("a".repeat(98), bounds)).toBeNull(); // 98 + 2 quotes
    expect(checkInputBounds("a".repeat(99), bounds)).toEqual({ reason: "tooLarge", max: 100 });
    expect(checkInputBounds("长".repeat(32), bounds)).toBeNull(); // 96 + 2
    expect(checkInputBounds("长".repeat(33), bounds)).toEqual({ reason: "tooLarge", max: 100 });
    expect(checkInputBounds("😀".repeat(24), bounds)).toBeNull(); // surrogate pairs: 4 bytes each
    expect(checkInputBounds("😀".repeat(25), bounds)).toEqual({ reason: "tooLarge", max: 100 });
    expect(checkInputBounds({ ["k".repeat(200)]: 1 }, bounds)).toEqual({ reason: "tooLarge", max: 100 });
    expect(checkInputBounds([new Uint8Array(90)], bounds)).toBeNull();
    expect(checkInputBounds([new Uint8Array(101)], bounds)).toEqual({ reason: "tooLarge", max: 100 });
    expect(checkInputBounds("x".repeat(900_000))).toEqual({ reason: "tooLarge", max: JSON_INPUT_BOUNDS.maxBytes });
  });

  it("refuses many small values as it would one large one", () => {
    expect(checkInputBounds(Array.from({ length: 100_000 }, () => 0))).toEqual({ reason: "tooLarge", max: JSON_INPUT_BOUNDS.maxBytes });
    expect(checkInputBounds(Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, null])))).toEqual({ reason: "tooLarge", max: JSON_INPUT_BOUNDS.maxBytes });
  });

  it("refuses what no wire format produces", () => {
    expect(checkInputBounds(new Date())).toEqual({ reason: "unsupported" });
    expect(checkInputBounds({ f: () => 1 })).toEqual({ reason: "unsupported" });
    expect(checkInputBounds([Symbol("s")])).toEqual({ reason: "unsupported" });
    expect(checkInputBounds(10n)).toEqual({ reason: "unsupported" });
  });

  it("agrees with a recursive depth measure on any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 8 }), (value, maxDepth) => {
        const refusal = checkInputBounds(value, { maxDepth, maxBytes: 10_000_000 });
        expect(refusal === null).toBe(referenceDepth(value) <= maxDepth);
        // The same value as JSON text is judged the same way.
        const textRefusal = checkJsonTextBounds(JSON.stringify(value), { maxDepth, maxBytes: 10_000_000 });
        expect(textRefusal === null).toBe(referenceDepth(value) <= maxDepth);
      }),
      { seed: 13, numRuns: 2000 },
    );
  });
});

describe("checkJsonTextBounds", () => {
  it("measures bracket depth outside strings only, escapes included", () => {
    const bounds = { maxDepth: 2, maxBytes: 1000 };
    expect(checkJsonTextBounds('[["[[[[{{{{"]]', bounds)).toBeNull();
    expect(checkJsonTextBounds('[["\\"[[[["]]', bounds)).toBeNull();
    expect(checkJsonTextBounds('[["\\\\",[[1]]]]', bounds)).toEqual({ reason: "tooDeep", max: 2 });
    // 60,000 bytes: within the size limit, so the depth decides.
    expect(checkJsonTextBounds("[".repeat(30_000) + "]".repeat(30_000))).toEqual({ reason: "tooDeep", max: JSON_INPUT_BOUNDS.maxDepth });
    expect(checkJsonTextBounds("[".repeat(100_000) + "]".repeat(100_000))).toEqual({ reason: "tooLarge", max: JSON_INPUT_BOUNDS.maxBytes });
  });

  it("refuses text above the size limit before looking at it", () => {
    expect(checkJsonTextBounds(JSON.stringify({ name: "长".repeat(30_000) }))).toEqual({ reason: "tooLarge", max: JSON_INPUT_BOUNDS.maxBytes });
    expect(checkJsonTextBounds(JSON.stringify({ user: { name: "王建华", color: "#1d4ed8" }, where: "body" }))).toBeNull();
  });
});
