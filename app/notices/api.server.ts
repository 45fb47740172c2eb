/**
 * The JSON shape of public notices (README, "JSON API"): one version with its structured terms, the
 * algorithm register, signatures, the vote, the dates and the hashes. Stable field names; a
 * consumer can recompute `contentHash` and `hash` with app/domain/notice.ts.
 */
import { json } from "@remix-run/node";
import type { StoredNoticeVersion } from "~/domain/notice.ts";
import { localizedFailure } from "~/http/forms.server.ts";
import { apiCacheHeaders } from "~/notices/http.server.ts";

export const NOTICE_JSON_SCHEMA = "xieshang.notice/1";

export function versionJson(version: StoredNoticeVersion, origin: string, extra: Record<string, unknown> = {}) {
  const terms = (version.terms ?? {}) as Record<string, unknown>;
  return {
    schema: NOTICE_JSON_SCHEMA,
    noticeId: version.noticeId,
    version: version.version,
    kind: version.kind,
    title: version.title,
    industry: version.industry,
    regionCode: version.regionCode,
    platforms: version.platformSlugs,
    parties: version.parties,
    publishedAt: version.publishedAt.toISOString(),
    effectiveFrom: version.effectiveFrom.toISOString(),
    effectiveUntil: version.effectiveUntil.toISOString(),
    correctionReason: version.correctionReason,
    // Part of the content hash only when present (app/domain/notice.ts).
    terminationGround: version.terminationGround ?? null,
    previousId: version.previousId,
    text: version.text,
    terms,
    algorithmRegister: Array.isArray(terms.algorithms) ? terms.algorithms : [],
    signatures: version.signatures,
    ratification: version.ratification,
    agreementHash: version.agreementHash,
    contentHash: version.contentHash,
    prevHash: version.prevHash,
    hash: version.hash,
    id: version.id,
    links: {
      html: `${origin}/notices/${version.noticeId}/v/${version.version}`,
      json: `${origin}/api/notices/${version.noticeId}/versions/${version.version}`,
      verify: `${origin}/api/notices/${version.noticeId}/verify`,
    },
    ...extra,
  };
}

/** A JSON response that shared caches may keep and revalidate by ETag (answered 304 by server.ts). */
export function cachedJson(body: unknown, parts: ReadonlyArray<string | number | null | undefined>, maxAgeSeconds = 60) {
  return json(body, { headers: apiCacheHeaders(parts, "application/json; charset=utf-8", maxAgeSeconds) });
}

/** A localized 400 for a malformed query parameter, changing nothing. */
export async function badQuery(request: Request, field: string, key = "validation.invalid", values?: Record<string, number>) {
  return localizedFailure(request, { ok: false, formError: null, fieldErrors: { [field]: [{ key, ...(values ? { values } : {}) }] }, values: {} }, 400);
}
