/**
 * Named versions of a session's draft, taken from the stored document (every acknowledged update
 * is in the database, so the stored state is the authoritative one), and their comparison.
 */
import * as Y from "yjs";
import { getDb } from "~/infra/db.server.ts";
import type { Actor } from "~/auth/actor.server.ts";
import { LRUCache } from "lru-cache";
import { diffStructuredTerms, draftPlainText, draftTerms, diffTerms, diffText, type TextChange } from "~/domain/draft-text.ts";
import { comparePayForProfiles } from "~/domain/worker-profiles.ts";
import { DomainError } from "~/domain/errors.ts";
import { newId } from "~/infra/ids.server.ts";
import { getDraftAccess } from "~/models/draft-access.server.ts";
import { loadDocument } from "~/models/document-store.server.ts";
import { storedTerms, toStoredJson } from "~/models/stored-json.server.ts";
import { auditEvent } from "~/domain/audit.ts";
import { appendAudit, lockSession, type RequestContext } from "~/models/session-core.server.ts";

async function requireAccess(actor: Actor, sessionId: string, capability: "view" | "comment") {
  const access = await getDraftAccess({ actor, sessionId });
  if (!access) throw new DomainError("notFound");
  if (!access[capability]) throw new DomainError("forbidden");
  return access;
}

async function snapshotVersion(sessionId: string, name: string, createdById: string | null, roundNumber: number | null) {
  const { doc } = await loadDocument(sessionId);
  try {
    const id = newId();
    await getDb().draftVersion.create({
      data: {
        id,
        sessionId,
        name,
        snapshot: Buffer.from(Y.encodeStateAsUpdate(doc)),
        text: draftPlainText(doc),
        terms: toStoredJson(draftTerms(doc)),
        roundNumber,
        createdById,
      },
    });
    return { id };
  } finally {
    doc.destroy();
  }
}

/** A version named by someone taking part (representatives and negotiators). */
export async function createVersion(options: { actor: Actor; sessionId: string; name: string }) {
  await requireAccess(options.actor, options.sessionId, "comment");
  return snapshotVersion(options.sessionId, options.name, options.actor.userId, null);
}

/** The automatic version taken when a round is scheduled (the text going into that round). */
export async function versionForRound(sessionId: string, roundNumber: number) {
  return snapshotVersion(sessionId, `#${roundNumber}`, null, roundNumber);
}

/**
 * The version frozen when ratification opens (the caller has checked the actor may open it): the
 * representatives vote on exactly this text and these terms, bound by their content hash.
 */
export async function versionForRatification(sessionId: string, createdById: string) {
  return snapshotVersion(sessionId, "ratification", createdById, null);
}

/** One version as saved: its text and terms, to read on its own. */
export async function getVersion(options: { actor: Actor; sessionId: string; versionId: string }) {
  await requireAccess(options.actor, options.sessionId, "view");
  const row = await getDb().draftVersion.findFirst({
    where: { id: options.versionId, sessionId: options.sessionId },
    select: { id: true, name: true, roundNumber: true, createdAt: true, text: true, terms: true },
  });
  if (!row) throw new DomainError("notFound");
  return { ...row, terms: storedTerms(row.terms) };
}

/**
 * The saved state of a version, for an editor restoring the draft to it (the realtime server
 * applies it to the live document as a new edit, checked and stored like any other).
 */
export async function versionToRestore(options: { actor: Actor; sessionId: string; versionId: string }) {
  const access = await getDraftAccess({ actor: options.actor, sessionId: options.sessionId });
  if (!access) throw new DomainError("notFound");
  if (!access.edit) throw new DomainError("forbidden");
  const row = await getDb().draftVersion.findFirst({ where: { id: options.versionId, sessionId: options.sessionId }, select: { id: true, name: true, roundNumber: true, snapshot: true } });
  if (!row) throw new DomainError("notFound");
  return { id: row.id, name: row.name, roundNumber: row.roundNumber, snapshot: new Uint8Array(row.snapshot) };
}

/** Writes the restoration into the session's activity record (after the edit was stored). */
export async function recordVersionRestored(options: { actorId: string; sessionId: string; version: { id: string; name: string; roundNumber: number | null }; ctx: RequestContext }) {
  const now = options.ctx.now ?? new Date();
  await getDb().$transaction(async (tx) => {
    await lockSession(tx, options.sessionId);
    await appendAudit(tx, options.sessionId, auditEvent("draft.versionRestored", { versionId: options.version.id, name: options.version.name, roundNumber: options.version.roundNumber }), options.actorId, options.ctx, now);
  });
}

export async function listVersions(options: { actor: Actor; sessionId: string }) {
  await requireAccess(options.actor, options.sessionId, "view");
  return getDb().draftVersion.findMany({
    where: { sessionId: options.sessionId },
    orderBy: { createdAt: "desc" },
    take: 200,
    select: { id: true, name: true, roundNumber: true, createdAt: true },
  });
}

const textComparisons = new LRUCache<string, TextChange[] | "tooLarge">({ max: 200 });

export async function compareVersions(options: { actor: Actor; sessionId: string; beforeId: string; afterId: string }) {
  await requireAccess(options.actor, options.sessionId, "view");
  const rows = await getDb().draftVersion.findMany({
    where: { sessionId: options.sessionId, id: { in: [options.beforeId, options.afterId] } },
    select: { id: true, name: true, roundNumber: true, text: true, terms: true, createdAt: true },
  });
  const before = rows.find((row) => row.id === options.beforeId);
  const after = rows.find((row) => row.id === options.afterId);
  if (!before || !after) throw new DomainError("notFound");
  // Saved versions never change: each pair's (bounded) text comparison is computed once.
  const key = `${before.id}>${after.id}`;
  let text = textComparisons.get(key);
  if (text === undefined) {
    text = diffText(before.text, after.text) ?? "tooLarge";
    textComparisons.set(key, text);
  }
  return {
    before: { id: before.id, name: before.name, roundNumber: before.roundNumber, createdAt: before.createdAt },
    after: { id: after.id, name: after.name, roundNumber: after.roundNumber, createdAt: after.createdAt },
    text: text === "tooLarge" ? [] : text,
    /** The texts differ too much to compare inline: both can be downloaded instead. */
    textTooLarge: text === "tooLarge",
    terms: diffTerms(storedTerms(before.terms), storedTerms(after.terms)),
    structuredTerms: diffStructuredTerms(storedTerms(before.terms), storedTerms(after.terms)),
    pay: comparePayForProfiles(before.terms, after.terms),
  };
}

/** One saved version's text (its download). */
export async function versionText(options: { actor: Actor; sessionId: string; versionId: string }) {
  await requireAccess(options.actor, options.sessionId, "view");
  const row = await getDb().draftVersion.findFirst({ where: { id: options.versionId, sessionId: options.sessionId }, select: { text: true } });
  if (!row) throw new DomainError("notFound");
  return row;
}
