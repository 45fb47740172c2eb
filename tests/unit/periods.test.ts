/**
 * Periods in days (app/domain/periods.ts): from the day after the event, to 24:00 China Standard
 * Time of the last day, moved past a statutory rest day (《民法典》第二百零一条、第二百零三条), with the
 * State Council's holiday arrangements (app/data/holiday-calendar.json).
 */
import { describe, expect, it } from "vitest";
import { CALENDAR_DATA_ENDS, HOLIDAY_YEARS, periodEnd, restDay } from "../../app/domain/periods.ts";
import { Temporal } from "temporal-polyfill";
import calendar from "../../app/data/holiday-calendar.json";

const cst = (local: string) => new Date(`${local}+08:00`);
const day = (iso: string) => Temporal.PlainDate.from(iso);

describe("counting a period", () => {
  it("starts the day after the event and ends at 24:00 China time of the last day", () => {
    // Filed on Monday 2026-12-07 at 10:00: 15 days → Tuesday 2026-12-22, over at 00:00 on the 23rd.
    expect(periodEnd(cst("2026-12-07T10:00:00"), 15)).toEqual({ endsAt: cst("2026-12-23T00:00:00"), lastDay: "2026-12-22", movedFrom: null, provisional: false });
    // The same deadline whether the event was at 00:01 or 23:59 of that day.
    expect(periodEnd(cst("2026-12-07T00:01:00"), 15).endsAt).toEqual(periodEnd(cst("2026-12-07T23:59:00"), 15).endsAt);
  });

  it("counts the day in China time, not UTC: 23:30 in Beijing is already the next day in China", () => {
    // 2026-03-01T23:30+08:00 is 15:30Z on March 1; 2026-03-02T01:00+08:00 is 17:00Z on March 1.
    expect(periodEnd(cst("2026-03-02T01:00:00"), 10).lastDay).toBe("2026-03-12");
    expect(periodEnd(cst("2026-03-01T23:30:00"), 10).lastDay).toBe("2026-03-11");
  });

  it("moves a last day on an ordinary weekend to the Monday", () => {
    // 2026-11-21 + 15 days = Sunday 2026-12-06 → Monday 2026-12-07.
    expect(periodEnd(cst("2026-11-21T09:00:00"), 15)).toMatchObject({ lastDay: "2026-12-07", movedFrom: "2026-12-06", endsAt: cst("2026-12-08T00:00:00") });
  });

  it("keeps a last day on a weekend the State Council made a working day", () => {
    // Saturday 2026-02-28 is a working day (2026 notice: 2月28日（周六）上班).
    expect(restDay(day("2026-02-28"))).toEqual({ rest: false, known: true });
    expect(periodEnd(cst("2026-02-08T09:00:00"), 20)).toMatchObject({ lastDay: "2026-02-28", movedFrom: null });
  });

  it("moves a last day in the 2026 Spring Festival to the first working day after it", () => {
    // Spring Festival 2026: 2月15日至23日放假调休. A period ending on the 16th ends on Tuesday the 24th.
    expect(periodEnd(cst("2026-01-27T09:00:00"), 20)).toMatchObject({ lastDay: "2026-02-24", movedFrom: "2026-02-16", endsAt: cst("2026-02-25T00:00:00"), provisional: false });
    // Saturday 2026-02-14 is a working day before it.
    expect(periodEnd(cst("2026-01-25T09:00:00"), 20)).toMatchObject({ lastDay: "2026-02-14", movedFrom: null });
  });

  it("moves a last day in the 2026 National Day holiday past it, and past the weekend after it", () => {
    // 国庆节 10月1日至7日; Thursday the 8th is a working day.
    expect(periodEnd(cst("2026-09-13T09:00:00"), 20)).toMatchObject({ lastDay: "2026-10-08", movedFrom: "2026-10-03" });
    // 2025: 国庆节、中秋节 10月1日至8日; Thursday the 9th.
    expect(periodEnd(cst("2025-09-20T09:00:00"), 15)).toMatchObject({ lastDay: "2025-10-09", movedFrom: "2025-10-05" });
  });

  it("flags a deadline counted into a year the holiday data does not cover, computing it with weekends only", () => {
    expect(CALENDAR_DATA_ENDS).toBe("2026-12-31");
    const beyond = periodEnd(cst("2026-12-20T09:00:00"), 20);
    expect(beyond).toMatchObject({ lastDay: "2027-01-11", movedFrom: "2027-01-09", provisional: true });
    // Within the data: not provisional.
    expect(periodEnd(cst("2026-12-01T09:00:00"), 20).provisional).toBe(false);
  });

  it("refuses a period that is not a whole number of days", () => {
    expect(() => periodEnd(new Date(), 0)).toThrow(RangeError);
    expect(() => periodEnd(new Date(), 1.5)).toThrow(RangeError);
  });
});

describe("the holiday data", () => {
  it("names, for every year, the State Council notice and its date", () => {
    expect(HOLIDAY_YEARS.map((entry) => entry.year)).toEqual([2025, 2026]);
    for (const { year, notice } of HOLIDAY_YEARS) {
      expect(notice.title).toBe(`国务院办公厅关于${year}年部分节假日安排的通知`);
      expect(notice.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(notice.checked).toMatch(/^\d{4}-\d{2}-\d{2}: /);
    }
  });

  it("keeps each year's days inside that year, rest ranges ordered, and working days on weekends outside the rest", () => {
    for (const entry of calendar.years) {
      for (const [from, to] of entry.rest) {
        expect(from!.startsWith(`${entry.year}-`) && to!.startsWith(`${entry.year}-`)).toBe(true);
        expect(Temporal.PlainDate.compare(day(from!), day(to!))).toBeLessThanOrEqual(0);
      }
      for (const work of entry.work) {
        expect(work.startsWith(`${entry.year}-`)).toBe(true);
        expect(day(work).dayOfWeek).toBeGreaterThanOrEqual(6);
        expect(restDay(day(work)).rest).toBe(false);
      }
    }
  });
});
