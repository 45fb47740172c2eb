/**
 * Durable storage of draft documents: an append-only log of Yjs updates in PostgreSQL, folded into
 * a snapshot by compaction so that loading stays fast however long the history. An update is
 * committed before `append` resolves (and so before the sender is acknowledged). A document that
 * fails to load throws: it is never replaced by an empty one.
 */
import * as Y from "yjs";
import { getDb } from "../app/db.server.ts";
import { newId } from "../app/ids.server.ts";

/** Fold the log into the snapshot once this many updates have piled up after it. */
export const COMPACT_AFTER_UPDATES = 500;

export type LoadedDocument = { documentId: string; doc: Y.Doc; updatesSinceSnapshot: number };

/** The draft document of a session, created (empty) the first time anyone opens it. */
export async function loadDocument(sessionId: string): Promise<LoadedDocument> {
  const db = getDb();
  let row = await db.draftDocument.findUnique({ where: { sessionId }, select: { id: true, snapshot: true, snapshotSeq: true } });
  if (!row) {
    await db.draftDocument.createMany({ data: [{ id: newId(), sessionId }], skipDuplicates: true });
    row = await db.draftDocument.findUniqueOrThrow({ where: { sessionId }, select: { id: true, snapshot: true, snapshotSeq: true } });
  }
  const updates = await db.draftUpdate.findMany({
    where: { documentId: row.id, seq: { gt: row.snapshotSeq } },
    orderBy: { seq: "asc" },
    select: { update: true },
  });
  const doc = new Y.Doc({ gc: true });
  // One merged update applies much faster than thousands of small ones.
  const parts = [...(row.snapshot ? [new Uint8Array(row.snapshot)] : []), ...updates.map((u) => new Uint8Array(u.update))];
  if (parts.length) Y.applyUpdate(doc, Y.mergeUpdates(parts), "load");
  return { documentId: row.id, doc, updatesSinceSnapshot: updates.length };
}

/**
 * Appends one update; resolves once it is committed. Concurrent appends to one document (from
 * this or another process) are serialized by the row lock on the document.
 */
export async function appendUpdate(documentId: string, update: Uint8Array, userId: string | null): Promise<number> {
  return getDb().$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<Array<{ lastSeq: number }>>`SELECT "lastSeq" FROM "DraftDocument" WHERE id = ${documentId} FOR UPDATE`;
    if (!locked) throw new Error(`draft document ${documentId} does not exist`);
    const seq = locked.lastSeq + 1;
    await tx.draftUpdate.create({ data: { documentId, seq, update: Buffer.from(update), userId } });
    await tx.draftDocument.update({ where: { id: documentId }, data: { lastSeq: seq } });
    return seq;
  });
}

/** Folds every update into the snapshot and deletes the folded rows, atomically. */
export async function compactDocument(documentId: string): Promise<{ folded: number }> {
  return getDb().$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<Array<{ snapshot: Uint8Array | null; snapshotSeq: number; lastSeq: number }>>`
        SELECT snapshot, "snapshotSeq", "lastSeq" FROM "DraftDocument" WHERE id = ${documentId} FOR UPDATE`;
      if (!row || row.lastSeq === row.snapshotSeq) return { folded: 0 };
      const updates = await tx.draftUpdate.findMany({
        where: { documentId, seq: { gt: row.snapshotSeq, lte: row.lastSeq } },
        orderBy: { seq: "asc" },
        select: { update: true },
      });
      const merged = Y.mergeUpdates([...(row.snapshot ? [new Uint8Array(row.snapshot)] : []), ...updates.map((u) => new Uint8Array(u.update))]);
      // Re-encode through a document so that deleted content is garbage-collected.
      const doc = new Y.Doc({ gc: true });
      Y.applyUpdate(doc, merged);
      const snapshot = Y.encodeStateAsUpdate(doc);
      doc.destroy();
      await tx.draftDocument.update({ where: { id: documentId }, data: { snapshot: Buffer.from(snapshot), snapshotSeq: row.lastSeq } });
      await tx.draftUpdate.deleteMany({ where: { documentId, seq: { lte: row.lastSeq } } });
      return { folded: updates.length };
    },
    { timeout: 60_000 },
  );
}
