/**
 * The algorithm register (the `algorithms` term), edited as structured terms: one entry per
 * automated system. Text is written to the draft when a field loses focus, after the whole register
 * passes the schema the server uses; what is still missing is shown per entry, not refused.
 */
import { useState } from "react";
import type * as Y from "yjs";
import { useTranslation } from "react-i18next";
import { useTerm } from "./use-terms.ts";
import { FieldChecks } from "./RuleChecks.tsx";
import type { CheckResult } from "~/domain/rule-checks.ts";
import { ALGORITHM_KINDS, ESTIMATE_POLICIES, algorithmRegisterSchema, emptyEntry, missingParts, type AlgorithmEntry, type AlgorithmKind } from "~/domain/algorithm-register.ts";
import { typedIssueMessage } from "~/domain/validation.ts";

type Draft = Omit<AlgorithmEntry, "parameters" | "reviewAnswerDays"> & { parameters: Array<{ name: string; weight: string }>; reviewAnswerDays: string };

const toDraft = (entry: AlgorithmEntry): Draft => ({
  ...entry,
  parameters: entry.parameters.map((parameter) => ({ name: parameter.name, weight: String(parameter.weightBp / 100) })),
  reviewAnswerDays: String(entry.reviewAnswerDays),
});

export function AlgorithmRegisterEditor({ terms, canEdit, checks }: { terms: Y.Map<unknown>; canEdit: boolean; checks: CheckResult[] }) {
  const { t } = useTranslation();
  const stored = useTerm<AlgorithmEntry[]>(terms, "algorithms") ?? [];
  const [draft, setDraft] = useState<Draft[] | null>(null);
  const [error, setError] = useState<{ key: string; values: Record<string, number> } | null>(null);
  const [newKind, setNewKind] = useState<AlgorithmKind>("DISPATCH");
  const entries = draft ?? stored.map(toDraft);

  const save = (next: Draft[]) => {
    const badNumber = next.some((entry) => !/^\d+$/.test(entry.reviewAnswerDays.trim()) || entry.parameters.some((parameter) => !/^\d+(\.\d{1,2})?$/.test(parameter.weight.trim())));
    const parsed = badNumber
      ? null
      : algorithmRegisterSchema.safeParse(
          next.map((entry) => ({
            ...entry,
            parameters: entry.parameters.map((parameter) => ({ name: parameter.name, weightBp: Math.round(Number(parameter.weight) * 100) })),
            reviewAnswerDays: Number(entry.reviewAnswerDays),
          })),
        );
    if (!parsed?.success) {
      setDraft(next);
      setError(badNumber || !parsed ? { key: "validation.number", values: {} } : typedIssueMessage(parsed.error.issues[0]!));
      return;
    }
    setDraft(null);
    setError(null);
    terms.set("algorithms", parsed.data);
  };
  const edit = (index: number, patch: Partial<Draft>) => setDraft(entries.map((entry, i) => (i === index ? { ...entry, ...patch } : entry)));
  const commit = () => draft && save(draft);

  return (
    <section aria-labelledby="register-title" className="algorithm-register" data-testid="algorithm-register">
      <h3 id="register-title">{t("register.title")}</h3>
      <p className="meta">{t("register.intro")}</p>
      {entries.length === 0 ? <p>{t("register.none")}</p> : null}
      {entries.map((entry, index) => {
        const parsed = algorithmRegisterSchema.element.safeParse({ ...entry, parameters: entry.parameters.map((p) => ({ name: p.name, weightBp: Math.round(Number(p.weight) * 100) || 0 })), reviewAnswerDays: Number(entry.reviewAnswerDays) || 1 });
        const missing = parsed.success ? missingParts(parsed.data) : [];
        const sum = entry.parameters.reduce((total, parameter) => total + (Number(parameter.weight) || 0), 0);
        return (
          <fieldset key={index} className="register-entry">
            <legend>
              {t(`algorithmKind.${entry.kind}`)}
              {entry.name ? ` · ${entry.name}` : ""}
            </legend>
            <label className="field">
              {t("register.name")}
              <input value={entry.name} readOnly={!canEdit} maxLength={80} onChange={(event) => edit(index, { name: event.target.value })} onBlur={commit} />
            </label>
            <label className="field">
              {t("register.decides")}
              <textarea value={entry.decides} readOnly={!canEdit} maxLength={500} rows={2} onChange={(event) => edit(index, { decides: event.target.value })} onBlur={commit} />
            </label>
            {entry.kind === "TIME_ESTIMATE" ? (
              <label className="field">
                {t("register.estimatePolicy")}
                <select value={entry.estimatePolicy ?? "MEDIAN"} disabled={!canEdit} onChange={(event) => save(entries.map((e, i) => (i === index ? { ...e, estimatePolicy: event.target.value as Draft["estimatePolicy"] } : e)))}>
                  {ESTIMATE_POLICIES.map((policy) => (
                    <option key={policy} value={policy}>
                      {t(`estimatePolicy.${policy}`)}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <table className="data-table">
              <caption>{t("register.parameters")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("register.parameterName")}</th>
                  <th scope="col">{t("register.weight")}</th>
                  {canEdit ? <th scope="col">{t("orgs.actions")}</th> : null}
                </tr>
              </thead>
              <tbody>
                {entry.parameters.map((parameter, p) => (
                  <tr key={p}>
                    <td data-label={t("register.parameterName")}>
                      <input aria-label={t("register.parameterName")} value={parameter.name} readOnly={!canEdit} maxLength={60} onChange={(event) => edit(index, { parameters: entry.parameters.map((q, j) => (j === p ? { ...q, name: event.target.value } : q)) })} onBlur={commit} />
                    </td>
                    <td data-label={t("register.weight")}>
                      <input aria-label={t("register.weight")} inputMode="decimal" size={5} value={parameter.weight} readOnly={!canEdit} onChange={(event) => edit(index, { parameters: entry.parameters.map((q, j) => (j === p ? { ...q, weight: event.target.value } : q)) })} onBlur={commit} />
                    </td>
                    {canEdit ? (
                      <td data-label={t("orgs.actions")}>
                        <button type="button" className="button-danger" onClick={() => save(entries.map((e, i) => (i === index ? { ...e, parameters: e.parameters.filter((_, j) => j !== p) } : e)))}>
                          {t("register.removeParameter")}
                        </button>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="meta">{t("register.weightsSum", { sum: Math.round(sum * 100) / 100 })}</p>
            {canEdit ? (
              <button type="button" className="button-secondary" onClick={() => save(entries.map((e, i) => (i === index ? { ...e, parameters: [...e.parameters, { name: "", weight: "0" }] } : e)))}>
                {t("register.addParameter")}
              </button>
            ) : null}
            <label className="field">
              {t("register.humanReview")}
              <textarea value={entry.humanReview} readOnly={!canEdit} maxLength={300} rows={2} onChange={(event) => edit(index, { humanReview: event.target.value })} onBlur={commit} />
            </label>
            <label className="field">
              {t("register.reviewAnswerDays")}
              <input inputMode="numeric" value={entry.reviewAnswerDays} readOnly={!canEdit} onChange={(event) => edit(index, { reviewAnswerDays: event.target.value })} onBlur={commit} />
            </label>
            {missing.length ? (
              <p className="rule-warning">
                {t("register.missing")} {missing.map((part) => t(`register.part.${part}`)).join(t("common.listSeparator"))}
              </p>
            ) : null}
            {canEdit ? (
              <button type="button" className="button-danger" onClick={() => save(entries.filter((_, i) => i !== index))}>
                {t("register.remove")}
              </button>
            ) : null}
          </fieldset>
        );
      })}
      {error ? (
        <p className="field-errors" role="alert">
          {t(error.key, error.values)}
        </p>
      ) : null}
      {canEdit ? (
        <p className="inline-form">
          <label>
            {t("register.kind")}{" "}
            <select value={newKind} onChange={(event) => setNewKind(event.target.value as AlgorithmKind)}>
              {ALGORITHM_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`algorithmKind.${kind}`)}
                </option>
              ))}
            </select>
          </label>{" "}
          <button type="button" className="button-secondary" onClick={() => save([...entries, toDraft(emptyEntry(newKind))])}>
            {t("register.add")}
          </button>
        </p>
      ) : null}
      <FieldChecks results={checks.filter((check) => check.field === "algorithms")} />
    </section>
  );
}
