/**
 * Verifying a session's audit chain without recomputing every hash on every page view
 * (decision 027). The first view in a process recomputes the whole chain from the genesis hash
 * and remembers where it ended (a checkpoint: the last event's seq and hash). Later views read
 * only the events from that checkpoint on: the checkpoint event must still carry the hash it had
 * (so a changed or removed last event is seen) and every event after it must link and hash
 * correctly (so a forged or inserted event is seen). The database refuses UPDATE, DELETE and
 * TRUNCATE on the table; what only a privileged rewrite of older rows could hide is caught by the
 * whole-chain recomputation, which a view starts in the background once the last one is older
 * than `AUDIT_FULL_RECHECK_MS`, and which anyone in the session can ask for on the page. The
 * verdict says when the whole chain was last recomputed.
 */
import "~/infra/crypto.server.ts";
import { getDb } from "~/infra/db.server.ts";
import { eventHash, verifyChain, type ChainedEvent, type ChainPoint, type ChainVerdict } from "~/domain/audit.ts";

/** A whole-chain recomputation older than this is redone (in the background) by the next view. */
export const AUDIT_FULL_RECHECK_MS = 10 * 60_000;
/** Checkpoints kept (least recently used dropped first): ~100 bytes each. */
const MAX_CHECKPOINTS = 50_000;

export type AuditVerdict = ChainVerdict & {
  /** When the whole chain was last recomputed from its first event. */
  fullyCheckedAt: Date;
  /** Whether this answer recomputed the whole chain, or the events after the last checkpoint. */
  scope: "full" | "sinceCheckpoint";
};

type Checkpoint = ChainPoint & { fullAt: Date };
const checkpoints = new Map<string, Checkpoint>();
const fullRuns = new Map<string, Promise<AuditVerdict>>();

const eventSelect = { sessionId: true, seq: true, type: true, payload: true, actorId: true, at: true, ip: true, userAgent: true, prevHash: true, hash: true } as const;

function eventsFrom(sessionId: string, seq: number): Promise<ChainedEvent[]> {
  return getDb().auditEvent.findMany({ where: { sessionId, seq: { gte: seq } }, orderBy: { seq: "asc" }, select: eventSelect });
}

function remember(sessionId: string, checkpoint: Checkpoint) {
  checkpoints.delete(sessionId);
  checkpoints.set(sessionId, checkpoint);
  if (checkpoints.size > MAX_CHECKPOINTS) checkpoints.delete(checkpoints.keys().next().value!);
}

/** Recomputes the whole chain (one run per session at a time) and sets the checkpoint. */
function verifyFully(sessionId: string): Promise<AuditVerdict> {
  let run = fullRuns.get(sessionId);
  if (!run) {
    run = (async () => {
      const at = new Date();
      const events = await eventsFrom(sessionId, 1);
      const verdict = verifyChain(events);
      const last = events[events.length - 1];
      if (verdict.ok && last) remember(sessionId, { seq: last.seq, hash: last.hash, fullAt: at });
      else checkpoints.delete(sessionId);
      return { ...verdict, fullyCheckedAt: at, scope: "full" as const };
    })().finally(() => fullRuns.delete(sessionId));
    fullRuns.set(sessionId, run);
  }
  return run;
}

/**
 * The verdict on a session's audit chain. `full` recomputes the whole chain now (the page's
 * "check the whole chain again"); otherwise from the last checkpoint, as described above.
 */
export async function auditChainVerdict(sessionId: string, options: { full?: boolean; now?: Date } = {}): Promise<AuditVerdict> {
  const checkpoint = checkpoints.get(sessionId);
  if (!checkpoint || options.full) return verifyFully(sessionId);
  const rows = await eventsFrom(sessionId, checkpoint.seq);
  const anchor = rows[0];
  if (!anchor || anchor.seq !== checkpoint.seq || anchor.hash !== checkpoint.hash || eventHash(anchor) !== anchor.hash) {
    // The event the last check ended on is gone or different: start again from the beginning.
    checkpoints.delete(sessionId);
    return verifyFully(sessionId);
  }
  const verdict = verifyChain(rows.slice(1), checkpoint);
  // Only the checkpoint this check started from is replaced: a whole-chain run that finished
  // meanwhile (and perhaps found the chain broken) has the last word.
  const current = checkpoints.get(sessionId) === checkpoint;
  if (!verdict.ok) {
    if (current) checkpoints.delete(sessionId);
    return { ...verdict, fullyCheckedAt: checkpoint.fullAt, scope: "sinceCheckpoint" };
  }
  const last = rows[rows.length - 1]!;
  if (current) remember(sessionId, { seq: last.seq, hash: last.hash, fullAt: checkpoint.fullAt });
  const now = options.now ?? new Date();
  if (now.getTime() - checkpoint.fullAt.getTime() > AUDIT_FULL_RECHECK_MS && !fullRuns.has(sessionId)) {
    verifyFully(sessionId).catch((error) => console.warn(`re-verifying the audit chain of ${sessionId} failed:`, error instanceof Error ? error.message : error));
  }
  return { ...verdict, fullyCheckedAt: checkpoint.fullAt, scope: "sinceCheckpoint" };
}

/** Forgets every checkpoint (tests). */
export function forgetAuditCheckpoints() {
  checkpoints.clear();
}
