/**
 * An organization's own audit chain (issue 18): its verification requests and decisions, and
 * the changes of name or code that send a verified organization back to review. Hash-chained
 * exactly like a session's trail (app/domain/audit.ts), with the organization's id in place of the
 * session's; the database keeps the table append-only (trigger in the migration).
 */
import { z } from "zod";
import { scopedEventHash, verifyLinks, type ChainPoint, type ChainVerdict } from "./audit.ts";

const decidedAs = z.string();

export const ORGANIZATION_AUDIT_PAYLOADS = {
  "organization.registered": z.object({ name: z.string(), type: z.string(), regionCode: z.string() }),
  "verification.submitted": z.object({ requestId: z.string(), registeredName: z.string(), creditCode: z.string(), registrationAuthority: z.string(), parentUnionName: z.string().nullable() }),
  "verification.withdrawn": z.object({ requestId: z.string() }),
  "verification.approved": z.object({ requestId: z.string(), creditCode: z.string(), decidedAs, reason: z.string().nullable() }),
  "verification.rejected": z.object({ requestId: z.string(), decidedAs, reason: z.string() }),
  /** A verified organization changed its name or code: back to review. */
  "verification.reopened": z.object({ changed: z.array(z.enum(["name", "creditCode"])), from: z.record(z.string()), to: z.record(z.string()) }),
  "organization.updated": z.object({ fields: z.array(z.string()) }),
  /** A publication refused because this organization (a party) is not verified. */
  "publication.refused": z.object({ sessionId: z.string(), reason: z.string() }),
} as const;

export type OrganizationAuditType = keyof typeof ORGANIZATION_AUDIT_PAYLOADS;
export type OrganizationAuditDraft = { type: OrganizationAuditType; payload: Record<string, unknown> };

/** The only way to make an organization audit event: the payload is checked against its type. */
export function organizationAuditEvent<T extends OrganizationAuditType>(type: T, payload: z.infer<(typeof ORGANIZATION_AUDIT_PAYLOADS)[T]>): OrganizationAuditDraft {
  return { type, payload: ORGANIZATION_AUDIT_PAYLOADS[type].parse(payload) as Record<string, unknown> };
}

export type OrganizationChainedEvent = {
  organizationId: string;
  seq: number;
  type: string;
  payload: unknown;
  actorId: string | null;
  at: Date;
  ip: string | null;
  userAgent: string | null;
  prevHash: string;
  hash: string;
};

/** The hash of an organization's event: the session chain's hash with the organization's id as its scope. */
export function organizationEventHash(event: Omit<OrganizationChainedEvent, "hash">): string {
  return scopedEventHash("organizationId", event.organizationId, event);
}

export function verifyOrganizationChain(events: ReadonlyArray<OrganizationChainedEvent>, from?: ChainPoint): ChainVerdict {
  return verifyLinks(events, organizationEventHash, from);
}
