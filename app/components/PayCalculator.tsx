/**
 * The pay calculator for workers and negotiators: a month of work in, the pay these terms give out,
 * line by line, computed by the one calculator in app/domain/pay.ts (the same code the server and
 * the minimum-wage check use). Starts from an example profile, so the page rendered on the server
 * already shows a full result; with `previousTerms`, each figure is compared with the previous
 * version. Invalid input stays in its field with an error; the result keeps the last valid input.
 */
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { calculatePay, workerPeriodSchema, type PayResult, type WorkerPeriod } from "~/domain/pay.ts";
import { EXCLUDED_CAUSES, ORDER_TYPES, PENALTY_KINDS, TIME_BANDS, type Terms } from "~/domain/terms.ts";
import { WORKER_PROFILES } from "~/domain/worker-profiles.ts";

type OrderDraft = { orderType: string; timeBand: string; distance: string; count: string; holidayCount: string; badWeatherCount: string };
type PenaltyDraft = { kind: string; count: string; cause: string };
type PeriodDraft = { days: string; onlineHours: string; takingHours: string; commission: string; orders: OrderDraft[]; penalties: PenaltyDraft[] };

const hours = (minutes: number) => String(Math.round((minutes / 60) * 100) / 100);

function toDraft(period: WorkerPeriod): PeriodDraft {
  return {
    days: String(period.days),
    onlineHours: hours(period.onlineMinutes),
    takingHours: hours(period.orderTakingMinutes),
    commission: period.commissionBp === null ? "" : String(period.commissionBp / 100),
    orders: period.orders.map((order) => ({
      orderType: order.orderType,
      timeBand: order.timeBand,
      distance: String(order.distanceMetres / 1000),
      count: String(order.count),
      holidayCount: String(order.holidayCount),
      badWeatherCount: String(order.badWeatherCount),
    })),
    penalties: period.penalties.map((penalty) => ({ kind: penalty.kind, count: String(penalty.count), cause: penalty.cause ?? "" })),
  };
}

const decimal = /^\d+(\.\d{1,2})?$/;
const whole = /^\d+$/;

/** The typed period as the calculator's input, or the first error (an i18n key). */
function fromDraft(draft: PeriodDraft): { ok: true; period: WorkerPeriod } | { ok: false; error: string } {
  const numbers = [draft.days, draft.onlineHours, draft.takingHours, ...draft.orders.flatMap((o) => [o.distance, o.count, o.holidayCount, o.badWeatherCount]), ...draft.penalties.map((p) => p.count)];
  if (numbers.some((value) => !decimal.test(value.trim())) || (draft.commission.trim() !== "" && !decimal.test(draft.commission.trim()))) return { ok: false, error: "validation.number" };
  const counts = [draft.days, ...draft.orders.flatMap((o) => [o.count, o.holidayCount, o.badWeatherCount]), ...draft.penalties.map((p) => p.count)];
  if (counts.some((value) => !whole.test(value.trim()))) return { ok: false, error: "validation.number" };
  const parsed = workerPeriodSchema.safeParse({
    days: Number(draft.days),
    onlineMinutes: Math.round(Number(draft.onlineHours) * 60),
    orderTakingMinutes: Math.round(Number(draft.takingHours) * 60),
    commissionBp: draft.commission.trim() === "" ? null : Math.round(Number(draft.commission) * 100),
    orders: draft.orders.map((o) => ({ orderType: o.orderType, timeBand: o.timeBand, distanceMetres: Math.round(Number(o.distance) * 1000), count: Number(o.count), holidayCount: Number(o.holidayCount), badWeatherCount: Number(o.badWeatherCount) })),
    penalties: draft.penalties.map((p) => ({ kind: p.kind, count: Number(p.count), cause: p.cause === "" ? null : p.cause })),
  });
  return parsed.success ? { ok: true, period: parsed.data } : { ok: false, error: parsed.error.issues[0]?.message ?? "validation.invalid" };
}

const yuan = (fen: number) => (fen / 100).toFixed(2);
/** Line values in fen become yuan strings for the message (`unitFen` → `unit`). */
function lineValues(values: Record<string, string | number>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => (key.endsWith("Fen") && typeof value === "number" ? [key.slice(0, -3), yuan(value)] : [key, value])));
}

