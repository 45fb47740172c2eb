/**
 * Reward rules (the `rewardRules` term, issue 22): what each reward is for, its amount and its
 * condition in words. An empty list states that there are none (distinct from not stated). Rows
 * are written to the draft only when the whole list passes the schema the server uses; otherwise
 * they stay as typed, with the error.
 */
import { useState } from "react";
import type * as Y from "yjs";
import { useTranslation } from "react-i18next";
import { useTerm } from "./use-terms.ts";
import { FieldChecks } from "./RuleChecks.tsx";
import type { CheckResult } from "~/domain/rule-checks.ts";
import { REWARD_KINDS, rewardRulesSchema, type RewardRule } from "~/domain/terms.ts";

type RowDraft = { kind: string; amount: string; condition: string };

const toDraft = (rule: RewardRule): RowDraft => ({ kind: rule.kind, amount: (rule.amountFen / 100).toFixed(2), condition: rule.condition });
const money = /^\d+(\.\d{1,2})?$/;

export function RewardRulesEditor({ terms, canEdit, checks }: { terms: Y.Map<unknown>; canEdit: boolean; checks: CheckResult[] }) {
  const { t } = useTranslation();
  const stored = useTerm<RewardRule[]>(terms, "rewardRules");
  const [draft, setDraft] = useState<RowDraft[] | null>(null);
  const [error, setError] = useState<{ key: string; values?: Record<string, number> } | null>(null);
  const rows = draft ?? (stored ?? []).map(toDraft);

  const save = (next: RowDraft[]) => {
    const badNumber = next.some((row) => !money.test(row.amount.trim()));
    const parsed = badNumber ? null : rewardRulesSchema.safeParse(next.map((row) => ({ kind: row.kind, amountFen: Math.round(Number(row.amount) * 100), condition: row.condition })));
    if (!parsed?.success) {
      setDraft(next);
      const issue = parsed?.error.issues[0];
      setError(badNumber ? { key: "validation.money" } : { key: issue?.message ?? "validation.invalid", values: issue?.code === "too_big" ? { max: Number(issue.maximum) } : undefined });
      return;
    }
    setDraft(null);
    setError(null);
    terms.set("rewardRules", parsed.data);
  };
  const edit = (index: number, patch: Partial<RowDraft>) => setDraft(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));

  return (
    <section aria-labelledby="reward-rules-title" className="penalty-rules" data-testid="reward-rules">
      <h3 id="reward-rules-title">{t("rewardRules.title")}</h3>
      <p className="meta">{t("rewardRules.intro")}</p>
      {stored === undefined && rows.length === 0 ? <p>{t("rewardRules.none")}</p> : null}
      {stored !== undefined && stored.length === 0 && rows.length === 0 ? <p>{t("rewardRules.noneAgreed")}</p> : null}
      {rows.map((row, index) => (
        <fieldset key={index} className="penalty-rule">
          <legend>{t(`rewardKind.${row.kind}`)}</legend>
          <label className="field">
            {t("rewardRules.kind")}
            <select value={row.kind} disabled={!canEdit} onChange={(event) => save(rows.map((r, i) => (i === index ? { ...r, kind: event.target.value } : r)))}>
              {REWARD_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`rewardKind.${kind}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            {t("rewardRules.amount")}
            <input inputMode="decimal" value={row.amount} readOnly={!canEdit} onChange={(event) => edit(index, { amount: event.target.value })} onBlur={() => draft && save(draft)} />
          </label>
          <label className="field">
            {t("rewardRules.condition")}
            <input value={row.condition} maxLength={400} readOnly={!canEdit} onChange={(event) => edit(index, { condition: event.target.value })} onBlur={() => draft && save(draft)} />
          </label>
          {canEdit ? (
            <button type="button" className="button-danger" onClick={() => save(rows.filter((_, i) => i !== index))}>
              {t("rewardRules.remove")}
            </button>
          ) : null}
        </fieldset>
      ))}
      {error ? (
        <p className="field-errors" role="alert">
          {t(error.key, error.values ?? {})}
        </p>
      ) : null}
      {canEdit ? (
        <p className="actions">
          {rows.length < 10 ? (
            <button type="button" className="button-secondary" onClick={() => setDraft([...rows, { kind: "ORDER_COUNT", amount: "0.00", condition: "" }])}>
              {t("rewardRules.add")}
            </button>
          ) : null}
          {stored === undefined && rows.length === 0 ? (
            <button type="button" className="button-secondary" onClick={() => save([])}>
              {t("rewardRules.stateNone")}
            </button>
          ) : null}
        </p>
      ) : null}
      <FieldChecks results={checks.filter((check) => check.field === "rewardRules")} />
    </section>
  );
}
