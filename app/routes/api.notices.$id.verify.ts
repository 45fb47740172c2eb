/** GET /api/notices/:id/verify: every version's hashes recomputed from the stored rows, and the signatures. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { DomainError } from "~/domain/errors.ts";
import { failureFromError, localizedFailure } from "~/http/forms.server.ts";
import { verifyNotice } from "~/models/notice.server.ts";
import { cachedJson } from "~/notices/api.server.ts";
import { noticeIdSchema } from "~/notices/http.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = noticeIdSchema.safeParse(params.id);
  if (!id.success) return localizedFailure(request, failureFromError(new DomainError("notFound")), 404);
  try {
    const { verdict, versions } = await verifyNotice({ noticeId: id.data });
    const body = {
      noticeId: id.data,
      ok: verdict.ok,
      brokenAt: verdict.brokenAt,
      algorithm: "contentHash = SHA-256(canonical JSON of the version's content); hash = SHA-256(prevHash + '\\n' + contentHash); the first prevHash is 64 zeros",
      versions: verdict.versions.map((check) => {
        const stored = versions.find((version) => version.version === check.version)!;
        // Provenance: each party as published, with its verification status and credit code (issue 18).
        return { ...check, storedContentHash: stored.contentHash, storedPrevHash: stored.prevHash, storedHash: stored.hash, signatures: stored.signatures, parties: stored.parties };
      }),
    };
    return cachedJson(body, ["api-verify", JSON.stringify(verdict)]);
  } catch (error) {
    if (error instanceof DomainError) return localizedFailure(request, failureFromError(error), error.status);
    throw error;
  }
}
