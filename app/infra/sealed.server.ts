/**
 * Sealing a short secret for the time it waits in the outbox (a sign-in code between the request
 * and its text message; issue 25): AES-256-GCM with a key from the environment (XS_SEAL_KEY,
 * 32 bytes in base64), never stored in the database, so that a copy of the database holds no
 * usable code. Without XS_SEAL_KEY each process makes a random key at start: enough for one
 * process (`npm start`); processes that share a queue must share the key (docs/operations.md).
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { getEnv } from "~/infra/env.server.ts";

let processKey: Buffer | undefined;

function key(): Buffer {
  const configured = getEnv().XS_SEAL_KEY;
  if (configured) return Buffer.from(configured, "base64");
  processKey ??= randomBytes(32);
  return processKey;
}

export function seal(text: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const body = Buffer.concat([cipher.update(text, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

/** The text, or null when it was sealed with another key or altered. */
export function unseal(sealed: string): string | null {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || !body) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
