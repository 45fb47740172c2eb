/**
 * Following a case by its receipt code, without signing in (issue 25): the case's steps, the
 * platform's answer and the outcome; never who filed it or what they wrote. Unknown codes are
 * counted per address and refused after too many (app/auth/rate-limit.server.ts).
 */
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CaseStateBadge, clauseLabel } from "~/components/complaint-bits.tsx";
import { ErrorSummary, FormError, TextField, useValidatedForm } from "~/components/forms.tsx";
import { formatDateTime } from "~/components/names.ts";
import { receiptCodeSchema } from "~/domain/complaints.ts";
import { clientIp, formFailure, parseFormData, runAction, type FormFailure } from "~/http/forms.server.ts";
import { caseByReceipt } from "~/models/complaint.server.ts";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: "complaint.trackTitle" };

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const parsed = parseFormData(formData, receiptCodeSchema);
  if (!parsed.ok) return formFailure(parsed);
  return runAction(formData, async () => json({ ok: true as const, found: await caseByReceipt({ receipt: parsed.data.receipt, ip: clientIp(context) }) }, { headers: { "Cache-Control": "no-store" } }));
}

type Found = { ok: true; found: Awaited<ReturnType<typeof caseByReceipt>> };

export default function TrackComplaint() {
  const answer = useActionData<typeof action>() as FormFailure | Found | undefined;
  const failure = answer && !answer.ok ? answer : undefined;
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const { formProps, errors, formError } = useValidatedForm(receiptCodeSchema, failure);
  const found = answer?.ok ? answer.found : null;
  return (
    <div className="stack">
      <h1>{t("complaint.trackTitle")}</h1>
      <p>{t("complaint.trackIntro")}</p>
      <ErrorSummary fieldErrors={errors} />
      <Form method="post" className="stack" {...formProps}>
        <FormError message={formError} />
        <TextField name="receipt" label={t("complaint.receiptField")} autoComplete="off" autoCapitalize="characters" maxLength={40} defaultValue={(failure?.values.receipt as string | undefined) ?? ""} errors={errors.receipt} />
        <button type="submit" className="button">
          {t("complaint.trackSubmit")}
        </button>
      </Form>
      {found ? (
        <section className="card stack" aria-labelledby="tracked" data-testid="tracked-case">
          <h2 id="tracked">{t("complaint.caseHeading", { number: found.number })}</h2>
          <p>
            <CaseStateBadge state={found.state} /> {t(`complaint.kinds.${found.kind}`)}
          </p>
          <p>
            <Link to={`/notices/${found.notice.noticeId}/v/${found.notice.version}`}>{found.notice.title}</Link> · {clauseLabel(t, found.clause, "")}
          </p>
          <p className="meta">
            {t("complaint.filedAt")} {formatDateTime(found.filedAt, locale)} · {found.dueAt ? `${t("complaint.due")} ${formatDateTime(found.dueAt, locale)}` : t("complaint.noDue")}
          </p>
          {found.answer ? (
            <>
              <h3>{t("complaint.answerHeading")}</h3>
              <p className="prewrap">{found.answer}</p>
            </>
          ) : null}
          {found.outcome ? (
            <>
              <h3>{t("complaint.outcomeHeading")}</h3>
              <p className="prewrap">{found.outcome}</p>
            </>
          ) : null}
          <ol className="case-steps">
            {found.steps.map((step, index) => (
              <li key={index}>
                {formatDateTime(step.at, locale)} · {t(`complaint.event.${step.type}`)}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </div>
  );
}
