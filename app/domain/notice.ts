/**
 * Public notices (公示), pure: the content hash of an agreement, the hash chain of a notice series
 * and its verification, which version was in force on a date, and "what changed" between two
 * versions in plain terms. The same functions run on the server and in a browser, so anyone can
 * recompute what the server publishes. See docs/decisions/016-public-notices.md.
 */
import { canonicalJson, sha256Hex } from "./hash.ts";
import { diffStructuredTerms, diffTerms, diffText, type TextChange } from "./draft-text.ts";
import { z } from "zod";

export const NOTICE_GENESIS_HASH = "0".repeat(64);

/** What a ratification vote and the signatures bind: the agreement's text and its terms. */
export function agreementContentHash(content: { text: string; terms: unknown }): string {
  return sha256Hex(canonicalJson({ text: content.text, terms: content.terms ?? {} }));
}

export type NoticeSignature = { side: "WORKER" | "EMPLOYER"; name: string; organization: string | null; signedAt: string; contentHash: string };
/** A party's verification when the version was published (absent on versions published before it was recorded). */
export type NoticePartyVerification = { status: string; creditCode: string | null; verifiedAt: string | null };
export type NoticeParty = { slug: string; name: string; nameEn: string | null; type: string; role: string; verification?: NoticePartyVerification };

/** What a notice records of its ratification: the tally and rule applied, whether the ballot was secret. */
export const noticeRatificationSchema = z.object({ tally: z.unknown(), rule: z.unknown(), secret: z.boolean().optional() }).passthrough().nullable();

/** Everything a published version says. Every field is covered by its hash. */
export type NoticeContent = {
  noticeId: string;
  version: number;
  kind: "AGREEMENT" | "CORRECTION" | "AMENDMENT" | "TERMINATION";
  title: string;
  text: string;
  terms: unknown;
  industry: string;
  regionCode: string;
  platformSlugs: string[];
  parties: NoticeParty[];
  signatures: NoticeSignature[];
  ratification: unknown;
  agreementHash: string;
  correctionReason: string | null;
  /** A termination's ground (app/domain/amendment.ts); hashed only when present, so older versions keep their hash. */
  terminationGround?: string | null;
  previousId: string | null;
  publishedAt: Date;
  effectiveFrom: Date;
  effectiveUntil: Date;
};

/** The hash of exactly these fields, whatever else the row carries (id, hashes). */
export function noticeContentHash(content: NoticeContent): string {
  return sha256Hex(
    canonicalJson({
      noticeId: content.noticeId,
      version: content.version,
      kind: content.kind,
      title: content.title,
      text: content.text,
      terms: content.terms,
      industry: content.industry,
      regionCode: content.regionCode,
      parties: content.parties,
      signatures: content.signatures,
      ratification: content.ratification,
      agreementHash: content.agreementHash,
      correctionReason: content.correctionReason,
      ...(content.terminationGround ? { terminationGround: content.terminationGround } : {}),
      previousId: content.previousId,
      platformSlugs: [...content.platformSlugs].sort(),
      publishedAt: content.publishedAt.toISOString(),
      effectiveFrom: content.effectiveFrom.toISOString(),
      effectiveUntil: content.effectiveUntil.toISOString(),
    }),
  );
}

/** A version's hash: its content hash chained to the previous version's hash. */
export function noticeChainHash(prevHash: string, contentHash: string): string {
  return sha256Hex(`${prevHash}\n${contentHash}`);
}

export type StoredNoticeVersion = NoticeContent & { id: string; contentHash: string; prevHash: string; hash: string };

export type NoticeVersionCheck = { version: number; contentOk: boolean; linkOk: boolean; hashOk: boolean; computedContentHash: string; computedHash: string };
export type NoticeVerdict = { ok: boolean; length: number; versions: NoticeVersionCheck[]; brokenAt: number | null };

/** Recomputes a series' chain (versions in order) and reports each version and the first break. */
export function verifyNoticeChain(versions: readonly StoredNoticeVersion[]): NoticeVerdict {
  let previousHash = NOTICE_GENESIS_HASH;
  let previousId: string | null = null;
  let brokenAt: number | null = null;
  const checks: NoticeVersionCheck[] = versions.map((version, index) => {
    const computedContentHash = noticeContentHash(version);
    const computedHash = noticeChainHash(previousHash, computedContentHash);
    const check: NoticeVersionCheck = {
      version: version.version,
      contentOk: computedContentHash === version.contentHash,
      linkOk: version.version === index + 1 && version.prevHash === previousHash && version.previousId === previousId,
      hashOk: computedHash === version.hash,
      computedContentHash,
      computedHash,
    };
    if (brokenAt === null && !(check.contentOk && check.linkOk && check.hashOk)) brokenAt = version.version;
    // Continue from the stored hash, so one altered version does not mark every later one.
    previousHash = version.hash;
    previousId = version.id;
    return check;
  });
  return { ok: brokenAt === null, length: versions.length, versions: checks, brokenAt };
}

