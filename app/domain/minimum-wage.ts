/**
 * Regional minimum wages (最低工资标准) from app/data/minimum-wage-standards.json (issue 22): every
 * tier (档) of every provincial region, one row per tier and effective date, each naming the
 * documents its figures were read in and whether an official text was read (`verified`).
 *
 * Which row applies where and when:
 * - a region code is resolved to its tier through the rows' `areas` (the city itself, or the
 *   prefecture-level city it belongs to); when the data does not place the area in a tier, the
 *   highest tier of its province applies and the result says so (`areaResolved: false`), because an
 *   agreement must respect the floor wherever the work may happen;
 * - a nationwide agreement is checked against the highest hourly standard in force anywhere;
 * - an agreement is checked on its effective date **and on every day of its term**: the standards
 *   that take effect during the term are checked too (`minimumWagesDuring`).
 * Updating the data is a documented step (docs/minimum-wage-data.md); a unit test validates the file.
 */
import { z } from "zod";
import data from "~/data/minimum-wage-standards.json";
import { addMonths } from "./procedure.ts";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const bilingual = z.object({ zh: z.string().min(1), en: z.string().min(1) }).strict();

export const minimumWageDocumentSchema = z
  .object({
    title: bilingual,
    /** 文号, when known. */
    number: z.string().min(1).nullable(),
    issuer: bilingual,
    issuedOn: isoDate.nullable(),
    url: z.string().url().nullable(),
    /** The government's own text (not a summary, news or a third party's table). */
    official: z.boolean(),
  })
  .strict();

export const minimumWageRowSchema = z
  .object({
    /** GB/T 2260 code of the provincial region (xx0000). */
    provinceCode: z.string().regex(/^\d{2}0000$/),
    /** The tier as the notice names it. */
    tier: bilingual,
    /** Prefecture-level cities (or a municipality) the notice puts wholly in this tier. */
    areas: z.array(z.string().regex(/^\d{4}00$/)),
    areaNames: bilingual,
    /** Monthly standard (full-time), in fen. */
    monthlyFen: z.number().int().positive(),
    /** Hourly standard (part-time, 非全日制), in fen. */
    hourlyFen: z.number().int().positive(),
    /** First day in force (inclusive). */
    effectiveFrom: isoDate,
    /** False when the notice's own effective date was not found: `effectiveFrom` is then the date of a summary that lists it. */
    effectiveFromKnown: z.boolean(),
    /** Ids in `documents`: the notice, and any summary the figure was read in. */
    documents: z.array(z.string().min(1)).min(1),
    /** The number (文号) of the notice that set the standard, when the sources agree on it. */
    notice: z.string().regex(/〔\d{4}〕\d+号$/u).optional(),
    /** True only when the figure was read in an official document's text. */
    verified: z.boolean(),
    note: bilingual.optional(),
  })
  .strict();

export const minimumWageDataSchema = z
  .object({ $comment: z.string(), tableAsOf: isoDate, documents: z.record(minimumWageDocumentSchema), rows: z.array(minimumWageRowSchema).min(1) })
  .strict()
  .superRefine((value, context) => {
    const seen = new Set<string>();
    for (const [index, row] of value.rows.entries()) {
      const key = standardKey(row);
      if (seen.has(key)) context.addIssue({ code: "custom", path: ["rows", index], message: `duplicate row ${key}` });
      seen.add(key);
      for (const id of row.documents) {
        if (!value.documents[id]) context.addIssue({ code: "custom", path: ["rows", index, "documents"], message: `unknown document ${id}` });
      }
      if (row.verified && !row.documents.some((id) => value.documents[id]?.official)) {
        context.addIssue({ code: "custom", path: ["rows", index, "verified"], message: `${key} is verified but names no official document` });
      }
      for (const area of row.areas) {
        if (area.slice(0, 2) !== row.provinceCode.slice(0, 2)) context.addIssue({ code: "custom", path: ["rows", index, "areas"], message: `${area} is not in ${row.provinceCode}` });
      }
    }
  });

