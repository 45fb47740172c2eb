/**
 * Regional minimum wages (app/domain/minimum-wage.ts, app/data/minimum-wage-standards.json, issue 22):
 * the data file is valid, covers every provincial region with every tier and holds plausible
 * figures in fen, each row with its documents; which row applies to a region on a date (tiers,
 * areas, a province's highest tier when the area is not placed, Shenzhen's own adjustments); a
 * nationwide agreement against the highest standard; every standard of a term; the day an
 * agreement is checked for and its last day.
 */
import { describe, expect, it } from "vitest";
import data from "../../app/data/minimum-wage-standards.json";
import { effectiveDay, lastDay, MINIMUM_WAGE_DATA, minimumWageDataSchema, minimumWageOn, minimumWagesDuring, NATIONWIDE, ruleContextFor, standardKey, type MinimumWageData, type MinimumWageRow } from "../../app/domain/minimum-wage.ts";
import { REGIONS } from "../../app/domain/regions.ts";

const row = (provinceCode: string, tier: string, areas: string[], effectiveFrom: string, hourlyFen: number): MinimumWageRow => ({
  provinceCode,
  tier: { zh: tier, en: tier },
  areas,
  areaNames: { zh: tier, en: tier },
  monthlyFen: hourlyFen * 100,
  hourlyFen,
  effectiveFrom,
  effectiveFromKnown: true,
  documents: ["test"],
  verified: false,
});
const dataOf = (rows: MinimumWageRow[]): MinimumWageData => ({
  $comment: "test",
  tableAsOf: "2026-01-01",
  documents: { test: { title: { zh: "测试通知", en: "Test notice" }, number: null, issuer: { zh: "测试", en: "Test" }, issuedOn: null, url: null, official: false } },
  rows,
});

describe("the data file", () => {
  it("validates against its schema", () => {
    const parsed = minimumWageDataSchema.safeParse(data);
    expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true);
  });

  it("refuses a duplicate row, figures not in whole fen, an unknown document, an area of another province, and 'verified' without an official document", () => {
    const first = data.rows[0]!;
    expect(minimumWageDataSchema.safeParse({ ...data, rows: [...data.rows, first] }).success).toBe(false);
    expect(minimumWageDataSchema.safeParse({ ...data, rows: [{ ...first, hourlyFen: 25.5 }] }).success).toBe(false);
    expect(minimumWageDataSchema.safeParse({ ...data, rows: [{ ...first, effectiveFrom: "2026-1-1" }] }).success).toBe(false);
    expect(minimumWageDataSchema.safeParse({ ...data, rows: [{ ...first, documents: ["nowhere"] }] }).success).toBe(false);
    expect(minimumWageDataSchema.safeParse({ ...data, rows: [{ ...first, areas: ["990100"] }] }).success).toBe(false);
    const unofficial = Object.fromEntries(Object.entries(data.documents).map(([id, document]) => [id, { ...document, official: false }]));
    expect(minimumWageDataSchema.safeParse({ ...data, documents: unofficial, rows: [{ ...first, verified: true }] }).success).toBe(false);
  });

  it("covers every provincial region of the mainland (31), each with at least one tier", () => {
    const provinces = new Set(MINIMUM_WAGE_DATA.rows.map((candidate) => candidate.provinceCode));
    expect(provinces.size).toBe(31);
    for (const region of REGIONS.filter((candidate) => candidate.code !== NATIONWIDE)) expect(provinces.has(`${region.code.slice(0, 2)}0000`), region.en).toBe(true);
  });

  it("has a standard for every region the application knows, on 2026-06-01", () => {
    for (const region of REGIONS) expect(minimumWageOn(region.code, "2026-06-01"), region.en).not.toBeNull();
  });

  it("holds figures in fen that are plausible (10–50 yuan an hour, 1,200–4,000 a month), real dates, and names its documents", () => {
    for (const candidate of MINIMUM_WAGE_DATA.rows) {
      const label = standardKey(candidate);
      expect(candidate.hourlyFen, label).toBeGreaterThanOrEqual(10_00);
      expect(candidate.hourlyFen, label).toBeLessThanOrEqual(50_00);
      expect(candidate.monthlyFen, label).toBeGreaterThanOrEqual(1200_00);
      expect(candidate.monthlyFen, label).toBeLessThanOrEqual(4000_00);
      expect(new Date(`${candidate.effectiveFrom}T00:00:00Z`).toISOString().slice(0, 10), label).toBe(candidate.effectiveFrom);
      expect(candidate.documents.length, label).toBeGreaterThan(0);
    }
  });

  it("marks a row verified only when it names an official document (none is yet: every row is shown as unverified)", () => {
    for (const candidate of MINIMUM_WAGE_DATA.rows) {
      if (candidate.verified) expect(candidate.documents.some((id) => MINIMUM_WAGE_DATA.documents[id]?.official)).toBe(true);
    }
    const unverified = minimumWageOn("330100", "2026-03-01")!;
    expect(unverified.verified).toBe(false);
    expect(unverified.source.zh).toContain("未经核实");
    expect(unverified.source.en).toContain("unverified");
  });

  it("Hangzhou's hourly minimum in 2026 is 25.00 yuan, Zhejiang's first tier (the data does not place Hangzhou as a whole: the highest tier applies)", () => {
    expect(minimumWageOn("330100", "2026-03-01")).toMatchObject({ provinceCode: "330000", hourlyFen: 2500, nationwideStrictest: false, areaResolved: false });
  });

  it("Guangzhou and Shenzhen from 2025-03-01 (粤府函〔2025〕23号), with the standard before it from 2021-12-01", () => {
    expect(minimumWageOn("440100", "2025-03-01")).toMatchObject({ hourlyFen: 2370, effectiveFrom: "2025-03-01", areaResolved: true });
    expect(minimumWageOn("440100", "2025-02-28")).toMatchObject({ hourlyFen: 2220, effectiveFrom: "2021-12-01" });
    expect(minimumWageOn("440300", "2025-03-01")).toMatchObject({ hourlyFen: 2370, tier: { zh: "深圳单列" } });
  });
});

