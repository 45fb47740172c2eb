/**
 * Live co-drafting rooms: one Yjs document per session, y-protocols sync and awareness over
 * socket.io. Capabilities are computed once per connection and document (getDraftAccess, through
 * the one authorization function) and re-computed when access changes; every handler reads them
 * before acting: a connection without edit capability never has an update applied or relayed;
 * awareness is relayed only for editors and commenters; comment and offer operations are checked
 * again by the model functions. Updates are stored before they are acknowledged, applied and
 * relayed, in order, one at a time per document.
 */
import type { Server, Socket } from "socket.io";
import * as Y from "yjs";
import * as syncProtocol from "y-protocols/sync";
import * as awarenessProtocol from "y-protocols/awareness";
import * as encoding from "lib0/encoding";
import * as decoding from "lib0/decoding";
import { loadActor } from "../app/authz.server.ts";
import { onAccessChange } from "../app/events.server.ts";
import {
  acceptOffer,
  addComment,
  getDraftAccess,
  listCommentThreads,
  listOffers,
  makeOffer,
  replyToComment,
  resolveComment,
} from "../app/models/session.server.ts";
import { isDomainError } from "../app/domain/errors.ts";
import { checkInputBounds, checkJsonTextBounds, type BoundsRefusal } from "../app/domain/input-bounds.ts";
import { commentInputSchema, offerInputSchema, replyInputSchema, resolveInputSchema } from "../app/domain/draft-validation.ts";
import { fieldErrorsOf } from "../app/domain/validation.ts";
import { termsSchema } from "../app/domain/terms.ts";
import type { z } from "zod";
import { appendUpdate, compactDocument, COMPACT_AFTER_UPDATES, loadDocument } from "./document-store.ts";
import { DOC_ERRORS, DOC_EVENTS, LIMITS, REVOKE_CODES, type DocAck, type DocCapabilities } from "./protocol.ts";

type Room = {
  sessionId: string;
  documentId: string;
  doc: Y.Doc;
  awareness: awarenessProtocol.Awareness;
  updatesSinceSnapshot: number;
  /**
   * An upper bound on the encoded document's size: its size when loaded (or last measured) plus
   * every update applied since. Yjs merges updates into a state no larger than its parts, so the
   * document is re-encoded only when this bound nears the limit, not on every update.
   */
  sizeBound: number;
  /** Serializes store-then-apply so the log order is the apply order. */
  queue: Promise<unknown>;
  compaction: Promise<unknown> | null;
};

type Ack = (response: DocAck) => void;
const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;
const roomName = (sessionId: string) => `doc:${sessionId}`;
const NODE_EVENTS = { update: "xs:doc-update", recheck: "xs:doc-recheck" } as const;

/**
 * One unmasked WebSocket frame (RFC 6455, 5.2), as a server sends it: FIN, the opcode (1 text,
 * 2 binary), the payload length and the payload.
 */
function webSocketFrame(payload: Buffer, opcode: 1 | 2): Buffer {
  const length = payload.byteLength;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x80 | opcode;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  payload.copy(frame, headerLength);
  return frame;
}

/** What engine.io's WebSocket transport needs to take a frame built in advance (see relay()). */
type EngineTransport = { name?: string; perMessageDeflate?: unknown; socket?: { _sender?: { sendFrame?: unknown } } };
type EngineConnection = { readyState: string; transport: EngineTransport; write(data: unknown, options: Record<string, unknown>): unknown };

function isBinary(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

function reply(ack: unknown, response: DocAck) {
  if (typeof ack === "function") (ack as Ack)(response);
}

/**
 * A handler whose acknowledgement is the last argument however many came before it, so that a
 * client sending too many or too few arguments still gets its answer (a clear error code) instead
 * of silence; missing arguments are undefined.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler names its own parameters (all unknown)
function withAck<S>(arity: number, handler: (socket: S, ...args: any[]) => unknown) {
  return (socket: S, ...args: unknown[]) => {
    const ack = typeof args[args.length - 1] === "function" ? args.pop() : undefined;
    const params = Array.from({ length: arity }, (_, i) => (i < args.length ? args[i] : undefined));
    if (args.length > arity) return reply(ack, { ok: false, code: DOC_ERRORS.malformed });
    return handler(socket, ...params, ack);
  };
}

/** An update that carries no change (e.g. a viewer's empty answer to sync step 1). */
function isEmptyUpdate(update: Uint8Array): boolean {
  const decoded = Y.decodeUpdate(update);
  return decoded.structs.length === 0 && decoded.ds.clients.size === 0;
}

/**
 * Checks the terms an update would leave in the document against the same zod schema the browser
 * form uses; returns the first invalid term's key, or null. Only updates that touch the `terms`
 * map are checked (on a copy, so a refused update never reaches the document).
 */
function invalidTerms(doc: Y.Doc, update: Uint8Array): string | null {
  // A top-level entry of a root map names its parent by the root's name.
  const touchesTerms = Y.decodeUpdate(update).structs.some((struct) => "parent" in struct && (struct.parent as unknown) === "terms");
  if (!touchesTerms) return null;
  const copy = new Y.Doc();
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    Y.applyUpdate(copy, update);
    const result = termsSchema.safeParse(copy.getMap("terms").toJSON());
    return result.success ? null : String(result.error.issues[0]?.path[0] ?? "terms");
  } finally {
    copy.destroy();
  }
}

