import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, FormError, Notice, TextField, useValidatedForm } from "~/components/forms.tsx";
import { loginSchema, LIMITS } from "~/domain/validation.ts";
import { getEnv } from "~/infra/env.server.ts";
import { clientIp, parseFormData, formFailure, runAction, type FormFailure } from "~/http/forms.server.ts";
import { verifyLogin } from "~/models/user.server.ts";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { deviceCookie, getAuth, readDeviceToken, startSession } from "~/auth/login-session.server.ts";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: "login.title" };

export async function loader({ request }: LoaderFunctionArgs) {
  const auth = await getAuth(request);
  const url = new URL(request.url);
  if (auth.user) throw redirect("/");
  const demo = getEnv().XS_DEMO;
  return json(
    {
      demo: demo ? { password: DEMO_PASSWORD, accounts: DEMO_ACCOUNTS.map(({ email, roleKey }) => ({ email, roleKey })) } : null,
      expired: auth.expired || url.searchParams.get("expired") === "1",
    },
    auth.setCookie ? { headers: { "Set-Cookie": auth.setCookie } } : undefined,
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseFormData(formData, loginSchema);
  if (!parsed.ok) return formFailure(parsed);
  return runAction(formData, async () => {
    const { userId, device } = await verifyLogin({ email: parsed.data.email, password: parsed.data.password, ip: clientIp(context), device: readDeviceToken(request) });
    const cookie = await startSession(request, userId);
    const headers = new Headers();
    headers.append("Set-Cookie", cookie);
    headers.append("Set-Cookie", deviceCookie(request, device));
    return redirect(parsed.data.redirectTo, { headers });
  });
}

export default function Login() {
  const { demo, expired } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormFailure | undefined;
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const values = actionData?.values ?? {};
  const { formProps, errors, formError } = useValidatedForm(loginSchema, actionData);
  const notice = searchParams.get("notice");
  return (
    <div className="narrow">
      <h1>{t("login.title")}</h1>
      {expired && !actionData ? <Notice>{t("login.sessionExpired")}</Notice> : null}
      {notice === "loggedOut" && !actionData ? <Notice>{t("login.loggedOut")}</Notice> : null}
      <ErrorSummary fieldErrors={errors} />
      <Form method="post" {...formProps} className="stack">
        <FormError message={formError} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
        <TextField
          name="email"
          type="email"
          label={t("login.email")}
          autoComplete="username"
          required
          maxLength={LIMITS.emailMax}
          defaultValue={values.email}
          errors={errors.email}
        />
        <TextField
          name="password"
          type="password"
          label={t("login.password")}
          autoComplete="current-password"
          required
          maxLength={LIMITS.passwordMax}
          errors={errors.password}
        />
        <button type="submit" className="button" disabled={navigation.state === "submitting"}>
          {t("login.submit")}
        </button>
      </Form>
      <p>
        <Link to="/worker/login">{t("worker.loginLink")}</Link>
      </p>
      <p>
        {t("login.noAccount")} <Link to={`/signup${searchParams.get("redirectTo") ? `?redirectTo=${encodeURIComponent(searchParams.get("redirectTo") ?? "/")}` : ""}`}>{t("login.signupLink")}</Link>
      </p>
      {demo ? (
        <section className="demo-accounts" aria-labelledby="demo-title">
          <h2 id="demo-title">{t("login.demoTitle")}</h2>
          <p>
            {t("login.demoIntro")} <code data-testid="demo-password">{demo.password}</code>
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("login.demoRole")}</th>
                <th scope="col">{t("login.demoAccount")}</th>
              </tr>
            </thead>
            <tbody>
              {demo.accounts.map((account) => (
                <tr key={account.email}>
                  <td>{t(`demoRole.${account.roleKey}`)}</td>
                  <td>
                    <code>{account.email}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}
