/** Live rule-check results for the draft's terms: next to each field, and as a list. */
import { useTranslation } from "react-i18next";
import type { CheckResult } from "~/domain/rule-checks.ts";
import { inLanguage } from "~/i18n/values.ts";

export function FieldChecks({ results }: { results: CheckResult[] }) {
  const { t, i18n } = useTranslation();
  if (!results.length) return null;
  return (
    <ul className="rule-results">
      {results.map((result, index) => (
        <li key={index} className={`rule-${result.severity}`} data-severity={result.severity}>
          <strong>{t(`rules.severity.${result.severity}`)}</strong> {t(result.messageKey, inLanguage(result.values ?? {}, i18n.language))}{" "}
          <span className="meta">{t("rules.source", { source: i18n.language === "en" ? result.source.en : result.source.zh })}</span>
        </li>
      ))}
    </ul>
  );
}

export function ChecksSummary({ results, pending = false }: { results: CheckResult[]; pending?: boolean }) {
  const { t } = useTranslation();
  const blocking = results.filter((result) => result.severity === "blocking");
  if (pending) {
    return (
      <section aria-labelledby="rules-title" className="rules-summary" data-testid="rule-summary" aria-busy="true">
        <h2 id="rules-title">{t("rules.title")}</h2>
        <p className="meta" data-testid="rule-summary-pending">{t("rules.pending")}</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="rules-title" className="rules-summary" data-testid="rule-summary">
      <h2 id="rules-title">{t("rules.title")}</h2>
      {blocking.length === 0 && !results.some((result) => result.severity === "warning") ? <p className="notice">{t("rules.allClear")}</p> : null}
      <FieldChecks results={[...blocking, ...results.filter((result) => result.severity === "warning"), ...results.filter((result) => result.severity === "info")]} />
    </section>
  );
}
