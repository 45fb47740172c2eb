/**
 * The notice versions a session published, as its agreement page lists them. A published text is
 * changed or ended only through an amendment or termination session (issue 20, item 5; 《集体合同
 * 规定》第三十九条至第四十一条); the chiefs-only corrections made before issue 20 stay in their series.
 */
import { getDb } from "~/infra/db.server.ts";
import type { Actor } from "~/auth/actor.server.ts";
import { requireVisibleSession } from "~/models/session-clock.server.ts";
import { storedTerms } from "~/models/stored-json.server.ts";

export async function getSessionNotices(options: { actor: Actor; sessionId: string }) {
  await requireVisibleSession(options.actor, options.sessionId, new Date());
  const db = getDb();
  const versions = await db.noticeVersion.findMany({ where: { sessionId: options.sessionId }, orderBy: { publishedAt: "asc" }, select: { id: true, noticeId: true, version: true, kind: true, publishedAt: true, effectiveFrom: true, hash: true, text: true, terms: true } });
  const latestIds = new Set<string>();
  for (const version of versions) {
    const newest = await db.noticeVersion.findFirst({ where: { noticeId: version.noticeId }, orderBy: { version: "desc" }, select: { id: true } });
    if (newest?.id === version.id) latestIds.add(version.id);
  }
  return { versions: versions.map((version) => ({ ...version, terms: storedTerms(version.terms), latest: latestIds.has(version.id) })) };
}
