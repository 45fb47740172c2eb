/**
 * Keyed hashes of client addresses that cannot be reversed (issue 19, item 6). An unsalted hash of
 * an IPv4 address is reversed by hashing all 2³² addresses; an HMAC with a random key nobody keeps
 * cannot be. The key is one per China-time day, shared by every process through the database,
 * created on first use and deleted once its day is over: yesterday's keyed addresses can no longer
 * be recomputed, by an operator or anyone who copies the database later.
 */
import { createHmac, randomBytes } from "node:crypto";
import { getDb } from "~/infra/db.server.ts";

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
const cache = new Map<string, string>();

/** The China-time calendar day of an instant, YYYY-MM-DD. */
export function chinaDay(now: Date): string {
  return new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** Today's key (created if needed); keys of earlier days are deleted. */
async function dailyKey(now: Date): Promise<string> {
  const day = chinaDay(now);
  const known = cache.get(day);
  if (known) return known;
  const db = getDb();
  await db.dailyKey.createMany({ data: [{ day, key: randomBytes(32).toString("base64url") }], skipDuplicates: true });
  const { key } = await db.dailyKey.findUniqueOrThrow({ where: { day }, select: { key: true } });
  await db.dailyKey.deleteMany({ where: { day: { lt: day } } });
  cache.clear();
  cache.set(day, key);
  return key;
}

/** HMAC-SHA-256 of a client's address under the day's key, for one purpose (the limiter's name). */
export async function keyedAddress(purpose: string, address: string, now = new Date()): Promise<string> {
  return createHmac("sha256", await dailyKey(now)).update(`${purpose}\u0000${address}`).digest("hex");
}
