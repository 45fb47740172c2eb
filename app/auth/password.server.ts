/**
 * Password hashing with scrypt from Node's crypto (memory-hard, no native add-on to install).
 * Stored as `scrypt$N$r$p$salt$hash` so that the cost can be raised later and old hashes still
 * verify. See docs/decisions/004-accounts-with-lucia.md.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";

const COST = { N: 16384, r: 16, p: 1 } as const;
const KEY_LENGTH = 64;

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize("NFKC"), salt, KEY_LENGTH, { ...options, maxmem: 256 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, COST);
  return ["scrypt", COST.N, COST.r, COST.p, salt.toString("base64"), key.toString("base64")].join("$");
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  try {
    const actual = await scrypt(password, Buffer.from(salt, "base64"), { N: Number(n), r: Number(r), p: Number(p) });
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  } catch {
    // A corrupt stored hash (impossible cost parameters) refuses the login instead of failing it.
    return false;
  }
}

/** Spends the same time as a real check, so that response time does not reveal unknown accounts. */
const DUMMY_HASH = hashPassword("xieshang-timing-equalizer");
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(await DUMMY_HASH, password);
  return false;
}
