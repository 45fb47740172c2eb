/**
 * The audit trail of a bargaining session: event types (one zod enum, a payload schema per type),
 * a builder that forces the payload to match its type, and the hash chain (each event's hash
 * covers the previous event's hash and the canonical event), with a verifier that reports the
 * first broken link.
 */
import { z } from "zod";
import { canonicalJson, sha256Hex } from "./hash.ts";

const side = z.enum(["WORKER", "EMPLOYER"]);
const state = z.string();

export const AUDIT_PAYLOADS = {
  "session.proposed": z.object({ title: z.string(), industry: z.string(), regionCode: z.string(), topics: z.array(z.string()), proposerSide: side, parties: z.array(z.object({ organizationId: z.string(), role: z.string(), covered: z.boolean() })), ratificationPractice: z.enum(["ORDINARY", "AGREED_PER_ENTERPRISE"]).optional(), purpose: z.string().optional() }),
  "session.transition": z.object({ event: z.string(), from: state, to: state, reasons: z.string().optional(), side: side.optional(), passed: z.boolean().optional(), terms: z.record(z.unknown()).optional() }),
  "review.opinion": z.object({ opinionId: z.string(), bureauOrganizationId: z.string(), receivedAt: z.string(), items: z.array(z.object({ clause: z.string(), reason: z.string() })) }),
  "review.answered": z.object({ opinionId: z.string(), answers: z.array(z.string()) }),
  "session.clock": z.object({ event: z.string(), from: state, to: state, by: z.string().optional() }),
  "seat.appointed": z.object({ seatId: z.string(), kind: z.enum(["REPRESENTATIVE", "RECORDER"]), side: side.nullable(), userId: z.string(), isChief: z.boolean(), replacesSeatId: z.string().nullable(), outsideProfessional: z.literal(true).optional() }),
  "seat.ended": z.object({ seatId: z.string(), userId: z.string(), reason: z.string() }),
  "seat.confirmed": z.object({ seatId: z.string(), userId: z.string() }),
  "round.scheduled": z.object({ roundId: z.string(), number: z.number().int(), scheduledAt: z.string(), location: z.string(), chairSide: side }),
  "round.held": z.object({ roundId: z.string(), number: z.number().int(), attendeeIds: z.array(z.string()) }),
  "minutes.written": z.object({ roundId: z.string(), number: z.number().int(), minutesHash: z.string() }),
  "minutes.signed": z.object({ roundId: z.string(), number: z.number().int(), side, minutesHash: z.string() }),
  "offer.accepted": z.object({ offerId: z.string(), termKey: z.string(), value: z.unknown(), side, previous: z.unknown() }),
  /** A live-draft update refused because it would have left the terms invalid: nothing of it was stored. */
  "draft.versionRestored": z.object({ versionId: z.string(), name: z.string(), roundNumber: z.number().int().nullable() }),
  "draft.updateRefused": z.object({ field: z.string(), updateHash: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() }),
  "ratification.opened": z.object({ voteId: z.string(), versionId: z.string(), contentHash: z.string(), scope: z.enum(["ORDINARY", "AGREED_PER_ENTERPRISE"]), secret: z.boolean(), closesAt: z.string(), roll: z.array(z.object({ userId: z.string(), enterpriseId: z.string() })) }),
  "ratification.closed": z.object({ voteId: z.string(), passed: z.boolean(), early: z.boolean(), tally: z.unknown(), rule: z.unknown() }),
  "agreement.signed": z.object({ voteId: z.string(), side, contentHash: z.string() }),
  "notice.published": z.object({ noticeId: z.string(), noticeVersionId: z.string(), version: z.number().int(), kind: z.enum(["AGREEMENT", "CORRECTION", "AMENDMENT", "TERMINATION"]), hash: z.string(), effectiveFrom: z.string() }),
  "notice.correctionProposed": z.object({ correctionId: z.string(), noticeVersionId: z.string(), side, contentHash: z.string(), reason: z.string() }),
  "notice.correctionWithdrawn": z.object({ correctionId: z.string() }),
  /** Publication refused (issue 18): a party not verified, terms unreadable or in breach, a renewal missing a party of its series. */
  "notice.publicationRefused": z.object({ reason: z.enum(["unverifiedParty", "termsUnreadable", "termsBreach", "seriesPartiesMissing"]), organizationIds: z.array(z.string()).optional(), slugs: z.array(z.string()).optional() }),
  /** A re-check found the agreement in force paying below a minimum-wage standard of its term (issue 22). */
  "minimumWage.breachFound": z.object({ noticeVersionId: z.string(), standardKey: z.string(), payPerHourFen: z.number().int(), minimumFen: z.number().int(), effectiveFrom: z.string() }),
  /** One party's own answer to being named (issue 18, item 2). */
  "party.answered": z.object({ organizationId: z.string(), accept: z.boolean(), reasons: z.string().optional() }),
  "feedback.moderated": z.object({ feedbackId: z.string(), status: z.enum(["PUBLISHED", "REJECTED"]) }),
  // Disputes (issue 20, item 7; app/domain/disputes.ts): the written application, the bureau's
  // acceptance and clock, the tripartite participants, the extension, the 协调处理协议书, referrals.
  "dispute.applied": z.object({ disputeId: z.string(), kind: z.literal("BARGAINING"), applicantSide: side, bureauOrganizationId: z.string(), statement: z.string() }),
  "dispute.referred": z.object({ disputeId: z.string(), kind: z.enum(["REFUSAL", "NO_ANSWER", "PERFORMANCE"]), applicantSide: side, bureauOrganizationId: z.string(), statement: z.string(), referredTo: z.string(), referenceNumber: z.string().optional() }),
  "dispute.accepted": z.object({ disputeId: z.string(), dueAt: z.string() }),
  "dispute.participantsRecorded": z.object({ disputeId: z.string(), participants: z.array(z.object({ role: z.string(), organization: z.string(), people: z.string() })) }),
  "dispute.extended": z.object({ disputeId: z.string(), days: z.number().int(), reason: z.string(), dueAt: z.string() }),
  "dispute.concluded": z.object({ disputeId: z.string(), settlementText: z.string(), late: z.boolean() }),
  "dispute.withdrawn": z.object({ disputeId: z.string(), applicantSide: side }),
  "dispute.overdue": z.object({ disputeId: z.string(), dueAt: z.string() }),
} as const;

