/**
 * Example worker profiles: typical months of work used to show what a set of terms, or an offer,
 * means for real people (the bargaining view and the version comparison). Figures are typical of
 * city food delivery (shared/DESIGN.md, "Users"); each profile is one `WorkerPeriod` for the pay
 * calculator, so the same calculator shows the effect.
 */
import { calculatePay, type WorkerPeriod } from "./pay.ts";
import { readTerms } from "./terms.ts";

export const WORKER_PROFILES: ReadonlyArray<{ id: string; period: WorkerPeriod }> = [
  {
    // 26 days, 10 hours online, 8.5 taking orders, about 32 orders a day, two holidays, some rain.
    id: "fullTime",
    period: {
      days: 26,
      onlineMinutes: 26 * 600,
      orderTakingMinutes: 26 * 510,
      orders: [
        { orderType: "STANDARD", distanceMetres: 1500, timeBand: "ALL_DAY", count: 520, holidayCount: 40, badWeatherCount: 60 },
        { orderType: "STANDARD", distanceMetres: 3500, timeBand: "PEAK", count: 180, holidayCount: 14, badWeatherCount: 20 },
        { orderType: "URGENT", distanceMetres: 2500, timeBand: "ALL_DAY", count: 60, holidayCount: 4, badWeatherCount: 8 },
        { orderType: "STANDARD", distanceMetres: 2500, timeBand: "NIGHT", count: 72, holidayCount: 6, badWeatherCount: 6 },
      ],
      penalties: [
        { kind: "LATE_DELIVERY", count: 3, cause: null },
        { kind: "LATE_DELIVERY", count: 2, cause: "BAD_WEATHER" },
      ],
      commissionBp: null,
    },
  },
  {
    // Evenings only: 14 days of 4 hours, mostly night orders.
    id: "evenings",
    period: {
      days: 14,
      onlineMinutes: 14 * 240,
      orderTakingMinutes: 14 * 200,
      orders: [
        { orderType: "STANDARD", distanceMetres: 2000, timeBand: "NIGHT", count: 140, holidayCount: 0, badWeatherCount: 10 },
        { orderType: "GROCERY", distanceMetres: 3000, timeBand: "NIGHT", count: 20, holidayCount: 0, badWeatherCount: 2 },
      ],
      penalties: [{ kind: "CUSTOMER_COMPLAINT", count: 1, cause: null }],
      commissionBp: null,
    },
  },
  {
    // Meal peaks only: 20 days of 3 hours at lunch and dinner.
    id: "peaks",
    period: {
      days: 20,
      onlineMinutes: 20 * 180,
      orderTakingMinutes: 20 * 165,
      orders: [
        { orderType: "STANDARD", distanceMetres: 1200, timeBand: "PEAK", count: 220, holidayCount: 0, badWeatherCount: 15 },
        { orderType: "BULKY", distanceMetres: 4000, timeBand: "PEAK", count: 10, holidayCount: 0, badWeatherCount: 0 },
      ],
      penalties: [],
      commissionBp: null,
    },
  },
];

/** Monthly net pay of each example worker under two stored versions of the terms (null where a version's terms are not valid). */
export function comparePayForProfiles(beforeRaw: unknown, afterRaw: unknown): Array<{ profile: string; beforeFen: number | null; afterFen: number | null }> {
  const before = readTerms(beforeRaw);
  const after = readTerms(afterRaw);
  return WORKER_PROFILES.map((profile) => ({
    profile: profile.id,
    beforeFen: before ? calculatePay(before, profile.period).netFen : null,
    afterFen: after ? calculatePay(after, profile.period).netFen : null,
  }));
}
