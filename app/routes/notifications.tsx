import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireActor } from "~/auth/actor.server.ts";
import { formatDateTime } from "~/components/names.ts";
import { readableTimes } from "~/i18n/dates.ts";
import { listNotifications, markNotificationsRead } from "~/models/notifications.server.ts";
import { listMySessions } from "~/models/session.server.ts";
import { NextActionsList } from "~/components/next-actions.tsx";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: "notifications.title" };

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireActor(request);
  // What waits on the user heads the page, from the same function as the dashboard (issue 23, item 1).
  return json({ notifications: await listNotifications({ actor }), sessions: await listMySessions({ actor }) });
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requireActor(request);
  // Read the (ignored) form, so that the connection survives a large body (see routes/logout).
  await request.arrayBuffer().catch(() => null);
  await markNotificationsRead({ actor });
  return redirect("/notifications");
}

export default function Notifications() {
  const { notifications, sessions } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <>
      <div className="title-row">
        <h1>{t("notifications.title")}</h1>
        <Link to="/settings/notifications">{t("mailSettings.link")}</Link>
        {notifications.some((notification) => !notification.readAt) ? (
          <Form method="post">
            <button type="submit" className="button-secondary">
              {t("notifications.markAllRead")}
            </button>
          </Form>
        ) : null}
      </div>
      <NextActionsList sessions={sessions} headingId="needs-me" />
      <h2>{t("notifications.received")}</h2>
      {notifications.length === 0 ? (
        <p>{t("notifications.empty")}</p>
      ) : (
        <ul className="card-list">
          {notifications.map((notification) => {
            const { payload } = notification;
            const values = { ...readableTimes(payload, i18n.language), to: payload.to ? t(`state.${String(payload.to)}`) : "", title: notification.session?.title ?? "" };
            return (
              <li key={notification.id} className={notification.readAt ? "card" : "card unread"}>
                {notification.session ? (
                  // Some notifications point at a page of their own (a vote for representatives outside the session).
                  <Link to={typeof payload.href === "string" && payload.href.startsWith("/") ? payload.href : `/sessions/${notification.session.id}`}>{notification.session.title}</Link>
                ) : null}
                {!notification.session && typeof payload.href === "string" && payload.href.startsWith("/") ? (
                  <Link to={payload.href}>{t(`notifications.type.${notification.type}`, values)}</Link>
                ) : (
                  <span>{t(`notifications.type.${notification.type}`, values)}</span>
                )}
                <span className="meta">
                  {formatDateTime(notification.createdAt, i18n.language)}
                  {notification.readAt ? "" : ` · ${t("notifications.unread")}`}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
