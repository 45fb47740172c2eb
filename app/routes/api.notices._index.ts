/** GET /api/notices: the latest version of every notice series, filtered by industry, region, platform, keywords. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { listNotices, listStamp } from "~/models/notice.server.ts";
import { badQuery, cachedJson } from "~/notices/api.server.ts";
import { strictFiltersFrom } from "~/notices/http.server.ts";
import { publicOrigin } from "~/infra/env.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const checked = strictFiltersFrom(url);
  if (!checked.ok) return badQuery(request, checked.field, checked.key, checked.values);
  const filters = checked.filters;
  const [notices, stamp] = await Promise.all([listNotices({ filters, take: 200 }), listStamp()]);
  const body = {
    filters,
    notices: notices.map((notice) => ({
      noticeId: notice.noticeId,
      version: notice.version,
      kind: notice.kind,
      title: notice.title,
      industry: notice.industry,
      regionCode: notice.regionCode,
      platforms: notice.platformSlugs,
      status: notice.status,
      publishedAt: notice.publishedAt.toISOString(),
      effectiveFrom: notice.effectiveFrom.toISOString(),
      effectiveUntil: notice.effectiveUntil.toISOString(),
      hash: notice.hash,
      links: { html: `${publicOrigin()}/notices/${notice.noticeId}`, json: `${publicOrigin()}/api/notices/${notice.noticeId}/versions/${notice.version}` },
    })),
  };
  return cachedJson(body, ["api-list", stamp, url.search, notices.map((notice) => notice.status).join(",")]);
}