describe("the row in force for a region on a date", () => {
  const rows = [
    row("330000", "第一档", [], "2024-01-01", 2200),
    row("330000", "第二档", [], "2024-01-01", 2000),
    row("330000", "第一档", [], "2026-01-01", 2500),
    row("330000", "第二档", [], "2026-01-01", 2300),
    row("440000", "一类", ["440100"], "2025-03-01", 2370),
    row("440000", "二类", ["440400"], "2025-03-01", 1980),
    row("440000", "深圳单列", ["440300"], "2025-03-01", 2370),
    row("440000", "深圳单列", ["440300"], "2026-07-01", 2500),
    row("310000", "全市", ["310000"], "2025-07-01", 2700),
  ];
  const data = dataOf(rows);

  it("none before the first row", () => {
    expect(minimumWageOn("330100", "2023-12-31", data)).toBeNull();
  });
  it("the row itself on its effective date, and the earlier one the day before", () => {
    expect(minimumWageOn("330100", "2026-01-01", data)?.hourlyFen).toBe(2500);
    expect(minimumWageOn("330100", "2025-12-31", data)?.hourlyFen).toBe(2200);
  });
  it("the tier that places the area (a city, or a district of it)", () => {
    expect(minimumWageOn("440400", "2025-06-01", data)).toMatchObject({ hourlyFen: 1980, areaResolved: true, key: "440000/二类@2025-03-01" });
    expect(minimumWageOn("440403", "2025-06-01", data)).toMatchObject({ hourlyFen: 1980, areaResolved: true });
  });
  it("an area the data does not place: the province's highest tier of its latest adjustment, said so", () => {
    expect(minimumWageOn("330200", "2026-06-01", data)).toMatchObject({ hourlyFen: 2500, areaResolved: false });
  });
  it("an adjustment that concerns only another area (Shenzhen's own) leaves Guangzhou's standard as it was", () => {
    expect(minimumWageOn("440300", "2026-07-01", data)?.hourlyFen).toBe(2500);
    expect(minimumWageOn("440100", "2026-07-01", data)).toMatchObject({ hourlyFen: 2370, areaResolved: true });
  });
  it("a whole province: its highest tier", () => {
    expect(minimumWageOn("440000", "2026-07-01", data)?.hourlyFen).toBe(2500);
  });
  it("whatever the order of the rows; none for a province without rows", () => {
    expect(minimumWageOn("330100", "2030-06-01", dataOf([...rows].reverse()))?.hourlyFen).toBe(2500);
    expect(minimumWageOn("110000", "2026-06-01", data)).toBeNull();
  });
  it("a nationwide agreement: the highest standard in force anywhere on the date", () => {
    expect(minimumWageOn(NATIONWIDE, "2026-03-01", data)).toMatchObject({ hourlyFen: 2700, nationwideStrictest: true });
    expect(minimumWageOn(NATIONWIDE, "2024-06-01", data)).toMatchObject({ hourlyFen: 2200, nationwideStrictest: true });
    expect(minimumWageOn(NATIONWIDE, "2020-01-01", data)).toBeNull();
  });
  it("with the real data, the nationwide standard is at least every region's", () => {
    const nationwide = minimumWageOn(NATIONWIDE, "2026-06-01")!;
    for (const region of REGIONS.filter((candidate) => candidate.code !== NATIONWIDE)) {
      const regional = minimumWageOn(region.code, "2026-06-01");
      if (regional) expect(nationwide.hourlyFen).toBeGreaterThanOrEqual(regional.hourlyFen);
    }
  });
});

