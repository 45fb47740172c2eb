/**
 * HTTP details of the public notice pages, API and feeds: caching (ETag from what the response
 * says, public for anonymous readers, private for signed-in ones whose header differs), and the
 * query parameters shared by the list, the API and the feeds, parsed with zod.
 * Conditional requests are answered 304 by server.ts (`conditionalGet`). Decision 016.
 */
import { z } from "zod";
import { sha256Hex } from "~/domain/hash.ts";
import { REGION_CODES } from "~/domain/regions.ts";
import { INDUSTRIES } from "~/domain/session-topics.ts";
import type { NoticeFilters } from "~/models/notice.server.ts";

/** Changes when this process starts (a deploy), so that cached pages built by an older release are revalidated. */
const RELEASE = process.env.XS_RELEASE ?? String(Date.now());

const SESSION_COOKIE = "xs_session";

function hasSessionCookie(request: Request): boolean {
  return (request.headers.get("Cookie") ?? "").split(";").some((part) => part.trim().startsWith(`${SESSION_COOKIE}=`));
}

/**
 * Cache headers for a public response whose content is fully described by `parts`. Anonymous
 * readers (riders on a phone, proxies, feed readers) get a shared-cacheable response with an ETag;
 * a signed-in reader's page carries their name in the header, so theirs stays private.
 */
export function publicCacheHeaders(request: Request, parts: ReadonlyArray<string | number | null | undefined>, maxAgeSeconds = 60): Headers {
  const headers = new Headers({ Vary: "Cookie, Accept-Language" });
  if (hasSessionCookie(request)) {
    headers.set("Cache-Control", "private, no-cache");
    return headers;
  }
  headers.set("Cache-Control", `public, max-age=${maxAgeSeconds}, stale-while-revalidate=600`);
  headers.set("ETag", `W/"${sha256Hex([RELEASE, ...parts.map((part) => String(part ?? ""))].join("\u0000")).slice(0, 40)}"`);
  return headers;
}

/** Machine-readable responses are the same for everyone: always public, always with an ETag. */
export function apiCacheHeaders(parts: ReadonlyArray<string | number | null | undefined>, contentType: string, maxAgeSeconds = 60): Headers {
  return new Headers({
    "Content-Type": contentType,
    "Cache-Control": `public, max-age=${maxAgeSeconds}, stale-while-revalidate=600`,
    ETag: `W/"${sha256Hex([RELEASE, ...parts.map((part) => String(part ?? ""))].join("\u0000")).slice(0, 40)}"`,
    // Anyone may read these from their own site or tool.
    "Access-Control-Allow-Origin": "*",
  });
}

const slug = z.string().regex(/^[a-z0-9-]{1,64}$/);

export const noticeFilterSchema = z.object({
  industry: z.enum(INDUSTRIES).optional().catch(undefined),
  region: z.enum(REGION_CODES).optional().catch(undefined),
  platform: slug.optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
});

/** Filters from a URL's query; unknown or malformed values are ignored (an empty filter, not an error). */
export function filtersFrom(url: URL): NoticeFilters & { region?: string } {
  const raw = Object.fromEntries([...url.searchParams.entries()].filter(([, value]) => value !== ""));
  const parsed = noticeFilterSchema.parse(raw);
  return { industry: parsed.industry, regionCode: parsed.region, platform: parsed.platform, q: parsed.q || undefined };
}

/** The search text's bound, in characters (a longer text is refused with a message, never silently ignored). */
export const SEARCH_MAX_CHARS = 100;

/**
 * Filters validated as the README documents them (issue 23): an unknown industry or region, a
 * malformed platform, or search text over `SEARCH_MAX_CHARS` is a field error, never a silent
 * "everything". The first error's field and message key, with its values.
 */
export function strictFiltersFrom(url: URL): { ok: true; filters: NoticeFilters } | { ok: false; field: string; key: string; values?: Record<string, number> } {
  const value = (name: string) => url.searchParams.get(name)?.trim() || undefined;
  const industry = value("industry");
  if (industry !== undefined && !(INDUSTRIES as readonly string[]).includes(industry)) return { ok: false, field: "industry", key: "notice.badIndustry" };
  const region = value("region");
  if (region !== undefined && !(REGION_CODES as readonly string[]).includes(region)) return { ok: false, field: "region", key: "notice.badRegion" };
  const platform = value("platform");
  if (platform !== undefined && !slug.safeParse(platform).success) return { ok: false, field: "platform", key: "notice.badPlatform" };
  const q = value("q");
  if (q !== undefined && [...q].length > SEARCH_MAX_CHARS) return { ok: false, field: "q", key: "notice.searchTooLong", values: { max: SEARCH_MAX_CHARS } };
  return { ok: true, filters: { industry: industry as NoticeFilters["industry"], regionCode: region, platform, q } };
}

/** Whether YYYY-MM-DD names a day of the calendar (2026-02-31 does not; JavaScript would roll it over). */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A calendar date (YYYY-MM-DD) read as the start of that day in China time; null when malformed or not a real day. */
export function parseChinaDate(value: string | null): Date | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value) || !isCalendarDate(value)) return null;
  const date = new Date(`${value}T00:00:00+08:00`);
  return Number.isNaN(date.getTime()) ? null : date;
}

export const noticeIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
export const versionNumberSchema = z.coerce.number().int().min(1).max(100_000);

/** A date for "in force on": YYYY-MM-DD (00:00 China time that day) or a full ISO 8601 instant. */
export function parseInForceDate(value: string | null): Date | null {
  if (!value) return null;
  const day = parseChinaDate(value);
  if (day) return day;
  if (!/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || !isCalendarDate(value)) return null;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? null : instant;
}