export function PayCalculator({ terms, previousTerms = null, headingLevel = 2 }: { terms: Terms; previousTerms?: Terms | null; headingLevel?: 2 | 3 }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<PeriodDraft>(() => toDraft(WORKER_PROFILES[0]!.period));
  const [lastValid, setLastValid] = useState<WorkerPeriod>(WORKER_PROFILES[0]!.period);
  const [error, setError] = useState<string | null>(null);
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

  const setOrder = (index: number, patch: Partial<OrderDraft>) => update({ ...draft, orders: draft.orders.map((o, i) => (i === index ? { ...o, ...patch } : o)) });
  const setPenalty = (index: number, patch: Partial<PenaltyDraft>) => update({ ...draft, penalties: draft.penalties.map((p, i) => (i === index ? { ...p, ...patch } : p)) });

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
      <div className="pay-inputs">
        {(["days", "onlineHours", "takingHours", "commission"] as const).map((field) => (
          <label key={field} className="field">
            {t(`pay.${field}`)}
            <input inputMode="decimal" name={field} value={draft[field]} onChange={(event) => update({ ...draft, [field]: event.target.value })} />
          </label>
        ))}
      </div>
      <table className="data-table pay-orders">
        <caption>{t("pay.orders")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("pay.orderType")}</th>
            <th scope="col">{t("pay.timeBand")}</th>
            <th scope="col">{t("pay.distance")}</th>
            <th scope="col">{t("pay.count")}</th>
            <th scope="col">{t("pay.holidayCount")}</th>
            <th scope="col">{t("pay.badWeatherCount")}</th>
            <th scope="col">{t("orgs.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {draft.orders.map((order, index) => (
            <tr key={index}>
              <td data-label={t("pay.orderType")}>
                <select aria-label={t("pay.orderType")} value={order.orderType} onChange={(event) => setOrder(index, { orderType: event.target.value })}>
                  {ORDER_TYPES.map((type) => (
                    <option key={type} value={type}>
                      {t(`orderType.${type}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td data-label={t("pay.timeBand")}>
                <select aria-label={t("pay.timeBand")} value={order.timeBand} onChange={(event) => setOrder(index, { timeBand: event.target.value })}>
                  {TIME_BANDS.map((band) => (
                    <option key={band} value={band}>
                      {t(`timeBand.${band}`)}
                    </option>
                  ))}
                </select>
              </td>
              {(["distance", "count", "holidayCount", "badWeatherCount"] as const).map((field) => (
                <td key={field} data-label={t(`pay.${field}`)}>
                  <input aria-label={t(`pay.${field}`)} inputMode="decimal" size={5} value={order[field]} onChange={(event) => setOrder(index, { [field]: event.target.value })} />
                </td>
              ))}
              <td>
                <button type="button" className="button-danger" onClick={() => update({ ...draft, orders: draft.orders.filter((_, i) => i !== index) })}>
                  {t("pay.remove")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="button-secondary" onClick={() => update({ ...draft, orders: [...draft.orders, { orderType: "STANDARD", timeBand: "ALL_DAY", distance: "2", count: "0", holidayCount: "0", badWeatherCount: "0" }] })}>
        {t("pay.addOrder")}
      </button>
      <table className="data-table pay-penalties">
        <caption>{t("pay.penalties")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("pay.kind")}</th>
            <th scope="col">{t("pay.times")}</th>
            <th scope="col">{t("pay.cause")}</th>
            <th scope="col">{t("orgs.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {draft.penalties.map((penalty, index) => (
            <tr key={index}>
              <td data-label={t("pay.kind")}>
                <select aria-label={t("pay.kind")} value={penalty.kind} onChange={(event) => setPenalty(index, { kind: event.target.value })}>
                  {PENALTY_KINDS.map((kind) => (
                    <option key={kind} value={kind}>
                      {t(`penaltyKind.${kind}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td data-label={t("pay.times")}>
                <input aria-label={t("pay.times")} inputMode="numeric" size={4} value={penalty.count} onChange={(event) => setPenalty(index, { count: event.target.value })} />
              </td>
              <td data-label={t("pay.cause")}>
                <select aria-label={t("pay.cause")} value={penalty.cause} onChange={(event) => setPenalty(index, { cause: event.target.value })}>
                  <option value="">{t("pay.causeNone")}</option>
                  {EXCLUDED_CAUSES.map((cause) => (
                    <option key={cause} value={cause}>
                      {t(`cause.${cause}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <button type="button" className="button-danger" onClick={() => update({ ...draft, penalties: draft.penalties.filter((_, i) => i !== index) })}>
                  {t("pay.remove")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="button-secondary" onClick={() => update({ ...draft, penalties: [...draft.penalties, { kind: "LATE_DELIVERY", count: "1", cause: "" }] })}>
        {t("pay.addPenalty")}
      </button>
      {error ? (
        <p className="field-errors" role="alert" data-testid="pay-error">
          {t(error, { min: 0, max: 0 })} {t("pay.fixErrors")}
        </p>
      ) : null}
      <PayBreakdown result={result} before={before} />
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
              <td>{t(`pay.line.${line.key}`, lineValues(line.values))}</td>
              <td className="number" data-label={t("pay.amount")}>
                {yuan(line.amountFen)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.unpriced > 0 ? <p className="rule-warning">{t("pay.unpriced", { count: result.unpriced })}</p> : null}
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
