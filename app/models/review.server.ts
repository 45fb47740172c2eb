/**
 * The labour bureau's review opinions (审查意见书, 《集体合同规定》第四十五条) and the parties'
 * answers (第四十六条), issue 20 item 4. An opinion is recorded when a reviewer objects (the
 * OBJECT procedure event, app/models/session.server.ts), with the date the bureau received the
 * text (the filing) and the clauses it concerns with a reason each; both sides and the bureau are
 * told through the outbox. When the parties file again, they answer each item; the answer is
 * stored with the opinion and both are in the session's hash chain. See app/domain/review.ts.
 */
import type { Actor } from "~/auth/actor.server.ts";
import { auditEvent } from "~/domain/audit.ts";
import { DomainError } from "~/domain/errors.ts";
import { reviewAnswersSchema, reviewItemsSchema, type ReviewItem } from "~/domain/review.ts";
import { getDb } from "~/infra/db.server.ts";
import { newId } from "~/infra/ids.server.ts";
import { appendAudit, chiefsOf, negotiatorsOf, notify, type LoadedSession, type RequestContext, type Tx } from "~/models/session-core.server.ts";
import { toStoredJson } from "~/models/stored-json.server.ts";

/** Records the opinion a reviewer serves with an objection, in the objection's transaction. */
export async function recordReviewOpinion(tx: Tx, session: LoadedSession, actor: Actor, ctx: RequestContext, now: Date, opinion: ReviewItem[]) {
  const parsed = reviewItemsSchema.safeParse(opinion);
  if (!parsed.success) throw new DomainError("review.itemsRequired", { field: "items" });
  if (!session.filedAt) throw new DomainError("procedure.wrongState");
  // The bureau the reviewer belongs to among the session's observers (the projection let them object).
  const observerIds = session.parties.filter((party) => party.role === "OBSERVER").map((party) => party.organizationId);
  const bureau = actor.memberships.find((membership) => observerIds.includes(membership.organizationId));
  if (!bureau) throw new DomainError("procedure.notAllowed");
  const id = newId();
  const items = parsed.data;
  await tx.reviewOpinion.create({
    data: { id, sessionId: session.id, bureauOrganizationId: bureau.organizationId, receivedAt: session.filedAt, issuedAt: now, issuedById: actor.userId, items: toStoredJson(items) },
  });
  await appendAudit(tx, session.id, auditEvent("review.opinion", { opinionId: id, bureauOrganizationId: bureau.organizationId, receivedAt: session.filedAt.toISOString(), items }), actor.userId, ctx, now);
  const everyone = [...(await negotiatorsOf(tx, session, ["WORKER", "EMPLOYER", "OBSERVER"])), ...chiefsOf(session)];
  await notify(tx, everyone, session.id, "review.opinion", { href: `/sessions/${session.id}/agreement#review`, items: items.length }, actor.userId);
}

/**
 * On filing: an opinion not yet answered must be answered item by item (第四十六条: the parties
 * renegotiate the matters objected to and file again). Nothing to answer: nothing happens.
 */
export async function answerReviewOpinion(tx: Tx, session: LoadedSession, actor: Actor, ctx: RequestContext, now: Date, answers: string[]) {
  const open = await tx.reviewOpinion.findFirst({ where: { sessionId: session.id, answeredAt: null }, orderBy: { issuedAt: "desc" } });
  if (!open) return;
  const items = reviewItemsSchema.parse(open.items);
  const parsed = reviewAnswersSchema.safeParse(answers);
  if (!parsed.success || parsed.data.length !== items.length) throw new DomainError("review.answerRequired", { field: "answers" });
  await tx.reviewOpinion.update({ where: { id: open.id }, data: { answer: toStoredJson(parsed.data), answeredAt: now, answeredById: actor.userId } });
  await appendAudit(tx, session.id, auditEvent("review.answered", { opinionId: open.id, answers: parsed.data }), actor.userId, ctx, now);
}

/** The session's review opinions, newest first, with their answers (both sides and the bureau see them). */
export async function listReviewOpinions(sessionId: string) {
  const rows = await getDb().reviewOpinion.findMany({
    where: { sessionId },
    orderBy: { issuedAt: "desc" },
    select: { id: true, receivedAt: true, issuedAt: true, issuedById: true, items: true, answer: true, answeredAt: true, bureau: { select: { name: true, nameEn: true } } },
  });
  const users = await getDb().user.findMany({ where: { id: { in: rows.map((row) => row.issuedById) } }, select: { id: true, displayName: true } });
  return rows.map((row) => {
    const items = reviewItemsSchema.parse(row.items);
    const answers = row.answer === null ? null : reviewAnswersSchema.parse(row.answer);
    return {
      id: row.id,
      bureau: row.bureau,
      issuedBy: users.find((user) => user.id === row.issuedById)?.displayName ?? null,
      receivedAt: row.receivedAt.toISOString(),
      issuedAt: row.issuedAt.toISOString(),
      answeredAt: row.answeredAt?.toISOString() ?? null,
      items: items.map((item, index) => ({ ...item, answer: answers?.[index] ?? null })),
    };
  });
}
