/**
 * Public notices (公示): publishing an approved agreement as a new version of its notice series,
 * corrections as new linked versions (proposed by one chief, confirmed by the other with their
 * password), and the public reads (list and filters, one version, in force on a date, the chain's
 * verification). Published rows are immutable in the database (trigger in the migration); nothing
 * here updates or deletes them. Reads are public: no actor. See docs/decisions/016-public-notices.md.
 */
import { LRUCache } from "lru-cache";
import { getDb, Prisma } from "~/infra/db.server.ts";
import { auditEvent } from "~/domain/audit.ts";
import { DomainError } from "~/domain/errors.ts";
import { NOTICE_GENESIS_HASH, noticeChainHash, noticeContentHash, noticeSeriesKey, noticeStatus, verifyNoticeChain, versionInForceOn, whatChanged, type NoticeContent, type NoticeParty, type NoticeSignature, type StoredNoticeVersion, type WhatChanged } from "~/domain/notice.ts";
import type { Industry } from "~/domain/session-topics.ts";
import { newId } from "~/infra/ids.server.ts";
import { appendAudit, lockSession, negotiatorsOf, notify, chiefsOf, type Tx } from "~/models/session-core.server.ts";
import { organizationAuditEvent } from "~/domain/organization-audit.ts";
import { UNREADABLE_TERMS } from "~/domain/rule-checks.ts";
import { carriesTerms } from "~/domain/amendment.ts";
import { appendOrganizationAudit, lockOrganization } from "~/models/organization-audit.server.ts";
import { termsBreaches } from "~/models/draft-access.server.ts";
import { storedOutcome, storedParties, storedSignatures, toStoredJson } from "~/models/stored-json.server.ts";

type VersionRow = Prisma.NoticeVersionGetPayload<object>;

