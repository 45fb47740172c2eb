import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DRAFT_LIMITS, draftFromQuery, fromDraft, hasCalculatorQuery, QUERY, toDraft, type PeriodDraft } from "~/components/pay-draft.ts";
import { WORKER_PROFILES } from "~/domain/worker-profiles.ts";

/** The query a calculator form sends for a draft (one value per field, rows in order). */
function queryOf(draft: PeriodDraft): URLSearchParams {
  const query = new URLSearchParams([[QUERY.submitted, "1"], [QUERY.days, draft.days], [QUERY.onlineHours, draft.onlineHours], [QUERY.takingHours, draft.takingHours], [QUERY.commission, draft.commission]]);
  for (const order of draft.orders) {
    query.append(QUERY.orderType, order.orderType);
    query.append(QUERY.timeBand, order.timeBand);
    query.append(QUERY.distance, order.distance);
    query.append(QUERY.count, order.count);
    query.append(QUERY.holidayCount, order.holidayCount);
    query.append(QUERY.badWeatherCount, order.badWeatherCount);
  }
  for (const penalty of draft.penalties) {
    query.append(QUERY.penaltyKind, penalty.kind);
    query.append(QUERY.penaltyCount, penalty.count);
    query.append(QUERY.penaltyCause, penalty.cause);
  }
  return query;
}

describe("the calculator's form in a URL query", () => {
  it("gives back every example profile exactly, through the query and the calculator's input", () => {
    for (const profile of WORKER_PROFILES) {
      const { draft, tooLarge } = draftFromQuery(queryOf(toDraft(profile.period)));
      expect(tooLarge).toBe(false);
      expect(draft).toEqual(toDraft(profile.period));
      const parsed = fromDraft(draft);
      expect(parsed.ok && parsed.period).toEqual(profile.period);
    }
  });

  it("drops rows whose count is left empty and reads missing holiday and weather counts as 0", () => {
    const query = new URLSearchParams("calc=1&days=1&online=2&taking=1&ot=STANDARD&tb=PEAK&km=3&n=5&ot=URGENT&tb=ALL_DAY&km=&n=&pk=LATE_DELIVERY&pn=&pc=");
    const { draft } = draftFromQuery(query);
    expect(draft.orders).toEqual([{ orderType: "STANDARD", timeBand: "PEAK", distance: "3", count: "5", holidayCount: "0", badWeatherCount: "0" }]);
    expect(draft.penalties).toEqual([]);
  });

  it("refuses too many rows or overlong values as too large, keeping the values within the limits", () => {
    const query = new URLSearchParams("calc=1&days=1&online=1&taking=1");
    for (let i = 0; i <= DRAFT_LIMITS.orders; i += 1) for (const [key, value] of [["ot", "STANDARD"], ["tb", "ALL_DAY"], ["km", "1"], ["n", "1"]]) query.append(key!, value!);
    const many = draftFromQuery(query);
    expect(many.tooLarge).toBe(true);
    expect(many.draft.orders).toHaveLength(DRAFT_LIMITS.orders);
    const long = draftFromQuery(new URLSearchParams(`calc=1&days=${"9".repeat(40)}`));
    expect(long.tooLarge).toBe(true);
    expect(long.draft.days).toHaveLength(DRAFT_LIMITS.valueLength);
  });

  it("never throws on any query and only ever yields a period the calculator's schema accepts", () => {
    const keys = Object.values(QUERY);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...keys), fc.string({ maxLength: 20 })), { maxLength: 60 }), (pairs) => {
        const { draft } = draftFromQuery(new URLSearchParams(pairs));
        const parsed = fromDraft(draft);
        if (parsed.ok) expect(parsed.period.days).toBeGreaterThanOrEqual(0);
        else expect(parsed.error).toMatch(/^[a-z]+(\.[A-Za-z]+)+$/);
      }),
      { seed: 2026, numRuns: 500 },
    );
  });

  it("tells a calculator query from a page's other parameters", () => {
    expect(hasCalculatorQuery(new URLSearchParams("on=2026-01-01&print=1"))).toBe(false);
    expect(hasCalculatorQuery(new URLSearchParams("profile=evenings"))).toBe(true);
    expect(hasCalculatorQuery(new URLSearchParams("calc=1"))).toBe(true);
  });
});
