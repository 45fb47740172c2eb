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

/**
 * What is wrong with the typed period, and where: `field` names the input ("days", "onlineHours",
 * "orders.1.count", "penalties.0.count", or "_form"), `key` and `values` make the message, in the
 * units the worker typed (hours, kilometres, %), never the calculator's (minutes, metres, basis points).
 */
export type DraftError = { field: string; key: string; values: Record<string, string | number> };

/** How each typed field is checked, and how the calculator's unit reads in the worker's. */
const FIELD_KINDS = { days: "whole", onlineHours: "decimal", takingHours: "decimal", commission: "decimal", distance: "decimal", count: "whole", holidayCount: "whole", badWeatherCount: "whole" } as const;
const SHOWN: Record<string, { field: string; scale: number }> = {
  days: { field: "days", scale: 1 },
  onlineMinutes: { field: "onlineHours", scale: 60 },
  orderTakingMinutes: { field: "takingHours", scale: 60 },
  commissionBp: { field: "commission", scale: 100 },
  distanceMetres: { field: "distance", scale: 1000 },
  count: { field: "count", scale: 1 },
  holidayCount: { field: "holidayCount", scale: 1 },
  badWeatherCount: { field: "badWeatherCount", scale: 1 },
};

/** The typed period as the calculator's input, or the first error with the field it concerns. */
export function fromDraft(draft: PeriodDraft): { ok: true; period: WorkerPeriod } | { ok: false; error: DraftError } {
  const typed: Array<[string, keyof typeof FIELD_KINDS, string]> = [
    ["days", "days", draft.days],
    ["onlineHours", "onlineHours", draft.onlineHours],
    ["takingHours", "takingHours", draft.takingHours],
    ...(draft.commission.trim() === "" ? [] : [["commission", "commission", draft.commission] as [string, keyof typeof FIELD_KINDS, string]]),
    ...draft.orders.flatMap((order, index) => (["distance", "count", "holidayCount", "badWeatherCount"] as const).map((column) => [`orders.${index}.${column}`, column, order[column]] as [string, keyof typeof FIELD_KINDS, string])),
    ...draft.penalties.map((penalty, index) => [`penalties.${index}.count`, "count", penalty.count] as [string, keyof typeof FIELD_KINDS, string]),
  ];
  for (const [field, kind, value] of typed) {
    const text = value.trim();
    if (text === "") return { ok: false, error: { field, key: "validation.required", values: {} } };
    if (FIELD_KINDS[kind] === "whole" ? !whole.test(text) : !decimal.test(text)) return { ok: false, error: { field, key: FIELD_KINDS[kind] === "whole" ? "validation.number" : "pay.error.decimal", values: {} } };
  }
  const parsed = workerPeriodSchema.safeParse({
    days: Number(draft.days),
    onlineMinutes: Math.round(Number(draft.onlineHours) * 60),
    orderTakingMinutes: Math.round(Number(draft.takingHours) * 60),
    commissionBp: draft.commission.trim() === "" ? null : Math.round(Number(draft.commission) * 100),
    orders: draft.orders.map((o) => ({ orderType: o.orderType, timeBand: o.timeBand, distanceMetres: Math.round(Number(o.distance) * 1000), count: Number(o.count), holidayCount: Number(o.holidayCount), badWeatherCount: Number(o.badWeatherCount) })),
    penalties: draft.penalties.map((p) => ({ kind: p.kind, count: Number(p.count), cause: p.cause === "" ? null : p.cause })),
  });
  if (parsed.success) return { ok: true, period: parsed.data };
  const issue = parsed.error.issues[0]!;
  const last = String(issue.path[issue.path.length - 1] ?? "");
  const shown = SHOWN[last];
  const field = shown ? [...issue.path.slice(0, -1).map(String), shown.field].join(".") : "_form";
  const values: Record<string, number> = {};
  if (issue.code === "too_big") values.max = Number(issue.maximum) / (shown?.scale ?? 1);
  if (issue.code === "too_small") values.min = Number(issue.minimum) / (shown?.scale ?? 1);
  return { ok: false, error: { field, key: issue.message.startsWith("validation.") || issue.message.startsWith("pay.") ? issue.message : "validation.invalid", values } };
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
