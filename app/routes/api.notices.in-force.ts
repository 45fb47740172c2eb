/** GET /api/notices/in-force?date=YYYY-MM-DD[&industry&region&platform]: every series' version in force on that date. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { listStamp, noticesInForceOn } from "~/models/notice.server.ts";
import { badQuery, cachedJson, versionJson } from "~/notices/api.server.ts";
import { strictFiltersFrom, parseInForceDate } from "~/notices/http.server.ts";
import { publicOrigin } from "~/infra/env.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const date = parseInForceDate(url.searchParams.get("date"));
  if (!date) return badQuery(request, "date", "notice.badDate");
  const checked = strictFiltersFrom(url);
  if (!checked.ok) return badQuery(request, checked.field, checked.key, checked.values);
  const filters = checked.filters;
  const versions = await noticesInForceOn({ date, filters });
  return cachedJson({ date: date.toISOString(), filters, notices: versions.map((version) => versionJson(version, publicOrigin())) }, ["api-in-force", await listStamp(), url.search]);
}