const JSON_BOUNDS = { maxDepth: LIMITS.maxJsonDepth, maxBytes: LIMITS.maxJsonBytes };

/** The answer to an argument out of bounds: `too_large` (or `malformed`) with a message saying which bound. */
function boundsRefusal(refusal: BoundsRefusal): DocAck {
  if (refusal.reason === "tooDeep") return { ok: false, code: DOC_ERRORS.tooLarge, message: { key: "draft.error.tooDeep", values: { max: refusal.max } } };
  if (refusal.reason === "tooLarge") return { ok: false, code: DOC_ERRORS.tooLarge, message: { key: "draft.error.inputTooLarge", values: { maxKb: Math.floor(refusal.max / 1024) } } };
  return { ok: false, code: DOC_ERRORS.malformed, message: { key: "draft.error.malformed" } };
}

/**
 * Checks an event's arguments (without its ack) before any handler walks them: a binary argument
 * (a y-protocols message) against LIMITS.maxMessageBytes, any other against the JSON bounds
 * (depth and size, iteratively). Returns the refusal, or null.
 */
function outOfBounds(args: unknown[]): DocAck | null {
  for (const arg of args) {
    if (isBinary(arg)) {
      if (arg.byteLength > LIMITS.maxMessageBytes) return { ok: false, code: DOC_ERRORS.tooLarge, message: { key: "draft.error.inputTooLarge", values: { maxKb: LIMITS.maxMessageBytes / 1024 } } };
      continue;
    }
    const refusal = checkInputBounds(arg, JSON_BOUNDS);
    if (refusal) return boundsRefusal(refusal);
  }
  return null;
}

/** One log line for an error no handler expected: the event, the error and where it was thrown. */
function logUnexpected(event: string, error: unknown) {
  const where = error instanceof Error ? (error.stack?.split("\n").find((line) => line.trim().startsWith("at "))?.trim() ?? "") : "";
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`realtime: "${event}" failed unexpectedly: ${what.slice(0, 500)}${where ? ` (${where})` : ""}`);
}

/** What a socket carries for the rooms it joined (socket.data). */
type SocketState = { userId: string; docCaps: Map<string, DocCapabilities>; awarenessClients: Map<string, Set<number>> };
/** The key of the catch-all listener in CollabServer's listener table. */
const ANY_EVENT = "\u0000any";

export class CollabServer {
  private readonly rooms = new Map<string, Promise<Room>>();
  private readonly unsubscribe: () => void;

  /** Tells the other processes (Redis adapter); a single process has none to tell. */
  private toOtherNodes(event: string, ...args: unknown[]) {
    if (this.distributed) this.io.serverSideEmit(event, ...args);
  }

  constructor(
    private readonly io: Server,
    private readonly distributed = false,
  ) {
    this.unsubscribe = onAccessChange((sessionId) => {
      void this.recheck(sessionId);
      // Other processes (Redis adapter) re-check their own connections too.
      this.toOtherNodes(NODE_EVENTS.recheck, sessionId);
    });
    this.io.on(NODE_EVENTS.recheck as never, (sessionId: string | null) => void this.recheck(sessionId));
    this.io.on(NODE_EVENTS.update as never, (sessionId: string, update: string) => {
      // An update stored by another process: relayed to our own sockets in the room, and our
      // in-memory copy kept current. The Redis adapter carries server-to-server messages as
      // JSON, hence base64.
      if (typeof sessionId !== "string" || typeof update !== "string") return;
      const bytes = new Uint8Array(Buffer.from(update, "base64"));
      const encoder = encoding.createEncoder();
      syncProtocol.writeUpdate(encoder, bytes);
      this.relay(sessionId, encoding.toUint8Array(encoder), null);
      const room = this.rooms.get(sessionId);
      if (!room) return;
      room
        .then((loaded) => {
          Y.applyUpdate(loaded.doc, bytes, "remote");
          loaded.sizeBound += bytes.byteLength;
        })
        .catch((error) => console.warn(`applying a relayed update to ${sessionId} failed:`, error instanceof Error ? error.message : error));
    });
  }

