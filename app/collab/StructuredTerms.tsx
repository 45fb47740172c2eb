/**
 * The structured terms that are more than one number: the piece-rate table (order type × distance
 * band × time band), the causes for which no penalty may be applied, and order-allocation
 * parameters. Each is one entry of the `terms` Y.Map, validated as a whole with the schema the
 * server uses before it is written.
 */
import { useState } from "react";
import * as Y from "yjs";
import { useTranslation } from "react-i18next";
import { useTerm, useTermsMap } from "./use-terms.ts";
import { FieldChecks } from "./RuleChecks.tsx";
import type { CheckResult } from "~/domain/rule-checks.ts";
import { allocationSchema, EXCLUDED_CAUSES, ORDER_TYPES, pieceRateTableSchema, TIME_BANDS } from "~/domain/terms.ts";

type Row = { orderType: (typeof ORDER_TYPES)[number]; fromMetres: number; toMetres: number; timeBand: (typeof TIME_BANDS)[number]; priceFen: number };
type Allocation = { medianEstimate: boolean; dispatchRadiusMetres: number; maxConcurrentOrders: number };


export function StructuredTerms({ doc, canEdit, checks, pieceRateTable = true }: { doc: Y.Doc; canEdit: boolean; checks: CheckResult[]; pieceRateTable?: boolean }) {
  const { t } = useTranslation();
  const terms = useTermsMap(doc);
  const rows = useTerm<Row[]>(terms, "pieceRateTable") ?? [];
  const causes = useTerm<string[]>(terms, "penaltyExcludedCauses") ?? [];
  const allocation = useTerm<Allocation>(terms, "allocation") ?? { medianEstimate: true, dispatchRadiusMetres: 3000, maxConcurrentOrders: 3 };
  const [draftRows, setDraftRows] = useState<Array<Record<string, string>> | null>(null);
  // The allocation's inputs are typed in their stored units (metres, orders), so a bound reads as stored.
  const [allocationError, setAllocationError] = useState<{ field: string; key: string; values: Record<string, number> } | null>(null);
  // Which row and column is wrong, and the message in the units typed (kilometres, yuan).
  const [error, setError] = useState<{ row: number; field: string; key: string; values: Record<string, number> } | null>(null);

  const shownRows = draftRows ?? rows.map((row) => ({ orderType: row.orderType, from: String(row.fromMetres / 1000), to: String(row.toMetres / 1000), timeBand: row.timeBand, price: (row.priceFen / 100).toFixed(2) }));

  const saveTable = (next: Array<Record<string, string>>) => {
    const candidate = next.map((row) => ({
      orderType: row.orderType,
      fromMetres: Math.round(Number(row.from) * 1000),
      toMetres: Math.round(Number(row.to) * 1000),
      timeBand: row.timeBand,
      priceFen: Math.round(Number(row.price) * 100),
    }));
    // Kilometres to three decimals (whole metres), yuan to two (whole fen).
    const pattern = { from: /^\d+(\.\d{1,3})?$/, to: /^\d+(\.\d{1,3})?$/, price: /^\d+(\.\d{1,2})?$/ } as const;
    for (const [index, row] of next.entries()) {
      for (const field of ["from", "to", "price"] as const) {
        if (!pattern[field].test((row[field] ?? "").trim())) {
          // The table stays as typed, with the error; the draft is not touched.
          setDraftRows(next);
          setError({ row: index, field, key: field === "price" ? "validation.money" : "draft.table.badDistance", values: {} });
          return;
        }
      }
    }
    const parsed = pieceRateTableSchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const column = String(issue.path[1] ?? "");
      const field = column === "fromMetres" ? "from" : column === "toMetres" ? "to" : column === "priceFen" ? "price" : column;
      const scale = field === "price" ? 100 : field === "from" || field === "to" ? 1000 : 1;
      const values: Record<string, number> = {};
      if (issue.code === "too_big") values.max = Number(issue.maximum) / scale;
      if (issue.code === "too_small") values.min = Number(issue.minimum) / scale;
      setDraftRows(next);
      setError({ row: typeof issue.path[0] === "number" ? issue.path[0] : -1, field, key: issue.message.startsWith("validation.") ? issue.message : "validation.invalid", values });
      return;
    }
    setError(null);
    setDraftRows(null);
    terms.set("pieceRateTable", parsed.data);
  };
  const edit = (index: number, field: string, value: string) => setDraftRows(shownRows.map((row, i) => (i === index ? { ...row, [field]: value } : row)));

  return (
    <section aria-labelledby="structured-title" className="structured-terms">
      <h2 id="structured-title">{t(pieceRateTable ? "draft.table.title" : "draft.causes.title")}</h2>
      {/* The piece-rate table is a food-delivery (and general) term: other industries price by their own fields (app/domain/industries.ts). */}
      {pieceRateTable ? (
      <>
      <table className="data-table piece-rate-table" data-testid="piece-rate-table">
        <thead>
          <tr>
            <th scope="col">{t("draft.table.orderType")}</th>
            <th scope="col">{t("draft.table.from")}</th>
            <th scope="col">{t("draft.table.to")}</th>
            <th scope="col">{t("draft.table.timeBand")}</th>
            <th scope="col">{t("draft.table.price")}</th>
            {canEdit ? <th scope="col">{t("orgs.actions")}</th> : null}
          </tr>
        </thead>
        <tbody>
          {shownRows.map((row, index) => (
            <tr key={index}>
              <td data-label={t("draft.table.orderType")}>
                <select aria-label={t("draft.table.orderType")} value={row.orderType} disabled={!canEdit} onChange={(event) => edit(index, "orderType", event.target.value)}>
                  {ORDER_TYPES.map((type) => (
                    <option key={type} value={type}>
                      {t(`orderType.${type}`)}
                    </option>
                  ))}
                </select>
              </td>
              {(["from", "to"] as const).map((field) => (
                <td key={field} data-label={t(`draft.table.${field}`)}>
                  <input aria-label={t(`draft.table.${field}`)} inputMode="decimal" size={5} {...(error?.row === index && error.field === field ? { "aria-invalid": true, "aria-describedby": "table-error" } : {})} value={row[field]} readOnly={!canEdit} onChange={(event) => edit(index, field, event.target.value)} onBlur={() => draftRows && saveTable(draftRows)} />
                </td>
              ))}
              <td data-label={t("draft.table.timeBand")}>
                <select aria-label={t("draft.table.timeBand")} value={row.timeBand} disabled={!canEdit} onChange={(event) => saveTable(shownRows.map((r, i) => (i === index ? { ...r, timeBand: event.target.value } : r)))}>
                  {TIME_BANDS.map((band) => (
                    <option key={band} value={band}>
                      {t(`timeBand.${band}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td data-label={t("draft.table.price")}>
                <input aria-label={t("draft.table.price")} inputMode="decimal" size={6} {...(error?.row === index && error.field === "price" ? { "aria-invalid": true, "aria-describedby": "table-error" } : {})} value={row.price} readOnly={!canEdit} onChange={(event) => edit(index, "price", event.target.value)} onBlur={() => draftRows && saveTable(draftRows)} />
              </td>
              {canEdit ? (
                <td data-label={t("orgs.actions")}>
                  <button type="button" className="button-danger" onClick={() => saveTable(shownRows.filter((_, i) => i !== index))}>
                    {t("draft.table.remove")}
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {error ? (
        <p className="field-errors" role="alert" id="table-error" data-testid="table-error">
          {error.row >= 0 && ["from", "to", "price"].includes(error.field)
            ? t("draft.table.errorAt", { row: error.row + 1, field: t(`draft.table.${error.field}`), message: t(error.key, error.values) })
            : t(error.key, error.values)}
        </p>
      ) : null}
      <FieldChecks results={checks.filter((check) => check.field === "pieceRateTable")} />
      {canEdit ? (
        <button
          type="button"
          className="button-secondary"
          onClick={() => {
            const last = shownRows[shownRows.length - 1];
            saveTable([...shownRows, { orderType: "STANDARD", from: last?.to ?? "0", to: String(Number(last?.to ?? "0") + 3), timeBand: "ALL_DAY", price: last?.price ?? "5.00" }]);
          }}
        >
          {t("draft.table.add")}
        </button>
      ) : null}
      </>
      ) : null}

      <fieldset className="checkbox-group">
        <legend>{t("draft.causes.title")}</legend>
        {EXCLUDED_CAUSES.map((cause) => (
          <label key={cause} className="checkbox">
            <input
              type="checkbox"
              checked={causes.includes(cause)}
              disabled={!canEdit}
              onChange={(event) => terms.set("penaltyExcludedCauses", event.target.checked ? [...causes.filter((item) => item !== cause), cause] : causes.filter((item) => item !== cause))}
            />
            {t(`cause.${cause}`)}
          </label>
        ))}
      </fieldset>

      <fieldset className="checkbox-group">
        <legend>{t("draft.allocation.title")}</legend>
        <label className="checkbox">
          <input type="checkbox" checked={allocation.medianEstimate} disabled={!canEdit} onChange={(event) => terms.set("allocation", allocationSchema.parse({ ...allocation, medianEstimate: event.target.checked }))} />
          {t("draft.allocation.median")}
        </label>
        {(["dispatchRadiusMetres", "maxConcurrentOrders"] as const).map((field) => (
          <label key={field} className="field">
            {t(`draft.allocation.${field}`)}
            <input
              inputMode="numeric"
              {...(allocationError?.field === field ? { "aria-invalid": true, "aria-describedby": "allocation-error" } : {})}
              defaultValue={String(allocation[field])}
              key={`${field}-${allocation[field]}`}
              readOnly={!canEdit}
              onBlur={(event) => {
                const typed = event.target.value.trim();
                const parsed = /^\d+$/.test(typed) ? allocationSchema.safeParse({ ...allocation, [field]: Number(typed) }) : null;
                if (parsed?.success) {
                  setAllocationError(null);
                  terms.set("allocation", parsed.data);
                  return;
                }
                const issue = parsed?.error.issues[0];
                const values: Record<string, number> = {};
                if (issue?.code === "too_big") values.max = Number(issue.maximum);
                if (issue?.code === "too_small") values.min = Number(issue.minimum);
                setAllocationError({ field, key: !issue ? "validation.number" : issue.message.startsWith("validation.") ? issue.message : "validation.invalid", values });
              }}
            />
          </label>
        ))}
        {allocationError ? (
          <p className="field-errors" role="alert" id="allocation-error">
            {t("pay.errorAt", { field: t(`draft.allocation.${allocationError.field}`), message: t(allocationError.key, allocationError.values) })}
          </p>
        ) : null}
      </fieldset>
    </section>
  );
}
