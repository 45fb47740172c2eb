/**
 * What the complaint pages and the notice share (issue 25): a clause's name as the terms table
 * shows it, a case's step as a badge, and the per-clause figures with small counts hidden.
 */
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { Clause, ClauseFigures, ShownCount } from "~/domain/complaints.ts";
import { termLabelKey } from "~/domain/industries.ts";
import type { TermKey } from "~/domain/terms.ts";

/** The clause as the notice's terms table names it (a penalty rule by its kind). */
export function clauseLabel(t: TFunction, clause: Pick<Clause, "kind" | "key" | "penaltyKind">, industry: string): string {
  if (clause.kind === "penalty") return t("complaint.penaltyClause", { kind: t(`penaltyKind.${clause.penaltyKind}`) });
  if (clause.kind === "structured") return t(`notice.structured.${clause.key}`);
  return t(termLabelKey(industry, clause.key as TermKey));
}

export function CaseStateBadge({ state }: { state: string }) {
  const { t } = useTranslation();
  const closed = state === "ACCEPTED" || state === "RESOLVED" || state === "CLOSED_BY_BUREAU";
  return (
    <strong className={closed ? "badge badge-ok" : state === "FILED" || state === "ANSWERED" ? "badge" : "badge badge-warn"} data-testid="case-state">
      {t(`complaint.state.${state}`)}
    </strong>
  );
}

export function shownCountText(t: TFunction, count: ShownCount): string {
  return "exact" in count ? String(count.exact) : t("complaint.fewerThan", { count: count.fewerThan });
}

/**
 * The notice's complaint figures: per clause, received, answered in time, the median hours. Each
 * row links to filing about that clause while the notice is in force.
 */
export function ComplaintFiguresTable({ figures, labels, fileHref }: { figures: readonly ClauseFigures[]; labels: Record<string, string>; fileHref: ((clause: string) => string) | null }) {
  const { t } = useTranslation();
  return (
    <table className="data-table complaint-figures" data-testid="complaint-figures">
      <caption>{t("complaint.figuresCaption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("complaint.clause")}</th>
          <th scope="col">{t("complaint.received")}</th>
          <th scope="col">{t("complaint.inTime")}</th>
          <th scope="col">{t("complaint.medianHours")}</th>
        </tr>
      </thead>
      <tbody>
        {figures.map((row) => (
          <tr key={row.clause} data-clause={row.clause}>
            <th scope="row">
              {labels[row.clause] ?? row.clause}
              {fileHref ? (
                <>
                  {" "}
                  <a href={fileHref(row.clause)}>{t("complaint.fileAboutThis")}</a>
                </>
              ) : null}
            </th>
            <td data-label={t("complaint.received")}>{shownCountText(t, row.received)}</td>
            <td data-label={t("complaint.inTime")}>{shownCountText(t, row.answeredInTime)}</td>
            <td data-label={t("complaint.medianHours")}>{row.medianHoursToAnswer === null ? t("complaint.medianHidden") : t("complaint.hours", { hours: row.medianHoursToAnswer })}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
