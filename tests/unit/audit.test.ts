/** The audit trail's typed events and hash chain (app/domain/audit.ts). */
import { describe, expect, it } from "vitest";
import { AUDIT_TYPES, auditEvent, eventHash, GENESIS_HASH, verifyChain, type ChainedEvent } from "../../app/domain/audit.ts";
import { canonicalJson, sha256Hex } from "../../app/domain/hash.ts";

function chain(length: number): ChainedEvent[] {
  const events: ChainedEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq += 1) {
    const draft = auditEvent("session.transition", { event: "ANSWER", from: "PROPOSED", to: "ACCEPTED" });
    const event = {
      sessionId: "session-1",
      seq,
      type: draft.type,
      payload: draft.payload,
      actorId: seq % 2 ? "user-1" : null,
      at: new Date(Date.UTC(2026, 10, 23, 12, 0, seq)),
      ip: "10.0.0.1",
      userAgent: "test",
      prevHash,
    };
    const hash = eventHash(event);
    events.push({ ...event, hash });
    prevHash = hash;
  }
  return events;
}

describe("hash helpers", () => {
  it("computes SHA-256 as lower-case hex (known vector)", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("writes canonical JSON with sorted keys at every level, dates as ISO strings, undefined dropped", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined }, at: new Date("2026-01-01T00:00:00Z") })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"at":"2026-01-01T00:00:00.000Z","b":1}',
    );
  });
});

describe("auditEvent", () => {
  it("accepts a payload that matches its type", () => {
    expect(auditEvent("minutes.signed", { roundId: "r", number: 1, side: "WORKER", minutesHash: "h" })).toEqual({
      type: "minutes.signed",
      payload: { roundId: "r", number: 1, side: "WORKER", minutesHash: "h" },
    });
  });

  it("refuses a payload that does not match its type", () => {
    expect(() => auditEvent("minutes.signed", { roundId: "r", number: 1, side: "NEUTRAL" } as never)).toThrow();
    expect(() => auditEvent("seat.ended", { seatId: "s" } as never)).toThrow();
  });

  it("has a schema for every type", () => {
    expect(AUDIT_TYPES.length).toBeGreaterThan(5);
    expect(new Set(AUDIT_TYPES).size).toBe(AUDIT_TYPES.length);
  });
});

describe("verifyChain", () => {
  it("accepts an intact chain and an empty one", () => {
    expect(verifyChain(chain(5))).toEqual({ ok: true, length: 5 });
    expect(verifyChain([])).toEqual({ ok: true, length: 0 });
  });

  it("starts from the genesis hash", () => {
    const events = chain(2);
    expect(events[0]!.prevHash).toBe(GENESIS_HASH);
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
  });

  it("ignores columns outside the hashed content (row id)", () => {
    const events = chain(3).map((event, index) => ({ ...event, id: `row-${index}` }));
    expect(verifyChain(events)).toEqual({ ok: true, length: 3 });
  });

  it.each([
    ["payload", (event: ChainedEvent) => ({ ...event, payload: { event: "ANSWER", from: "PROPOSED", to: "DECLINED" } })],
    ["actor", (event: ChainedEvent) => ({ ...event, actorId: "someone-else" })],
    ["time", (event: ChainedEvent) => ({ ...event, at: new Date(event.at.getTime() + 1) })],
    ["type", (event: ChainedEvent) => ({ ...event, type: "session.clock" })],
    ["ip", (event: ChainedEvent) => ({ ...event, ip: "10.9.9.9" })],
  ])("detects a tampered %s at the tampered row", (_field, tamper) => {
    const events = chain(5);
    events[2] = tamper(events[2]!);
    expect(verifyChain(events)).toEqual({ ok: false, length: 5, brokenAt: 3, reason: "hash" });
  });

  it("detects a row whose hash was recomputed after tampering: the next link breaks", () => {
    const events = chain(4);
    const forged = { ...events[1]!, payload: { event: "ANSWER", from: "PROPOSED", to: "DECLINED" } };
    events[1] = { ...forged, hash: eventHash(forged) };
    expect(verifyChain(events)).toEqual({ ok: false, length: 4, brokenAt: 3, reason: "link" });
  });

  it("detects a deleted row (a gap in the sequence) and a reordered chain", () => {
    const events = chain(4);
    expect(verifyChain([events[0]!, events[2]!, events[3]!])).toMatchObject({ ok: false, brokenAt: 3, reason: "sequence" });
    expect(verifyChain([events[1]!, events[0]!])).toMatchObject({ ok: false, brokenAt: 2, reason: "sequence" });
  });

  it("continues from a verified point: the same verdict as the whole chain, counting every event", () => {
    const events = chain(6);
    const point = { seq: 3, hash: events[2]!.hash };
    expect(verifyChain(events.slice(3), point)).toEqual({ ok: true, length: 6 });
    expect(verifyChain([], point)).toEqual({ ok: true, length: 3 });
    // An event after the point that does not link to it, a forged hash, a gap.
    expect(verifyChain(events.slice(3), { seq: 3, hash: "f".repeat(64) })).toEqual({ ok: false, length: 6, brokenAt: 4, reason: "link" });
    const forged = events.slice(3).map((event, i) => (i === 1 ? { ...event, hash: "0".repeat(64) } : event));
    expect(verifyChain(forged, point)).toEqual({ ok: false, length: 6, brokenAt: 5, reason: "hash" });
    expect(verifyChain(events.slice(4), point)).toMatchObject({ ok: false, brokenAt: 5, reason: "sequence" });
  });
});

describe("the server's SHA-256", () => {
  it("gives exactly the portable implementation's hash for any text (ASCII, Chinese, astral, empty)", async () => {
    const fc = (await import("fast-check")).default;
    const { portableSha256Hex } = await import("../../app/domain/hash.ts");
    const { nodeSha256Hex } = await import("../../app/infra/crypto.server.ts");
    expect(nodeSha256Hex("")).toBe(portableSha256Hex(""));
    expect(nodeSha256Hex("协商 𠮷")).toBe(portableSha256Hex("协商 𠮷"));
    fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (text) => nodeSha256Hex(text) === portableSha256Hex(text)), { seed: 2026, numRuns: 500 });
  });
});
