/**
 * One rule per penalty (the `penaltyRules` term): amount each time, monthly cap, appeal window and
 * the causes for which it is never applied. Rows are edited as typed and written to the draft only
 * when the whole list passes the schema the server uses; otherwise they stay, with the error.
 */
import { useState } from "react";
import type * as Y from "yjs";
import { useTranslation } from "react-i18next";
import { useTerm } from "./use-terms.ts";
import { FieldChecks } from "./RuleChecks.tsx";
import type { CheckResult } from "~/domain/rule-checks.ts";
import { EXCLUDED_CAUSES, PENALTY_KINDS, penaltyRulesSchema, type PenaltyRule } from "~/domain/terms.ts";
import { typedIssueMessage } from "~/domain/validation.ts";

type RowDraft = { kind: string; amount: string; monthlyCap: string; appealWindow: string; excludedCauses: string[] };

const toDraft = (rule: PenaltyRule): RowDraft => ({
  kind: rule.kind,
  amount: (rule.amountFen / 100).toFixed(2),
  monthlyCap: (rule.monthlyCapFen / 100).toFixed(2),
  appealWindow: String(rule.appealWindowDays),
  excludedCauses: rule.excludedCauses,
});
const money = /^\d+(\.\d{1,2})?$/;

export function PenaltyRulesEditor({ terms, canEdit, checks }: { terms: Y.Map<unknown>; canEdit: boolean; checks: CheckResult[] }) {
  const { t } = useTranslation();
  const stored = useTerm<PenaltyRule[]>(terms, "penaltyRules") ?? [];
  const [draft, setDraft] = useState<RowDraft[] | null>(null);
  const [error, setError] = useState<{ key: string; values: Record<string, number> } | null>(null);
  const rows = draft ?? stored.map(toDraft);

  const save = (next: RowDraft[]) => {
    const badNumber = next.some((row) => !money.test(row.amount.trim()) || !money.test(row.monthlyCap.trim()) || !/^\d+$/.test(row.appealWindow.trim()));
    const parsed = badNumber
      ? null
      : penaltyRulesSchema.safeParse(
          next.map((row) => ({
            kind: row.kind,
            amountFen: Math.round(Number(row.amount) * 100),
            monthlyCapFen: Math.round(Number(row.monthlyCap) * 100),
            appealWindowDays: Number(row.appealWindow),
            excludedCauses: row.excludedCauses,
          })),
        );
    if (!parsed?.success) {
      setDraft(next);
      const badMoney = next.some((row) => !money.test(row.amount.trim()) || !money.test(row.monthlyCap.trim()));
      setError(badNumber || !parsed ? { key: badMoney ? "validation.money" : "validation.number", values: {} } : typedIssueMessage(parsed.error.issues[0]!));
      return;
    }
    setDraft(null);
    setError(null);
    terms.set("penaltyRules", parsed.data);
  };
  const edit = (index: number, patch: Partial<RowDraft>) => setDraft(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  const unused = PENALTY_KINDS.filter((kind) => !rows.some((row) => row.kind === kind));

  return (
    <section aria-labelledby="penalty-rules-title" className="penalty-rules" data-testid="penalty-rules">
      <h3 id="penalty-rules-title">{t("penaltyRules.title")}</h3>
      <p className="meta">{t("penaltyRules.intro")}</p>
      {rows.length === 0 ? <p>{t("penaltyRules.none")}</p> : null}
      {rows.map((row, index) => (
        <fieldset key={index} className="penalty-rule">
          <legend>{t(`penaltyKind.${row.kind}`)}</legend>
          <label className="field">
            {t("penaltyRules.kind")}
            <select value={row.kind} disabled={!canEdit} onChange={(event) => save(rows.map((r, i) => (i === index ? { ...r, kind: event.target.value } : r)))}>
              {PENALTY_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`penaltyKind.${kind}`)}
                </option>
              ))}
            </select>
          </label>
          {(["amount", "monthlyCap", "appealWindow"] as const).map((field) => (
            <label key={field} className="field">
              {t(`penaltyRules.${field}`)}
              <input inputMode="decimal" value={row[field]} readOnly={!canEdit} onChange={(event) => edit(index, { [field]: event.target.value })} onBlur={() => draft && save(draft)} />
            </label>
          ))}
          <fieldset className="checkbox-group">
            <legend>{t("penaltyRules.excluded")}</legend>
            {EXCLUDED_CAUSES.map((cause) => (
              <label key={cause} className="checkbox">
                <input
                  type="checkbox"
                  checked={row.excludedCauses.includes(cause)}
                  disabled={!canEdit}
                  onChange={(event) => {
                    const next = event.target.checked ? [...row.excludedCauses.filter((c) => c !== cause), cause] : row.excludedCauses.filter((c) => c !== cause);
                    save(rows.map((r, i) => (i === index ? { ...r, excludedCauses: next } : r)));
                  }}
                />
                {t(`cause.${cause}`)}
              </label>
            ))}
          </fieldset>
          {canEdit ? (
            <button type="button" className="button-danger" onClick={() => save(rows.filter((_, i) => i !== index))}>
              {t("penaltyRules.remove")}
            </button>
          ) : null}
        </fieldset>
      ))}
      {error ? (
        <p className="field-errors" role="alert">
          {t(error.key, error.values)}
        </p>
      ) : null}
      {canEdit && unused.length ? (
        <button
          type="button"
          className="button-secondary"
          onClick={() => save([...rows, { kind: unused[0]!, amount: "2.00", monthlyCap: "50.00", appealWindow: "7", excludedCauses: ["TRAFFIC_CONTROL", "BAD_WEATHER", "MERCHANT_DELAY", "BUILDING_ACCESS"] }])}
        >
          {t("penaltyRules.add")}
        </button>
      ) : null}
      <FieldChecks results={checks.filter((check) => check.field === "penaltyRules")} />
    </section>
  );
}
