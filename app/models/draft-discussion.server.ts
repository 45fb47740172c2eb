/** Comments on the draft (threads anchored in the text) and offers on its terms, with acceptance audited. */
import "~/infra/crypto.server.ts";
import { getDb, type Prisma } from "~/infra/db.server.ts";
import type { Actor } from "~/auth/actor.server.ts";
import { auditEvent } from "~/domain/audit.ts";
import { DomainError } from "~/domain/errors.ts";
import { type Side } from "~/domain/procedure.ts";
import { sameOfferValue } from "~/domain/draft-validation.ts";
import { speakingSide } from "~/domain/session-access.ts";
import { newId } from "~/infra/ids.server.ts";
import { getDraftAccess, type DraftCapabilities } from "~/models/draft-access.server.ts";
import { appendAudit, lockSession, rolesIn, sessionInclude, type RequestContext } from "~/models/session-core.server.ts";
import { storedOfferValue, toStoredJson } from "~/models/stored-json.server.ts";

async function requireDraftCapability(actor: Actor, sessionId: string, capability: keyof DraftCapabilities) {
  const access = await getDraftAccess({ actor, sessionId });
  if (!access) throw new DomainError("notFound");
  if (!access[capability]) throw new DomainError("forbidden");
  const session = await getDb().bargainingSession.findUniqueOrThrow({ where: { id: sessionId }, include: sessionInclude });
  return { access, roles: rolesIn(actor, session), session };
}

const commentSelect = {
  id: true, threadId: true, side: true, body: true, anchorStart: true, anchorEnd: true, quote: true, mentions: true, resolvedAt: true, createdAt: true,
  author: { select: { displayName: true } },
} satisfies Prisma.DraftCommentSelect;

type CommentRow = Prisma.DraftCommentGetPayload<{ select: typeof commentSelect }>;
export type CommentThread = ReturnType<typeof threadOf>;

function threadOf(root: CommentRow, replies: CommentRow[]) {
  const plain = (row: CommentRow) => ({ id: row.id, side: row.side, body: row.body, mentions: row.mentions, author: row.author.displayName, createdAt: row.createdAt.toISOString() });
  return {
    ...plain(root),
    anchorStart: root.anchorStart ? Buffer.from(root.anchorStart).toString("base64") : null,
    anchorEnd: root.anchorEnd ? Buffer.from(root.anchorEnd).toString("base64") : null,
    quote: root.quote,
    resolved: root.resolvedAt !== null,
    replies: replies.map(plain),
  };
}

export async function listCommentThreads(options: { actor: Actor; sessionId: string }) {
  await requireDraftCapability(options.actor, options.sessionId, "view");
  const rows = await getDb().draftComment.findMany({ where: { sessionId: options.sessionId }, orderBy: { createdAt: "asc" }, select: commentSelect });
  return rows.filter((row) => !row.threadId).map((root) => threadOf(root, rows.filter((row) => row.threadId === root.id)));
}

async function loadThread(sessionId: string, threadId: string) {
  const rows = await getDb().draftComment.findMany({ where: { sessionId, OR: [{ id: threadId }, { threadId }] }, orderBy: { createdAt: "asc" }, select: commentSelect });
  const root = rows.find((row) => row.id === threadId && !row.threadId);
  if (!root) throw new DomainError("notFound");
  return threadOf(root, rows.filter((row) => row.threadId === threadId));
}

export async function addComment(options: {
  actor: Actor;
  sessionId: string;
  input: { body: string; anchorStart: Uint8Array; anchorEnd: Uint8Array; quote: string; mentions: Side[] };
}) {
  const { roles } = await requireDraftCapability(options.actor, options.sessionId, "comment");
  const id = newId();
  await getDb().draftComment.create({
    data: {
      id,
      sessionId: options.sessionId,
      authorId: options.actor.userId,
      side: speakingSide(roles),
      body: options.input.body,
      anchorStart: Buffer.from(options.input.anchorStart),
      anchorEnd: Buffer.from(options.input.anchorEnd),
      quote: options.input.quote,
      mentions: options.input.mentions,
    },
  });
  return loadThread(options.sessionId, id);
}

export async function replyToComment(options: { actor: Actor; sessionId: string; threadId: string; body: string; mentions: Side[] }) {
  const { roles } = await requireDraftCapability(options.actor, options.sessionId, "comment");
  await loadThread(options.sessionId, options.threadId);
  await getDb().draftComment.create({
    data: { id: newId(), sessionId: options.sessionId, threadId: options.threadId, authorId: options.actor.userId, side: speakingSide(roles), body: options.body, mentions: options.mentions },
  });
  return loadThread(options.sessionId, options.threadId);
}

