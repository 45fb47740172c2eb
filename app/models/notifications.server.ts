/** A user's own notifications (the bell): listed, counted, marked read. */
import "~/infra/crypto.server.ts";
import { getDb } from "~/infra/db.server.ts";
import type { Actor } from "~/auth/actor.server.ts";
import { storedRecord } from "~/models/stored-json.server.ts";

export async function listNotifications(options: { actor: Actor }) {
  const rows = await getDb().notification.findMany({
    where: { userId: options.actor.userId },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { id: true, type: true, payload: true, createdAt: true, readAt: true, session: { select: { id: true, title: true } } },
  });
  return rows.map((row) => ({ ...row, payload: storedRecord(row.payload) }));
}

export async function countUnreadNotifications(userId: string): Promise<number> {
  return getDb().notification.count({ where: { userId, readAt: null } });
}

export async function markNotificationsRead(options: { actor: Actor; now?: Date }) {
  await getDb().notification.updateMany({ where: { userId: options.actor.userId, readAt: null }, data: { readAt: options.now ?? new Date() } });
}