export type MinimumWageDocument = z.infer<typeof minimumWageDocumentSchema>;
export type MinimumWageRow = z.infer<typeof minimumWageRowSchema>;
export type MinimumWageData = z.infer<typeof minimumWageDataSchema>;

/** A standard's identity: its province, tier and first day (rows are added, never changed). */
export function standardKey(row: Pick<MinimumWageRow, "provinceCode" | "tier" | "effectiveFrom">): string {
  return `${row.provinceCode}/${row.tier.zh}@${row.effectiveFrom}`;
}

/** The minimum wage a check compares against, with where it came from. */
export type MinimumWageInForce = MinimumWageRow & {
  key: string;
  /** A nationwide agreement: the highest standard in force anywhere. */
  nationwideStrictest: boolean;
  /** False when the data does not place the area in a tier and the province's highest tier applies. */
  areaResolved: boolean;
  /** The documents, as a source line. */
  source: { zh: string; en: string };
};

export const NATIONWIDE = "000000";

const DATA: MinimumWageData = minimumWageDataSchema.parse(data);
export const MINIMUM_WAGE_DATA = DATA;

/**
 * The source line shown with a standard: its official documents when it names any; otherwise the
 * notice that set it (or the MOHRSS table) as read in a third party's copy, marked unverified.
 * Where each figure was read is in the data and docs/minimum-wage-sources.md.
 */
function sourceLine(row: MinimumWageRow, documents: Record<string, MinimumWageDocument>): { zh: string; en: string } {
  const official = row.documents.map((id) => documents[id]).filter((document): document is MinimumWageDocument => Boolean(document?.official));
  if (official.length > 0) {
    const zh = official.map((document) => `《${document.title.zh}》${document.number ? `（${document.number}）` : ""}`).join("；");
    const en = official.map((document) => `${document.title.en}${document.number ? ` (${document.number})` : ""}`).join("; ");
    return { zh: row.verified ? zh : `${zh}（未经核实）`, en: row.verified ? en : `${en} (unverified)` };
  }
  return row.notice
    ? { zh: `${row.notice}（据第三方转录，未经核实）`, en: `${row.notice} (from a third party's copy, unverified)` }
    : { zh: "人力资源社会保障部最低工资标准汇总表（据第三方转录，未经核实）", en: "MOHRSS table of minimum wages (from a third party's copy, unverified)" };
}

const strictest = (rows: readonly MinimumWageRow[]) => rows.reduce((best, row) => (row.hourlyFen > best.hourlyFen ? row : best));

/**
 * The row for a region on a date. A province's adjustments (its rows sharing a first day) are read
 * newest first: one that places the area (the city or its prefecture) gives its tier; one with a
 * tier described only by counties (no `areas`) may concern the area, so its highest tier applies;
 * one whose tiers all name other areas (Shenzhen's own adjustment, for Guangzhou) does not concern
 * it. A whole province is held to the highest tier of its newest adjustment.
 */
function resolveRegion(rows: readonly MinimumWageRow[], regionCode: string, onDate: string): { row: MinimumWageRow; areaResolved: boolean } | null {
  const province = `${regionCode.slice(0, 2)}0000`;
  const prefecture = `${regionCode.slice(0, 4)}00`;
  const ofProvince = rows.filter((row) => row.provinceCode === province && row.effectiveFrom <= onDate);
  const days = [...new Set(ofProvince.map((row) => row.effectiveFrom))].sort().reverse();
  for (const day of days) {
    const adjustment = ofProvince.filter((row) => row.effectiveFrom === day);
    const placed = adjustment.filter((row) => row.areas.includes(regionCode) || row.areas.includes(prefecture));
    if (placed.length > 0) return { row: strictest(placed), areaResolved: true };
    if (regionCode === province || adjustment.some((row) => row.areas.length === 0)) return { row: strictest(adjustment), areaResolved: false };
  }
  return null;
}

/**
 * The minimum wage in force in a region on a date (YYYY-MM-DD), or null when the data has no
 * standard for it. A nationwide agreement is checked against the highest hourly standard in force
 * anywhere on that date.
 */
