/**
 * Regional minimum wages (最低工资标准) from app/data/minimum-wage.json: one row per region and
 * effective date, each with its source. `minimumWageOn` picks the row in force on a date (the
 * agreement's effective date), which the pay-at-quota check compares against. Updating the data
 * is a documented step (docs/minimum-wage-data.md); a unit test validates the file.
 */
import { z } from "zod";
import data from "~/data/minimum-wage.json";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const minimumWageRowSchema = z
  .object({
    regionCode: z.string().regex(/^\d{6}$/),
    /** Monthly standard (full-time), in fen. */
    monthlyFen: z.number().int().positive(),
    /** Hourly standard (part-time, 非全日制), in fen. */
    hourlyFen: z.number().int().positive(),
    /** First day in force (inclusive). */
    effectiveFrom: isoDate,
    /** False when the notice's own effective date is not recorded: `effectiveFrom` is then the date of the summary table that lists it. */
    effectiveFromKnown: z.boolean(),
    /** Tier or area the figure applies to, as the notice names it. */
    tier: z.string(),
    source: z.object({ zh: z.string().min(1), en: z.string().min(1) }).strict(),
    /** True once checked against the official notice itself (not only a summary). */
    verified: z.boolean(),
  })
  .strict();

export const minimumWageDataSchema = z
  .object({ $comment: z.string(), tableAsOf: isoDate, rows: z.array(minimumWageRowSchema).min(1) })
  .strict()
  .superRefine((value, context) => {
    const seen = new Set<string>();
    for (const [index, row] of value.rows.entries()) {
      const key = `${row.regionCode}@${row.effectiveFrom}`;
      if (seen.has(key)) context.addIssue({ code: "custom", path: ["rows", index], message: `duplicate row ${key}` });
      seen.add(key);
    }
  });

export type MinimumWageRow = z.infer<typeof minimumWageRowSchema>;
export type MinimumWageData = z.infer<typeof minimumWageDataSchema>;

/** The minimum wage a check compares against: the row, and for a nationwide agreement the region it came from. */
export type MinimumWageInForce = MinimumWageRow & { nationwideStrictest: boolean };

export const NATIONWIDE = "000000";

const DATA: MinimumWageData = minimumWageDataSchema.parse(data);

function inForce(rows: MinimumWageRow[], regionCode: string, onDate: string): MinimumWageRow | null {
  let best: MinimumWageRow | null = null;
  for (const row of rows) {
    if (row.regionCode !== regionCode || row.effectiveFrom > onDate) continue;
    if (!best || row.effectiveFrom > best.effectiveFrom) best = row;
  }
  return best;
}

/**
 * The minimum wage in force in a region on a date (YYYY-MM-DD), or null when the data has no row
 * for it. A nationwide agreement must respect every region's floor, so it is checked against the
 * highest hourly standard in force anywhere on that date.
 */
export function minimumWageOn(regionCode: string, onDate: string, rows: MinimumWageRow[] = DATA.rows): MinimumWageInForce | null {
  if (regionCode !== NATIONWIDE) {
    const row = inForce(rows, regionCode, onDate);
    return row ? { ...row, nationwideStrictest: false } : null;
  }
  let strictest: MinimumWageRow | null = null;
  for (const code of new Set(rows.map((row) => row.regionCode))) {
    const row = inForce(rows, code, onDate);
    if (row && (!strictest || row.hourlyFen > strictest.hourlyFen)) strictest = row;
  }
  return strictest ? { ...strictest, nationwideStrictest: true } : null;
}

export const MINIMUM_WAGE_DATA = DATA;

/** China is UTC+8 all year; minimum wages take effect on calendar days there. */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * The day an agreement is checked for: the agreed first day in force, else its effective date, else
 * today, as a calendar day in China (the UTC day is the day before for the first 8 hours of each day).
 */
export function effectiveDay(session: { plannedEffectiveFrom: Date | null; effectiveFrom: Date | null }, now: Date = new Date()): string {
  const instant = session.effectiveFrom ?? session.plannedEffectiveFrom ?? now;
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The facts the rule checks need for a session's agreement (a `RuleContext` of rule-checks.ts). */
export function ruleContextFor(regionCode: string, effectiveOn: string) {
  return { regionCode, effectiveOn, minimumWage: minimumWageOn(regionCode, effectiveOn) };
}
