import { json, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { localeSchema } from "~/domain/validation.ts";
import { localizedFailure, parseFormData } from "~/http/forms.server.ts";
import { localeCookie } from "~/i18n/locale.server.ts";
import { setUserLocale } from "~/models/user.server.ts";
import { getUser } from "~/auth/login-session.server.ts";

export async function loader() {
  return redirect("/");
}

/** Switches the UI language: remembered in a cookie, and on the account when signed in. */
export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseFormData(formData, localeSchema);
  if (!parsed.ok) return localizedFailure(request, parsed);
  const user = await getUser(request);
  if (user) await setUserLocale({ actorId: user.id, locale: parsed.data.locale });
  const headers = { "Set-Cookie": await localeCookie.serialize(parsed.data.locale) };
  if (request.headers.get("Accept")?.includes("application/json")) return json({ ok: true, locale: parsed.data.locale }, { headers });
  return redirect(parsed.data.redirectTo, { headers });
}
