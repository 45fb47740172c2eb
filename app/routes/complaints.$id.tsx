/**
 * One complaint case (issue 25, item 2) for the worker who filed it, the platform that answers and
 * the union that follows it: what it is about, its clock, the answer and outcome, the photos, the
 * steps in its audit chain, and the steps the projection offers this person now. The platform sees
 * who filed only when the worker agreed.
 */
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CaseStateBadge, clauseLabel } from "~/components/complaint-bits.tsx";
import { ErrorSummary, FormError, TextAreaField } from "~/components/forms.tsx";
import { formatDate, formatDateTime, orgDisplayName } from "~/components/names.ts";
import { COMPLAINT_LIMITS, complaintAnswerSchema, complaintOutcomeSchema } from "~/domain/complaints.ts";
import { DomainError } from "~/domain/errors.ts";
import { idSchema } from "~/domain/validation.ts";
import { formFailure, parseFormData, runAction, runLoader, type FormFailure } from "~/http/forms.server.ts";
import { requireActor } from "~/auth/actor.server.ts";
import { caseForActor, takeCaseStep, CASE_STEP_ACTIONS, type CaseStepAction } from "~/models/complaint.server.ts";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: ({ data, t }) => t("complaint.caseHeading", { number: (data as { number: string }).number }) };

function caseIdOf(params: { id?: string }) {
  const id = idSchema.safeParse(params.id);
  if (!id.success) throw new DomainError("notFound");
  return id.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireActor(request);
  return runLoader(async () => json(await caseForActor({ actor, caseId: caseIdOf(params) }), { headers: { "Cache-Control": "private, no-store" } }));
}

const intentSchema = z.object({ intent: z.enum(CASE_STEP_ACTIONS as [CaseStepAction, ...CaseStepAction[]], { errorMap: () => ({ message: "validation.choice" }) }) });
/** The steps that carry a text, and its field. */
const TEXT_OF: Partial<Record<CaseStepAction, { schema: z.ZodTypeAny; field: "answer" | "outcome" }>> = {
  answer: { schema: complaintAnswerSchema, field: "answer" },
  resolve: { schema: complaintOutcomeSchema, field: "outcome" },
  recordOutcome: { schema: complaintOutcomeSchema, field: "outcome" },
};

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await requireActor(request);
  const formData = await request.formData();
  const intent = parseFormData(formData, intentSchema);
  if (!intent.ok) return formFailure(intent);
  const text = TEXT_OF[intent.data.intent];
  const parsed = text ? parseFormData(formData, text.schema) : null;
  if (parsed && !parsed.ok) return formFailure(parsed);
  return runAction(formData, async () => {
    const caseId = caseIdOf(params);
    const value = parsed?.ok && text ? (parsed.data as Record<string, string>)[text.field] : undefined;
    await takeCaseStep({ actor, caseId, action: intent.data.intent, text: value });
    return redirect(`/complaints/${caseId}?done=${intent.data.intent}`);
  });
}

