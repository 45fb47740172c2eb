/**
 * Who may do what. `authorize` is the one function that decides every permission in Xieshang;
 * the server guard (app/authz.server.ts) and the UI (which only hides buttons) both call it.
 * Deny by default: a permission not listed in the switch is refused.
 *
 * Pure: the caller passes the actor with its memberships and the resource.
 */

import type { SessionRoles } from "./session-access.ts";
import type { SessionState, Side } from "./procedure.ts";

export const ORGANIZATION_TYPES = ["UNION", "ASSOCIATION", "PLATFORM", "PARTNER", "BUREAU"] as const;
export type OrganizationType = (typeof ORGANIZATION_TYPES)[number];

export const MEMBERSHIP_ROLES = ["ADMIN", "NEGOTIATOR", "MEMBER"] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

export type Actor = {
  userId: string;
  memberships: ReadonlyArray<{ organizationId: string; role: MembershipRole }>;
};

export type OrganizationResource = { organizationId: string };
export type ProposerResource = { organizationId: string; organizationType: OrganizationType };
export type SessionResource = { roles: SessionRoles; side?: Side; state?: SessionState; /** On the roll of the session's open ratification vote. */ isVoter?: boolean };

/** Steps in which the draft can be edited (it is frozen once both chiefs agree it). */
export const DRAFT_EDITABLE_STATES: readonly SessionState[] = ["ACCEPTED", "BARGAINING"];
/** Steps in which the draft can be commented on. */
export const DRAFT_COMMENTABLE_STATES: readonly SessionState[] = ["ACCEPTED", "BARGAINING", "SUSPENDED", "DRAFT_AGREED"];

/** Permissions are typed `action:entity`. */
export type Permission =
  | "create:organization"
  | "view:organization"
  | "update:organization"
  | "view:members"
  | "manage:members"
  | "create:invitation"
  | "revoke:invitation"
  | "leave:organization"
  | "propose:session"
  | "view:session"
  | "appoint:seat"
  | "schedule:round"
  | "write:minutes"
  | "sign:minutes"
  | "read:caucus"
  | "write:caucus"
  | "edit:draft"
  | "comment:draft"
  | "offer:draft"
  | "view:agreement"
  | "vote:ratification"
  | "close:ratification"
  | "sign:agreement"
  | "view:feedback"
  | "moderate:feedback"
  | "correct:notice";

/** Permissions on organizations and their memberships. */
export const ORGANIZATION_PERMISSIONS = [
  "create:organization",
  "view:organization",
  "update:organization",
  "view:members",
  "manage:members",
  "create:invitation",
  "revoke:invitation",
  "leave:organization",
] as const satisfies readonly Permission[];
export type OrganizationPermission = (typeof ORGANIZATION_PERMISSIONS)[number];

/** Permissions inside a bargaining session (and opening one). */
export const SESSION_PERMISSIONS = [
  "propose:session",
  "view:session",
  "appoint:seat",
  "schedule:round",
  "write:minutes",
  "sign:minutes",
  "read:caucus",
  "write:caucus",
  "edit:draft",
  "comment:draft",
  "offer:draft",
  "view:agreement",
  "vote:ratification",
  "close:ratification",
  "sign:agreement",
  "view:feedback",
  "moderate:feedback",
  "correct:notice",
] as const satisfies readonly Permission[];

export const PERMISSIONS: readonly Permission[] = [...ORGANIZATION_PERMISSIONS, ...SESSION_PERMISSIONS];

type SessionPermission =
  | "view:session"
  | "appoint:seat"
  | "schedule:round"
  | "write:minutes"
  | "edit:draft"
  | "comment:draft"
  | "offer:draft"
  | "sign:minutes"
  | "read:caucus"
  | "write:caucus"
  | "view:agreement"
  | "vote:ratification"
  | "close:ratification"
  | "sign:agreement"
  | "view:feedback"
  | "moderate:feedback"
  | "correct:notice";
