/** Notice hashing, chain verification, "in force on a date" and "what changed" (app/domain/notice.ts). */
import { describe, expect, it } from "vitest";
import {
  NOTICE_GENESIS_HASH,
  noticeChainHash,
  noticeContentHash,
  noticeStatus,
  verifyNoticeChain,
  versionInForceOn,
  whatChanged,
  type NoticeContent,
  type StoredNoticeVersion,
} from "../../app/domain/notice.ts";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

function chain(contents: Array<Partial<NoticeContent>>): StoredNoticeVersion[] {
  const out: StoredNoticeVersion[] = [];
  let prevHash = NOTICE_GENESIS_HASH;
  contents.forEach((partial, index) => {
    const content: NoticeContent = {
      noticeId: "n1",
      version: index + 1,
      kind: index === 0 ? "AGREEMENT" : "CORRECTION",
      title: "规则",
      text: `正文 ${index + 1}`,
      terms: { pieceRateBaseFen: 600 + index * 50 },
      industry: "FOOD_DELIVERY",
      regionCode: "330100",
      platformSlugs: ["swift-eats"],
      parties: [],
      signatures: [],
      ratification: null,
      agreementHash: "h",
      correctionReason: null,
      previousId: index === 0 ? null : `v${index}`,
      publishedAt: day("2026-01-01"),
      effectiveFrom: day("2026-01-08"),
      effectiveUntil: day("2028-01-08"),
      ...partial,
    };
    const contentHash = noticeContentHash(content);
    const hash = noticeChainHash(prevHash, contentHash);
    out.push({ ...content, id: `v${index + 1}`, contentHash, prevHash, hash });
    prevHash = hash;
  });
  return out;
}

describe("hash chain", () => {
  it("verifies an untouched chain and finds an altered version", () => {
    const versions = chain([{}, {}, {}]);
    expect(verifyNoticeChain(versions)).toMatchObject({ ok: true, length: 3, brokenAt: null });
    const tampered = versions.map((version) => (version.version === 2 ? { ...version, terms: { pieceRateBaseFen: 1 } } : version));
    const verdict = verifyNoticeChain(tampered);
    expect(verdict).toMatchObject({ ok: false, brokenAt: 2 });
    expect(verdict.versions[1]).toMatchObject({ contentOk: false, linkOk: true });
    expect(verdict.versions[2]).toMatchObject({ contentOk: true, linkOk: true, hashOk: true });
  });
  it("finds a version whose link to its predecessor was rewritten", () => {
    const versions = chain([{}, {}]);
    expect(verifyNoticeChain([versions[0]!, { ...versions[1]!, prevHash: NOTICE_GENESIS_HASH }])).toMatchObject({ ok: false, brokenAt: 2 });
    expect(verifyNoticeChain([versions[1]!])).toMatchObject({ ok: false, brokenAt: 2 });
  });
  it("hashes dates and platform order canonically", () => {
    const [a] = chain([{ platformSlugs: ["b", "a"] }]);
    const [b] = chain([{ platformSlugs: ["a", "b"] }]);
    expect(a!.contentHash).toBe(b!.contentHash);
  });
});

describe("in force on a date", () => {
  const versions = [
    { version: 1, effectiveFrom: day("2026-01-01"), effectiveUntil: day("2027-01-01") },
    { version: 2, effectiveFrom: day("2026-06-01"), effectiveUntil: day("2027-01-01") },
    { version: 3, effectiveFrom: day("2026-06-01"), effectiveUntil: day("2027-01-01") },
  ];
  it("answers across versions, at the boundaries", () => {
    expect(versionInForceOn(versions, day("2025-12-31"))).toBeNull();
    expect(versionInForceOn(versions, day("2026-01-01"))?.version).toBe(1);
    expect(versionInForceOn(versions, new Date(day("2026-06-01").getTime() - 1))?.version).toBe(1);
    expect(versionInForceOn(versions, day("2026-06-01"))?.version).toBe(3);
    expect(versionInForceOn(versions, new Date(day("2027-01-01").getTime() - 1))?.version).toBe(3);
    expect(versionInForceOn(versions, day("2027-01-01"))).toBeNull();
  });
  it("gives each version its status", () => {
    expect(noticeStatus(versions[0]!, versions, day("2026-03-01"))).toBe("IN_FORCE");
    expect(noticeStatus(versions[0]!, versions, day("2026-07-01"))).toBe("SUPERSEDED");
    expect(noticeStatus(versions[2]!, versions, day("2026-05-01"))).toBe("NOTICE_PERIOD");
    expect(noticeStatus(versions[2]!, versions, day("2027-02-01"))).toBe("EXPIRED");
  });
  it("ends the series at a termination: nothing in force from its day, every version TERMINATED (第三十九条至第四十一条)", () => {
    const ended = [...versions, { version: 4, kind: "TERMINATION", effectiveFrom: day("2026-09-01"), effectiveUntil: day("2026-09-01") }];
    expect(versionInForceOn(ended, new Date(day("2026-09-01").getTime() - 1))?.version).toBe(3);
    expect(versionInForceOn(ended, day("2026-09-01"))).toBeNull();
    expect(versionInForceOn(ended, day("2026-12-31"))).toBeNull();
    expect(noticeStatus(ended[3]!, ended, day("2026-09-01"))).toBe("TERMINATED");
    expect(noticeStatus(ended[2]!, ended, day("2026-10-01"))).toBe("TERMINATED");
    // Before it takes effect, the termination changes nothing.
    expect(noticeStatus(ended[2]!, ended, day("2026-08-01"))).toBe("IN_FORCE");
    expect(noticeStatus(ended[3]!, ended, day("2026-08-01"))).toBe("NOTICE_PERIOD");
  });
  it("hashes a termination's ground, and leaves the hash of a version without one as it was", () => {
    const [plain] = chain([{}]);
    const { id: _id, contentHash: _c, prevHash: _p, hash: _h, ...content } = plain!;
    expect(noticeContentHash({ ...content, terminationGround: null })).toBe(plain!.contentHash);
    expect(noticeContentHash({ ...content, terminationGround: "AGREED" })).not.toBe(plain!.contentHash);
    expect(noticeContentHash({ ...content, terminationGround: "AGREED" })).not.toBe(noticeContentHash({ ...content, terminationGround: "FORCE_MAJEURE" }));
  });
});

describe("what changed", () => {
  it("lists changed terms and paragraphs in plain terms", () => {
    const changes = whatChanged({ text: "第一条 计件单价。\n第二条 休息。", terms: { pieceRateBaseFen: 600, maxDailyMinutes: 600 } }, { text: "第一条 计件单价。\n第二条 每连续送单4小时休息20分钟。", terms: { pieceRateBaseFen: 700, maxDailyMinutes: 600 } });
    expect(changes.first).toBe(false);
    expect(changes.terms).toEqual([{ key: "pieceRateBaseFen", before: 600, after: 700 }]);
    expect(changes.paragraphs).toEqual([
      { kind: "removed", text: "第二条 休息。" },
      { kind: "added", text: "第二条 每连续送单4小时休息20分钟。" },
    ]);
  });
  it("marks a first publication", () => {
    expect(whatChanged(null, { text: "x", terms: { pieceRateBaseFen: 650 } })).toMatchObject({ first: true, terms: [{ key: "pieceRateBaseFen", before: null, after: 650 }] });
  });
});
