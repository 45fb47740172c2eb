/**
 * Regional minimum wages (app/domain/minimum-wage.ts, app/data/minimum-wage.json): the data file
 * is valid, covers every region and holds plausible figures in fen; the row in force on a date;
 * a nationwide agreement against the strictest region; the day an agreement is checked for.
 */
import { describe, expect, it } from "vitest";
import data from "../../app/data/minimum-wage.json";
import { effectiveDay, MINIMUM_WAGE_DATA, minimumWageDataSchema, minimumWageOn, NATIONWIDE, ruleContextFor, type MinimumWageRow } from "../../app/domain/minimum-wage.ts";
import { REGIONS } from "../../app/domain/regions.ts";

const row = (regionCode: string, effectiveFrom: string, hourlyFen: number): MinimumWageRow => ({
  regionCode,
  monthlyFen: hourlyFen * 100,
  hourlyFen,
  effectiveFrom,
  effectiveFromKnown: true,
  tier: "test",
  source: { zh: "测试", en: "test" },
  verified: false,
});

describe("the data file", () => {
  it("validates against its schema", () => {
    const parsed = minimumWageDataSchema.safeParse(data);
    expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true);
  });

  it("refuses a duplicate row for the same region and date, and figures not in whole fen", () => {
    const first = data.rows[0]!;
    expect(minimumWageDataSchema.safeParse({ ...data, rows: [...data.rows, first] }).success).toBe(false);
    expect(minimumWageDataSchema.safeParse({ ...data, rows: [{ ...first, hourlyFen: 25.5 }] }).success).toBe(false);
    expect(minimumWageDataSchema.safeParse({ ...data, rows: [{ ...first, effectiveFrom: "2026-1-1" }] }).success).toBe(false);
  });

  it.each(REGIONS.filter((region) => region.code !== NATIONWIDE).map((region) => [region.code, region.en] as const))("has a row for %s (%s)", (code) => {
    expect(MINIMUM_WAGE_DATA.rows.some((candidate) => candidate.regionCode === code)).toBe(true);
  });

  it("has no row for a region the application does not know, nor for nationwide", () => {
    const known = new Set<string>(REGIONS.map((region) => region.code));
    for (const candidate of MINIMUM_WAGE_DATA.rows) {
      expect(known.has(candidate.regionCode), candidate.regionCode).toBe(true);
      expect(candidate.regionCode).not.toBe(NATIONWIDE);
    }
  });

  it("holds figures in fen that are plausible: 10–50 yuan an hour, 1,500–4,000 yuan a month", () => {
    for (const candidate of MINIMUM_WAGE_DATA.rows) {
      const label = `${candidate.regionCode}@${candidate.effectiveFrom}`;
      expect(candidate.hourlyFen, label).toBeGreaterThanOrEqual(10_00);
      expect(candidate.hourlyFen, label).toBeLessThanOrEqual(50_00);
      expect(candidate.monthlyFen, label).toBeGreaterThanOrEqual(1500_00);
      expect(candidate.monthlyFen, label).toBeLessThanOrEqual(4000_00);
      expect(new Date(`${candidate.effectiveFrom}T00:00:00Z`).toISOString().slice(0, 10), label).toBe(candidate.effectiveFrom);
      expect(candidate.source.zh.length, label).toBeGreaterThan(5);
    }
  });

  it("Hangzhou's hourly minimum in 2026 is 25.00 yuan", () => {
    expect(minimumWageOn("330100", "2026-03-01")).toMatchObject({ regionCode: "330100", hourlyFen: 2500, nationwideStrictest: false });
  });
});

