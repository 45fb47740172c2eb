/**
 * The pay calculator for workers and negotiators: a month of work in, the pay these terms give out,
 * line by line, computed by the one calculator in app/domain/pay.ts (the same code the server and
 * the minimum-wage check use). Starts from an example profile, so the page rendered on the server
 * already shows a full result; with `previousTerms`, each figure is compared with the previous
 * version. Invalid input stays in its field with an error; the result keeps the last valid input.
 */
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { DRAFT_LIMITS, fromDraft, QUERY, toDraft, type DraftError, type OrderDraft, type PenaltyDraft, type PeriodDraft } from "~/components/pay-draft.ts";
import type { TFunction } from "i18next";
import { calculatePay, type PayResult, type WorkerPeriod } from "~/domain/pay.ts";
import { EXCLUDED_CAUSES, ORDER_TYPES, PENALTY_KINDS, TIME_BANDS, type Terms } from "~/domain/terms.ts";
import { WORKER_PROFILES } from "~/domain/worker-profiles.ts";

const yuan = (fen: number) => (fen / 100).toFixed(2);
/** Line values in fen become yuan strings for the message (`unitFen` → `unit`). */
function lineValues(values: Record<string, string | number>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => (key.endsWith("Fen") && typeof value === "number" ? [key.slice(0, -3), yuan(value)] : [key, value])));
}

/**
 * How a field of the period is bound: the interactive calculator controls its value and hears
 * every change; the form names it for the query and only shows the value it came back with.
 */
type Bind = (name: string, value: string, set: (value: string) => void) => {
  name: string;
  value?: string;
  defaultValue?: string;
  onChange?: (event: { target: { value: string } }) => void;
};
const controlled: Bind = (name, value, set) => ({ name, value, onChange: (event) => set(event.target.value) });
const named: Bind = (name, value) => ({ name, defaultValue: value });

/** The sentence for a calculator error: which field (and which row), and what is wrong with it, in the worker's units. */
function errorText(t: TFunction, error: DraftError): string {
  const message = t(error.key, error.values);
  const [table, row, column] = error.field.split(".");
  if (error.field === "_form") return message;
  if (row === undefined) return t("pay.errorAt", { field: t(`pay.${table}`), message });
  return t("pay.errorInRow", { table: t(table === "orders" ? "pay.orders" : "pay.penalties"), row: Number(row) + 1, field: t(table === "orders" ? `pay.${column}` : "pay.times"), message });
}

/** Marks the input an error concerns (and points it at the message). */
const marked = (invalid: string | undefined, field: string) => (invalid === field ? { "aria-invalid": true as const, "aria-describedby": "pay-error" } : {});