  /**
   * Sends one y-protocols sync message to every socket of this process in the document's room
   * but `except`. The other processes get the update through NODE_EVENTS.update and relay it to
   * their own sockets, so this never goes through the adapter.
   *
   * Why not `io.to(room).emit()`: a binary event is two engine.io packets (a text header and the
   * binary attachment), and socket.io's broadcast builds the WebSocket frames once for all
   * sockets only for single-packet events; for ours it framed both packets again for every
   * socket, and wrote them in two writes. Here the packets are encoded once, and for each
   * WebSocket connection the two frames are built once, concatenated, and handed to engine.io
   * as a pre-encoded frame (the mechanism socket.io's own broadcast uses): one buffer and one
   * write per socket, in order with the socket's other packets. Sockets on another transport
   * (long polling, a connection being upgraded) get the ordinary emit. The fan-out benchmark
   * (tests/bench/realtime-fanout.ts, decision 023) measures the difference.
   */
  private relay(sessionId: string, message: Uint8Array, except: string | null) {
    const namespace = this.io.of("/");
    const members = namespace.adapter.rooms.get(roomName(sessionId));
    if (!members || members.size === 0) return;
    const packets = (namespace.adapter as unknown as { encoder: { encode(packet: unknown): Array<string | Buffer> } }).encoder.encode({
      type: 2, // EVENT; the encoder turns it into BINARY_EVENT + attachment
      nsp: "/",
      data: [DOC_EVENTS.sync, sessionId, message],
    });
    let frame: Buffer | null = null;
    const others: string[] = [];
    for (const id of members) {
      if (id === except) continue;
      const socket = namespace.sockets.get(id);
      if (!socket) continue;
      const connection = socket.conn as unknown as EngineConnection;
      if (connection.readyState !== "open") continue;
      const transport = connection.transport;
      if (transport.name !== "websocket" || transport.perMessageDeflate || typeof transport.socket?._sender?.sendFrame !== "function") {
        others.push(id);
        continue;
      }
      frame ??= Buffer.concat(
        packets.map((packet) => (typeof packet === "string" ? webSocketFrame(Buffer.from(`4${packet}`), 1) : webSocketFrame(Buffer.from(packet), 2))),
      );
      // The header packet carries the frames of both packets; engine.io writes them as one.
      connection.write(packets[0], { preEncoded: true, wsPreEncodedFrame: [frame] });
    }
    if (others.length) namespace.to(others).local.emit(DOC_EVENTS.sync, sessionId, message);
  }

  /**
   * Takes a connection in: its per-socket state, and the event listeners. The listeners are the
   * same function objects for every socket (built once, `this` is the socket), so that an idle
   * connection costs socket.io's own objects and two small maps, not a dozen closures of its own
   * (memory per idle connection, measured by the fan-out bench, decision 023).
   */
  attach(socket: Socket) {
    (socket.data as SocketState).docCaps = new Map();
    (socket.data as SocketState).awarenessClients = new Map();
    for (const [event, listener] of this.listeners) {
      if (event === ANY_EVENT) socket.onAny(listener);
      else socket.on(event, listener);
    }
  }

  /** The listeners every socket shares (see attach). */
  private readonly listeners = this.buildListeners();

