/**
 * The pay calculator's input as typed (strings, so that a wrong entry stays in its field), its
 * conversion to the calculator's `WorkerPeriod` (app/domain/pay.ts), and its form in a URL query,
 * for the calculator of the public notice page, which is a plain GET form computed on the server
 * (it works without JavaScript; decision 026). Shared by the interactive calculator and the form.
 */
import { workerPeriodSchema, type WorkerPeriod } from "~/domain/pay.ts";

export type OrderDraft = { orderType: string; timeBand: string; distance: string; count: string; holidayCount: string; badWeatherCount: string };
export type PenaltyDraft = { kind: string; count: string; cause: string };
export type PeriodDraft = { days: string; onlineHours: string; takingHours: string; commission: string; orders: OrderDraft[]; penalties: PenaltyDraft[] };

/** Rows a submitted calculator form may carry, and the length of one value (longer is refused as invalid). */
export const DRAFT_LIMITS = { orders: 20, penalties: 20, valueLength: 32 } as const;

const hours = (minutes: number) => String(Math.round((minutes / 60) * 100) / 100);

export function toDraft(period: WorkerPeriod): PeriodDraft {
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
export function fromDraft(draft: PeriodDraft): { ok: true; period: WorkerPeriod } | { ok: false; error: string } {
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

/** Query parameter names of the calculator form (repeated ones carry one row each, in order). */
export const QUERY = {
  submitted: "calc",
  profile: "profile",
  days: "days",
  onlineHours: "online",
  takingHours: "taking",
  commission: "commission",
  orderType: "ot",
  timeBand: "tb",
  distance: "km",
  count: "n",
  holidayCount: "hol",
  badWeatherCount: "bw",
  penaltyKind: "pk",
  penaltyCount: "pn",
  penaltyCause: "pc",
} as const;

/** Whether a URL query carries a calculator form (submitted, or an example profile chosen). */
export function hasCalculatorQuery(params: URLSearchParams): boolean {
  return params.has(QUERY.submitted) || params.has(QUERY.profile);
}

/**
 * The draft a submitted calculator form describes. Rows whose count is left empty are dropped (the
 * form offers blank rows to add orders and penalties without JavaScript). Too many rows, or a value
 * longer than any number the calculator takes, yield `tooLarge`: the values are kept (cut to the
 * limits) so that the form shows them with the error.
 */
export function draftFromQuery(params: URLSearchParams): { draft: PeriodDraft; tooLarge: boolean } {
  let tooLarge = false;
  const value = (raw: string | null | undefined) => {
    const text = (raw ?? "").trim();
    if (text.length > DRAFT_LIMITS.valueLength) tooLarge = true;
    return text.slice(0, DRAFT_LIMITS.valueLength);
  };
  const column = (name: string) => params.getAll(name);
  const orderTypes = column(QUERY.orderType);
  const orders: OrderDraft[] = [];
  for (let i = 0; i < orderTypes.length; i += 1) {
    const row = {
      orderType: value(orderTypes[i]),
      timeBand: value(column(QUERY.timeBand)[i]),
      distance: value(column(QUERY.distance)[i]),
      count: value(column(QUERY.count)[i]),
      holidayCount: value(column(QUERY.holidayCount)[i]) || "0",
      badWeatherCount: value(column(QUERY.badWeatherCount)[i]) || "0",
    };
    if (row.count === "") continue;
    orders.push(row);
  }
  const kinds = column(QUERY.penaltyKind);
  const penalties: PenaltyDraft[] = [];
  for (let i = 0; i < kinds.length; i += 1) {
    const row = { kind: value(kinds[i]), count: value(column(QUERY.penaltyCount)[i]), cause: value(column(QUERY.penaltyCause)[i]) };
    if (row.count === "") continue;
    penalties.push(row);
  }
  if (orders.length > DRAFT_LIMITS.orders || penalties.length > DRAFT_LIMITS.penalties) tooLarge = true;
  return {
    draft: {
      days: value(params.get(QUERY.days)),
      onlineHours: value(params.get(QUERY.onlineHours)),
      takingHours: value(params.get(QUERY.takingHours)),
      commission: value(params.get(QUERY.commission)),
      orders: orders.slice(0, DRAFT_LIMITS.orders),
      penalties: penalties.slice(0, DRAFT_LIMITS.penalties),
    },
    tooLarge,
  };
}