export default function ComplaintCasePage() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as FormFailure | undefined;
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const clause = clauseLabel(t, data.clause, data.notice.industry);
  const can = (action: keyof typeof data.actions) => data.actions[action].allowed;
  const stepForm = (intent: CaseStepAction, label: string, textField?: "answer" | "outcome", secondary = false) => (
    <Form method="post" className="stack" key={intent}>
      <input type="hidden" name="intent" value={intent} />
      {textField ? <TextAreaField name={textField} formKey={intent} label={t(`complaint.${textField}Field`)} rows={4} maxLength={COMPLAINT_LIMITS.answerMax} required defaultValue={failure?.values.intent === intent ? (failure.values[textField] as string) : ""} errors={failure?.values.intent === intent ? failure.fieldErrors[textField] : undefined} /> : null}
      <button type="submit" className={secondary ? "button-secondary" : "button"}>
        {label}
      </button>
    </Form>
  );
  const steps: Array<[CaseStepAction, string, ("answer" | "outcome")?, boolean?]> = [
    ["answer", t("complaint.do.answer"), "answer"],
    ["accept", t("complaint.do.accept")],
    ["escalateToUnion", t("complaint.do.escalateToUnion"), undefined, true],
    ["resolve", t("complaint.do.resolve"), "outcome"],
    ["escalateToBureau", t("complaint.do.escalateToBureau"), undefined, true],
    ["recordOutcome", t("complaint.do.recordOutcome"), "outcome"],
  ];
  const offered = steps.filter(([intent]) => can(intent));
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/complaints">{t("complaint.listTitle")}</Link>
      </p>
      <h1>{t("complaint.caseHeading", { number: data.number })}</h1>
      <p>
        <CaseStateBadge state={data.state} /> {t(`complaint.kinds.${data.kind}`)}
      </p>
      <ErrorSummary fieldErrors={failure?.fieldErrors} form={failure?.values.intent as string | undefined} />
      <FormError message={failure?.formError} />
      <dl className="case-facts">
        <div>
          <dt>{t("complaint.agreement")}</dt>
          <dd>
            <Link to={`/notices/${data.notice.noticeId}/v/${data.notice.version}`}>{data.notice.title}</Link>
          </dd>
        </div>
        <div>
          <dt>{t("complaint.clause")}</dt>
          <dd data-testid="case-clause">{clause}</dd>
        </div>
        <div>
          <dt>{t("complaint.happenedOn")}</dt>
          <dd>{formatDate(`${data.happenedOn}T12:00:00+08:00`, locale)}</dd>
        </div>
        {data.reference ? (
          <div>
            <dt>{t("complaint.reference")}</dt>
            <dd>{data.reference}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t("complaint.filedBy")}</dt>
          <dd data-testid="case-identity">
            {data.worker ? `${data.worker.name}${data.worker.phone ? ` · ${data.worker.phone.slice(3)}` : ""}` : t("complaint.identityHidden")}
            {data.isWorker ? ` · ${data.identityShared ? t("complaint.sharedYes") : t("complaint.sharedNo")}` : ""}
          </dd>
        </div>
        <div>
          <dt>{t("complaint.platform")}</dt>
          <dd>{data.platform ? orgDisplayName(data.platform, locale) : "—"}</dd>
        </div>
        <div>
          <dt>{t("complaint.union")}</dt>
          <dd>{data.unions.map((union) => orgDisplayName(union, locale)).join(t("common.listSeparator")) || "—"}</dd>
        </div>
        <div>
          <dt>{t("complaint.filedAt")}</dt>
          <dd>{formatDateTime(data.filedAt, locale)}</dd>
        </div>
        <div>
          <dt>{t("complaint.due")}</dt>
          <dd className={data.overdue || data.overdueAt ? "deadline overdue" : "deadline"} data-testid="case-due">
            {data.dueAt ? formatDateTime(data.dueAt, locale) : t("complaint.noDue")} · {t(`complaint.source.${data.responseSource}`)}
          </dd>
        </div>
      </dl>
      <section aria-labelledby="case-body">
        <h2 id="case-body">{t("complaint.body")}</h2>
        <p className="prewrap">{data.body}</p>
        {data.photos.length ? (
          <ul className="photo-list">
            {data.photos.map((photo, index) => (
              <li key={photo.id}>
                <a href={`/complaints/${data.id}/photos/${photo.id}`}>
                  <img src={`/complaints/${data.id}/photos/${photo.id}`} alt={t("complaint.photoAlt", { number: index + 1 })} width={Math.min(160, photo.width)} loading="lazy" />
                </a>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      {data.answeredAt ? (
        <section aria-labelledby="case-answer">
          <h2 id="case-answer">{t("complaint.answerHeading")}</h2>
          <p className="meta">
            {formatDateTime(data.answeredAt, locale)}
            {data.answeredLate ? ` · ${t("complaint.late")}` : ""}
          </p>
          <p className="prewrap" data-testid="case-answer">
            {data.answer}
          </p>
        </section>
      ) : null}
      {data.outcome ? (
        <section aria-labelledby="case-outcome">
          <h2 id="case-outcome">{t("complaint.outcomeHeading")}</h2>
          <p className="prewrap" data-testid="case-outcome">
            {data.outcome}
          </p>
        </section>
      ) : null}
      {offered.length ? (
        <section aria-labelledby="case-steps" className="stack">
          <h2 id="case-steps">{t("complaint.nextSteps")}</h2>
          {offered.map(([intent, label, field, secondary]) => stepForm(intent, label, field, secondary))}
        </section>
      ) : null}
      <section aria-labelledby="case-chain">
        <h2 id="case-chain">{t("complaint.chainHeading")}</h2>
        <p className={data.chain.verdict.ok ? "meta" : "rule-warning"} data-testid="case-chain-verdict">
          {data.chain.verdict.ok ? t("complaint.chainOk", { count: data.chain.verdict.length }) : t("complaint.chainBroken", { seq: data.chain.verdict.brokenAt })}
        </p>
        <ol className="case-steps" data-testid="case-steps">
          {data.chain.events.map((event) => (
            <li key={event.seq}>
              <time dateTime={new Date(event.at).toISOString()}>{formatDateTime(event.at, locale)}</time> · {t(`complaint.event.${event.type}`)} · {t(`complaint.by.${event.by}`)}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
