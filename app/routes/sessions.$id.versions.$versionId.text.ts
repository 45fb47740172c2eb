/**
 * One saved version's text as a file: offered on the versions page when two versions differ too
 * much to compare inline (issue 19, item 3). For those who may see the session's draft; "not
 * found" for everyone else.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/auth/actor.server.ts";
import { DomainError } from "~/domain/errors.ts";
import { idSchema } from "~/domain/validation.ts";
import { runLoader, sessionIdParam } from "~/http/forms.server.ts";
import { versionText } from "~/models/draft-version.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireActor(request);
  return runLoader(async () => {
    const sessionId = sessionIdParam(params);
    const versionId = idSchema.safeParse(params.versionId);
    if (!versionId.success) throw new DomainError("notFound");
    const { text } = await versionText({ actor, sessionId, versionId: versionId.data });
    return new Response(text, {
      headers: { "Content-Type": "text/plain; charset=utf-8", "Content-Disposition": `attachment; filename="version-${versionId.data}.txt"`, "Cache-Control": "private, no-store" },
    });
  });
}
