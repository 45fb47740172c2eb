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
    return json(
      { sessionId: parsed.data, me: { name: user.displayName, side: header.side }, capabilities: header.capabilities, ruleContext: header.ruleContext },
      { headers: { "Cache-Control": "private, no-store" } },
    );
  });
}

export default function DraftPage() {
  const { sessionId, me, ruleContext } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  // The editor needs the browser (WebSocket, DOM selection); the page itself renders on the server.
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return (
    <>
      <h1>{t("draft.title")}</h1>
      {mounted ? <DraftEditor sessionId={sessionId} me={me} ruleContext={ruleContext} /> : <p role="status">{t("draft.status.connecting")}</p>}
    </>
  );
}