export type AuditType = keyof typeof AUDIT_PAYLOADS;
export const AUDIT_TYPES = Object.keys(AUDIT_PAYLOADS) as [AuditType, ...AuditType[]];
export const auditTypeSchema = z.enum(AUDIT_TYPES);
export type AuditPayload<T extends AuditType> = z.infer<(typeof AUDIT_PAYLOADS)[T]>;

export type AuditDraft = { type: AuditType; payload: Record<string, unknown> };

/** The only way to make an audit event: the payload is checked against its type's schema. */
export function auditEvent<T extends AuditType>(type: T, payload: AuditPayload<T>): AuditDraft {
  return { type, payload: AUDIT_PAYLOADS[type].parse(payload) as Record<string, unknown> };
}

export const GENESIS_HASH = "0".repeat(64);

export type ChainedEvent = {
  sessionId: string;
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

/** The fields every chained event carries besides its scope (the session, organization or case it belongs to). */
export type ChainedFields = { seq: number; type: string; payload: unknown; actorId: string | null; at: Date; ip: string | null; userAgent: string | null; prevHash: string };

/**
 * The hash of an event of any chain scope (decision 045): the previous hash and the canonical JSON
 * of the scope's id under its own name (`sessionId`, `organizationId`, `caseId`) and exactly these
 * fields, whatever else the row carries (id, hash).
 */
export function scopedEventHash(scope: string, scopeId: string, event: ChainedFields): string {
  const content = {
    [scope]: scopeId,
    seq: event.seq,
    type: event.type,
    payload: event.payload,
    actorId: event.actorId,
    at: event.at.toISOString(),
    ip: event.ip,
    userAgent: event.userAgent,
  };
  return sha256Hex(`${event.prevHash}\n${canonicalJson(content)}`);
}

/** The hash of a session's event. */
export function eventHash(event: Omit<ChainedEvent, "hash">): string {
  return scopedEventHash("sessionId", event.sessionId, event);
}

export type ChainVerdict = { ok: true; length: number } | { ok: false; length: number; brokenAt: number; reason: "hash" | "link" | "sequence" };

/** A verified point of a chain: the event `seq` (0 for the start) and its hash. */
export type ChainPoint = { seq: number; hash: string };
export const CHAIN_START: ChainPoint = { seq: 0, hash: GENESIS_HASH };

/**
 * Recomputes the chain of one session (events in seq order) and reports the first broken link.
 * From `from` (a point verified before), `events` are the ones after it; `length` counts the
 * whole chain up to the last event.
 */
export function verifyChain(events: ReadonlyArray<ChainedEvent>, from: ChainPoint = CHAIN_START): ChainVerdict {
  return verifyLinks(events, eventHash, from);
}

/** The links of any hash chain (a session's, an organization's) with that chain's event hash. */
export function verifyLinks<E extends { seq: number; prevHash: string; hash: string }>(events: ReadonlyArray<E>, hashOf: (event: E) => string, from: ChainPoint = CHAIN_START): ChainVerdict {
  let previous = from.hash;
  const length = from.seq + events.length;
  for (const [index, event] of events.entries()) {
    if (event.seq !== from.seq + index + 1) return { ok: false, length, brokenAt: event.seq, reason: "sequence" };
    if (event.prevHash !== previous) return { ok: false, length, brokenAt: event.seq, reason: "link" };
    if (hashOf(event) !== event.hash) return { ok: false, length, brokenAt: event.seq, reason: "hash" };
    previous = event.hash;
  }
  return { ok: true, length };
}
