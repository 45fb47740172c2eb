/** GET /api/notices/:id/in-force?date=YYYY-MM-DD: the version of this series in force on that date (null when none). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { DomainError } from "~/domain/errors.ts";
import { failureFromError, localizedFailure } from "~/http/forms.server.ts";
import { noticeInForceOn, seriesStamp } from "~/models/notice.server.ts";
import { badQuery, cachedJson, versionJson } from "~/notices/api.server.ts";
import { noticeIdSchema, parseInForceDate } from "~/notices/http.server.ts";
import { publicOrigin } from "~/infra/env.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const id = noticeIdSchema.safeParse(params.id);
  if (!id.success) return localizedFailure(request, failureFromError(new DomainError("notFound")), 404);
  const date = parseInForceDate(url.searchParams.get("date"));
  if (!date) return badQuery(request, "date", "notice.badDate");
  try {
    const version = await noticeInForceOn({ noticeId: id.data, date });
    return cachedJson({ date: date.toISOString(), inForce: version ? versionJson(version, publicOrigin()) : null }, ["api-in-force-one", await seriesStamp(id.data), date.toISOString()]);
  } catch (error) {
    if (error instanceof DomainError) return localizedFailure(request, failureFromError(error), error.status);
    throw error;
  }
}
