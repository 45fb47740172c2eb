import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, FormError, Notice, TextField, useValidatedForm } from "~/components/forms.tsx";
import { LIMITS, signupSchema } from "~/domain/validation.ts";
import { clientIp, formFailure, parseFormData, runAction, type FormFailure } from "~/http/forms.server.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { signUp } from "~/models/user.server.ts";
import { getUser } from "~/auth/login-session.server.ts";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: "signup.title" };

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/");
  return json({});
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseFormData(formData, signupSchema);
  if (!parsed.ok) return formFailure(parsed);
  return runAction(formData, async () => {
    const locale = await resolveLocale(request);
    // The same answer whether or not the address has an account (issue 19): the rest is by e-mail.
    await signUp({ ...parsed.data, locale, ip: clientIp(context) });
    return redirect("/signup?sent=1");
  });
}

export default function Signup() {
  const actionData = useActionData<typeof action>() as FormFailure | undefined;
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const values = actionData?.values ?? {};
  const { formProps, errors, formError } = useValidatedForm(signupSchema, actionData);
  return (
    <div className="narrow">
      <h1>{t("signup.title")}</h1>
      {searchParams.get("sent") === "1" && !actionData ? (
        <Notice>
          <span data-testid="signup-sent">{t("signup.sent")}</span>
        </Notice>
      ) : null}
      <ErrorSummary fieldErrors={errors} />
      <Form method="post" {...formProps} className="stack">
        <FormError message={formError} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
        <TextField name="displayName" label={t("signup.displayName")} autoComplete="name" required maxLength={LIMITS.displayNameMax} defaultValue={values.displayName} errors={errors.displayName} />
        <TextField name="email" type="email" label={t("signup.email")} autoComplete="email" required maxLength={LIMITS.emailMax} defaultValue={values.email} errors={errors.email} />
        <TextField
          name="password"
          type="password"
          label={t("signup.password")}
          autoComplete="new-password"
          required
          minLength={LIMITS.passwordMin}
          maxLength={LIMITS.passwordMax}
          hint={t("signup.passwordHint", { min: LIMITS.passwordMin })}
          errors={errors.password}
        />
        <TextField name="confirmPassword" type="password" label={t("signup.confirmPassword")} autoComplete="new-password" required maxLength={LIMITS.passwordMax} errors={errors.confirmPassword} />
        <button type="submit" className="button" disabled={navigation.state === "submitting"}>
          {t("signup.submit")}
        </button>
      </Form>
      <p>
        {t("signup.haveAccount")} <Link to="/login">{t("signup.loginLink")}</Link>
      </p>
    </div>
  );
}
