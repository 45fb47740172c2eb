/**
 * Who may do what. `authorize` is the one function that decides every permission in Xieshang;
 * the server guard (app/authz.server.ts) and the UI (which only hides buttons) both call it.
 * Deny by default: a permission not listed in the switch is refused.
 *
 * Pure: the caller passes the actor with its memberships and the resource.
 */

export const ORGANIZATION_TYPES = ["UNION", "ASSOCIATION", "PLATFORM", "PARTNER", "BUREAU"] as const;
export type OrganizationType = (typeof ORGANIZATION_TYPES)[number];

export const MEMBERSHIP_ROLES = ["ADMIN", "NEGOTIATOR", "MEMBER"] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

export type Actor = {
  userId: string;
  memberships: ReadonlyArray<{ organizationId: string; role: MembershipRole }>;
};

export type OrganizationResource = { organizationId: string };

/** Permissions are typed `action:entity`. */
export type Permission =
  | "create:organization"
  | "view:organization"
  | "update:organization"
  | "view:members"
  | "manage:members"
  | "create:invitation"
  | "revoke:invitation"
  | "leave:organization";

export const PERMISSIONS: readonly Permission[] = [
  "create:organization",
  "view:organization",
  "update:organization",
  "view:members",
  "manage:members",
  "create:invitation",
  "revoke:invitation",
  "leave:organization",
];

type ResourceFor<P extends Permission> = P extends "create:organization" ? undefined : OrganizationResource;

function roleIn(actor: Actor, organizationId: string): MembershipRole | null {
  return actor.memberships.find((membership) => membership.organizationId === organizationId)?.role ?? null;
}

export function authorize<P extends Permission>(actor: Actor | null, permission: P, resource: ResourceFor<P>): boolean {
  if (!actor) return false;
  switch (permission) {
    case "create:organization":
      // Any signed-in user may register an organization; it stays unverified until the operator
      // verifies it, and the UI says so.
      return true;
    case "view:organization":
      // The directory of organizations is visible to every signed-in user.
      return true;
    case "view:members":
    case "leave:organization":
      return roleIn(actor, (resource as OrganizationResource).organizationId) !== null;
    case "update:organization":
    case "manage:members":
    case "create:invitation":
    case "revoke:invitation":
      return roleIn(actor, (resource as OrganizationResource).organizationId) === "ADMIN";
    default: {
      const unknownPermission: never = permission;
      void unknownPermission;
      return false;
    }
  }
}
