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
        else {
          expect(parsed.error.key).toMatch(/^[a-z]+(\.[A-Za-z]+)+$/);
          expect(parsed.error.field).toMatch(/^(_form|days|onlineHours|takingHours|commission|orders\.\d+\.(distance|count|holidayCount|badWeatherCount)|penalties\.\d+\.count)$/);
        }
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

describe("what the calculator says is wrong", () => {
  const base = () => toDraft(WORKER_PROFILES[0]!.period);
  it("names the field and its row, with the bound in the unit the worker typed", () => {
    expect(fromDraft({ ...base(), days: "40" })).toEqual({ ok: false, error: { field: "days", key: "validation.rangeMax", values: { max: 31 } } });
    expect(fromDraft({ ...base(), onlineHours: "800" })).toEqual({ ok: false, error: { field: "onlineHours", key: "validation.rangeMax", values: { max: 744 } } });
    expect(fromDraft({ ...base(), onlineHours: "8.125" })).toEqual({ ok: false, error: { field: "onlineHours", key: "pay.error.decimal", values: {} } });
    expect(fromDraft({ ...base(), commission: "120" })).toEqual({ ok: false, error: { field: "commission", key: "validation.rangeMax", values: { max: 100 } } });
    const orders = base().orders;
    expect(fromDraft({ ...base(), orders: orders.map((order, index) => (index === 1 ? { ...order, distance: "250" } : order)) })).toEqual({ ok: false, error: { field: "orders.1.distance", key: "validation.rangeMax", values: { max: 100 } } });
    expect(fromDraft({ ...base(), orders: orders.map((order, index) => (index === 0 ? { ...order, count: "1.5" } : order)) })).toEqual({ ok: false, error: { field: "orders.0.count", key: "validation.number", values: {} } });
    expect(fromDraft({ ...base(), takingHours: "30", onlineHours: "20" })).toMatchObject({ ok: false, error: { field: "takingHours", key: "pay.error.takingAboveOnline" } });
  });
});
