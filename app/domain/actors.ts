/**
 * Who acts: a signed-in user with their memberships, and the vocabulary of organizations and
 * membership roles. What an actor may do is decided in one place, app/domain/capabilities.ts.
 */

export const ORGANIZATION_TYPES = ["UNION", "ASSOCIATION", "PLATFORM", "PARTNER", "BUREAU"] as const;
export type OrganizationType = (typeof ORGANIZATION_TYPES)[number];

export const MEMBERSHIP_ROLES = ["ADMIN", "NEGOTIATOR", "MEMBER"] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

export type Actor = {
  userId: string;
  memberships: ReadonlyArray<{ organizationId: string; role: MembershipRole }>;
};

/** Organizations that can open bargaining: unions for workers; associations and platforms for employers. */
export const PROPOSER_TYPES: readonly OrganizationType[] = ["UNION", "ASSOCIATION", "PLATFORM"];
