/**
 * The layout of every page of a bargaining session (/sessions/:id and the pages under it): the
 * session's title and step, and the tabs to its pages that the actor may open, decided by the
 * projection (getSessionFrame). Each page under it still checks its own access in its own loader:
 * Remix runs the loaders side by side, so a child never relies on this one.
 */
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireActor } from "~/auth/actor.server.ts";
import { runLoader, sessionIdParam } from "~/http/forms.server.ts";
import { getSessionFrame } from "~/models/agreement.server.ts";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: ({ data }) => (data as { title: string }).title };

export function headers() {
  return { "Cache-Control": "private, no-store" };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireActor(request);
  return runLoader(async () => {
    const frame = await getSessionFrame({ actor, sessionId: sessionIdParam(params) });
    return json(frame, { headers: { "Cache-Control": "private, no-store" } });
  });
}

export default function SessionLayout() {
  const frame = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const base = `/sessions/${frame.id}`;
  return (
    <>
      <nav className="session-frame" aria-label={t("sessionFrame.label")}>
        <p className="breadcrumbs">
          <Link to="/sessions">{t("sessions.title")}</Link> › {frame.pages.overview ? <Link to={base}>{frame.title}</Link> : frame.title} · {t(`state.${frame.state}`)}
        </p>
        <ul className="session-tabs">
          {frame.pages.overview ? (
            <li>
              <NavLink to={base} end>
                {t("sessionFrame.overview")}
              </NavLink>
            </li>
          ) : null}
          {frame.pages.draft ? (
            <li>
              <NavLink to={`${base}/draft`}>{t("sessionFrame.draft")}</NavLink>
            </li>
          ) : null}
          {frame.pages.versions ? (
            <li>
              <NavLink to={`${base}/versions`}>{t("sessionFrame.versions")}</NavLink>
            </li>
          ) : null}
          {frame.pages.agreement ? (
            <li>
              <NavLink to={`${base}/agreement`}>{t("sessionFrame.agreement")}</NavLink>
            </li>
          ) : null}
          {frame.pages.disputes ? (
            <li>
              <NavLink to={`${base}/disputes`}>{t("disputes.tab")}</NavLink>
            </li>
          ) : null}
          {frame.pages.caucus.map((side) => (
            <li key={side}>
              <NavLink to={`${base}/caucus/${side.toLowerCase()}`}>{t("caucus.linkFor", { side: t(`side.${side}`) })}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
