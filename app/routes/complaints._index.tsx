/**
 * The complaint cases a person follows (issue 25): a worker's own, the cases a platform answers,
 * the cases of the agreements a union signed; the overdue ones first for those who must act.
 */
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CaseStateBadge, clauseLabel } from "~/components/complaint-bits.tsx";
import { formatDateTime } from "~/components/names.ts";
import { runLoader } from "~/http/forms.server.ts";
import { requireActor } from "~/auth/actor.server.ts";
import { listCasesFor } from "~/models/complaint.server.ts";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: "complaint.listTitle" };

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireActor(request);
  return runLoader(async () => json({ cases: await listCasesFor({ actor }) }, { headers: { "Cache-Control": "private, no-store" } }));
}

export default function ComplaintList() {
  const { cases } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  return (
    <div className="stack">
      <h1>{t("complaint.listTitle")}</h1>
      <p>{t("complaint.listIntro")}</p>
      <p>
        <Link to="/complaints/track">{t("complaint.trackLink")}</Link>
      </p>
      {cases.length === 0 ? (
        <p role="status">{t("complaint.none")}</p>
      ) : (
        <ul className="stack" data-testid="case-list">
          {cases.map((item) => (
            <li key={item.id} className="card">
              <h2 className="h3">
                <Link to={`/complaints/${item.id}`}>{t("complaint.caseHeading", { number: item.number })}</Link>
              </h2>
              <p>
                <CaseStateBadge state={item.state} /> {t(`complaint.kinds.${item.kind}`)} · {t(`complaint.role.${item.role}`)}
              </p>
              <p className="meta">
                {item.title} · {clauseLabel(t, item.clause, "")}
              </p>
              <p className="meta">
                {t("complaint.filedAt")} {formatDateTime(item.filedAt, locale)}
                {item.dueAt ? ` · ${t("complaint.due")} ${formatDateTime(item.dueAt, locale)}` : ""}
                {item.overdueAt ? ` · ${t("complaint.wentOverdue")}` : ""}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