/**
 * The version in force on `date`: among versions already in effect on that date, the one that
 * took effect last (a correction takes effect no earlier than the version it corrects, so ties go
 * to the higher version number); none when that version had expired by then.
 */
export function versionInForceOn<V extends { version: number; effectiveFrom: Date; effectiveUntil: Date }>(versions: readonly V[], date: Date): V | null {
  let best: V | null = null;
  for (const version of versions) {
    if (version.effectiveFrom.getTime() > date.getTime()) continue;
    if (!best || version.effectiveFrom.getTime() > best.effectiveFrom.getTime() || (version.effectiveFrom.getTime() === best.effectiveFrom.getTime() && version.version > best.version)) best = version;
  }
  return best && date.getTime() < best.effectiveUntil.getTime() ? best : null;
}

export type NoticeStatus = "NOTICE_PERIOD" | "IN_FORCE" | "SUPERSEDED" | "EXPIRED" | "TERMINATED";

type Dated = { version: number; effectiveFrom: Date; effectiveUntil: Date; kind?: string };

/** Where a version stands on `now`; every version of a series a termination ended is TERMINATED. */
export function noticeStatus(version: Dated, all: ReadonlyArray<Dated>, now: Date): NoticeStatus {
  if (now < version.effectiveFrom) return "NOTICE_PERIOD";
  const ended = all.find((candidate) => candidate.kind === "TERMINATION" && candidate.effectiveFrom <= now);
  if (ended && version.version <= ended.version) return "TERMINATED";
  const current = versionInForceOn(all, now);
  if (current?.version === version.version) return "IN_FORCE";
  return now >= version.effectiveUntil && (!current || current.version < version.version) ? "EXPIRED" : "SUPERSEDED";
}

/** Series key: the same industry, region and covered platforms continue one series. */
export function noticeSeriesKey(industry: string, regionCode: string, platformSlugs: readonly string[]): string {
  return [industry, regionCode, [...platformSlugs].sort().join("+") || "-"].join("/");
}

export type TermChange = { key: string; before: number | null; after: number | null };
export type StructuredChange = { key: string; before: unknown; after: unknown };
export type WhatChanged = {
  first: boolean;
  terms: TermChange[];
  structured: StructuredChange[];
  /** Paragraph-level text changes (added / removed paragraphs), plain enough to read on a phone. */
  paragraphs: Array<{ kind: "added" | "removed"; text: string }>;
  /** Character-level diff, for those who want every comma. */
  text: TextChange[];
  /** The texts differ too much to show the differences inline (the comparison's cost bound). */
  textTooLarge: boolean;
};

/** What changed from `before` (null for a first publication) to `after`. */
export function whatChanged(before: { text: string; terms: unknown } | null, after: { text: string; terms: unknown }): WhatChanged {
  const afterTerms = (after.terms ?? {}) as Record<string, unknown>;
  if (!before) {
    return { first: true, terms: diffTerms({}, afterTerms).filter((row) => row.after !== null).map(({ key, before: b, after: a }) => ({ key, before: b, after: a })), structured: [], paragraphs: [], text: [], textTooLarge: false };
  }
  const beforeTerms = (before.terms ?? {}) as Record<string, unknown>;
  const paragraphsOf = (text: string) => text.split("\n").map((line) => line.trim()).filter(Boolean);
  const beforeParagraphs = paragraphsOf(before.text);
  const afterParagraphs = paragraphsOf(after.text);
  const beforeSet = new Set(beforeParagraphs);
  const afterSet = new Set(afterParagraphs);
  const text = before.text === after.text ? [] : diffText(before.text, after.text);
  return {
    first: false,
    terms: diffTerms(beforeTerms, afterTerms).filter((row) => row.changed).map(({ key, before: b, after: a }) => ({ key, before: b, after: a })),
    structured: diffStructuredTerms(beforeTerms, afterTerms).filter((row) => row.changed).map(({ key, before: b, after: a }) => ({ key, before: b, after: a })),
    paragraphs: [
      ...beforeParagraphs.filter((line) => !afterSet.has(line)).map((line) => ({ kind: "removed" as const, text: line })),
      ...afterParagraphs.filter((line) => !beforeSet.has(line)).map((line) => ({ kind: "added" as const, text: line })),
    ],
    text: text ?? [],
    textTooLarge: text === null,
  };
}

export const FEEDBACK_LIMITS = { bodyMax: 2_000, perIpPerHour: 5 } as const;