  private buildListeners(): Map<string, (...args: unknown[]) => void> {
    const listeners = new Map<string, (...args: unknown[]) => void>();
    /**
     * Registers a client→server event. Its arguments are bounded before the handler sees them
     * (nothing walks, serializes or parses an unbounded value), and whatever the handler throws or
     * rejects with becomes an `unavailable` answer and one log line: no message can stop the process.
     */
    const on = (event: string, handler: (socket: Socket, ...args: unknown[]) => unknown) => {
      listeners.set(event, function (this: Socket, ...args: unknown[]) {
        const ack = typeof args[args.length - 1] === "function" ? args[args.length - 1] : undefined;
        const refusal = outOfBounds(ack ? args.slice(0, -1) : args);
        if (refusal) return reply(ack, refusal);
        let pending: unknown;
        try {
          pending = handler(this, ...args);
        } catch (error) {
          pending = Promise.reject(error);
        }
        Promise.resolve(pending).catch((error: unknown) => {
          logUnexpected(event, error);
          // An ack already sent by the handler is not sent twice (socket.io ignores a second call).
          reply(ack, { ok: false, code: DOC_ERRORS.unavailable });
        });
      });
    };
    const capsOf = (socket: Socket) => (socket.data as SocketState).docCaps;
    const awarenessOf = (socket: Socket) => (socket.data as SocketState).awarenessClients;

    on(DOC_EVENTS.join, withAck(1, async (socket: Socket, sessionId: unknown, ack: unknown) => {
      const caps = capsOf(socket);
      if (typeof sessionId !== "string" || !SESSION_ID.test(sessionId)) return reply(ack, { ok: false, code: DOC_ERRORS.malformed });
      try {
        const access = await getDraftAccess({ actor: await loadActor(socket.data.userId), sessionId });
        if (!access) return reply(ack, { ok: false, code: DOC_ERRORS.notFound });
        const room = await this.room(sessionId);
        caps.set(sessionId, access);
        await socket.join(roomName(sessionId));
        reply(ack, { ok: true, capabilities: access });
        // Start the sync: our state vector, then everyone's presence.
        const encoder = encoding.createEncoder();
        syncProtocol.writeSyncStep1(encoder, room.doc);
        socket.emit(DOC_EVENTS.sync, sessionId, encoding.toUint8Array(encoder));
        const states = [...room.awareness.getStates().keys()];
        if (states.length) socket.emit(DOC_EVENTS.awareness, sessionId, awarenessProtocol.encodeAwarenessUpdate(room.awareness, states));
      } catch (error) {
        console.warn(`doc:join ${sessionId} failed:`, error instanceof Error ? error.message : error);
        // Never an empty document in place of one we could not load.
        reply(ack, { ok: false, code: DOC_ERRORS.unavailable });
      }
    }));

    on(DOC_EVENTS.leave, withAck(1, async (socket: Socket, sessionId: unknown, ack: unknown) => {
      const caps = capsOf(socket);
      if (typeof sessionId !== "string" || !caps.has(sessionId)) return reply(ack, { ok: false, code: DOC_ERRORS.notJoined });
      await this.leave(socket, sessionId, caps, awarenessOf(socket));
      reply(ack, { ok: true });
    }));

    on(DOC_EVENTS.sync, withAck(2, async (socket: Socket, sessionId: unknown, message: unknown, ack: unknown) => {
      const caps = capsOf(socket);
      if (typeof sessionId !== "string" || !caps.has(sessionId)) return reply(ack, { ok: false, code: DOC_ERRORS.notJoined });
      if (!isBinary(message)) return reply(ack, { ok: false, code: DOC_ERRORS.malformed });
      if (message.byteLength > LIMITS.maxMessageBytes) return reply(ack, { ok: false, code: DOC_ERRORS.tooLarge });
      const room = await this.room(sessionId).catch(() => null);
      if (!room) return reply(ack, { ok: false, code: DOC_ERRORS.unavailable });
      let type: number;
      let payload: Uint8Array;
      try {
        const decoder = decoding.createDecoder(new Uint8Array(message));
        type = decoding.readVarUint(decoder);
        payload = decoding.readVarUint8Array(decoder);
      } catch {
        return reply(ack, { ok: false, code: DOC_ERRORS.malformed });
      }
      if (type === syncProtocol.messageYjsSyncStep1) {
        const encoder = encoding.createEncoder();
        try {
          syncProtocol.writeSyncStep2(encoder, room.doc, payload);
        } catch {
          return reply(ack, { ok: false, code: DOC_ERRORS.malformed });
        }
        socket.emit(DOC_EVENTS.sync, sessionId, encoding.toUint8Array(encoder));
        return reply(ack, { ok: true });
      }
      if (type !== syncProtocol.messageYjsSyncStep2 && type !== syncProtocol.messageYjsUpdate) return reply(ack, { ok: false, code: DOC_ERRORS.malformed });
      try {
        if (isEmptyUpdate(payload)) return reply(ack, { ok: true });
      } catch {
        return reply(ack, { ok: false, code: DOC_ERRORS.malformed });
      }
      // The capability is read at the moment the update is handled: a revoked editor is refused.
      if (!caps.get(sessionId)?.edit) return reply(ack, { ok: false, code: DOC_ERRORS.forbidden });
      reply(ack, await this.applyClientUpdate(room, socket, payload));
    }));

    on(DOC_EVENTS.awareness, withAck(2, async (socket: Socket, sessionId: unknown, update: unknown, ack: unknown) => {
      const caps = capsOf(socket);
      const awarenessClients = awarenessOf(socket);
      if (typeof sessionId !== "string" || !caps.has(sessionId)) return reply(ack, { ok: false, code: DOC_ERRORS.notJoined });
      if (!isBinary(update)) return reply(ack, { ok: false, code: DOC_ERRORS.malformed });
      if (update.byteLength > LIMITS.maxMessageBytes) return reply(ack, { ok: false, code: DOC_ERRORS.tooLarge });
      const capability = caps.get(sessionId)!;
      // Viewers are not shown to the room as if they were taking part.
      if (!capability.edit && !capability.comment) return reply(ack, { ok: false, code: DOC_ERRORS.forbidden });
      const room = await this.room(sessionId).catch(() => null);
      if (!room) return reply(ack, { ok: false, code: DOC_ERRORS.unavailable });
      try {
        const announced: number[] = [];
        const decoder = decoding.createDecoder(new Uint8Array(update));
        const count = decoding.readVarUint(decoder);
        for (let i = 0; i < count; i += 1) {
          announced.push(decoding.readVarUint(decoder));
          decoding.readVarUint(decoder); // clock
          // The state is stored, relayed and serialized again for every later join: bounded
          // before it is parsed, then it must be JSON or the message is malformed.
          const state = decoding.readVarString(decoder);
          const refusal = checkJsonTextBounds(state, JSON_BOUNDS);
          if (refusal) return reply(ack, boundsRefusal(refusal));
          JSON.parse(state);
        }
        awarenessProtocol.applyAwarenessUpdate(room.awareness, new Uint8Array(update), socket.id);
        // Remembered only once applied, so that leaving removes exactly the states this socket set.
        const clients = awarenessClients.get(sessionId) ?? new Set<number>();
        for (const client of announced) clients.add(client);
        awarenessClients.set(sessionId, clients);
      } catch {
        return reply(ack, { ok: false, code: DOC_ERRORS.malformed });
      }
      socket.to(roomName(sessionId)).emit(DOC_EVENTS.awareness, sessionId, new Uint8Array(update));
      reply(ack, { ok: true });
    }));

    /** Runs a comment/offer operation: joined check, zod-validated input, domain errors as codes. */
    const operation = <S extends z.ZodTypeAny>(
      event: string,
      schema: S | null,
      run: (socket: Socket, sessionId: string, input: z.output<S>) => Promise<Record<string, unknown>>,
    ) =>
      on(event, async (socket: Socket, sessionId: unknown, ...rest: unknown[]) => {
        const caps = capsOf(socket);
        // The ack is the last argument, whatever came before it (even nothing at all).
        if (typeof sessionId === "function" && rest.length === 0) return reply(sessionId, { ok: false, code: DOC_ERRORS.notJoined });
        const ack = typeof rest[rest.length - 1] === "function" ? rest.pop() : undefined;
        if (rest.length > 1) return reply(ack, { ok: false, code: DOC_ERRORS.malformed });
        if (typeof sessionId !== "string" || !caps.has(sessionId)) return reply(ack, { ok: false, code: DOC_ERRORS.notJoined });
        let input: z.output<S> = undefined as z.output<S>;
        if (schema) {
          // PostgreSQL text cannot hold U+0000: an invalid input, not a storage failure.
          if (JSON.stringify(rest[0] ?? null).includes("\\u0000")) return reply(ack, { ok: false, code: DOC_ERRORS.invalid, field: "_form", message: { key: "validation.invalid" } });
          // A schema that throws (instead of reporting an issue) is a refusal too, never a crash.
          const parsed = (() => {
            try {
              return schema.safeParse(rest[0]);
            } catch {
              return null;
            }
          })();
          if (!parsed) return reply(ack, { ok: false, code: DOC_ERRORS.invalid, field: "_form", message: { key: "validation.invalid" } });
          if (!parsed.success) {
            const [field, messages] = Object.entries(fieldErrorsOf(parsed.error))[0] ?? ["_form", [{ key: "validation.invalid" }]];
            return reply(ack, { ok: false, code: DOC_ERRORS.invalid, field, message: messages[0] });
          }
          input = parsed.data;
        }
        try {
          reply(ack, { ok: true, ...(await run(socket, sessionId, input)) });
        } catch (error) {
          if (isDomainError(error)) {
            const code = error.code === "notFound" ? DOC_ERRORS.notFound : error.code === "forbidden" ? DOC_ERRORS.forbidden : DOC_ERRORS.invalid;
            return reply(ack, { ok: false, code, message: { key: `errors.${error.code}` } });
          }
          console.warn(`${event} failed:`, error instanceof Error ? error.message : error);
          reply(ack, { ok: false, code: DOC_ERRORS.unavailable });
        }
      });
    const actor = (socket: Socket) => loadActor(socket.data.userId);
    const room = (sessionId: string) => this.io.to(roomName(sessionId));

    operation(DOC_EVENTS.commentList, null, async (socket, sessionId) => ({ threads: await listCommentThreads({ actor: await actor(socket), sessionId }) }));
    operation(DOC_EVENTS.commentAdd, commentInputSchema, async (socket, sessionId, input) => {
      const thread = await addComment({ actor: await actor(socket), sessionId, input });
      room(sessionId).emit(DOC_EVENTS.commentChanged, sessionId, thread);
      return { thread };
    });
    operation(DOC_EVENTS.commentReply, replyInputSchema, async (socket, sessionId, input) => {
      const thread = await replyToComment({ actor: await actor(socket), sessionId, ...input });
      room(sessionId).emit(DOC_EVENTS.commentChanged, sessionId, thread);
      return { thread };
    });
    operation(DOC_EVENTS.commentResolve, resolveInputSchema, async (socket, sessionId, input) => {
      const thread = await resolveComment({ actor: await actor(socket), sessionId, ...input });
      room(sessionId).emit(DOC_EVENTS.commentChanged, sessionId, thread);
      return { thread };
    });
    operation(DOC_EVENTS.offerList, null, async (socket, sessionId) => ({ offers: await listOffers({ actor: await actor(socket), sessionId }) }));
    operation(DOC_EVENTS.offerMake, offerInputSchema, async (socket, sessionId, input) => {
      const offer = await makeOffer({ actor: await actor(socket), sessionId, input });
      room(sessionId).emit(DOC_EVENTS.offerChanged, sessionId, offer);
      return { offer };
    });
    on(DOC_EVENTS.offerAccept, withAck(2, async (socket: Socket, sessionId: unknown, input: unknown, ack: unknown) => {
      const caps = capsOf(socket);
      if (typeof sessionId !== "string" || !caps.has(sessionId)) return reply(ack, { ok: false, code: DOC_ERRORS.notJoined });
      const offerId = (input as { offerId?: unknown } | null)?.offerId;
      if (typeof offerId !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(offerId)) return reply(ack, { ok: false, code: DOC_ERRORS.invalid });
      if (!caps.get(sessionId)?.edit) return reply(ack, { ok: false, code: DOC_ERRORS.forbidden });
      try {
        const loaded = await this.room(sessionId);
        const offers = await listOffers({ actor: await actor(socket), sessionId });
        const offer = offers.find((candidate) => candidate.id === offerId);
        if (!offer) return reply(ack, { ok: false, code: DOC_ERRORS.notFound });
        if (offer.accepted) return reply(ack, { ok: false, code: DOC_ERRORS.invalid, message: { key: "errors.procedure.alreadyDone" } });
        const previous = loaded.doc.getMap<unknown>("terms").get(offer.termKey) ?? null;
        // The value goes into the draft first, like any edit (checked, stored, applied, relayed);
        // only a value that made it in is marked accepted, with its audit trace.
        const write = await this.applyServerChange(loaded, socket.data.userId, (doc) => doc.getMap("terms").set(offer.termKey, offer.value));
        if (!write.ok) return reply(ack, write);
        const accepted = await acceptOffer({ actor: await actor(socket), sessionId, offerId, previous, ctx: { ip: socket.handshake.address ?? null, userAgent: socket.handshake.headers["user-agent"] ?? null } });
        room(sessionId).emit(DOC_EVENTS.offerChanged, sessionId, accepted);
        reply(ack, { ok: true, offer: accepted });
      } catch (error) {
        if (isDomainError(error)) return reply(ack, { ok: false, code: error.code === "forbidden" ? DOC_ERRORS.forbidden : error.code === "notFound" ? DOC_ERRORS.notFound : DOC_ERRORS.invalid, message: { key: `errors.${error.code}` } });
        console.warn("offer:accept failed:", error instanceof Error ? error.message : error);
        reply(ack, { ok: false, code: DOC_ERRORS.unavailable });
      }
    }));

    // An event nobody handles (a typo, a server→client event sent back) is answered, not ignored.
    listeners.set(ANY_EVENT, function (this: Socket, event: unknown, ...args: unknown[]) {
      if (typeof event !== "string" || this.listeners(event).length === 0) reply(args[args.length - 1], { ok: false, code: DOC_ERRORS.unknownEvent });
    });

    // A reserved event (its arguments come from socket.io, not the client): not bounded.
    const leave = this.leave.bind(this);
    listeners.set("disconnect", function (this: Socket) {
      const caps = capsOf(this);
      for (const sessionId of [...caps.keys()]) {
        leave(this, sessionId, caps, awarenessOf(this)).catch((error) => console.warn(`leaving ${sessionId} failed:`, error instanceof Error ? error.message : error));
      }
    });
    return listeners;
  }

