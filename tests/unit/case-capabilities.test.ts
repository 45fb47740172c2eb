/**
 * Who may take each step of a complaint case (issue 25; CASE_RULES in app/domain/capabilities.ts),
 * checked against a table written from docs/complaints.md: the worker, the platform's staff, the
 * union's staff, a member (not staff) of either, and a stranger; the platform sees who filed only
 * with the worker's consent.
 */
import { describe, expect, it } from "vitest";
import type { Actor } from "~/domain/actors.ts";
import { CASE_ACTIONS, decideCase, type CaseAction, type CaseSubject } from "~/domain/capabilities.ts";
import { CASE_STATES, type CaseState } from "~/domain/complaints.ts";

const worker: Actor = { userId: "w", memberships: [] };
const platform: Actor = { userId: "p", memberships: [{ organizationId: "plat", role: "NEGOTIATOR" }] };
const platformMember: Actor = { userId: "pm", memberships: [{ organizationId: "plat", role: "MEMBER" }] };
const union: Actor = { userId: "u", memberships: [{ organizationId: "union", role: "ADMIN" }] };
const otherPlatform: Actor = { userId: "o", memberships: [{ organizationId: "other", role: "ADMIN" }] };
const subject = (state: CaseState, extra: Partial<CaseSubject> = {}): CaseSubject => ({ workerId: "w", state, answered: false, identityShared: false, platformOrganizationId: "plat", unionOrganizationIds: ["union"], ...extra });

/** Expected: who may act, and in which states. */
const TABLE: Record<Exclude<CaseAction, "viewCase" | "viewIdentity" | "exportCases">, { who: Actor; states: CaseState[] }> = {
  answer: { who: platform, states: ["FILED", "WITH_UNION"] },
  accept: { who: worker, states: ["ANSWERED"] },
  escalateToUnion: { who: worker, states: ["FILED", "ANSWERED"] },
  resolve: { who: union, states: ["WITH_UNION"] },
  escalateToBureau: { who: union, states: ["WITH_UNION"] },
  recordOutcome: { who: union, states: ["WITH_BUREAU"] },
};

describe("complaint case capabilities", () => {
  it("has a row for every step and nothing else", () => {
    expect(CASE_ACTIONS.sort()).toEqual([...Object.keys(TABLE), "viewCase", "viewIdentity", "exportCases"].sort());
  });

  for (const [action, expected] of Object.entries(TABLE) as Array<[CaseAction, { who: Actor; states: CaseState[] }]>) {
    it(`${action}: only ${expected.who.userId} in ${expected.states.join(", ")}`, () => {
      for (const state of CASE_STATES) {
        for (const actor of [worker, platform, platformMember, union, otherPlatform]) {
          const verdict = decideCase(actor, subject(state), action);
          expect(verdict.allowed, `${actor.userId} ${action} in ${state}`).toBe(actor === expected.who && expected.states.includes(state));
        }
      }
    });
  }

  it("refuses a second answer", () => {
    expect(decideCase(platform, subject("WITH_UNION", { answered: true }), "answer")).toMatchObject({ allowed: false, reason: "complaint.wrongState" });
  });

  it("hides the case from anyone who is not the worker, the platform's staff or the union's staff (not found)", () => {
    for (const actor of [platformMember, otherPlatform, { userId: "x", memberships: [] }]) expect(decideCase(actor, subject("FILED"), "viewCase")).toMatchObject({ allowed: false, reason: "notFound" });
    expect(decideCase(null, subject("FILED"), "viewCase")).toMatchObject({ allowed: false, reason: "auth.required" });
  });

  it("shows who filed to the worker and the union always, to the platform only with consent", () => {
    expect(decideCase(worker, subject("FILED"), "viewIdentity").allowed).toBe(true);
    expect(decideCase(union, subject("FILED"), "viewIdentity").allowed).toBe(true);
    expect(decideCase(platform, subject("FILED"), "viewIdentity").allowed).toBe(false);
    expect(decideCase(platform, subject("FILED", { identityShared: true }), "viewIdentity").allowed).toBe(true);
  });

  it("lets only the union's staff export the figures", () => {
    expect(decideCase(union, subject("FILED"), "exportCases").allowed).toBe(true);
    for (const actor of [worker, platform]) expect(decideCase(actor, subject("FILED"), "exportCases").allowed).toBe(false);
  });
});
