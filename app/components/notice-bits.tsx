/**
 * Pieces shared by the agreement page and the public notice pages: the terms as a readable table,
 * "what changed" in plain sentences, the vote's tally. Plain server-renderable markup, no state.
 */
import { useTranslation } from "react-i18next";
import type { WhatChanged } from "~/domain/notice.ts";
import { STRUCTURED_TERM_KEYS } from "~/domain/draft-text.ts";
import { TERM_FIELDS, TERM_KEYS, formatTermValue, type TermKey } from "~/domain/terms.ts";
import { summarizeStructuredTerm } from "./term-summary.ts";
import { industryProfile, termLabelKey } from "~/domain/industries.ts";

/** A numeric term with its unit, as a worker reads it (yuan, %, minutes, days). */
export function useTermText() {
  const { t } = useTranslation();
  return (key: string, value: number | null) => {
    if (value === null) return "—";
    const field = TERM_FIELDS[key as TermKey];
    if (!field) return String(value);
    const shown = formatTermValue(key as TermKey, value);
    switch (field.unit) {
      case "fen":
        return t("notice.yuan", { value: shown });
      case "bp":
        return t("notice.percent", { value: shown });
      case "minutes":
        return t("notice.minutes", { value: shown });
      case "days":
        return t("notice.days", { value: shown });
      case "hours":
        return t("notice.hours", { value: shown });
      default:
        return `${shown} ${t(`termUnit.${field.unit}`)}`;
    }
  };
}

/**
 * The terms as a table. With the agreement's industry, only that industry's terms, named as the
 * industry names them (app/domain/industries.ts); a term stated outside them is still shown, so
 * nothing signed is hidden.
 */
export function TermsTable({ terms, caption, industry }: { terms: Record<string, unknown>; caption: string; industry?: string }) {
  const { t } = useTranslation();
  const text = useTermText();
  const profile = industry ? industryProfile(industry) : null;
  const order = profile ? [...profile.numeric, ...TERM_KEYS.filter((key) => !profile.numeric.includes(key))] : TERM_KEYS;
  const numeric = order.filter((key) => typeof terms[key] === "number");
  const structured = STRUCTURED_TERM_KEYS.filter((key) => terms[key] !== undefined && terms[key] !== null);
  const label = (key: TermKey) => (industry ? t(termLabelKey(industry, key)) : t(`term.${key}`));
  return (
    <table className="data-table terms-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("notice.term")}</th>
          <th scope="col">{t("notice.value")}</th>
        </tr>
      </thead>
      <tbody>
        {numeric.map((key) => (
          <tr key={key}>
            <th scope="row">{label(key)}</th>
            <td>{text(key, terms[key] as number)}</td>
          </tr>
        ))}
        {structured.map((key) => (
          <tr key={key}>
            <th scope="row">{t(`notice.structured.${key}`)}</th>
            <td>{summarizeStructuredTerm(t, key, terms[key])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function WhatChangedList({ changes, downloads }: { changes: WhatChanged; downloads?: { before: string; after: string } }) {
  const { t } = useTranslation();
  const text = useTermText();
  if (changes.first) {
    return (
      <>
        <p>{t("notice.firstVersion")}</p>
        <ul className="changes" data-testid="what-changed">
          {changes.terms.map((change) => (
            <li key={change.key}>{t("notice.termNew", { term: t(`term.${change.key}`), after: text(change.key, change.after) })}</li>
          ))}
        </ul>
      </>
    );
  }
  return (
    <>
      <ul className="changes" data-testid="what-changed">
        {changes.terms.map((change) => (
          <li key={change.key}>
            {change.after === null
              ? t("notice.termRemoved", { term: t(`term.${change.key}`), before: text(change.key, change.before) })
              : change.before === null
                ? t("notice.termNew", { term: t(`term.${change.key}`), after: text(change.key, change.after) })
                : t("notice.termChange", { term: t(`term.${change.key}`), before: text(change.key, change.before), after: text(change.key, change.after) })}
          </li>
        ))}
        {changes.structured.map((change) => (
          <li key={change.key}>{t("notice.structuredChanged", { term: t(`notice.structured.${change.key}`) })}</li>
        ))}
        {changes.terms.length === 0 && changes.structured.length === 0 ? <li>{t("notice.noTermChange")}</li> : null}
      </ul>
      {changes.paragraphs.length ? (
        <ul className="changes paragraphs">
          {changes.paragraphs.map((paragraph, index) => (
            <li key={index} className={`change-${paragraph.kind}`}>
              <strong>{paragraph.kind === "added" ? t("notice.paragraphAdded") : t("notice.paragraphRemoved")}</strong>
              {t("common.colon")}
              {paragraph.kind === "added" ? <ins>{paragraph.text}</ins> : <del>{paragraph.text}</del>}
            </li>
          ))}
        </ul>
      ) : null}
      {changes.textTooLarge ? (
        <p className="meta" data-testid="diff-too-large">
          {t("notice.diffTooLarge")}
          {downloads ? (
            <>
              {" "}
              <a href={downloads.before} download>{t("notice.downloadBefore")}</a> · <a href={downloads.after} download>{t("notice.downloadAfter")}</a>
            </>
          ) : null}
        </p>
      ) : null}
      {changes.text.length ? (
        <details>
          <summary>{t("notice.fullDiff")}</summary>
          <p className="diff-text">
            {changes.text.map((part, index) =>
              part.kind === "added" ? <ins key={index}>{part.text}</ins> : part.kind === "removed" ? <del key={index}>{part.text}</del> : <span key={index}>{part.text}</span>,
            )}
          </p>
        </details>
      ) : null}
    </>
  );
}

type Tally = { roll: number; attended: number; yes: number; no: number; abstain: number; attendanceNeeded: number; approvalNeeded: number; enterprises: Array<{ enterpriseId: string; roll: number; yes: number; approved: boolean }> };

/** The tally and the rule applied, as recorded when the vote closed. */
export function TallyText({ tally, rule, names }: { tally: Tally | null; rule: { scope?: string; source?: { zh: string; en: string } } | null; names: Record<string, string> }) {
  const { t, i18n } = useTranslation();
  if (!tally) return null;
  return (
    <div className="tally">
      <p>{t("ratification.tally", { ...tally })}</p>
      {rule?.scope === "AGREED_PER_ENTERPRISE" || rule?.scope === "INDUSTRY" ? (
        <ul>
          {tally.enterprises.map((enterprise) => (
            <li key={enterprise.enterpriseId}>
              {t("ratification.enterpriseTally", {
                name: names[enterprise.enterpriseId] ?? enterprise.enterpriseId,
                yes: enterprise.yes,
                roll: enterprise.roll,
                result: enterprise.approved ? t("ratification.enterpriseApproved") : t("ratification.enterpriseNotApproved"),
              })}
            </li>
          ))}
        </ul>
      ) : null}
      {rule?.scope ? <p className="meta">{t("ratification.rule", { rule: t(`ratification.rule${rule.scope}`) })}</p> : null}
      {rule?.source ? <p className="meta">{t("ratification.source", { source: i18n.language === "en" ? rule.source.en : rule.source.zh })}</p> : null}
    </div>
  );
}