export function minimumWageOn(regionCode: string, onDate: string, data: MinimumWageData = DATA): MinimumWageInForce | null {
  const rows = data.rows;
  const wrap = (row: MinimumWageRow, nationwideStrictest: boolean, areaResolved: boolean): MinimumWageInForce => ({
    ...row,
    key: standardKey(row),
    nationwideStrictest,
    areaResolved,
    source: sourceLine(row, data.documents),
  });
  if (regionCode !== NATIONWIDE) {
    const resolved = resolveRegion(rows, regionCode, onDate);
    return resolved ? wrap(resolved.row, false, resolved.areaResolved) : null;
  }
  // Every area the data places, and every province as a whole: the highest standard among them.
  const places = new Set([...rows.flatMap((row) => row.areas), ...rows.map((row) => row.provinceCode)]);
  let highest: MinimumWageRow | null = null;
  for (const place of places) {
    const row = resolveRegion(rows, place, onDate)?.row;
    if (row && (!highest || row.hourlyFen > highest.hourlyFen)) highest = row;
  }
  return highest ? wrap(highest, true, true) : null;
}

/**
 * Every standard in force in a region on some day from `from` to `until` (inclusive): the one in
 * force on `from`, then each that takes effect during the term, in date order.
 */
export function minimumWagesDuring(regionCode: string, from: string, until: string | null, data: MinimumWageData = DATA): MinimumWageInForce[] {
  const dates = [from, ...new Set(data.rows.map((row) => row.effectiveFrom).filter((date) => date > from && (until === null || date <= until)))].sort();
  const result: MinimumWageInForce[] = [];
  for (const date of dates) {
    const standard = minimumWageOn(regionCode, date, data);
    if (standard && !result.some((known) => known.key === standard.key)) result.push(standard);
  }
  return result;
}

/** China is UTC+8 all year; minimum wages take effect on calendar days there. */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
const chinaDay = (instant: Date) => new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);

/**
 * The day an agreement is checked for: the agreed first day in force, else its effective date, else
 * today, as a calendar day in China (the UTC day is the day before for the first 8 hours of each day).
 */
export function effectiveDay(session: { plannedEffectiveFrom: Date | null; effectiveFrom: Date | null }, now: Date = new Date()): string {
  return chinaDay(session.effectiveFrom ?? session.plannedEffectiveFrom ?? now);
}

/**
 * The last day of an agreement's term in China: the day before `effectiveUntil` (the instant it
 * stops applying), or, before the term is fixed, `termMonths` after the day it is checked for.
 */
export function lastDay(session: { effectiveUntil?: Date | null; termMonths?: number | null }, effectiveOn: string): string | null {
  if (session.effectiveUntil) return chinaDay(new Date(session.effectiveUntil.getTime() - 1));
  if (!session.termMonths) return null;
  // Calendar arithmetic on the day itself (UTC midnight stands for the China calendar day).
  const until = addMonths(new Date(`${effectiveOn}T00:00:00Z`), session.termMonths);
  return new Date(until.getTime() - 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

export type AgreementFacts = {
  regionCode: string;
  industry: string;
  plannedEffectiveFrom: Date | null;
  effectiveFrom: Date | null;
  effectiveUntil?: Date | null;
  termMonths?: number | null;
};

/** The facts the rule checks need for an agreement (a `RuleContext` of rule-checks.ts). */
export function ruleContextFor(session: AgreementFacts, options: { now?: Date; data?: MinimumWageData } = {}) {
  const effectiveOn = effectiveDay(session, options.now);
  const endsOn = lastDay(session, effectiveOn);
  const during = minimumWagesDuring(session.regionCode, effectiveOn, endsOn, options.data);
  return {
    regionCode: session.regionCode,
    industry: session.industry,
    effectiveOn,
    endsOn,
    minimumWage: minimumWageOn(session.regionCode, effectiveOn, options.data),
    laterMinimumWages: during.filter((standard) => standard.effectiveFrom > effectiveOn),
  };
}
