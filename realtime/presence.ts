/**
 * Presence bound to identity (issue 14): the awareness messages a client sends are decoded here,
 * each state bounded before it is parsed, and every state the server accepts is rewritten with the
 * server's record of who sent it. A client chooses where its caret is and what it is looking at;
 * it never chooses the name, side or colour others see.
 */
import * as encoding from "lib0/encoding";
import * as decoding from "lib0/decoding";
import { z } from "zod";
import { checkJsonTextBounds } from "../app/domain/input-bounds.ts";
import { SIDE_COLOURS } from "../app/domain/party-colours.ts";
import { boundsRefusal, type Side } from "./dispatcher.ts";
import { LIMITS } from "./protocol.ts";

/** One entry of an awareness update: a client id, its clock, and its state (null: removed). */
export type PresenceEntry = { clientId: number; clock: number; state: Record<string, unknown> | null };

/** Who a presence belongs to, from the server's record. */
export type PresenceIdentity = { name: string; side: Side };

const JSON_BOUNDS = { maxDepth: LIMITS.maxJsonDepth, maxBytes: LIMITS.maxJsonBytes };
/** Entries one awareness message may carry (a client announces its own one; a few is generous). */
const MAX_ENTRIES = LIMITS.maxPresencePerConnection;

/**
 * The zod schema of an awareness message: binary, decoded into entries, each state bounded
 * (size and depth, before JSON.parse) and a JSON object or null. A refusal for size carries its
 * own `too_large` answer; anything else is malformed.
 */
export const awarenessMessageSchema = z.custom<Uint8Array>((value) => value instanceof Uint8Array).transform((message, ctx): PresenceEntry[] => {
  const entries: PresenceEntry[] = [];
  try {
    const decoder = decoding.createDecoder(new Uint8Array(message));
    const count = decoding.readVarUint(decoder);
    if (count === 0 || count > MAX_ENTRIES) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "entries" });
      return z.NEVER;
    }
    for (let i = 0; i < count; i += 1) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const text = decoding.readVarString(decoder);
      const refusal = checkJsonTextBounds(text, JSON_BOUNDS);
      if (refusal) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "bounds", params: { ack: boundsRefusal(refusal) } });
        return z.NEVER;
      }
      const state: unknown = JSON.parse(text);
      if (state !== null && (typeof state !== "object" || Array.isArray(state))) throw new Error("a state is an object or null");
      entries.push({ clientId, clock, state: state as Record<string, unknown> | null });
    }
    if (decoding.hasContent(decoder)) throw new Error("trailing bytes");
  } catch {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "malformed" });
    return z.NEVER;
  }
  return entries;
});

/** The longest `where` (a term key or "body") kept from a client's state. */
const MAX_WHERE = 64;

/**
 * The state others see: the client's own `where` and `cursor` (bounded already; y-prosemirror's
 * caret is `cursor: { anchor, head }` of relative positions), and `user` from the server's record.
 * Every other field a client sends is dropped.
 */
export function stampState(state: Record<string, unknown>, identity: PresenceIdentity): Record<string, unknown> {
  const stamped: Record<string, unknown> = {
    user: { name: identity.name, color: SIDE_COLOURS[identity.side ?? "NONE"], side: identity.side },
  };
  if (typeof state.where === "string" && state.where.length <= MAX_WHERE) stamped.where = state.where;
  if (state.cursor !== undefined && (state.cursor === null || typeof state.cursor === "object")) stamped.cursor = state.cursor;
  return stamped;
}

/** Encodes entries as a y-protocols awareness update (the format applyAwarenessUpdate reads). */
export function encodePresence(entries: PresenceEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, JSON.stringify(state));
  }
  return encoding.toUint8Array(encoder);
}

/** Decodes an awareness update the server itself produced (stamped and bounded already). */
export function decodePresence(update: Uint8Array): PresenceEntry[] {
  const decoder = decoding.createDecoder(update);
  const entries: PresenceEntry[] = [];
  const count = decoding.readVarUint(decoder);
  for (let i = 0; i < count; i += 1) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    entries.push({ clientId, clock, state: JSON.parse(decoding.readVarString(decoder)) as Record<string, unknown> | null });
  }
  return entries;
}
