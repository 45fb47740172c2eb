/**
 * Dates and deadlines as users read them: in China Standard Time, whatever the server's or the
 * browser's zone. Shared by pages, in-app notifications and e-mails.
 */
import { inLanguage } from "./values.ts";

/** Dates are stored in UTC and shown in China time. */
export function formatDateTime(value: string | Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(new Date(value));
}

export function formatDate(value: string | Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "Asia/Shanghai" }).format(new Date(value));
}

/**
 * A deadline in China time. A period in days ends at 24:00 of its last day (《民法典》第二百零三条),
 * stored as 00:00 of the next day: shown as "the last day, 24:00", as the law says it.
 */
export function formatDeadline(value: string | Date, locale: string): string {
  const instant = new Date(value);
  const time = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "Asia/Shanghai" }).format(instant);
  if (time !== "00:00") return formatDateTime(instant, locale);
  return `${formatDate(new Date(instant.getTime() - 1), locale)} 24:00`;
}

/** Payload fields that hold instants, and how each reads (a deadline, or a moment). */
const DEADLINE_FIELDS = new Set(["dueAt"]);
const MOMENT_FIELDS = new Set(["closesAt", "scheduledAt", "resumesAt"]);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A notification's values with its instants written for people (never an ISO string in a sentence), in the reader's language. */
export function readableTimes(payload: Record<string, unknown>, locale: string): Record<string, unknown> {
  const out: Record<string, unknown> = inLanguage({ ...payload }, locale);
  for (const [key, value] of Object.entries(payload)) {
    if (typeof value !== "string" || !ISO.test(value) || Number.isNaN(Date.parse(value))) continue;
    if (DEADLINE_FIELDS.has(key)) out[key] = formatDeadline(value, locale);
    else if (MOMENT_FIELDS.has(key)) out[key] = formatDateTime(value, locale);
  }
  return out;
}
