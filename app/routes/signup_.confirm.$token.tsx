/**
 * Following the link a sign-up sent to its address (issue 19): the page names the account it will
 * create; confirming creates it and signs in. A POST, so that a mail scanner fetching the link does
 * not confirm anything.
 */
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { FormError } from "~/components/forms.tsx";
import { DomainError } from "~/domain/errors.ts";
import { runAction, runLoader, type FormFailure } from "~/http/forms.server.ts";
import { confirmSignup, getPendingSignup } from "~/models/user.server.ts";
import { startSession } from "~/auth/login-session.server.ts";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: "signup.confirmTitle" };

const TokenSchema = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/);

function parseToken(params: { token?: string }): string {
  const parsed = TokenSchema.safeParse(params.token);
  if (!parsed.success) throw new DomainError("signup.linkInvalid");
  return parsed.data;
}

export function headers() {
  return { "Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer" };
}

export async function loader({ params }: LoaderFunctionArgs) {
  return runLoader(async () => {
    const pending = await getPendingSignup({ token: parseToken(params) });
    return json({ email: pending.email, displayName: pending.displayName }, { headers: { "Cache-Control": "private, no-store" } });
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await request.formData();
  return runAction(formData, async () => {
    const userId = await confirmSignup({ token: parseToken(params) });
    const cookie = await startSession(request, userId);
    return redirect("/", { headers: { "Set-Cookie": cookie } });
  });
}

export default function ConfirmSignup() {
  const { email, displayName } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as FormFailure | undefined;
  const { t } = useTranslation();
  return (
    <div className="narrow">
      <h1>{t("signup.confirmTitle")}</h1>
      <p>{t("signup.confirmIntro", { name: displayName, email })}</p>
      <FormError message={failure?.formError} />
      <Form method="post">
        <button type="submit" className="button">
          {t("signup.confirm")}
        </button>
      </Form>
      <p>
        <Link to="/login">{t("signup.loginLink")}</Link>
      </p>
    </div>
  );
}