describe("every standard of a term", () => {
  const data = dataOf([row("330000", "第一档", [], "2024-01-01", 2200), row("330000", "第一档", [], "2026-01-01", 2500), row("330000", "第一档", [], "2028-01-01", 2700)]);
  it("the one in force on the first day, then each that takes effect up to and including the last day", () => {
    expect(minimumWagesDuring("330100", "2025-06-01", "2026-05-31", data).map((standard) => standard.hourlyFen)).toEqual([2200, 2500]);
    expect(minimumWagesDuring("330100", "2025-06-01", "2025-12-31", data).map((standard) => standard.hourlyFen)).toEqual([2200]);
    expect(minimumWagesDuring("330100", "2025-06-01", "2026-01-01", data).map((standard) => standard.hourlyFen)).toEqual([2200, 2500]);
    expect(minimumWagesDuring("330100", "2025-06-01", null, data).map((standard) => standard.hourlyFen)).toEqual([2200, 2500, 2700]);
  });
  it("the rule context carries the region, industry, first and last day, the standard then and those after", () => {
    const context = ruleContextFor({ regionCode: "330100", industry: "FOOD_DELIVERY", plannedEffectiveFrom: new Date("2025-06-01T00:00:00+08:00"), effectiveFrom: null, termMonths: 12 }, { data });
    expect(context).toMatchObject({ regionCode: "330100", industry: "FOOD_DELIVERY", effectiveOn: "2025-06-01", endsOn: "2026-05-31", minimumWage: { hourlyFen: 2200 } });
    expect(context.laterMinimumWages.map((standard) => standard.hourlyFen)).toEqual([2500]);
  });
});

describe("the day an agreement is checked for, and its last day", () => {
  const now = new Date("2026-11-24T03:00:00Z");
  it("the agreement's effective date first, then the planned first day, else today", () => {
    expect(effectiveDay({ effectiveFrom: new Date("2027-01-01T00:00:00Z"), plannedEffectiveFrom: new Date("2026-12-01T00:00:00Z") }, now)).toBe("2027-01-01");
    expect(effectiveDay({ effectiveFrom: null, plannedEffectiveFrom: new Date("2026-12-01T00:00:00Z") }, now)).toBe("2026-12-01");
    expect(effectiveDay({ effectiveFrom: null, plannedEffectiveFrom: null }, now)).toBe("2026-11-24");
  });
  it("is the calendar day in China, where the minimum wages apply, not the UTC day", () => {
    expect(effectiveDay({ effectiveFrom: new Date("2026-01-01T00:00:00+08:00"), plannedEffectiveFrom: null }, now)).toBe("2026-01-01");
    expect(effectiveDay({ effectiveFrom: null, plannedEffectiveFrom: null }, new Date("2026-01-01T02:00:00+08:00"))).toBe("2026-01-01");
    expect(effectiveDay({ effectiveFrom: null, plannedEffectiveFrom: null }, new Date("2025-12-31T23:59:00+08:00"))).toBe("2025-12-31");
  });
  it("the last day is the day before the agreement stops applying, or term months after the first day", () => {
    expect(lastDay({ effectiveUntil: new Date("2027-03-01T00:00:00+08:00") }, "2026-03-01")).toBe("2027-02-28");
    expect(lastDay({ termMonths: 24 }, "2026-03-01")).toBe("2028-02-29");
    expect(lastDay({}, "2026-03-01")).toBeNull();
  });
});
