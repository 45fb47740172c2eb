/**
 * Workers' feedback during a notice period: anonymous (no account, no address stored), throttled
 * per address, moderated by the union; negotiators of both sides see the counts by topic, the
 * platform side sees only the texts the union released.
 */
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { getDb } from "~/infra/db.server.ts";
import type { Actor } from "~/auth/actor.server.ts";
import { decide } from "~/domain/capabilities.ts";
import { auditEvent } from "~/domain/audit.ts";
import { DomainError } from "~/domain/errors.ts";
import { FEEDBACK_LIMITS } from "~/domain/notice.ts";
import type { Topic } from "~/domain/session-topics.ts";
import { newId } from "~/infra/ids.server.ts";
import { appendAudit, lockSession, requireSessionAction, subjectOf, type RequestContext } from "~/models/session-core.server.ts";
import { requireVisibleSession } from "~/models/session-clock.server.ts";
import { keyedAddress } from "~/models/daily-key.server.ts";

let limiter: RateLimiterPrisma | undefined;
function feedbackLimiter() {
  limiter ??= new RateLimiterPrisma({ storeClient: getDb(), tableName: "rateLimiterFlexible", keyPrefix: "feedback-ip", points: FEEDBACK_LIMITS.perIpPerHour, duration: 60 * 60, clearExpiredByTimeout: true });
  return limiter;
}

/**
 * A worker's feedback on the latest version of a notice, open for the agreement's whole term
 * (issue 20, item 3). Returns nothing that could identify anyone.
 */
export async function submitFeedback(options: { noticeId: string; version: number; ip: string; input: { topic: Topic; body: string }; now?: Date }) {
  const now = options.now ?? new Date();
  const db = getDb();
  const target = await db.noticeVersion.findUnique({ where: { noticeId_version: { noticeId: options.noticeId, version: options.version } }, select: { id: true, effectiveUntil: true, next: { select: { id: true } } } });
  if (!target) throw new DomainError("notFound");
  if (now >= target.effectiveUntil || target.next) throw new DomainError("notice.notInNoticePeriod");
  try {
    // The limiter's key is an HMAC of the address under the day's key (deleted once the day is
    // over); its rows expire within the hour; nothing of the address is stored with the feedback.
    await feedbackLimiter().consume(await keyedAddress("feedback", options.ip, now));
  } catch (error) {
    if (error instanceof RateLimiterRes) throw new DomainError("feedback.rateLimited", { params: { minutes: Math.max(1, Math.ceil(error.msBeforeNext / 60_000)) } });
    throw error;
  }
  await db.noticeFeedback.create({ data: { id: newId(), noticeVersionId: target.id, topic: options.input.topic, body: options.input.body, createdAt: now } });
}

/** Feedback on the notices a session published: counts by topic for negotiators; texts as allowed. */
export async function listSessionFeedback(options: { actor: Actor; sessionId: string }) {
  const now = new Date();
  const { session } = await requireVisibleSession(options.actor, options.sessionId, now);
  const subject = subjectOf(options.actor, session);
  if (!decide(subject, "viewFeedback", now).allowed) return null;
  const moderator = decide(subject, "moderateFeedback", now).allowed;
  const rows = await getDb().noticeFeedback.findMany({
    where: { noticeVersion: { sessionId: options.sessionId } },
    orderBy: { createdAt: "desc" },
    take: 500,
    select: { id: true, topic: true, body: true, status: true, createdAt: true, noticeVersion: { select: { version: true } } },
  });
  const counted = rows.filter((row) => row.status !== "REJECTED");
  const byTopic = new Map<string, number>();
  for (const row of counted) byTopic.set(row.topic, (byTopic.get(row.topic) ?? 0) + 1);
  return {
    moderator,
    total: counted.length,
    pending: rows.filter((row) => row.status === "PENDING").length,
    byTopic: [...byTopic.entries()].sort((a, b) => b[1] - a[1]).map(([topic, count]) => ({ topic, count })),
    // The union sees everything to moderate it; the platform side sees what the union released.
    items: rows.filter((row) => moderator || row.status === "PUBLISHED").map((row) => ({ id: row.id, topic: row.topic, body: row.body, status: row.status, createdAt: row.createdAt, version: row.noticeVersion.version })),
  };
}

export async function moderateFeedback(options: { actor: Actor; ctx: RequestContext; sessionId: string; feedbackId: string; status: "PUBLISHED" | "REJECTED" }) {
  const now = options.ctx.now ?? new Date();
  const { session } = await requireVisibleSession(options.actor, options.sessionId, now);
  requireSessionAction(options.actor, session, "moderateFeedback", now);
  await getDb().$transaction(async (tx) => {
    await lockSession(tx, options.sessionId);
    const updated = await tx.noticeFeedback.updateMany({
      where: { id: options.feedbackId, noticeVersion: { sessionId: options.sessionId } },
      data: { status: options.status, moderatedAt: now, moderatedById: options.actor.userId },
    });
    if (updated.count === 0) throw new DomainError("notFound");
    await appendAudit(tx, options.sessionId, auditEvent("feedback.moderated", { feedbackId: options.feedbackId, status: options.status }), options.actor.userId, options.ctx, now);
  });
}
