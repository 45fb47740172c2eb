import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { requireActor } from "~/auth/actor.server.ts";
import { DraftEditor } from "~/collab/DraftEditor.tsx";
import { DomainError } from "~/domain/errors.ts";
import { idSchema } from "~/domain/validation.ts";
import { runLoader } from "~/http/forms.server.ts";
import { getDraftHeader } from "~/models/draft-access.server.ts";
import { getVersion } from "~/models/draft-version.server.ts";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: "draft.title" };

export function headers() {
  return { "Cache-Control": "private, no-store" };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, user } = await requireActor(request);
  return runLoader(async () => {
    const parsed = idSchema.safeParse(params.id);
    if (!parsed.success) throw new DomainError("notFound");
    const header = await getDraftHeader({ actor, sessionId: parsed.data });
    if (!header) throw new DomainError("notFound");
    // A version to restore, chosen on the versions page (?restore=): offered to an editor only, and confirmed here.
    const restoreParam = new URL(request.url).searchParams.get("restore");
    const restoreId = restoreParam === null ? null : idSchema.safeParse(restoreParam);
    if (restoreId && !restoreId.success) throw new DomainError("notFound");
    const toRestore = restoreId?.success && header.capabilities.edit ? await getVersion({ actor, sessionId: parsed.data, versionId: restoreId.data }) : null;
    return json(
      {
        sessionId: parsed.data,
        me: { name: user.displayName, side: header.side },
        capabilities: header.capabilities,
        ruleContext: header.ruleContext,
        restore: toRestore ? { id: toRestore.id, name: toRestore.roundNumber ? null : toRestore.name, roundNumber: toRestore.roundNumber } : null,
      },
      { headers: { "Cache-Control": "private, no-store" } },
    );
  });
}

export default function DraftPage() {
  const { sessionId, me, ruleContext, restore } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  // The editor needs the browser (WebSocket, DOM selection); the page itself renders on the server.
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return (
    <>
      <h1>{t("draft.title")}</h1>
      {mounted ? <DraftEditor sessionId={sessionId} me={me} ruleContext={ruleContext} restore={restore} /> : <p role="status">{t("draft.status.connecting")}</p>}
    </>
  );
}
