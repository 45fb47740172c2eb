/**
 * SHA-256 and canonical JSON, pure (@noble/hashes works the same in Node and the browser, so a
 * worker's phone can recompute a hash the server published). See docs/decisions/009-audit-trail.md.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** SHA-256 of a text's UTF-8 bytes, as lower-case hex. */
export type Sha256Hex = (text: string) => string;

/** The portable implementation (the browser's, and the reference for any other). */
export const portableSha256Hex: Sha256Hex = (text) => bytesToHex(sha256(utf8ToBytes(text)));

let implementation: Sha256Hex = portableSha256Hex;

/**
 * Lets the server use its platform's SHA-256 (app/infra/crypto.server.ts: node:crypto, several times
 * faster on the small inputs of an audit chain). Same function, same results: a unit test holds
 * the two to each other.
 */
export function useSha256Hex(platform: Sha256Hex): void {
  implementation = platform;
}

export function sha256Hex(text: string): string {
  return implementation(text);
}

/** JSON with object keys sorted at every level, so equal data always hashes equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
