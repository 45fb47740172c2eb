import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireActor } from "~/auth/actor.server.ts";
import { DeadlineText } from "~/components/session-bits.tsx";
import { NextActionsList } from "~/components/next-actions.tsx";
import { regionName } from "~/domain/regions.ts";
import { runLoader } from "~/http/forms.server.ts";
import { canProposeSessions, listMySessions } from "~/models/session.server.ts";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: "sessions.title" };

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireActor(request);
  // The proposal button only for those who may propose (a rider with no organization may not).
  return runLoader(async () => json({ sessions: await listMySessions({ actor }), canPropose: await canProposeSessions({ actor }), now: new Date().toISOString() }));
}

export default function SessionsDashboard() {
  const { sessions, canPropose, now } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <>
      <div className="title-row">
        <h1>{t("sessions.title")}</h1>
        {canPropose ? (
          <Link className="button" to="/sessions/new">
            {t("sessions.propose")}
          </Link>
        ) : null}
      </div>
      <NextActionsList sessions={sessions} headingId="needs-me" />
      <section aria-labelledby="all-sessions">
        <h2 id="all-sessions">{t("sessions.mine")}</h2>
        {sessions.length === 0 ? (
          <p>{t("sessions.none")}</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("sessions.sessionTitle")}</th>
                <th scope="col">{t("sessions.industry")}</th>
                <th scope="col">{t("sessions.region")}</th>
                <th scope="col">{t("sessions.state")}</th>
                <th scope="col">{t("sessions.nextDeadline")}</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((session) => (
                <tr key={session.id}>
                  <td data-label={t("sessions.sessionTitle")}>
                    <Link to={`/sessions/${session.id}`}>{session.title}</Link>
                  </td>
                  <td data-label={t("sessions.industry")}>{t(`industry.${session.industry}`)}</td>
                  <td data-label={t("sessions.region")}>{regionName(session.regionCode, i18n.language)}</td>
                  <td data-label={t("sessions.state")}>{t(`state.${session.state}`)}</td>
                  <td data-label={t("sessions.nextDeadline")}>{session.nextDeadline ? <DeadlineText deadline={session.nextDeadline} now={now} /> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