describe("the row in force on a date", () => {
  const rows = [row("330100", "2024-01-01", 2200), row("330100", "2026-01-01", 2500), row("310000", "2025-07-01", 2700)];

  it("none before the first row", () => {
    expect(minimumWageOn("330100", "2023-12-31", rows)).toBeNull();
  });
  it("the row itself on its effective date", () => {
    expect(minimumWageOn("330100", "2024-01-01", rows)).toEqual({ ...rows[0], nationwideStrictest: false });
    expect(minimumWageOn("330100", "2026-01-01", rows)?.hourlyFen).toBe(2500);
  });
  it("the earlier row between two rows", () => {
    expect(minimumWageOn("330100", "2025-12-31", rows)?.hourlyFen).toBe(2200);
  });
  it("the latest row after the last", () => {
    expect(minimumWageOn("330100", "2030-06-01", rows)?.hourlyFen).toBe(2500);
  });
  it("whatever the order of the rows", () => {
    expect(minimumWageOn("330100", "2030-06-01", [...rows].reverse())?.hourlyFen).toBe(2500);
  });
  it("none for a region without rows", () => {
    expect(minimumWageOn("110000", "2026-06-01", rows)).toBeNull();
  });
});

describe("a nationwide agreement", () => {
  const rows = [row("330100", "2024-01-01", 2200), row("330100", "2026-01-01", 2500), row("310000", "2025-07-01", 2700), row("110000", "2026-07-01", 2900)];

  it("is checked against the strictest hourly minimum in force anywhere on the date", () => {
    expect(minimumWageOn(NATIONWIDE, "2026-03-01", rows)).toEqual({ ...rows[2], nationwideStrictest: true });
    // A row not yet in force does not count; a superseded one does not either.
    expect(minimumWageOn(NATIONWIDE, "2026-07-01", rows)).toMatchObject({ regionCode: "110000", hourlyFen: 2900, nationwideStrictest: true });
    expect(minimumWageOn(NATIONWIDE, "2025-01-01", rows)).toMatchObject({ regionCode: "330100", hourlyFen: 2200, nationwideStrictest: true });
  });
  it("has no minimum before any row is in force", () => {
    expect(minimumWageOn(NATIONWIDE, "2020-01-01", rows)).toBeNull();
  });
  it("with the real data, is at least every region's minimum", () => {
    const nationwide = minimumWageOn(NATIONWIDE, "2026-06-01")!;
    expect(nationwide.nationwideStrictest).toBe(true);
    for (const region of REGIONS.filter((candidate) => candidate.code !== NATIONWIDE)) {
      const regional = minimumWageOn(region.code, "2026-06-01");
      if (regional) expect(nationwide.hourlyFen).toBeGreaterThanOrEqual(regional.hourlyFen);
    }
  });
});

describe("the day an agreement is checked for", () => {
  const now = new Date("2026-11-24T03:00:00Z");
  it("the agreement's effective date first", () => {
    expect(effectiveDay({ effectiveFrom: new Date("2027-01-01T00:00:00Z"), plannedEffectiveFrom: new Date("2026-12-01T00:00:00Z") }, now)).toBe("2027-01-01");
  });
  it("then the planned first day in force", () => {
    expect(effectiveDay({ effectiveFrom: null, plannedEffectiveFrom: new Date("2026-12-01T00:00:00Z") }, now)).toBe("2026-12-01");
  });
  it("else today", () => {
    expect(effectiveDay({ effectiveFrom: null, plannedEffectiveFrom: null }, now)).toBe("2026-11-24");
  });
  it("is the calendar day in China, where the minimum wages apply, not the UTC day", () => {
    // Filed in the early morning in Beijing: still the previous day in UTC.
    expect(effectiveDay({ effectiveFrom: new Date("2026-01-01T00:00:00+08:00"), plannedEffectiveFrom: null }, now)).toBe("2026-01-01");
    expect(effectiveDay({ effectiveFrom: null, plannedEffectiveFrom: new Date("2026-01-01T07:59:00+08:00") }, now)).toBe("2026-01-01");
    expect(effectiveDay({ effectiveFrom: null, plannedEffectiveFrom: null }, new Date("2026-01-01T02:00:00+08:00"))).toBe("2026-01-01");
    expect(effectiveDay({ effectiveFrom: null, plannedEffectiveFrom: null }, new Date("2025-12-31T23:59:00+08:00"))).toBe("2025-12-31");
  });
  it("the rule context carries the region, the day and the row in force", () => {
    expect(ruleContextFor("330100", "2026-03-01")).toEqual({ regionCode: "330100", effectiveOn: "2026-03-01", minimumWage: minimumWageOn("330100", "2026-03-01") });
    expect(ruleContextFor("330100", "1990-01-01").minimumWage).toBeNull();
  });
});