export type ResourceFor<P extends Permission> = P extends "create:organization" | "view:organization"
  ? undefined
  : P extends "propose:session"
    ? ProposerResource
    : P extends SessionPermission
      ? SessionResource
      : OrganizationResource;

/** Organizations that can open bargaining: unions for workers; associations and platforms for employers. */
export const PROPOSER_TYPES: readonly OrganizationType[] = ["UNION", "ASSOCIATION", "PLATFORM"];

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
    case "propose:session": {
      const target = resource as ProposerResource;
      const role = roleIn(actor, target.organizationId);
      return (role === "ADMIN" || role === "NEGOTIATOR") && PROPOSER_TYPES.includes(target.organizationType);
    }
    case "view:session":
      return (resource as SessionResource).roles.canView;
    case "appoint:seat": {
      // Each side names its own representatives; the neutral recorder (no side) may be named by
      // a negotiator of either side.
      const { roles, side } = resource as SessionResource;
      return side ? roles.negotiatorOf.includes(side) : roles.negotiatorOf.length > 0;
    }
    case "schedule:round": {
      const { roles } = resource as SessionResource;
      return roles.chiefOf !== null || roles.negotiatorOf.length > 0;
    }
    case "write:minutes":
      return (resource as SessionResource).roles.isRecorder;
    case "sign:minutes": {
      const { roles, side } = resource as SessionResource;
      return side !== undefined && roles.chiefOf === side;
    }
    case "read:caucus":
    case "write:caucus": {
      const { roles, side } = resource as SessionResource;
      return side !== undefined && roles.caucusSides.includes(side);
    }
    case "edit:draft": {
      // Union negotiators and worker-side representatives co-draft the text and the terms.
      const { roles, state } = resource as SessionResource;
      return state !== undefined && DRAFT_EDITABLE_STATES.includes(state) && (roles.representativeOf === "WORKER" || roles.negotiatorOf.includes("WORKER"));
    }
    case "comment:draft": {
      // Every representative and negotiator, of either side, may comment.
      const { roles, state } = resource as SessionResource;
      return state !== undefined && DRAFT_COMMENTABLE_STATES.includes(state) && (roles.representativeOf !== null || roles.negotiatorOf.length > 0);
    }
    case "offer:draft": {
      const { roles, state } = resource as SessionResource;
      return state === "BARGAINING" && (roles.representativeOf !== null || roles.negotiatorOf.length > 0);
    }
    case "view:agreement": {
      // The agreement page: everyone in the session, and the representatives on a vote's roll
      // (who read the frozen text they vote on, and nothing else of the session).
      const { roles, isVoter } = resource as SessionResource;
      return roles.canView || isVoter === true;
    }
    case "vote:ratification": {
      const { state, isVoter } = resource as SessionResource;
      return state === "RATIFICATION" && isVoter === true;
    }
    case "close:ratification": {
      // Closing early (once every ballot is in): the worker chief or the neutral recorder.
      const { roles, state } = resource as SessionResource;
      return state === "RATIFICATION" && (roles.chiefOf === "WORKER" || roles.isRecorder);
    }
    case "sign:agreement":
    case "correct:notice": {
      const { roles, side } = resource as SessionResource;
      return side !== undefined && roles.chiefOf === side;
    }
    case "view:feedback": {
      // Negotiators and representatives of both sides see the counts by topic and the feedback
      // the union has released; never who wrote it (nobody knows).
      const { roles } = resource as SessionResource;
      return roles.negotiatorOf.length > 0 || roles.representativeOf !== null;
    }
    case "moderate:feedback": {
      // The union moderates: negotiators of the worker side, and the worker side's representatives.
      const { roles } = resource as SessionResource;
      return roles.negotiatorOf.includes("WORKER") || roles.representativeOf === "WORKER";
    }
    default: {
      const unknownPermission: never = permission;
      void unknownPermission;
      return false;
    }
  }
}
