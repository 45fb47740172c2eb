import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireActor } from "~/auth/actor.server.ts";
import { FormError, MessageText } from "~/components/forms.tsx";
import { formatDateTime } from "~/components/names.ts";
import { DomainError } from "~/domain/errors.ts";
import { caucusNoteSchema, SESSION_LIMITS, sideParamSchema } from "~/domain/session-validation.ts";
import { idSchema } from "~/domain/validation.ts";
import { formFailure, parseFormData, runAction, runLoader, type FormFailure } from "~/http/forms.server.ts";
import { addCaucusNote, listCaucusNotes } from "~/models/session.server.ts";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: ({ data, t }) => t("caucus.title", { side: t(`side.${(data as { side: string }).side}`) }) };

/** Bad ids and sides are "not found", like sessions one may not see. */
function parseParams(params: { id?: string; side?: string }) {
  const id = idSchema.safeParse(params.id);
  const side = sideParamSchema.safeParse(params.side);
  if (!id.success || !side.success) throw new DomainError("notFound");
  return { sessionId: id.data, side: side.data };
}

/** Session pages are private to their members: never stored by a browser cache or a proxy. */
export function headers() {
  return { "Cache-Control": "private, no-store" };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireActor(request);
  return runLoader(async () => {
    const { sessionId, side } = parseParams(params);
    const caucus = await listCaucusNotes({ actor, sessionId, side });
    // Private: never cached by a browser or proxy.
    return json({ side, notes: caucus.notes }, { headers: { "Cache-Control": "private, no-store" } });
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await requireActor(request);
  const formData = await request.formData();
  const parsed = parseFormData(formData, caucusNoteSchema);
  if (!parsed.ok) return formFailure(parsed);
  return runAction(formData, async () => {
    const { sessionId, side } = parseParams(params);
    await addCaucusNote({ actor, sessionId, side, body: parsed.data.body });
    return redirect(`/sessions/${sessionId}/caucus/${side.toLowerCase()}`);
  });
}

export default function Caucus() {
  const { side, notes } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as FormFailure | undefined;
  const { t, i18n } = useTranslation();
  return (
    <>
      <h1>{t("caucus.title", { side: t(`side.${side}`) })}</h1>
      <p className="notice">{t("caucus.privacy", { side: t(`side.${side}`) })}</p>
      <Form method="post" className="stack">
        <FormError message={failure?.formError} />
        <label htmlFor="f-body">{t("caucus.newNote")}</label>
        <textarea id="f-body" name="body" rows={4} maxLength={SESSION_LIMITS.noteMax} required defaultValue={failure?.values.body as string | undefined} />
        {failure?.fieldErrors.body ? (
          <p className="field-errors" role="alert">
            <MessageText message={failure.fieldErrors.body[0]!} />
          </p>
        ) : null}
        <button type="submit" className="button">
          {t("caucus.post")}
        </button>
      </Form>
      {notes.length === 0 ? (
        <p>{t("caucus.empty")}</p>
      ) : (
        <ul className="card-list caucus-notes">
          {notes.map((note) => (
            <li key={note.id} className="card">
              <p className="note-body">{note.body}</p>
              <span className="meta">
                {note.author.displayName} · {formatDateTime(note.createdAt, i18n.language)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
