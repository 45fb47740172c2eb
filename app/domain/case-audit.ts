/**
 * A complaint case's own audit chain (issue 25, decision 045): every step of the case, timestamped
 * and hash-chained like a session's trail (app/domain/audit.ts) with the case's id as its scope.
 * The events name the case's step and the actor's role, never the worker's name or words, so the
 * chain can be shown to everyone who handles the case; the database keeps the table append-only.
 * Unlike the session and organization chains, no client address or browser is recorded (`ip` and
 * `userAgent` stay null): a worker's address is personal data the platform must not get.
 */
import { z } from "zod";
import { scopedEventHash, verifyLinks, type ChainedFields, type ChainPoint, type ChainVerdict } from "./audit.ts";

const role = z.enum(["WORKER", "PLATFORM", "UNION", "CLOCK"]);

export const CASE_AUDIT_PAYLOADS = {
  "case.filed": z.object({ number: z.string(), kind: z.string(), noticeVersionId: z.string(), clause: z.string(), dueAt: z.string().nullable(), responseSource: z.string(), identityShared: z.boolean(), photos: z.number().int(), bodyHash: z.string() }),
  "case.answered": z.object({ by: role, late: z.boolean(), answerHash: z.string() }),
  "case.accepted": z.object({ by: role }),
  "case.escalatedToUnion": z.object({ by: role }),
  /** The answer time ran out: the case went to the union by itself and the union was told. */
  "case.overdue": z.object({ by: role, dueAt: z.string() }),
  "case.resolved": z.object({ by: role, outcomeHash: z.string() }),
  "case.escalatedToBureau": z.object({ by: role }),
  "case.outcomeRecorded": z.object({ by: role, outcomeHash: z.string() }),
} as const;

export type CaseAuditType = keyof typeof CASE_AUDIT_PAYLOADS;
export type CaseAuditDraft = { type: CaseAuditType; payload: Record<string, unknown> };

/** The only way to make a case event: the payload is checked against its type. */
export function caseAuditEvent<T extends CaseAuditType>(type: T, payload: z.infer<(typeof CASE_AUDIT_PAYLOADS)[T]>): CaseAuditDraft {
  return { type, payload: CASE_AUDIT_PAYLOADS[type].parse(payload) as Record<string, unknown> };
}

export type CaseChainedEvent = ChainedFields & { caseId: string; hash: string };

export function caseEventHash(event: Omit<CaseChainedEvent, "hash">): string {
  return scopedEventHash("caseId", event.caseId, event);
}

export function verifyCaseChain(events: ReadonlyArray<CaseChainedEvent>, from?: ChainPoint): ChainVerdict {
  return verifyLinks(events, caseEventHash, from);
}