  /**
   * A change made by the server on an editor's behalf (accepting an offer): computed on a copy, then
   * stored, applied and relayed to everyone like any client update.
   */
  private applyServerChange(room: Room, userId: string, change: (doc: Y.Doc) => void): Promise<DocAck> {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc));
    let update: Uint8Array | null = null;
    copy.on("update", (u: Uint8Array) => {
      update = update ? Y.mergeUpdates([update, u]) : u;
    });
    change(copy);
    copy.destroy();
    if (!update) return Promise.resolve({ ok: true });
    return this.store(room, update, userId, null);
  }

  /** Stores, applies and relays one editor's update, strictly in order per document. */
  private applyClientUpdate(room: Room, socket: Socket, update: Uint8Array): Promise<DocAck> {
    return this.store(room, update, socket.data.userId, socket);
  }

  private store(room: Room, update: Uint8Array, userId: string, sender: Socket | null): Promise<DocAck> {
    const run = room.queue.then(async (): Promise<DocAck> => {
      try {
        if (room.sizeBound + update.byteLength > LIMITS.maxDocumentBytes) {
          room.sizeBound = Y.encodeStateAsUpdate(room.doc).byteLength;
          if (room.sizeBound + update.byteLength > LIMITS.maxDocumentBytes) return { ok: false, code: DOC_ERRORS.tooLarge };
        }
        const invalid = invalidTerms(room.doc, update);
        if (invalid) return { ok: false, code: DOC_ERRORS.invalid, field: invalid };
        await appendUpdate(room.documentId, update, userId);
      } catch (error) {
        console.warn(`storing an update of ${room.sessionId} failed:`, error instanceof Error ? error.message : error);
        return { ok: false, code: DOC_ERRORS.unavailable };
      }
      Y.applyUpdate(room.doc, update, sender?.id ?? "server");
      room.sizeBound += update.byteLength;
      const encoder = encoding.createEncoder();
      syncProtocol.writeUpdate(encoder, update);
      // The sender has it already; a server change goes to everyone.
      this.relay(room.sessionId, encoding.toUint8Array(encoder), sender?.id ?? null);
      this.toOtherNodes(NODE_EVENTS.update, room.sessionId, Buffer.from(update).toString("base64"));
      room.updatesSinceSnapshot += 1;
      if (room.updatesSinceSnapshot >= COMPACT_AFTER_UPDATES && !room.compaction) {
        room.compaction = compactDocument(room.documentId)
          .then(() => {
            room.updatesSinceSnapshot = 0;
          })
          .catch((error) => console.warn(`compaction of ${room.sessionId} failed (will retry):`, error instanceof Error ? error.message : error))
          .finally(() => {
            room.compaction = null;
          });
      }
      return { ok: true };
    });
    room.queue = run.catch(() => undefined);
    return run;
  }

  private room(sessionId: string): Promise<Room> {
    let pending = this.rooms.get(sessionId);
    if (!pending) {
      pending = loadDocument(sessionId).then(({ documentId, doc, updatesSinceSnapshot }) => {
        const awareness = new awarenessProtocol.Awareness(doc);
        // The server itself has no presence.
        awareness.setLocalState(null);
        const sizeBound = Y.encodeStateAsUpdate(doc).byteLength;
        return { sessionId, documentId, doc, awareness, updatesSinceSnapshot, sizeBound, queue: Promise.resolve(), compaction: null };
      });
      // A failed load is forgotten so that the next join tries again (and never gets an empty doc).
      pending.catch(() => this.rooms.delete(sessionId));
      this.rooms.set(sessionId, pending);
    }
    return pending;
  }

  private async leave(socket: Socket, sessionId: string, caps: Map<string, DocCapabilities>, awarenessClients: Map<string, Set<number>>) {
    caps.delete(sessionId);
    await socket.leave(roomName(sessionId));
    const room = await this.rooms.get(sessionId)?.catch(() => null);
    const clients = awarenessClients.get(sessionId);
    awarenessClients.delete(sessionId);
    // Only clients the room knows: encoding an unknown one would throw.
    const known = room && clients ? [...clients].filter((client) => room.awareness.meta.has(client)) : [];
    if (room && known.length) {
      awarenessProtocol.removeAwarenessStates(room.awareness, known, "leave");
      this.io.to(roomName(sessionId)).emit(DOC_EVENTS.awareness, sessionId, awarenessProtocol.encodeAwarenessUpdate(room.awareness, known));
    }
    // Unload a document nobody here has open, once its pending work is done.
    const local = this.io.of("/").adapter.rooms.get(roomName(sessionId));
    if (room && (!local || local.size === 0)) {
      await room.queue;
      await room.compaction;
      if (!this.io.of("/").adapter.rooms.get(roomName(sessionId))?.size) {
        this.rooms.delete(sessionId);
        room.awareness.destroy();
        room.doc.destroy();
      }
    }
  }

  /**
   * Brings every document loaded here up to date with the store and tells the local clients. After
   * the Redis link between processes was down, the updates other processes stored meanwhile never
   * reached this process (nor its clients); the store has them all.
   */
  async resync(): Promise<void> {
    for (const [sessionId, pending] of [...this.rooms]) {
      try {
        const room = await pending;
        const stored = await loadDocument(sessionId);
        const missing = Y.encodeStateAsUpdate(stored.doc, Y.encodeStateVector(room.doc));
        stored.doc.destroy();
        if (isEmptyUpdate(missing)) continue;
        Y.applyUpdate(room.doc, missing, "remote");
        const encoder = encoding.createEncoder();
        syncProtocol.writeUpdate(encoder, missing);
        this.io.local.to(roomName(sessionId)).emit(DOC_EVENTS.sync, sessionId, encoding.toUint8Array(encoder));
      } catch (error) {
        console.warn(`resynchronizing ${sessionId} failed:`, error instanceof Error ? error.message : error);
      }
    }
  }

  /** Re-checks every local connection to `sessionId` (or to every session) against the database. */
  async recheck(sessionId: string | null): Promise<void> {
    const sockets = await this.io.local.fetchSockets();
    for (const remote of sockets) {
      const socket = this.io.sockets.sockets.get(remote.id);
      const caps = (socket?.data as { docCaps?: Map<string, DocCapabilities> } | undefined)?.docCaps;
      if (!socket || !caps) continue;
      for (const joined of [...caps.keys()]) {
        if (sessionId && joined !== sessionId) continue;
        try {
          const access = await getDraftAccess({ actor: await loadActor(socket.data.userId), sessionId: joined });
          if (!access) {
            const awarenessClients = (socket.data as { awarenessClients?: Map<string, Set<number>> }).awarenessClients ?? new Map();
            // Out of the room at once, and their cursor with them.
            await this.leave(socket, joined, caps, awarenessClients);
            socket.emit(DOC_EVENTS.revoked, joined, REVOKE_CODES.accessRevoked);
            continue;
          }
          const before = caps.get(joined);
          caps.set(joined, access);
          if (JSON.stringify(before) !== JSON.stringify(access)) socket.emit(DOC_EVENTS.capabilities, joined, access);
        } catch (error) {
          console.warn(`re-checking access to ${joined} failed:`, error instanceof Error ? error.message : error);
        }
      }
    }
  }

  /** Waits for every stored-but-not-compacted piece of work (shutdown). */
  async flush(): Promise<void> {
    const rooms = await Promise.all([...this.rooms.values()].map((room) => room.catch(() => null)));
    await Promise.all(rooms.map(async (room) => {
      if (!room) return;
      await room.queue;
      await room.compaction;
    }));
  }

  close() {
    this.unsubscribe();
  }
}