function storedOf(row: VersionRow): StoredNoticeVersion {
  return {
    id: row.id,
    noticeId: row.noticeId,
    version: row.version,
    kind: row.kind,
    title: row.title,
    text: row.text,
    terms: row.terms,
    industry: row.industry,
    regionCode: row.regionCode,
    platformSlugs: row.platformSlugs,
    parties: storedParties(row.parties),
    signatures: storedSignatures(row.signatures),
    ratification: row.ratification,
    agreementHash: row.agreementHash,
    correctionReason: row.correctionReason,
    terminationGround: row.terminationGround,
    previousId: row.previousId,
    publishedAt: row.publishedAt,
    effectiveFrom: row.effectiveFrom,
    effectiveUntil: row.effectiveUntil,
    contentHash: row.contentHash,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/**
 * Appends a version to a series under its row lock: to `series.noticeId` (a correction's own
 * series, a renewal's), or to a new series created by this first publication (issue 18: a series
 * is its own id; industry, region and platforms only group it in lists).
 */
export async function appendVersion(tx: Tx, sessionId: string, series: { noticeId: string | null; industry: Industry; regionCode: string; platformSlugs: string[] }, content: Omit<NoticeContent, "noticeId" | "version" | "previousId">, at: Date) {
  const seriesKey = noticeSeriesKey(series.industry, series.regionCode, series.platformSlugs);
  const targetId = series.noticeId ?? newId();
  if (!series.noticeId) await tx.notice.create({ data: { id: targetId, seriesKey, industry: series.industry, regionCode: series.regionCode, platformSlugs: [...series.platformSlugs].sort(), createdAt: at } });
  // One writer per series at a time: the chain has no forks (the unique version also guards it).
  const [notice] = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM "Notice" WHERE id = ${targetId} FOR UPDATE`;
  if (!notice) throw new DomainError("series.unknown");
  const noticeId = notice.id;
  const last = await tx.noticeVersion.findFirst({ where: { noticeId }, orderBy: { version: "desc" }, select: { id: true, version: true, hash: true } });
  const full: NoticeContent = { ...content, noticeId, version: (last?.version ?? 0) + 1, previousId: last?.id ?? null };
  const contentHash = noticeContentHash(full);
  const prevHash = last?.hash ?? NOTICE_GENESIS_HASH;
  const id = newId();
  await tx.noticeVersion.create({
    data: {
      id,
      sessionId,
      ...full,
      terms: toStoredJson(full.terms),
      industry: full.industry as Industry,
      parties: toStoredJson(full.parties),
      signatures: toStoredJson(full.signatures),
      ratification: toStoredJson(full.ratification),
      contentHash,
      prevHash,
      hash: noticeChainHash(prevHash, contentHash),
    },
  });
  return { id, noticeId, version: full.version, hash: noticeChainHash(prevHash, contentHash) };
}

/** Why a session's approved agreement may not be published, or null (issue 18). */
export type PublicationRefusal = { reason: "unverifiedParty"; organizationIds: string[] } | { reason: "termsUnreadable" | "termsBreach" } | { reason: "seriesPartiesMissing"; slugs: string[] };

/**
 * The parties a renewal must include (issue 18, item 3): every party (not the observing bureau) of
 * the series' latest version. Those published since verification was required are all verified.
 */
export async function seriesPartySlugs(db: Tx, noticeId: string): Promise<string[] | null> {
  const latest = await db.noticeVersion.findFirst({ where: { noticeId }, orderBy: { version: "desc" }, select: { parties: true } });
  if (!latest) return null;
  return storedParties(latest.parties).filter((party) => party.role !== "OBSERVER").map((party) => party.slug);
}

/**
 * Publishes the agreement of a session once in force (第四十八条; called by the clock when it takes
 * effect, inside its transaction, and again when a verification clears the way): the ratified text and terms, the
 * signatures, the vote's tally, the dates, each party with its verification. Refused — recorded in
 * the session's chain and in each unverified party's — when a party is not verified, when the
 * terms cannot be read or breach a blocking check (recomputed here from the stored text), or when
 * a renewal lacks a party of the series it continues.
 */
export async function publishAgreementNotice(tx: Tx, sessionId: string, at: Date) {
  const session = await tx.bargainingSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: {
      id: true, title: true, industry: true, regionCode: true, effectiveFrom: true, effectiveUntil: true, plannedEffectiveFrom: true, continuesNoticeId: true, purpose: true, terminationGround: true, terminationReason: true,
      parties: { select: { role: true, covered: true, organization: { select: { id: true, slug: true, name: true, nameEn: true, type: true, verification: true, creditCode: true, verifiedAt: true } } } },
    },
  });
  const vote = await tx.ratificationVote.findFirst({ where: { sessionId, passed: true }, orderBy: { openedAt: "desc" }, include: { version: { select: { text: true, terms: true } } } });
  if (!vote || !session.effectiveFrom || !session.effectiveUntil) return null;
  const refuse = async (refusal: PublicationRefusal) => {
    await appendAudit(tx, sessionId, auditEvent("notice.publicationRefused", refusal), null, { ip: null, userAgent: null }, at);
    if (refusal.reason === "unverifiedParty") {
      for (const organizationId of refusal.organizationIds) {
        await lockOrganization(tx, organizationId);
        await appendOrganizationAudit(tx, organizationId, organizationAuditEvent("publication.refused", { sessionId, reason: refusal.reason }), null, { ip: null, userAgent: null }, at);
      }
    }
    const locked = await lockSession(tx, sessionId);
    await notify(tx, [...(await negotiatorsOf(tx, locked, ["WORKER", "EMPLOYER", "OBSERVER"])), ...chiefsOf(locked)], sessionId, "notice.publicationRefused", { reason: refusal.reason });
    return null;
  };
  const unverified = session.parties.filter((party) => party.organization.verification !== "VERIFIED").map((party) => party.organization.id);
  if (unverified.length > 0) return refuse({ reason: "unverifiedParty", organizationIds: unverified });
  // A termination carries no terms of its own; agreements and amendments pass every check again.
  const breaches = carriesTerms(session.purpose) ? termsBreaches(vote.version.terms, session) : [];
  if (breaches.some((breach) => breach.id === UNREADABLE_TERMS.id)) return refuse({ reason: "termsUnreadable" });
  if (breaches.length > 0) return refuse({ reason: "termsBreach" });
  if (session.continuesNoticeId) {
    const required = (await seriesPartySlugs(tx, session.continuesNoticeId)) ?? [];
    const mine = new Set(session.parties.map((party) => party.organization.slug));
    const missing = required.filter((slug) => !mine.has(slug));
    if (missing.length > 0) return refuse({ reason: "seriesPartiesMissing", slugs: missing });
  }
  const signatureRows = await tx.agreementSignature.findMany({ where: { voteId: vote.id }, orderBy: { side: "asc" }, select: { side: true, signedAt: true, contentHash: true, userId: true, user: { select: { displayName: true } } } });
  const seats = await tx.seat.findMany({ where: { sessionId, userId: { in: signatureRows.map((row) => row.userId) }, isChief: true }, select: { userId: true, organization: { select: { name: true } } } });
  const signatures: NoticeSignature[] = signatureRows.map((row) => ({
    side: row.side,
    name: row.user.displayName,
    organization: seats.find((seat) => seat.userId === row.userId)?.organization?.name ?? null,
    signedAt: row.signedAt.toISOString(),
    contentHash: row.contentHash,
  }));
  const parties: NoticeParty[] = session.parties.map((party) => ({
    slug: party.organization.slug,
    name: party.organization.name,
    nameEn: party.organization.nameEn,
    type: party.organization.type,
    role: party.covered ? "COVERED" : party.role,
    verification: { status: party.organization.verification, creditCode: party.organization.creditCode, verifiedAt: party.organization.verifiedAt?.toISOString() ?? null },
  }));
  // The platforms the agreement covers: the enterprises named as covered, and every platform that is
  // a party on the employer side (issue 23: a rider finds the rules of the platform they ride for).
  const platformSlugs = [...new Set(session.parties.filter((party) => party.covered || (party.role === "EMPLOYER" && party.organization.type === "PLATFORM")).map((party) => party.organization.slug))].sort();
  const outcome = storedOutcome(vote.outcome);
  const kind = session.purpose === "AMENDMENT" ? "AMENDMENT" : session.purpose === "TERMINATION" ? "TERMINATION" : "AGREEMENT";
  // An amendment or a termination is published under the title of the agreement it changes or ends.
  const continued = kind !== "AGREEMENT" && session.continuesNoticeId ? await tx.noticeVersion.findFirst({ where: { noticeId: session.continuesNoticeId }, orderBy: { version: "desc" }, select: { title: true } }) : null;
  const published = await appendVersion(
    tx,
    sessionId,
    { noticeId: session.continuesNoticeId, industry: session.industry, regionCode: session.regionCode, platformSlugs },
    {
      kind,
      title: continued?.title ?? session.title,
      text: vote.version.text,
      terms: kind === "TERMINATION" ? {} : vote.version.terms,
      industry: session.industry,
      regionCode: session.regionCode,
      platformSlugs,
      parties,
      signatures,
      ratification: { scope: vote.scope, secret: vote.secret, closedAt: vote.closedAt?.toISOString() ?? null, tally: outcome?.tally ?? null, rule: outcome?.rule ?? null },
      agreementHash: vote.contentHash,
      // A termination says why the agreement no longer applies (第四十条): its ground and the parties' reason.
      correctionReason: kind === "TERMINATION" ? session.terminationReason : null,
      ...(kind === "TERMINATION" ? { terminationGround: session.terminationGround } : {}),
      publishedAt: at,
      effectiveFrom: session.effectiveFrom,
      effectiveUntil: session.effectiveUntil,
    },
    at,
  );
  await appendAudit(
    tx,
    sessionId,
    auditEvent("notice.published", { noticeId: published.noticeId, noticeVersionId: published.id, version: published.version, kind, hash: published.hash, effectiveFrom: session.effectiveFrom.toISOString() }),
    null,
    { ip: null, userAgent: null },
    at,
  );
  const locked = await lockSession(tx, sessionId);
  await notify(tx, [...(await negotiatorsOf(tx, locked, ["WORKER", "EMPLOYER", "OBSERVER"])), ...chiefsOf(locked)], sessionId, "notice.published", { href: `/notices/${published.noticeId}/v/${published.version}` });
  return published;
}

/**
 * After an organization is verified: publishes the in-force agreements of its sessions that were
 * held back only because a party was not verified (each in its own transaction, under the clock's
 * rules; a session still missing a verification stays unpublished).
 */
export async function publishNoticesWaitingFor(organizationId: string, at: Date) {
  const waiting = await getDb().bargainingSession.findMany({
    where: { OR: [{ state: { in: ["IN_FORCE", "RENEWAL_REQUESTED"] } }, { state: "TERMINATED", purpose: "TERMINATION" }], parties: { some: { organizationId } }, noticeVersions: { none: {} } },
    select: { id: true, parties: { select: { organization: { select: { verification: true } } } } },
  });
  for (const session of waiting) {
    if (session.parties.some((party) => party.organization.verification !== "VERIFIED")) continue;
    await getDb().$transaction(async (tx) => {
      await lockSession(tx, session.id);
      if (await tx.noticeVersion.findFirst({ where: { sessionId: session.id }, select: { id: true } })) return;
      await publishAgreementNotice(tx, session.id, at);
    });
  }
}

/** The series an actor's organizations are parties of: what a renewal may continue (the proposal form). */
export async function listRenewableSeries(organizationIds: string[]) {
  if (organizationIds.length === 0) return [];
  const versions = await getDb().noticeVersion.findMany({
    where: { session: { parties: { some: { organizationId: { in: organizationIds }, role: { not: "OBSERVER" } } } } },
    orderBy: { publishedAt: "desc" },
    distinct: ["noticeId"],
    take: 100,
    select: { noticeId: true, title: true, version: true, publishedAt: true },
  });
  return versions;
}

/** Text for Prisma's `contains` (ILIKE '%…%', escape character \\) that matches only itself. */
export function literalLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/**
 * What changed from one version to the next, computed once per pair: published versions never
 * change, so the comparison (bounded, app/domain/draft-text.ts) is kept in a small LRU cache.
 */
const changesCache = new LRUCache<string, WhatChanged>({ max: 500 });
function changesOf(previous: { id: string; text: string; terms: unknown } | null, row: { id: string; text: string; terms: unknown }): WhatChanged {
  const key = `${previous?.id ?? "-"}>${row.id}`;
  let changes = changesCache.get(key);
  if (!changes) {
    changes = whatChanged(previous ? { text: previous.text, terms: previous.terms } : null, { text: row.text, terms: row.terms });
    changesCache.set(key, changes);
  }
  return changes;
}

// ─── Public reads ───────────────────────────────────────────────────────────────────────────

export type NoticeFilters = { industry?: Industry; regionCode?: string; platform?: string; q?: string };

const listSelect = {
  id: true, noticeId: true, version: true, kind: true, title: true, industry: true, regionCode: true, platformSlugs: true, parties: true,
  publishedAt: true, effectiveFrom: true, effectiveUntil: true, hash: true,
} satisfies Prisma.NoticeVersionSelect;

/** Latest version of every series matching the filters, newest publication first. */
export async function listNotices(options: { filters: NoticeFilters; now?: Date; take?: number }) {
  const { filters } = options;
  const now = options.now ?? new Date();
  const where: Prisma.NoticeVersionWhereInput = {
    ...(filters.industry ? { industry: filters.industry } : {}),
    ...(filters.regionCode ? { regionCode: filters.regionCode } : {}),
    ...(filters.platform ? { platformSlugs: { has: filters.platform } } : {}),
    // The search text is matched literally: LIKE's wildcards (% and _) and its escape are escaped.
    ...(filters.q ? { OR: [{ title: { contains: literalLike(filters.q), mode: "insensitive" } }, { text: { contains: literalLike(filters.q), mode: "insensitive" } }] } : {}),
    // Only each series' latest version; older ones are reached from it.
    next: { is: null },
  };
  const rows = await getDb().noticeVersion.findMany({ where, orderBy: { publishedAt: "desc" }, take: options.take ?? 50, select: listSelect });
  const versionsBySeries = await getDb().noticeVersion.findMany({ where: { noticeId: { in: rows.map((row) => row.noticeId) } }, select: { noticeId: true, version: true, kind: true, effectiveFrom: true, effectiveUntil: true } });
  return rows.map((row) => ({ ...row, parties: storedParties(row.parties), status: noticeStatus(row, versionsBySeries.filter((other) => other.noticeId === row.noticeId), now) }));
}

/** Every version of one series in order, or null when there is no such notice. */
async function seriesVersions(noticeId: string): Promise<VersionRow[] | null> {
  const rows = await getDb().noticeVersion.findMany({ where: { noticeId }, orderBy: { version: "asc" } });
  return rows.length ? rows : null;
}

/** Distinct filter values that exist, for the search form. */
export async function noticeFacets() {
  const rows = await getDb().notice.findMany({ select: { industry: true, regionCode: true, platformSlugs: true } });
  const platformSlugs = [...new Set(rows.flatMap((row) => row.platformSlugs))].sort();
  const platforms = await getDb().organization.findMany({ where: { slug: { in: platformSlugs } }, select: { slug: true, name: true, nameEn: true } });
  return {
    industries: [...new Set(rows.map((row) => row.industry))].sort(),
    regionCodes: [...new Set(rows.map((row) => row.regionCode))].sort(),
    platforms: platformSlugs.map((slug) => platforms.find((platform) => platform.slug === slug) ?? { slug, name: slug, nameEn: null }),
  };
}

/** One version with its neighbours, its status and what changed against the one before. */
export async function getNoticeVersion(options: { noticeId: string; version?: number; now?: Date }) {
  const now = options.now ?? new Date();
  const rows = await seriesVersions(options.noticeId);
  if (!rows) throw new DomainError("notFound");
  const row = options.version === undefined ? rows[rows.length - 1]! : rows.find((candidate) => candidate.version === options.version);
  if (!row) throw new DomainError("notFound");
  const previous = row.previousId ? rows.find((candidate) => candidate.id === row.previousId) ?? null : null;
  const feedbackCount = await getDb().noticeFeedback.count({ where: { noticeVersionId: row.id, status: { not: "REJECTED" } } });
  return {
    version: storedOf(row),
    previous: previous ? { version: previous.version, terms: previous.terms, publishedAt: previous.publishedAt, effectiveFrom: previous.effectiveFrom } : null,
    versions: rows.map((candidate) => ({ version: candidate.version, kind: candidate.kind, publishedAt: candidate.publishedAt, effectiveFrom: candidate.effectiveFrom, effectiveUntil: candidate.effectiveUntil, hash: candidate.hash, status: noticeStatus(candidate, rows, now) })),
    status: noticeStatus(row, rows, now),
    latest: rows[rows.length - 1]!.version,
    changes: changesOf(previous, row),
    // Open for the whole term of the latest version (issue 20, item 3).
    feedbackOpen: now < row.effectiveUntil && row.id === rows[rows.length - 1]!.id,
    feedbackCount,
  };
}

/** The version of one series in force on a date (null when none was). */
export async function noticeInForceOn(options: { noticeId: string; date: Date }) {
  const rows = await seriesVersions(options.noticeId);
  if (!rows) throw new DomainError("notFound");
  const row = versionInForceOn(rows, options.date);
  return row ? storedOf(row) : null;
}

/** For every series matching the filters, the version in force on a date. */
export async function noticesInForceOn(options: { date: Date; filters: NoticeFilters }) {
  const { filters, date } = options;
  // The version in force per series, chosen in one statement (the rule of `versionInForceOn`:
  // the latest to have taken effect by `date`, ties to the higher version, none if it had expired),
  // reading only the key columns; the full rows are read for the chosen ones only (decision 025).
  // A unit test holds this to versionInForceOn on generated series.
  const chosen = await getDb().$queryRaw<Array<{ id: string }>>`
    SELECT id FROM (
      SELECT DISTINCT ON ("noticeId") id, "noticeId", "effectiveUntil"
      FROM "NoticeVersion"
      WHERE "effectiveFrom" <= ${date}
        ${filters.industry ? Prisma.sql`AND industry = ${filters.industry}::"Industry"` : Prisma.empty}
        ${filters.regionCode ? Prisma.sql`AND "regionCode" = ${filters.regionCode}` : Prisma.empty}
        ${filters.platform ? Prisma.sql`AND ${filters.platform} = ANY("platformSlugs")` : Prisma.empty}
      ORDER BY "noticeId", "effectiveFrom" DESC, version DESC
    ) best
    WHERE ${date} < "effectiveUntil"
    ORDER BY "noticeId"
    LIMIT 2000`;
  if (chosen.length === 0) return [];
  const full = await getDb().noticeVersion.findMany({ where: { id: { in: chosen.map((row) => row.id) } }, orderBy: { noticeId: "asc" } });
  return full.map(storedOf);
}

/** Whether a platform of this short name exists (a feed for an unknown one is a 404, issue 23). */
export async function platformExists(slug: string): Promise<boolean> {
  return (await getDb().organization.count({ where: { slug, type: "PLATFORM" } })) > 0;
}

/** Recomputes a series' hash chain from the stored rows. */
export async function verifyNotice(options: { noticeId: string }) {
  const rows = await seriesVersions(options.noticeId);
  if (!rows) throw new DomainError("notFound");
  const versions = rows.map(storedOf);
  return { verdict: verifyNoticeChain(versions), versions };
}

/** Versions published since a date for a feed (newest first). */
export async function feedEntries(options: { filters: NoticeFilters; take?: number }) {
  const { filters } = options;
  return getDb().noticeVersion.findMany({
    where: {
      ...(filters.industry ? { industry: filters.industry } : {}),
      ...(filters.regionCode ? { regionCode: filters.regionCode } : {}),
      ...(filters.platform ? { platformSlugs: { has: filters.platform } } : {}),
    },
    orderBy: { publishedAt: "desc" },
    take: options.take ?? 50,
    select: { ...listSelect, kind: true, correctionReason: true },
  });
}

/** ETag material for a series (any new version changes it) or for a list (the newest publication). */
export async function seriesStamp(noticeId: string): Promise<string | null> {
  const last = await getDb().noticeVersion.findFirst({ where: { noticeId }, orderBy: { version: "desc" }, select: { hash: true } });
  return last?.hash ?? null;
}

export async function listStamp(): Promise<string> {
  const [last, count] = await Promise.all([getDb().noticeVersion.findFirst({ orderBy: { publishedAt: "desc" }, select: { hash: true } }), getDb().noticeVersion.count()]);
  return `${last?.hash ?? "none"}:${count}`;
}

