/**
 * The server's SHA-256 for the domain's hashes (audit chain, notice chain, content hashes):
 * node:crypto instead of the portable JavaScript implementation, the same results several times
 * faster on small inputs (recomputing a 20,000-event audit chain, decision 027). Imported for its
 * effect by the server modules that hash.
 */
import { createHash } from "node:crypto";
import { useSha256Hex } from "~/domain/hash.ts";

export function nodeSha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

useSha256Hex(nodeSha256Hex);
