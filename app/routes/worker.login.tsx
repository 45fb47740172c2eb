/**
 * Workers sign in with a mobile number and a code sent by SMS, without an e-mail (issue 25,
 * item 1): first the number, then the code. Works without JavaScript (two posts); the answer to
 * "send" is the same whether or not the number has an account.
 */
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, FormError, Notice, TextField, useValidatedForm } from "~/components/forms.tsx";
import { LIMITS } from "~/domain/validation.ts";
import { maskPhone, SIGN_IN_CODE, workerSignInSchema } from "~/domain/worker-auth.ts";
import { clientIp, formFailure, parseFormData, runAction, type FormFailure } from "~/http/forms.server.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { getUser, startSession } from "~/auth/login-session.server.ts";
import { requestSignInCode, signInWithInvitationCode, verifySignInCode } from "~/models/worker-auth.server.ts";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: "worker.loginTitle" };

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/worker");
  return json({});
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseFormData(formData, workerSignInSchema);
  if (!parsed.ok) return formFailure(parsed);
  const input = parsed.data;
  return runAction(formData, async () => {
    const locale = await resolveLocale(request);
    if (input.intent === "send") {
      await requestSignInCode({ phone: input.phone, ip: clientIp(context), locale });
      return json({ ok: true as const, sentTo: input.phone, masked: maskPhone(input.phone) });
    }
    const destination = input.redirectTo === "/" ? "/worker" : input.redirectTo;
    if (input.intent === "invite") {
      const { userId } = await signInWithInvitationCode({ code: input.inviteCode, displayName: input.displayName, locale, ip: clientIp(context) });
      return redirect(destination, { headers: { "Set-Cookie": await startSession(request, userId) } });
    }
    const { userId } = await verifySignInCode({ phone: input.phone, code: input.code, locale });
    return redirect(input.redirectTo === "/" ? "/worker" : input.redirectTo, { headers: { "Set-Cookie": await startSession(request, userId) } });
  });
}

type Sent = { ok: true; sentTo: string; masked: string };

export default function WorkerLogin() {
  const answer = useActionData<typeof action>() as FormFailure | Sent | undefined;
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const failure = answer && !answer.ok ? answer : undefined;
  const sent = answer?.ok ? answer : undefined;
  // The code step: after a code was sent, or when checking a code was refused (its number was
  // valid); otherwise the number step, which also shows a refused number of a code's check.
  const verifying = failure?.values.intent === "verify";
  const inviting = failure?.values.intent === "invite";
  const phone = sent?.sentTo ?? (verifying && !failure.fieldErrors.phone ? String(failure.values.phone ?? "") : null);
  const numberErrors = verifying ? { phone: failure.fieldErrors.phone ?? [] } : undefined;
  // A post that is neither step (a forged intent) is answered above the form.
  const stray = failure && failure.values.intent !== "send" && !verifying && !inviting ? (failure.formError ?? Object.values(failure.fieldErrors)[0]?.[0] ?? null) : null;
  const send = useValidatedForm(workerSignInSchema, failure, { intent: "send" });
  const verify = useValidatedForm(workerSignInSchema, failure, { intent: "verify" });
  const invite = useValidatedForm(workerSignInSchema, failure, { intent: "invite" });
  const redirectTo = searchParams.get("redirectTo") ?? "/";
  return (
    <div className="narrow">
      <h1>{t("worker.loginTitle")}</h1>
      <p>{t("worker.loginIntro")}</p>
      <FormError message={stray} />
      {phone ? (
        <>
          {sent ? (
            <Notice>
              <span data-testid="code-sent">{t("worker.sent", { phone: sent.masked, minutes: SIGN_IN_CODE.ttlMinutes })}</span>
            </Notice>
          ) : null}
          <ErrorSummary fieldErrors={verify.errors} />
          <Form method="post" className="stack" {...verify.formProps}>
            <FormError message={verify.formError} />
            <input type="hidden" name="intent" value="verify" />
            <input type="hidden" name="phone" value={phone} />
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <TextField name="code" label={t("worker.code")} hint={t("worker.codeHint")} inputMode="numeric" autoComplete="one-time-code" maxLength={8} required autoFocus errors={verify.errors.code} />
            <button type="submit" className="button" disabled={navigation.state === "submitting"}>
              {t("worker.verify")}
            </button>
          </Form>
          <Form method="post" className="row-actions">
            <input type="hidden" name="intent" value="send" />
            <input type="hidden" name="phone" value={phone} />
            <button type="submit" className="button-secondary">
              {t("worker.resend")}
            </button>
            <Link to="/worker/login">{t("worker.otherNumber")}</Link>
          </Form>
        </>
      ) : (
        <>
          <ErrorSummary fieldErrors={numberErrors ?? send.errors} />
          <Form method="post" className="stack" {...send.formProps}>
            <FormError message={send.formError} />
            <input type="hidden" name="intent" value="send" />
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <TextField name="phone" type="tel" label={t("worker.phone")} hint={t("worker.phoneHint")} inputMode="tel" autoComplete="tel" maxLength={LIMITS.phoneMax} required defaultValue={failure?.values.phone as string | undefined} errors={numberErrors?.phone ?? send.errors.phone} />
            <button type="submit" className="button" disabled={navigation.state === "submitting"}>
              {t("worker.send")}
            </button>
          </Form>
        </>
      )}
      <details className="stack" open={inviting || undefined}>
        <summary>{t("worker.haveInviteCode")}</summary>
        <p className="hint">{t("worker.inviteCodeIntro")}</p>
        <ErrorSummary fieldErrors={invite.errors} form="invite" />
        <Form method="post" className="stack" {...invite.formProps}>
          <FormError message={invite.formError} />
          <input type="hidden" name="intent" value="invite" />
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <TextField formKey="invite" name="inviteCode" label={t("worker.inviteCode")} hint={t("worker.inviteCodeHint")} autoCapitalize="characters" autoComplete="off" spellCheck={false} maxLength={40} required defaultValue={inviting ? (failure.values.inviteCode as string | undefined) : undefined} errors={invite.errors.inviteCode} />
          <TextField formKey="invite" name="displayName" label={t("worker.displayName")} hint={t("worker.displayNameHint")} autoComplete="nickname" maxLength={LIMITS.displayNameMax} required defaultValue={inviting ? (failure.values.displayName as string | undefined) : undefined} errors={invite.errors.displayName} />
          <button type="submit" className="button-secondary">
            {t("worker.joinWithCode")}
          </button>
        </Form>
      </details>
      <p>
        {t("worker.staffLogin")} <Link to="/login">{t("nav.login")}</Link>
      </p>
    </div>
  );
}
