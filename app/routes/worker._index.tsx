/**
 * A worker's own page (issue 25, item 1): the industry and region they work in, and the
 * published agreements that cover them, with their status.
 */
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, Notice, SelectField, useValidatedForm } from "~/components/forms.tsx";
import { formatDate, orgDisplayName } from "~/components/names.ts";
import { REGIONS, regionName } from "~/domain/regions.ts";
import { INDUSTRIES } from "~/domain/session-topics.ts";
import { workerProfileSchema } from "~/domain/worker-auth.ts";
import { formFailure, parseFormData, runAction, runLoader, type FormFailure } from "~/http/forms.server.ts";
import { requireUser } from "~/auth/login-session.server.ts";
import { listNotices } from "~/models/notice.server.ts";
import { getWorkerProfile, setWorkerProfile } from "~/models/worker-auth.server.ts";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: "worker.homeTitle" };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return runLoader(async () => {
    const profile = await getWorkerProfile(user.id);
    const notices = profile ? await listNotices({ filters: { industry: profile.industry as (typeof INDUSTRIES)[number], regionCode: profile.regionCode } }) : [];
    return json({ profile, notices });
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await request.formData();
  const parsed = parseFormData(formData, workerProfileSchema);
  if (!parsed.ok) return formFailure(parsed);
  return runAction(formData, async () => {
    await setWorkerProfile(user.id, parsed.data);
    return redirect("/worker?saved=1");
  });
}

export default function WorkerHome() {
  const { profile, notices } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as FormFailure | undefined;
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const { formProps, errors } = useValidatedForm(workerProfileSchema, failure);
  const [searchParams] = useSearchParams();
  const saved = searchParams.get("saved") === "1";
  const where = profile ? { industry: t(`industry.${profile.industry}`), region: regionName(profile.regionCode, locale) } : null;
  return (
    <div className="stack">
      <h1>{t("worker.homeTitle")}</h1>
      <p>{t("worker.homeIntro")}</p>
      {saved && !failure ? <Notice>{t("worker.saved")}</Notice> : null}
      <ErrorSummary fieldErrors={errors} />
      <Form method="post" className="stack filters" {...formProps}>
        <SelectField name="industry" label={t("worker.industry")} defaultValue={(failure?.values.industry as string | undefined) ?? profile?.industry ?? "FOOD_DELIVERY"} errors={errors.industry} options={INDUSTRIES.map((value) => ({ value, label: t(`industry.${value}`) }))} />
        <SelectField name="regionCode" label={t("worker.region")} defaultValue={(failure?.values.regionCode as string | undefined) ?? profile?.regionCode ?? "330100"} errors={errors.regionCode} options={REGIONS.map((region) => ({ value: region.code, label: locale === "en" ? region.en : region.zh }))} />
        <button type="submit" className="button">
          {t("worker.save")}
        </button>
      </Form>
      {where ? (
        <section aria-labelledby="covering">
          <h2 id="covering">{t("worker.covering", where)}</h2>
          {notices.length === 0 ? (
            <p role="status">{t("worker.none", where)}</p>
          ) : (
            <ul className="stack" data-testid="worker-notices">
              {notices.map((notice) => (
                <li key={notice.id} className="card">
                  <h3>
                    <Link to={`/notices/${notice.noticeId}`}>{notice.title}</Link>
                  </h3>
                  <p className="meta">{notice.parties.map((party) => orgDisplayName(party, locale)).join(t("common.listSeparator"))}</p>
                  <p>
                    <strong className={notice.status === "IN_FORCE" ? "badge badge-ok" : "badge"}>{t(`notice.status.${notice.status}`)}</strong> {t("notice.effectiveFrom")} {formatDate(notice.effectiveFrom, locale)}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : (
        <p role="status">{t("worker.chooseFirst")}</p>
      )}
    </div>
  );
}
