/** A case's photo (re-encoded on receipt, no metadata), for those who may see the case. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { DomainError } from "~/domain/errors.ts";
import { idSchema } from "~/domain/validation.ts";
import { runLoader } from "~/http/forms.server.ts";
import { requireActor } from "~/auth/actor.server.ts";
import { casePhoto } from "~/models/complaint.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireActor(request);
  return runLoader(async () => {
    const caseId = idSchema.safeParse(params.id);
    const photoId = idSchema.safeParse(params.photoId);
    if (!caseId.success || !photoId.success) throw new DomainError("notFound");
    const photo = await casePhoto({ actor, caseId: caseId.data, photoId: photoId.data });
    return new Response(photo.bytes, {
      headers: { "Content-Type": photo.contentType, "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff", "Content-Disposition": "inline" },
    });
  });
}
