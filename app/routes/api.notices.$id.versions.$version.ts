/** GET /api/notices/:id/versions/:version: one version, full (terms, algorithm register, signatures, vote, hashes, what changed). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { DomainError } from "~/domain/errors.ts";
import { failureFromError, localizedFailure } from "~/http/forms.server.ts";
import { getNoticeVersion } from "~/models/notice.server.ts";
import { cachedJson, versionJson } from "~/notices/api.server.ts";
import { noticeIdSchema, versionNumberSchema } from "~/notices/http.server.ts";
import { publicOrigin } from "~/infra/env.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = noticeIdSchema.safeParse(params.id);
  const number = versionNumberSchema.safeParse(params.version);
  if (!id.success || !number.success) return localizedFailure(request, failureFromError(new DomainError("notFound")), 404);
  try {
    const view = await getNoticeVersion({ noticeId: id.data, version: number.data });
    return cachedJson(versionJson(view.version, publicOrigin(), { status: view.status, latest: view.latest, whatChanged: view.changes }), ["api-version", view.version.hash, view.status, view.latest]);
  } catch (error) {
    if (error instanceof DomainError) return localizedFailure(request, failureFromError(error), error.status);
    throw error;
  }
}