/** The period's fields and its order and penalty rows, the same in both calculators. */
function PeriodFields({ draft, bind, onChange, removable, invalid }: { draft: PeriodDraft; bind: Bind; onChange: (next: PeriodDraft) => void; removable: boolean; invalid?: string }) {
  const { t } = useTranslation();
  const setOrder = (index: number, patch: Partial<OrderDraft>) => onChange({ ...draft, orders: draft.orders.map((o, i) => (i === index ? { ...o, ...patch } : o)) });
  const setPenalty = (index: number, patch: Partial<PenaltyDraft>) => onChange({ ...draft, penalties: draft.penalties.map((p, i) => (i === index ? { ...p, ...patch } : p)) });
  const remove = (index: number, what: "orders" | "penalties") =>
    removable ? (
      <td data-label={t("orgs.actions")}>
        <button type="button" className="button-danger" onClick={() => onChange({ ...draft, [what]: (draft[what] as unknown[]).filter((_, i) => i !== index) })}>
          {t("pay.remove")}
        </button>
      </td>
    ) : null;
  return (
    <>
      <div className="pay-inputs">
        {(["days", "onlineHours", "takingHours", "commission"] as const).map((field) => (
          <label key={field} className="field">
            {t(`pay.${field}`)}
            <input inputMode="decimal" {...marked(invalid, field)} {...bind(QUERY[field], draft[field], (value) => onChange({ ...draft, [field]: value }))} />
          </label>
        ))}
      </div>
      <table className="data-table pay-orders">
        <caption>{t("pay.orders")}</caption>
        <thead>
          <tr>
            {(["orderType", "timeBand", "distance", "count", "holidayCount", "badWeatherCount"] as const).map((column) => (
              <th key={column} scope="col">
                {t(`pay.${column}`)}
              </th>
            ))}
            {removable ? <th scope="col">{t("orgs.actions")}</th> : null}
          </tr>
        </thead>
        <tbody>
          {draft.orders.map((order, index) => (
            <tr key={index}>
              <td data-label={t("pay.orderType")}>
                <select aria-label={t("pay.orderType")} {...bind(QUERY.orderType, order.orderType, (value) => setOrder(index, { orderType: value }))}>
                  {ORDER_TYPES.map((type) => (
                    <option key={type} value={type}>
                      {t(`orderType.${type}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td data-label={t("pay.timeBand")}>
                <select aria-label={t("pay.timeBand")} {...bind(QUERY.timeBand, order.timeBand, (value) => setOrder(index, { timeBand: value }))}>
                  {TIME_BANDS.map((band) => (
                    <option key={band} value={band}>
                      {t(`timeBand.${band}`)}
                    </option>
                  ))}
                </select>
              </td>
              {(["distance", "count", "holidayCount", "badWeatherCount"] as const).map((field) => (
                <td key={field} data-label={t(`pay.${field}`)}>
                  <input aria-label={t(`pay.${field}`)} inputMode="decimal" size={5} {...marked(invalid, `orders.${index}.${field}`)} {...bind(QUERY[field], order[field], (value) => setOrder(index, { [field]: value }))} />
                </td>
              ))}
              {remove(index, "orders")}
            </tr>
          ))}
        </tbody>
      </table>
      {removable ? (
        <button type="button" className="button-secondary" onClick={() => onChange({ ...draft, orders: [...draft.orders, { orderType: "STANDARD", timeBand: "ALL_DAY", distance: "2", count: "0", holidayCount: "0", badWeatherCount: "0" }] })}>
          {t("pay.addOrder")}
        </button>
      ) : null}
      <table className="data-table pay-penalties">
        <caption>{t("pay.penalties")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("pay.kind")}</th>
            <th scope="col">{t("pay.times")}</th>
            <th scope="col">{t("pay.cause")}</th>
            {removable ? <th scope="col">{t("orgs.actions")}</th> : null}
          </tr>
        </thead>
        <tbody>
          {draft.penalties.map((penalty, index) => (
            <tr key={index}>
              <td data-label={t("pay.kind")}>
                <select aria-label={t("pay.kind")} {...bind(QUERY.penaltyKind, penalty.kind, (value) => setPenalty(index, { kind: value }))}>
                  {PENALTY_KINDS.map((kind) => (
                    <option key={kind} value={kind}>
                      {t(`penaltyKind.${kind}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td data-label={t("pay.times")}>
                <input aria-label={t("pay.times")} inputMode="numeric" size={4} {...marked(invalid, `penalties.${index}.count`)} {...bind(QUERY.penaltyCount, penalty.count, (value) => setPenalty(index, { count: value }))} />
              </td>
              <td data-label={t("pay.cause")}>
                <select aria-label={t("pay.cause")} {...bind(QUERY.penaltyCause, penalty.cause, (value) => setPenalty(index, { cause: value }))}>
                  <option value="">{t("pay.causeNone")}</option>
                  {EXCLUDED_CAUSES.map((cause) => (
                    <option key={cause} value={cause}>
                      {t(`cause.${cause}`)}
                    </option>
                  ))}
                </select>
              </td>
              {remove(index, "penalties")}
            </tr>
          ))}
        </tbody>
      </table>
      {removable ? (
        <button type="button" className="button-secondary" onClick={() => onChange({ ...draft, penalties: [...draft.penalties, { kind: "LATE_DELIVERY", count: "1", cause: "" }] })}>
          {t("pay.addPenalty")}
        </button>
      ) : null}
    </>
  );
}

export function PayCalculator({ terms, previousTerms = null, headingLevel = 2 }: { terms: Terms; previousTerms?: Terms | null; headingLevel?: 2 | 3 }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<PeriodDraft>(() => toDraft(WORKER_PROFILES[0]!.period));
  const [lastValid, setLastValid] = useState<WorkerPeriod>(WORKER_PROFILES[0]!.period);
  const [error, setError] = useState<DraftError | null>(null);
  const Heading = headingLevel === 2 ? "h2" : "h3";

  const update = (next: PeriodDraft) => {
    setDraft(next);
    const parsed = fromDraft(next);
    if (parsed.ok) {
      setLastValid(parsed.period);
      setError(null);
    } else setError(parsed.error);
  };
  const result = useMemo(() => calculatePay(terms, lastValid), [terms, lastValid]);
  const before = useMemo(() => (previousTerms ? calculatePay(previousTerms, lastValid) : null), [previousTerms, lastValid]);

  return (
    <section aria-labelledby="pay-title" className="pay-calculator" data-testid="pay-calculator">
      <Heading id="pay-title">{t("pay.title")}</Heading>
      <p className="meta">{t("pay.intro")}</p>
      <p className="inline-form">
        {t("pay.profile")}
        {t("common.colon")}
        {WORKER_PROFILES.map((profile) => (
          <button key={profile.id} type="button" className="button-secondary" onClick={() => update(toDraft(profile.period))}>
            {t(`pay.profiles.${profile.id}`)}
          </button>
        ))}
      </p>
      <PeriodFields draft={draft} bind={controlled} onChange={update} removable invalid={error?.field} />
      {error ? (
        <p className="field-errors" role="alert" id="pay-error" data-testid="pay-error">
          {errorText(t, error)} {t("pay.fixErrors")}
        </p>
      ) : null}
      <PayBreakdown result={result} before={before} />
    </section>
  );
}

/** Blank rows the form offers for adding orders and penalties without JavaScript. */
const BLANK_ORDER: OrderDraft = { orderType: "STANDARD", timeBand: "ALL_DAY", distance: "", count: "", holidayCount: "", badWeatherCount: "" };
const BLANK_PENALTY: PenaltyDraft = { kind: "LATE_DELIVERY", count: "", cause: "" };

/**
 * The calculator as a plain GET form for pages served without JavaScript (the public notice
 * pages, decision 026): the server parses the submitted query (pay-draft.ts `draftFromQuery`),
 * computes with the same calculator and renders the result; what the worker typed comes back in
 * its fields, with the error if it cannot be computed. `action` is the page's own address.
 */
export function PayCalculatorForm({
  terms,
  previousTerms = null,
  action,
  draft: given,
  tooLarge = false,
  headingLevel = 2,
  complainHref,
}: {
  terms: Terms;
  previousTerms?: Terms | null;
  action: string;
  /** Where a worker files a complaint about the pay clause, with this result (issue 25); absent when the notice is not in force. */
  complainHref?: string;
  /** The submitted draft; null shows the first example profile. */
  draft: PeriodDraft | null;
  tooLarge?: boolean;
  headingLevel?: 2 | 3;
}) {
  const { t } = useTranslation();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const draft = given ?? toDraft(WORKER_PROFILES[0]!.period);
  const parsed = tooLarge
    ? ({ ok: false, error: { field: "_form", key: "pay.tooLarge", values: { orders: DRAFT_LIMITS.orders, penalties: DRAFT_LIMITS.penalties, length: DRAFT_LIMITS.valueLength } } } as const)
    : fromDraft(draft);
  const result = parsed.ok ? calculatePay(terms, parsed.period) : null;
  const before = parsed.ok && previousTerms ? calculatePay(previousTerms, parsed.period) : null;
  const shown: PeriodDraft = {
    ...draft,
    orders: draft.orders.length < DRAFT_LIMITS.orders ? [...draft.orders, BLANK_ORDER] : draft.orders,
    penalties: draft.penalties.length < DRAFT_LIMITS.penalties ? [...draft.penalties, BLANK_PENALTY] : draft.penalties,
  };
  return (
    <section aria-labelledby="pay-title" className="pay-calculator" data-testid="pay-calculator">
      <Heading id="pay-title">{t("pay.title")}</Heading>
      <p className="meta">{t("pay.intro")}</p>
      <p className="profile-links">
        {t("pay.profile")}
        {t("common.colon")}
        {WORKER_PROFILES.map((profile) => (
          <a key={profile.id} className="button-secondary" href={`${action}?${QUERY.profile}=${encodeURIComponent(profile.id)}#calculator`}>
            {t(`pay.profiles.${profile.id}`)}
          </a>
        ))}
      </p>
      <form method="get" action={`${action}#calculator`} className="stack" data-testid="pay-form">
        <input type="hidden" name={QUERY.submitted} value="1" />
        <PeriodFields draft={shown} bind={named} onChange={() => undefined} removable={false} invalid={parsed.ok ? undefined : parsed.error.field} />
        <p className="meta">{t("pay.formHint")}</p>
        <button type="submit" className="button">
          {t("pay.calculate")}
        </button>
      </form>
      {!parsed.ok ? (
        <p className="field-errors" role="alert" id="pay-error" data-testid="pay-error">
          {errorText(t, parsed.error)} {t("pay.fixErrorsForm")}
        </p>
      ) : null}
      {result ? <PayBreakdown result={result} before={before} /> : null}
      {result && complainHref ? (
        <p>
          <a href={`${complainHref}&gross=${result.grossFen}&net=${result.netFen}`} data-testid="calculator-complain">
            {t("complaint.fromCalculator")}
          </a>
        </p>
      ) : null}
    </section>
  );
}

function PayBreakdown({ result, before }: { result: PayResult; before: PayResult | null }) {
  const { t } = useTranslation();
  const totals: Array<{ key: string; now: number | null; then: number | null }> = [
    { key: "gross", now: result.grossFen, then: before?.grossFen ?? null },
    { key: "commissionTotal", now: -result.commissionFen, then: before ? -before.commissionFen : null },
    { key: "penaltiesTotal", now: -result.penaltiesFen, then: before ? -before.penaltiesFen : null },
    { key: "net", now: result.netFen, then: before?.netFen ?? null },
    { key: "perOnlineHour", now: result.perOnlineHourFen, then: before?.perOnlineHourFen ?? null },
    { key: "perWorkingHour", now: result.perWorkingHourFen, then: before?.perWorkingHourFen ?? null },
  ];
  return (
    <>
      <table className="data-table pay-breakdown" data-testid="pay-breakdown">
        <caption>{t("pay.breakdown")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("pay.item")}</th>
            <th scope="col">{t("pay.amount")}</th>
          </tr>
        </thead>
        <tbody>
          {result.lines.map((line, index) => (
            <tr key={index}>
              <td data-label={t("pay.item")}>{t(`pay.line.${line.key}`, lineValues(line.values))}</td>
              <td className="number" data-label={t("pay.amount")}>
                {yuan(line.amountFen)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.unpriced > 0 ? <p className="rule-warning">{t("pay.unpriced", { count: result.unpriced })}</p> : null}
      <p className="meta" data-testid="pay-rounding">
        {t(`pay.rounding.${result.rounding.rule}`)}
        {result.rounding.stated ? "" : ` ${t("pay.roundingDefault")}`}
      </p>
      <table className="data-table pay-totals" data-testid="pay-totals">
        {before ? <caption>{t("pay.compareTitle")}</caption> : null}
        <thead>
          <tr>
            <th scope="col">{t("pay.item")}</th>
            {before ? <th scope="col">{t("pay.before")}</th> : null}
            <th scope="col">{before ? t("pay.after") : t("pay.amount")}</th>
            {before ? <th scope="col">{t("pay.delta")}</th> : null}
          </tr>
        </thead>
        <tbody>
          {totals.map((row) => (
            <tr key={row.key} data-total={row.key}>
              <th scope="row">{t(`pay.${row.key}`)}</th>
              {before ? (
                <td className="number" data-label={t("pay.before")}>
                  {row.then === null ? "—" : yuan(row.then)}
                </td>
              ) : null}
              <td className="number" data-label={before ? t("pay.after") : t("pay.amount")}>
                {row.now === null ? "—" : yuan(row.now)}
              </td>
              {before ? (
                <td className="number" data-label={t("pay.delta")}>
                  {row.now === null || row.then === null ? "—" : signed(row.now - row.then)}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function signed(fen: number): string {
  return `${fen > 0 ? "+" : fen < 0 ? "−" : "±"}${yuan(Math.abs(fen))}`;
}
