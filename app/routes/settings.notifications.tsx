/**
 * Which messages a user also receives by e-mail (issue 17). The in-app notification is always
 * delivered; the kinds the procedure requires (app/domain/outbox.ts REQUIRED_KINDS) are always
 * e-mailed and shown as such; every other kind can be turned off.
 */
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireActor } from "~/auth/actor.server.ts";
import { MESSAGE_KINDS, OPTIONAL_KINDS, isAccountKind, isRequiredKind, preferencesSchema } from "~/domain/outbox.ts";
import { formFailure, parseFormData, runAction, runLoader, type FormFailure } from "~/http/forms.server.ts";
import { getEmailPreferences, setEmailPreferences } from "~/models/outbox.server.ts";
import { ErrorSummary, FormError, Notice } from "~/components/forms.tsx";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: "mailSettings.title" };

export function headers() {
  return { "Cache-Control": "private, no-store" };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireActor(request);
  return runLoader(async () => {
    const saved = await getEmailPreferences(actor.userId);
    // About the account itself (a sign-in code, a confirmation link): always sent, not a choice.
    const kinds = MESSAGE_KINDS.filter((kind) => !isAccountKind(kind)).map((kind) => ({ kind, required: isRequiredKind(kind), email: isRequiredKind(kind) || saved[kind] !== false }));
    return json({ kinds }, { headers: { "Cache-Control": "private, no-store" } });
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requireActor(request);
  const formData = await request.formData();
  const parsed = parseFormData(formData, preferencesSchema);
  if (!parsed.ok) return formFailure(parsed);
  return runAction(formData, async () => {
    await setEmailPreferences(actor.userId, Object.fromEntries(OPTIONAL_KINDS.map((kind) => [kind, parsed.data.email.has(kind)])));
    return redirect("/settings/notifications?saved=1");
  });
}

export default function NotificationSettings() {
  const { kinds } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as FormFailure | undefined;
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  return (
    <>
      <h1>{t("mailSettings.title")}</h1>
      <p>{t("mailSettings.intro")}</p>
      {searchParams.get("saved") === "1" && !failure ? <Notice>{t("mailSettings.saved")}</Notice> : null}
      <FormError message={failure?.formError} />
      {failure && !failure.formError ? <ErrorSummary fieldErrors={failure.fieldErrors} /> : null}
      <Form method="post" className="stack">
        <fieldset>
          <legend>{t("mailSettings.legend")}</legend>
          {kinds.map(({ kind, required, email }) => (
            <p key={kind}>
              <label>
                <input type="checkbox" name="email[]" value={kind} defaultChecked={email} disabled={required} /> {t(`mailSettings.kind.${kind}`)}
                {required ? <span className="meta"> · {t("mailSettings.required")}</span> : null}
              </label>
            </p>
          ))}
        </fieldset>
        <button type="submit">{t("mailSettings.save")}</button>
      </Form>
    </>
  );
}
