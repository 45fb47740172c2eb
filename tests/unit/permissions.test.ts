/**
 * The permission matrix of app/domain/permissions.ts, written out by hand so that a change to a
 * rule has to change this table too: every permission × every role, anonymous, and roles held
 * in another organization.
 */
import { describe, it, expect } from "vitest";
import {
  authorize,
  MEMBERSHIP_ROLES,
  ORGANIZATION_PERMISSIONS as PERMISSIONS,
  PERMISSIONS as ALL_PERMISSIONS,
  SESSION_PERMISSIONS,
  type Actor,
  type MembershipRole,
  type OrganizationPermission as Permission,
} from "../../app/domain/permissions.ts";

type Standing = MembershipRole | "NON_MEMBER";

const ORG_A = { organizationId: "org_a" };
const ORG_B = { organizationId: "org_b" };

const any = { ADMIN: true, NEGOTIATOR: true, MEMBER: true, NON_MEMBER: true } as const;
const members = { ADMIN: true, NEGOTIATOR: true, MEMBER: true, NON_MEMBER: false } as const;
const admins = { ADMIN: true, NEGOTIATOR: false, MEMBER: false, NON_MEMBER: false } as const;

const EXPECTED: Record<Permission, Record<Standing, boolean>> = {
  "create:organization": any,
  "view:organization": any,
  "view:members": members,
  "leave:organization": members,
  "update:organization": admins,
  "manage:members": admins,
  "create:invitation": admins,
  "revoke:invitation": admins,
};

/** Permissions that need no particular organization: any signed-in actor has them. */
const GLOBAL_PERMISSIONS: readonly Permission[] = ["create:organization", "view:organization"];

const STANDINGS: readonly Standing[] = [...MEMBERSHIP_ROLES, "NON_MEMBER"];

function actorWith(standing: Standing, organizationId = ORG_A.organizationId): Actor {
  return {
    userId: `user_${standing.toLowerCase()}`,
    memberships: standing === "NON_MEMBER" ? [] : [{ organizationId, role: standing }],
  };
}

function resourceFor(permission: Permission, organization = ORG_A) {
  return permission === "create:organization" ? undefined : organization;
}

describe("authorize", () => {
  it("lists every permission either as an organization or as a session permission", () => {
    expect([...ALL_PERMISSIONS].sort()).toEqual([...PERMISSIONS, ...SESSION_PERMISSIONS].sort());
  });

  it("has an expected outcome for every permission and every role (the matrix is exhaustive)", () => {
    expect([...PERMISSIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
    expect([...MEMBERSHIP_ROLES].sort()).toEqual(["ADMIN", "MEMBER", "NEGOTIATOR"]);
  });

  describe("anonymous (no actor)", () => {
    it.each(PERMISSIONS.map((permission) => [permission]))("is denied %s", (permission) => {
      expect(authorize(null, permission, resourceFor(permission))).toBe(false);
    });
  });

  describe("within the actor's own organization", () => {
    const cases = PERMISSIONS.flatMap((permission) =>
      STANDINGS.map((standing) => [permission, standing, EXPECTED[permission][standing]] as const),
    );

    it.each(cases)("%s as %s → allowed: %s", (permission, standing, allowed) => {
      expect(authorize(actorWith(standing), permission, resourceFor(permission))).toBe(allowed);
    });
  });

  describe("a role in organization A grants nothing on organization B", () => {
    const cases = PERMISSIONS.flatMap((permission) => MEMBERSHIP_ROLES.map((role) => [permission, role] as const));

    it.each(cases)("%s on B as %s of A", (permission, role) => {
      const allowed = GLOBAL_PERMISSIONS.includes(permission);
      expect(authorize(actorWith(role, ORG_A.organizationId), permission, resourceFor(permission, ORG_B))).toBe(allowed);
    });
  });

  it("uses the role held in the organization asked about when the actor belongs to several", () => {
    const actor: Actor = {
      userId: "user_multi",
      memberships: [
        { organizationId: ORG_B.organizationId, role: "ADMIN" },
        { organizationId: ORG_A.organizationId, role: "MEMBER" },
      ],
    };
    expect(authorize(actor, "manage:members", ORG_B)).toBe(true);
    expect(authorize(actor, "manage:members", ORG_A)).toBe(false);
    expect(authorize(actor, "create:invitation", ORG_A)).toBe(false);
    expect(authorize(actor, "view:members", ORG_A)).toBe(true);
    expect(authorize(actor, "view:members", { organizationId: "org_c" })).toBe(false);
  });

  it("denies a permission it does not know (deny by default)", () => {
    const unknown = "delete:everything" as unknown as Permission;
    expect(authorize(actorWith("ADMIN"), unknown, ORG_A)).toBe(false);
  });
});
