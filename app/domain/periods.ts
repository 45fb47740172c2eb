/**
 * Periods in days as Chinese law counts them (issue 21, item 1), on the Temporal API
 * (`temporal-polyfill`, decision 041):
 *
 * - a period in days starts on the day after the event (《民法典》第二百零一条: 按照年、月、日计算期间
 *   的，开始的当日不计入，自下一日开始计算);
 * - it ends at 24:00 of its last day (第二百零三条第二款: 期间的最后一日的截止时间为二十四时), here in
 *   China Standard Time;
 * - when the last day is a statutory rest day, the day after the rest ends is the last day
 *   (第二百零三条第一款: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日).
 *
 * Rest days: the State Council's annual arrangement (app/data/holiday-calendar.json, with each
 * notice's title, number and date), and ordinary Saturdays and Sundays unless that arrangement makes
 * them working days. A deadline whose counting reaches a year outside the data is computed with
 * ordinary weekends only and marked `provisional`: callers show it so and tell the operator, never
 * passing it off as final. Pure: no clock, no I/O.
 */
import { Temporal } from "temporal-polyfill";
import calendar from "~/data/holiday-calendar.json";

export const CHINA_TIME_ZONE = "Asia/Shanghai";

export type HolidayNotice = { title: string; number: string | null; date: string; checked: string };
type YearData = { year: number; notice: HolidayNotice; rest: Set<string>; work: Set<string> };

function yearsOf(data: typeof calendar): Map<number, YearData> {
  const years = new Map<number, YearData>();
  for (const entry of data.years) {
    const rest = new Set<string>();
    for (const [from, to] of entry.rest) {
      for (let day = Temporal.PlainDate.from(from!); Temporal.PlainDate.compare(day, Temporal.PlainDate.from(to!)) <= 0; day = day.add({ days: 1 })) rest.add(day.toString());
    }
    years.set(entry.year, { year: entry.year, notice: entry.notice, rest, work: new Set(entry.work) });
  }
  return years;
}

const YEARS = yearsOf(calendar);

/** The years the holiday data covers, and the notices they come from. */
export const HOLIDAY_YEARS: ReadonlyArray<{ year: number; notice: HolidayNotice }> = [...YEARS.values()].map(({ year, notice }) => ({ year, notice }));
/** The last day the holiday data covers (YYYY-MM-DD). */
export const CALENDAR_DATA_ENDS = `${Math.max(...YEARS.keys())}-12-31`;

/** The China Standard Time calendar day of an instant. */
export function chinaDate(instant: Date): Temporal.PlainDate {
  return Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(CHINA_TIME_ZONE).toPlainDate();
}

/** 00:00 China Standard Time of a calendar day, as an instant. */
export function startOfChinaDay(day: Temporal.PlainDate | string): Date {
  const date = typeof day === "string" ? Temporal.PlainDate.from(day) : day;
  return new Date(date.toZonedDateTime({ timeZone: CHINA_TIME_ZONE }).epochMilliseconds);
}

/** Whether a day is a rest day, and whether the holiday data covers its year. */
export function restDay(day: Temporal.PlainDate): { rest: boolean; known: boolean } {
  const year = YEARS.get(day.year);
  const iso = day.toString();
  const weekend = day.dayOfWeek >= 6;
  if (!year) return { rest: weekend, known: false };
  if (year.work.has(iso)) return { rest: false, known: true };
  return { rest: year.rest.has(iso) || weekend, known: true };
}

export type PeriodEnd = {
  /** 24:00 China Standard Time of the last day (00:00 of the next day), the first instant after the period. */
  endsAt: Date;
  /** The last day (YYYY-MM-DD), after any move past rest days. */
  lastDay: string;
  /** The last day counted before the move, when it was a rest day. */
  movedFrom: string | null;
  /** Counted into a year the holiday data does not cover: weekends only, to be confirmed. */
  provisional: boolean;
};

/** The end of a period of `days` calendar days after `event` (《民法典》第二百零一条、第二百零三条). */
export function periodEnd(event: Date, days: number): PeriodEnd {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`a period is a whole number of days, at least 1 (got ${days})`);
  // The day of the event is not counted: the period's first day is the next one, its last day `days` later.
  const counted = chinaDate(event).add({ days });
  let last = counted;
  let provisional = false;
  // The last day is a rest day: the day after the rest ends is the last day.
  for (;;) {
    const { rest, known } = restDay(last);
    if (!known) provisional = true;
    if (!rest) break;
    last = last.add({ days: 1 });
  }
  return { endsAt: startOfChinaDay(last.add({ days: 1 })), lastDay: last.toString(), movedFrom: Temporal.PlainDate.compare(last, counted) === 0 ? null : counted.toString(), provisional };
}
