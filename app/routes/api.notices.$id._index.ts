/** GET /api/notices/:id: one notice series, its versions (summaries) and which is in force now. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { DomainError } from "~/domain/errors.ts";
import { localizedFailure, failureFromError } from "~/http/forms.server.ts";
import { noticeComplaintFigures } from "~/models/complaint.server.ts";
import { getNoticeVersion } from "~/models/notice.server.ts";
import { cachedJson } from "~/notices/api.server.ts";
import { noticeIdSchema } from "~/notices/http.server.ts";
import { publicOrigin } from "~/infra/env.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = noticeIdSchema.safeParse(params.id);
  if (!id.success) return localizedFailure(request, failureFromError(new DomainError("notFound")), 404);
  try {
    const view = await getNoticeVersion({ noticeId: id.data });
    // Complaints per clause (issue 25, item 3): counts under 5 as {"fewerThan": 5}, the median only over 5 answered.
    const complaints = view.version.kind === "TERMINATION" ? [] : await noticeComplaintFigures(id.data, view.version.terms);
    return cachedJson(
      {
        noticeId: id.data,
        title: view.version.title,
        industry: view.version.industry,
        regionCode: view.version.regionCode,
        platforms: view.version.platformSlugs,
        latest: view.latest,
        complaintFigures: complaints,
        versions: view.versions.map((row) => ({ ...row, links: { json: `${publicOrigin()}/api/notices/${id.data}/versions/${row.version}`, html: `${publicOrigin()}/notices/${id.data}/v/${row.version}` } })),
      },
      ["api-series", view.version.hash, view.versions.map((row) => row.status).join(","), JSON.stringify(complaints)],
    );
  } catch (error) {
    if (error instanceof DomainError) return localizedFailure(request, failureFromError(error), error.status);
    throw error;
  }
}
