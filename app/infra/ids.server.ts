import { createHash, randomBytes, randomInt } from "node:crypto";

/** Opaque, URL-safe, unguessable ids (96 random bits). */
export function newId(): string {
  return randomBytes(12).toString("base64url");
}

/** A secret token for a link (256 random bits), and the hash we store instead of it. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A code of `length` characters drawn uniformly from `alphabet` (invitation codes, receipt codes). */
export function randomCode(alphabet: string, length: number): string {
  return Array.from({ length }, () => alphabet[randomInt(0, alphabet.length)]).join("");
}
