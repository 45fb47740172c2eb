/**
 * On the session page: when the worker side's proposal was declined, or not answered within the
 * 20 days (Provisions on Collective Contracts, art. 32), a short pointer for the worker side to the
 * disputes page, where it can record the refusal and refer it to the labour bureau (art. 56). Shown
 * only to whom the projection allows `referRefusal`, and only when app/domain/disputes.ts says it
 * can be referred. (No CJK in .tsx files: the articles are cited in English here.)
 */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { refusalReferable } from "~/domain/disputes.ts";
import type { SessionState, Side } from "~/domain/procedure.ts";

export function RefusalPointer({ allowed, session, now }: { allowed: boolean; session: { id: string; state: SessionState; proposerSide: Side; proposedAt: string | Date }; now: string | Date }) {
  const { t } = useTranslation();
  if (!allowed) return null;
  const referable = refusalReferable({ state: session.state, proposerSide: session.proposerSide, proposedAt: new Date(session.proposedAt) }, new Date(now));
  if (!referable.ok) return null;
  return (
    <p className="notice" data-testid="refusal-pointer">
      {t(`disputes.pointer.${referable.kind}`)} <Link to={`/sessions/${session.id}/disputes`}>{t("disputes.pointer.link")}</Link>
    </p>
  );
}