export async function resolveComment(options: { actor: Actor; sessionId: string; threadId: string; resolved: boolean; now?: Date }) {
  await requireDraftCapability(options.actor, options.sessionId, "comment");
  const result = await getDb().draftComment.updateMany({
    where: { id: options.threadId, sessionId: options.sessionId, threadId: null },
    data: options.resolved ? { resolvedAt: options.now ?? new Date(), resolvedById: options.actor.userId } : { resolvedAt: null, resolvedById: null },
  });
  if (result.count === 0) throw new DomainError("notFound");
  return loadThread(options.sessionId, options.threadId);
}

const offerSelect = { id: true, termKey: true, side: true, value: true, valueJson: true, note: true, roundNumber: true, createdAt: true, acceptedAt: true, author: { select: { displayName: true } } } satisfies Prisma.TermOfferSelect;
const plainOffer = (row: Prisma.TermOfferGetPayload<{ select: typeof offerSelect }>) => ({
  id: row.id, termKey: row.termKey, side: row.side, value: storedOfferValue(row.value, row.valueJson), note: row.note, roundNumber: row.roundNumber,
  createdAt: row.createdAt.toISOString(), accepted: row.acceptedAt !== null, author: row.author.displayName,
});
export type TermOfferView = ReturnType<typeof plainOffer>;

export async function listOffers(options: { actor: Actor; sessionId: string }) {
  await requireDraftCapability(options.actor, options.sessionId, "view");
  const rows = await getDb().termOffer.findMany({ where: { sessionId: options.sessionId }, orderBy: { createdAt: "asc" }, select: offerSelect });
  return rows.map(plainOffer);
}

export async function makeOffer(options: { actor: Actor; sessionId: string; input: { termKey: string; value: number | unknown[] | Record<string, unknown>; note?: string } }) {
  const { roles } = await requireDraftCapability(options.actor, options.sessionId, "offer");
  // Whoever may make an offer sits for a side or negotiates for one (the projection's offerDraft).
  const side = speakingSide(roles)!;
  return getDb().$transaction(async (tx) => {
    // Under the session's lock, so two clicks of the same offer record it once.
    await lockSession(tx, options.sessionId);
    const current = await tx.termOffer.findFirst({
      where: { sessionId: options.sessionId, termKey: options.input.termKey, side },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { value: true, valueJson: true },
    });
    if (current && sameOfferValue(storedOfferValue(current.value, current.valueJson), options.input.value)) throw new DomainError("offer.unchanged", { field: "value" });
    const roundNumber = await tx.round.count({ where: { sessionId: options.sessionId } });
    const row = await tx.termOffer.create({
      data: {
        id: newId(),
        sessionId: options.sessionId,
        termKey: options.input.termKey,
        side,
        authorId: options.actor.userId,
        ...(typeof options.input.value === "number" ? { value: options.input.value } : { valueJson: toStoredJson(options.input.value) }),
        note: options.input.note,
        roundNumber,
      },
      select: offerSelect,
    });
    return plainOffer(row);
  });
}

/**
 * Marks an offer accepted and writes the audit trace; the caller (the realtime server) writes the
 * value into the draft in the same breath. Only an editor may accept.
 */
export async function acceptOffer(options: { actor: Actor; sessionId: string; offerId: string; previous: unknown; ctx: RequestContext }) {
  await requireDraftCapability(options.actor, options.sessionId, "edit");
  const now = options.ctx.now ?? new Date();
  return getDb().$transaction(async (tx) => {
    await lockSession(tx, options.sessionId);
    const offer = await tx.termOffer.findFirst({ where: { id: options.offerId, sessionId: options.sessionId }, select: offerSelect });
    if (!offer) throw new DomainError("notFound");
    if (offer.acceptedAt) throw new DomainError("procedure.alreadyDone");
    const updated = await tx.termOffer.update({ where: { id: offer.id }, data: { acceptedAt: now, acceptedById: options.actor.userId }, select: offerSelect });
    await appendAudit(
      tx,
      options.sessionId,
      auditEvent("offer.accepted", { offerId: offer.id, termKey: offer.termKey, value: storedOfferValue(offer.value, offer.valueJson) as never, side: offer.side, previous: (options.previous ?? null) as never }),
      options.actor.userId,
      options.ctx,
      now,
    );
    return plainOffer(updated);
  });
}
