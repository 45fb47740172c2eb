/**
 * What waits on the user (app/domain/next-actions.ts), per session: the dashboard's "needs my
 * action" and the top of the notifications page show the same list.
 */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatDeadline } from "~/i18n/dates.ts";

/** Actions taken on the agreement page (vote, signatures, filing, review); the rest on the session page. */
const ON_AGREEMENT_PAGE = new Set(["vote", "sign", "file", "review", "answerObjection", "moderateFeedback"]);

type Item = { id: string; title: string; actions: Array<{ kind: string; dueAt: string | Date | null }> };

export function NextActionsList({ sessions, headingId }: { sessions: Item[]; headingId: string }) {
  const { t, i18n } = useTranslation();
  const needsMe = sessions.filter((session) => session.actions.length > 0);
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{t("sessions.needsMe")}</h2>
      {needsMe.length === 0 ? (
        <p>{t("sessions.nothingNeedsMe")}</p>
      ) : (
        <ul className="card-list" data-testid="needs-me">
          {needsMe.map((session) => (
            <li key={session.id} className="card" data-session={session.id}>
              <strong>{session.title}</strong>
              <ul className="action-list">
                {session.actions.map((action) => (
                  <li key={action.kind} data-action={action.kind}>
                    <Link to={`/sessions/${session.id}${ON_AGREEMENT_PAGE.has(action.kind) ? "/agreement" : ""}`}>{t(`sessions.action.${action.kind}`)}</Link>
                    {action.dueAt ? (
                      <span className="meta">
                        {" · "}
                        {t("sessions.actionDue", { due: formatDeadline(action.dueAt, i18n.language) })}
                      </span>
                    ) : null}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
