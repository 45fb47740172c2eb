/** Small pieces of the bargaining-session pages. */
import { useTranslation } from "react-i18next";
import { formatDeadline } from "./names.ts";

const DAY = 24 * 60 * 60 * 1000;

/** "Answer due 2026-12-01 (in 5 days)" / "(overdue by 2 days)", with the deadline's kind. */
export function DeadlineText({ deadline, now }: { deadline: { kind: string; dueAt: string | Date; overdue: boolean; provisional?: boolean }; now: string | Date }) {
  const { t, i18n } = useTranslation();
  const due = new Date(deadline.dueAt);
  // Calendar days in China time (UTC+8 all year) from today to the last day of the period: a period
  // ends at 24:00 of its last day, stored as 00:00 of the next (app/domain/periods.ts).
  const chinaDay = (instant: number) => Math.floor((instant + 8 * 60 * 60 * 1000) / DAY);
  const days = chinaDay(due.getTime() - 1) - chinaDay(new Date(now).getTime());
  return (
    <span className={deadline.overdue ? "deadline overdue" : "deadline"}>
      {t(`deadline.${deadline.kind}`)}
      {t("common.colon")}
      <time dateTime={due.toISOString()}>{formatDeadline(due, i18n.language)}</time>
      {t("common.parenOpen")}
      {deadline.overdue ? t("deadline.overdueBy", { count: Math.max(1, -days) }) : t("deadline.inDays", { count: Math.max(0, days) })}
      {t("common.parenClose")}
      {/* Counted into a year without the State Council's holiday arrangement: weekends only, to be confirmed. */}
      {deadline.provisional ? <span className="meta"> {t("deadline.provisional")}</span> : null}
    </span>
  );
}
