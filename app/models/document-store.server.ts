/**
 * Durable storage of draft documents: an append-only log of Yjs updates in PostgreSQL, folded into
 * a snapshot by compaction so that loading stays fast however long the history. An update is
 * committed before `append` resolves (and so before the sender is acknowledged). A document that
 * fails to load throws: it is never replaced by an empty one.
 */
import { createHash } from "node:crypto";
import * as Y from "yjs";
import { auditEvent } from "~/domain/audit.ts";
import { draftUpdateFrom } from "~/domain/draft-text.ts";
import { getDb } from "~/infra/db.server.ts";
import { newId } from "~/infra/ids.server.ts";
import { appendAudit, lockSession, type RequestContext } from "~/models/session-core.server.ts";

/** Fold the log into the snapshot once this many updates have piled up after it. */
export const COMPACT_AFTER_UPDATES = 500;

export type LoadedDocument = { documentId: string; doc: Y.Doc; updatesSinceSnapshot: number };

/** Applies a snapshot and updates to a fresh document in one Yjs transaction (linear time). */
function buildDocument(parts: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  // One transaction for all parts: observers and cleanup run once. (Y.mergeUpdates is quadratic in
  // the number of small updates: 100,000 keystrokes take minutes that way; see BENCHMARKS.md.)
  doc.transact(() => {
    for (const part of parts) Y.applyUpdate(doc, part, "load");
  }, "load");
  return doc;
}

/** The draft document of a session, created (empty) the first time anyone opens it. */
export async function loadDocument(sessionId: string): Promise<LoadedDocument> {
  const db = getDb();
  if (!(await db.draftDocument.findUnique({ where: { sessionId }, select: { id: true } }))) {
    await db.draftDocument.createMany({ data: [{ id: newId(), sessionId }], skipDuplicates: true });
  }
  // Snapshot and log read in one snapshot of the database, so that a compaction by another
  // process between the two reads cannot hide the updates it folded.
  const { row, updates } = await db.$transaction(
    async (tx) => {
      const row = await tx.draftDocument.findUniqueOrThrow({ where: { sessionId }, select: { id: true, snapshot: true, snapshotSeq: true } });
      const updates = await tx.draftUpdate.findMany({
        where: { documentId: row.id, seq: { gt: row.snapshotSeq } },
        orderBy: { seq: "asc" },
        select: { update: true },
      });
      return { row, updates };
    },
    { isolationLevel: "RepeatableRead", timeout: 60_000 },
  );
  const doc = buildDocument([...(row.snapshot ? [new Uint8Array(row.snapshot)] : []), ...updates.map((u) => new Uint8Array(u.update))]);
  return { documentId: row.id, doc, updatesSinceSnapshot: updates.length };
}

/**
 * Appends one update; resolves once it is committed. One statement, so one round trip and its own
 * transaction: the UPDATE takes the document's row lock and hands out the next seq, the INSERT
 * writes the row; concurrent appends to one document (from this or another process) wait on that
 * row lock, so seqs stay dense and ordered. (It was an interactive transaction of four statements:
 * five round trips that the realtime fan-out benchmark showed dominating the time to acknowledge
 * an edit; see BENCHMARKS.md and decision 023.)
 */
export async function appendUpdate(documentId: string, update: Uint8Array, userId: string | null): Promise<number> {
  const rows = await getDb().$queryRaw<Array<{ seq: number }>>`
    WITH next AS (
      UPDATE "DraftDocument" SET "lastSeq" = "lastSeq" + 1, "updatedAt" = now() WHERE id = ${documentId} RETURNING "lastSeq"
    )
    INSERT INTO "DraftUpdate" ("documentId", seq, "update", "userId")
    SELECT ${documentId}, "lastSeq", ${Buffer.from(update)}, ${userId} FROM next
    RETURNING seq`;
  if (!rows[0]) throw new Error(`draft document ${documentId} does not exist`);
  return rows[0].seq;
}

/**
 * Starts a session's draft from a published version (an amendment or a renewal starts from the
 * text and terms it continues), as one stored update by the proposer.
 */
export async function seedDraft(sessionId: string, text: string, terms: Record<string, unknown>, userId: string): Promise<void> {
  const { documentId, doc } = await loadDocument(sessionId);
  doc.destroy();
  await appendUpdate(documentId, draftUpdateFrom(text.split("\n"), terms), userId);
}

/**
 * Records in the session's audit chain that an update was refused because it would have left the
 * terms invalid (nothing of it was stored): which term, and the update's SHA-256 and size, so that
 * a copy of the update kept elsewhere can be matched to the refusal.
 */
export async function recordRefusedUpdate(options: { actorId: string; sessionId: string; update: Uint8Array; field: string; ctx: RequestContext }): Promise<void> {
  const now = options.ctx.now ?? new Date();
  const updateHash = createHash("sha256").update(options.update).digest("hex");
  await getDb().$transaction(async (tx) => {
    await lockSession(tx, options.sessionId);
    await appendAudit(tx, options.sessionId, auditEvent("draft.updateRefused", { field: options.field, updateHash, bytes: options.update.byteLength }), options.actorId, options.ctx, now);
  });
}

/**
 * Folds the log into the snapshot. The new snapshot is computed outside any lock (rows up to
 * lastSeq never change), then swapped in by a short transaction that only succeeds if nobody
 * compacted meanwhile, so edits keep being stored while a long history is folded.
 */
export async function compactDocument(documentId: string): Promise<{ folded: number }> {
  const db = getDb();
  const head = await db.draftDocument.findUnique({ where: { id: documentId }, select: { snapshot: true, snapshotSeq: true, lastSeq: true } });
  if (!head || head.lastSeq === head.snapshotSeq) return { folded: 0 };
  const updates = await db.draftUpdate.findMany({
    where: { documentId, seq: { gt: head.snapshotSeq, lte: head.lastSeq } },
    orderBy: { seq: "asc" },
    select: { update: true },
  });
  const doc = buildDocument([...(head.snapshot ? [new Uint8Array(head.snapshot)] : []), ...updates.map((u) => new Uint8Array(u.update))]);
  const snapshot = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return db.$transaction(async (tx) => {
    const swapped = await tx.draftDocument.updateMany({
      where: { id: documentId, snapshotSeq: head.snapshotSeq },
      data: { snapshot: Buffer.from(snapshot), snapshotSeq: head.lastSeq },
    });
    // Someone else compacted first: their snapshot stands, ours is dropped.
    if (swapped.count === 0) return { folded: 0 };
    await tx.draftUpdate.deleteMany({ where: { documentId, seq: { lte: head.lastSeq } } });
    return { folded: updates.length };
  });
}
