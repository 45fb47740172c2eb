/** Session roles (app/domain/session-access.ts) and the session permissions of `authorize`. */
import { describe, expect, it } from "vitest";
import { authorize, type Actor } from "../../app/domain/permissions.ts";
import { sessionRolesOf } from "../../app/domain/session-access.ts";

const parties = [
  { organizationId: "union", role: "WORKER" as const },
  { organizationId: "association", role: "EMPLOYER" as const },
  { organizationId: "platform", role: "EMPLOYER" as const },
  { organizationId: "bureau", role: "OBSERVER" as const },
];
const seats = [
  { userId: "u-chief", side: "WORKER" as const, kind: "REPRESENTATIVE" as const, isChief: true },
  { userId: "u-rep", side: "WORKER" as const, kind: "REPRESENTATIVE" as const, isChief: false },
  { userId: "e-chief", side: "EMPLOYER" as const, kind: "REPRESENTATIVE" as const, isChief: true },
  { userId: "recorder", side: null, kind: "RECORDER" as const, isChief: false },
];

const actor = (userId: string, memberships: Actor["memberships"] = []): Actor => ({ userId, memberships });
const roles = (a: Actor | null) => sessionRolesOf(a, parties, seats);

describe("sessionRolesOf", () => {
  it("gives an outsider nothing", () => {
    expect(roles(actor("stranger", [{ organizationId: "elsewhere", role: "ADMIN" }]))).toMatchObject({ canView: false, negotiatorOf: [], caucusSides: [], chiefOf: null, isRecorder: false, isReviewer: false });
    expect(roles(null).canView).toBe(false);
  });

  it("makes union negotiators and admins negotiators of the worker side; members only see and caucus", () => {
    expect(roles(actor("n", [{ organizationId: "union", role: "NEGOTIATOR" }]))).toMatchObject({ canView: true, negotiatorOf: ["WORKER"], caucusSides: ["WORKER"] });
    expect(roles(actor("a", [{ organizationId: "union", role: "ADMIN" }])).negotiatorOf).toEqual(["WORKER"]);
    expect(roles(actor("m", [{ organizationId: "union", role: "MEMBER" }]))).toMatchObject({ canView: true, negotiatorOf: [], caucusSides: ["WORKER"] });
  });

  it("derives chief, representative and recorder from seats", () => {
    expect(roles(actor("u-chief"))).toMatchObject({ canView: true, chiefOf: "WORKER", representativeOf: "WORKER", caucusSides: ["WORKER"] });
    expect(roles(actor("u-rep"))).toMatchObject({ chiefOf: null, representativeOf: "WORKER" });
    expect(roles(actor("recorder"))).toMatchObject({ canView: true, isRecorder: true, caucusSides: [], chiefOf: null });
  });

  it("makes labour bureau members reviewers without any caucus", () => {
    expect(roles(actor("b", [{ organizationId: "bureau", role: "MEMBER" }]))).toMatchObject({ canView: true, isReviewer: true, caucusSides: [], negotiatorOf: [] });
  });
});

describe("authorize: session permissions", () => {
  const platformNegotiator = roles(actor("p", [{ organizationId: "platform", role: "NEGOTIATOR" }]));
  const unionMember = roles(actor("m", [{ organizationId: "union", role: "MEMBER" }]));
  const reviewer = roles(actor("b", [{ organizationId: "bureau", role: "MEMBER" }]));
  const a = actor("any");

  it("lets each side read and write only its own caucus", () => {
    expect(authorize(a, "read:caucus", { roles: unionMember, side: "WORKER" })).toBe(true);
    expect(authorize(a, "read:caucus", { roles: unionMember, side: "EMPLOYER" })).toBe(false);
    expect(authorize(a, "read:caucus", { roles: platformNegotiator, side: "WORKER" })).toBe(false);
    expect(authorize(a, "write:caucus", { roles: reviewer, side: "WORKER" })).toBe(false);
    expect(authorize(a, "read:caucus", { roles: unionMember })).toBe(false);
  });

  it("lets negotiators appoint seats of their own side only; any negotiator the neutral recorder", () => {
    expect(authorize(a, "appoint:seat", { roles: platformNegotiator, side: "EMPLOYER" })).toBe(true);
    expect(authorize(a, "appoint:seat", { roles: platformNegotiator, side: "WORKER" })).toBe(false);
    expect(authorize(a, "appoint:seat", { roles: platformNegotiator })).toBe(true);
    expect(authorize(a, "appoint:seat", { roles: unionMember })).toBe(false);
  });

  it("lets only the recorder keep minutes, and only a side's chief sign for it", () => {
    const recorder = roles(actor("recorder"));
    const chief = roles(actor("u-chief"));
    expect(authorize(a, "write:minutes", { roles: recorder })).toBe(true);
    expect(authorize(a, "write:minutes", { roles: chief })).toBe(false);
    expect(authorize(a, "sign:minutes", { roles: chief, side: "WORKER" })).toBe(true);
    expect(authorize(a, "sign:minutes", { roles: chief, side: "EMPLOYER" })).toBe(false);
    expect(authorize(a, "sign:minutes", { roles: recorder, side: "WORKER" })).toBe(false);
  });

  it("refuses everything to anonymous users and outsiders", () => {
    const outsider = roles(actor("stranger"));
    for (const permission of ["view:session", "schedule:round", "write:minutes"] as const) {
      expect(authorize(null, permission, { roles: outsider })).toBe(false);
      expect(authorize(a, permission, { roles: outsider })).toBe(false);
    }
  });

  it("lets union, association and platform negotiators propose; not members, partners or bureaus", () => {
    const negotiatorOf = (organizationId: string): Actor => actor("x", [{ organizationId, role: "NEGOTIATOR" }]);
    expect(authorize(negotiatorOf("o"), "propose:session", { organizationId: "o", organizationType: "UNION" })).toBe(true);
    expect(authorize(negotiatorOf("o"), "propose:session", { organizationId: "o", organizationType: "PLATFORM" })).toBe(true);
    expect(authorize(negotiatorOf("o"), "propose:session", { organizationId: "o", organizationType: "PARTNER" })).toBe(false);
    expect(authorize(negotiatorOf("o"), "propose:session", { organizationId: "o", organizationType: "BUREAU" })).toBe(false);
    expect(authorize(actor("x", [{ organizationId: "o", role: "MEMBER" }]), "propose:session", { organizationId: "o", organizationType: "UNION" })).toBe(false);
    expect(authorize(negotiatorOf("other"), "propose:session", { organizationId: "o", organizationType: "UNION" })).toBe(false);
  });
});
