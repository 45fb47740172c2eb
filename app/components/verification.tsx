import { useTranslation } from "react-i18next";

/** An organization's verification status, as a badge that says what it means (issue 18). */
export function VerificationBadge({ status, creditCode }: { status: string; creditCode?: string | null }) {
  const { t } = useTranslation();
  const verified = status === "VERIFIED";
  return (
    <span className={verified ? "badge badge-ok" : "badge badge-warn"} title={t(`verification.hint.${status}`)} data-verification={status}>
      {t(`verification.status.${status}`)}
      {verified && creditCode ? <span className="visually-hidden"> {t("verification.creditCode")} {creditCode}</span> : null}
    </span>
  );
}
