/**
 * The operator's view of background work (issue 17): the job queue's queues by state, e-mail
 * deliveries by status, and the deliveries that failed or needed more than one attempt, each with
 * its latest attempts (when, which process, what went wrong) and a retry button for a failed one.
 * Only for the site's operators (XS_OPERATOR_EMAILS); "not found" for everyone else.
 */
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireOperator } from "~/auth/actor.server.ts";
import { idSchema } from "~/domain/validation.ts";
import { DomainError } from "~/domain/errors.ts";
import { formatDateTime } from "~/components/names.ts";
import { ErrorSummary, FormError, Notice } from "~/components/forms.tsx";
import { formFailure, parseFormData, runAction, runLoader, type FormFailure } from "~/http/forms.server.ts";
import { jobCounts } from "~/jobs/status.server.ts";
import { CALENDAR_DATA_ENDS, HOLIDAY_YEARS } from "~/domain/periods.ts";
import { deliveryOverview, retryDelivery } from "~/models/outbox.server.ts";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: "jobs.title" };

export function headers() {
  return { "Cache-Control": "private, no-store" };
}

export async function loader({ request }: LoaderFunctionArgs) {
  return runLoader(async () => {
    await requireOperator(request);
    const [jobs, deliveries] = await Promise.all([jobCounts(), deliveryOverview()]);
    // The holiday calendar the deadlines are counted with (issue 21): the operator adds each year's
    // State Council arrangement; until then deadlines ending in that year are provisional.
    const calendar = { endsOn: CALENDAR_DATA_ENDS, years: HOLIDAY_YEARS, soon: Date.parse(`${CALENDAR_DATA_ENDS}T24:00:00+08:00`) - Date.now() < 90 * 24 * 60 * 60 * 1000 };
    return json({ jobs, deliveries, calendar }, { headers: { "Cache-Control": "private, no-store" } });
  });
}

const retrySchema = z.object({ intent: z.literal("retry"), deliveryId: idSchema });

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  return runAction(formData, async () => {
    await requireOperator(request);
    const parsed = parseFormData(formData, retrySchema);
    if (!parsed.ok) return formFailure(parsed);
    if (!(await retryDelivery(parsed.data.deliveryId))) throw new DomainError("notFound");
    return redirect("/admin/jobs?retried=1");
  });
}

export default function Jobs() {
  const { jobs, deliveries, calendar } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as FormFailure | undefined;
  const { t, i18n } = useTranslation();
  const [searchParams] = useSearchParams();
  return (
    <>
      <h1>{t("jobs.title")}</h1>
      {searchParams.get("retried") === "1" && !failure ? <Notice>{t("jobs.retried")}</Notice> : null}
      <FormError message={failure?.formError} />
      {failure && !failure.formError ? <ErrorSummary fieldErrors={failure.fieldErrors} /> : null}
      <h2>{t("jobs.calendar")}</h2>
      <p className={calendar.soon ? "problems" : undefined} data-testid="holiday-calendar">
        {t(calendar.soon ? "jobs.calendarEndsSoon" : "jobs.calendarEnds", { date: calendar.endsOn })}
      </p>
      <ul>
        {calendar.years.map(({ year, notice }) => (
          <li key={year}>
            {year}
            {t("common.colon")}
            {notice.title}
            {notice.number ? ` ${notice.number}` : ""} · {notice.date}
          </li>
        ))}
      </ul>
      <h2>{t("jobs.queues")}</h2>
      {jobs.length === 0 ? (
        <p>{t("jobs.noJobs")}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t("jobs.queue")}</th>
              <th>{t("jobs.state")}</th>
              <th>{t("jobs.count")}</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((row) => (
              <tr key={`${row.queue}-${row.state}`}>
                <td data-label={t("jobs.queue")}>{row.queue}</td>
                <td data-label={t("jobs.state")}>{t(`jobs.jobState.${row.state}`, { defaultValue: row.state })}</td>
                <td data-label={t("jobs.count")}>{row.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t("jobs.deliveries")}</h2>
      <ul>
        {deliveries.counts.map((row) => (
          <li key={`${row.channel}-${row.status}`}>
            {t(`jobs.channel.${row.channel}`)} · {t(`jobs.deliveryStatus.${row.status}`)}: {row.count}
          </li>
        ))}
      </ul>
      <h2>{t("jobs.troubled")}</h2>
      {deliveries.troubled.length === 0 ? (
        <p>{t("jobs.noTrouble")}</p>
      ) : (
        <ul className="card-list">
          {deliveries.troubled.map((delivery) => (
            <li key={delivery.id} className="card">
              <p>
                <strong>{t(`jobs.deliveryStatus.${delivery.status}`)}</strong> · {delivery.message.user?.email ?? delivery.message.toEmail} · {t(`mailSettings.kind.${delivery.message.kind}`, { defaultValue: delivery.message.kind })} ·{" "}
                {t("jobs.attempts", { count: delivery.attempts })}
              </p>
              {delivery.lastError ? <p className="meta">{t("jobs.lastError", { error: delivery.lastError })}</p> : null}
              <ul>
                {delivery.attemptLog.map((attempt) => (
                  <li key={`${attempt.at}-${attempt.worker}`} className="meta">
                    {formatDateTime(attempt.at, i18n.language)} · {attempt.worker} · {attempt.ok ? t("jobs.attemptOk") : t("jobs.attemptFailed", { error: attempt.error ?? "" })}
                  </li>
                ))}
              </ul>
              {delivery.status === "FAILED" ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="retry" />
                  <input type="hidden" name="deliveryId" value={delivery.id} />
                  <button type="submit">{t("jobs.retry")}</button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
