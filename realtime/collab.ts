/**
 * Live co-drafting rooms: one Yjs document per session, y-protocols sync and awareness over
 * socket.io. Every client→server event is one entry of the dispatch table below, and goes through
 * the one door (realtime/dispatcher.ts) that bounds, parses and checks it against the capability
 * the entry names before its handler runs; capabilities are computed per connection and document
 * (getDraftParticipant, through the one authorization function) and re-computed when access
 * changes. Updates are stored before they are acknowledged, applied and relayed, in order, one at
 * a time per document. Presence is bound to identity (realtime/presence.ts): a connection owns the
 * awareness client ids it introduced, and others see the name and side the server has on record.
 */
import type { Server } from "socket.io";
import * as Y from "yjs";
import { z } from "zod";
import * as syncProtocol from "y-protocols/sync";
import * as awarenessProtocol from "y-protocols/awareness";
import * as encoding from "lib0/encoding";
import * as decoding from "lib0/decoding";
import { loadActor } from "../app/auth/actor.server.ts";
import { onAccessChange, onLoginRevocation } from "../app/infra/events.server.ts";
import { acceptOffer, addComment, listCommentThreads, listOffers, makeOffer, replyToComment, resolveComment } from "../app/models/draft-discussion.server.ts";
import { recordVersionRestored, versionToRestore } from "../app/models/draft-version.server.ts";
import { restoreDraftFrom } from "../app/domain/draft-text.ts";
import { getDraftParticipant } from "../app/models/draft-access.server.ts";
import { commentInputSchema, offerInputSchema, replyInputSchema, resolveInputSchema } from "../app/domain/draft-validation.ts";
import { appendUpdate, compactDocument, COMPACT_AFTER_UPDATES, loadDocument, recordRefusedUpdate } from "../app/models/document-store.server.ts";
import type { RequestContext } from "../app/models/session-core.server.ts";
import { Dispatcher, entry, type AppSocket, type InterServerEvents, type Participation, type PresenceSnapshot, type SocketState } from "./dispatcher.ts";
import { awarenessMessageSchema, decodePresence, encodePresence, stampState, type PresenceEntry } from "./presence.ts";
import { sendPreEncoded } from "./socketio-internals.ts";
import { TermsShadow } from "./terms-guard.ts";
import {
  CLOSE_CODES,
  DOC_ERRORS,
  DOC_EVENTS,
  EVENT_CLOSING,
  LIMITS,
  REVOKE_CODES,
  type ClientToServerEvents,
  type DocAck,
  type ServerToClientEvents,
} from "./protocol.ts";

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketState>;

type Room = {
  sessionId: string;
  documentId: string;
  doc: Y.Doc;
  /**
   * A mirror of `doc` on which an update that may change the terms is tried before it is stored
   * (realtime/terms-guard.ts). Every update applied to `doc` is applied to it too.
   */
  shadow: TermsShadow;
  awareness: awarenessProtocol.Awareness;
  /** Which connection (socket id, on any process) owns each awareness client id present here. */
  owners: Map<number, string>;
  /**
   * Settles once the other processes have told what presence their connections own (at once on a
   * single process): until then no presence is accepted here, so that an id owned elsewhere cannot
   * be claimed in the moment after this process loaded the document.
   */
  presenceReady: Promise<void>;
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

const roomName = (sessionId: string) => `doc:${sessionId}`;
/** Rooms every connection joins so that a logout or a revocation reaches it on any process. */
const loginRoom = (authSessionId: string) => `login:${authSessionId}`;
const userRoom = (userId: string) => `user:${userId}`;
const OFFER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, "base64"));
/** Who made a change, from where: the audit trace of a refused update carries it. */
type Author = { userId: string; ctx: RequestContext };
const authorOf = (socket: AppSocket): Author => ({ userId: socket.data.userId, ctx: { ip: socket.handshake.address ?? null, userAgent: socket.handshake.headers["user-agent"] ?? null } });

/** An update that carries no change (e.g. a viewer's empty answer to sync step 1). */
function isEmptyUpdate(update: Uint8Array): boolean {
  const decoded = Y.decodeUpdate(update);
  return decoded.structs.length === 0 && decoded.ds.clients.size === 0;
}

/** A decoded y-protocols sync message: step 1, step 2 or update, and whether it changes anything. */
type SyncMessage = { type: number; payload: Uint8Array; empty: boolean };
const syncMessageSchema = z.custom<Uint8Array>((value) => value instanceof Uint8Array).transform((message, ctx): SyncMessage => {
  try {
    const decoder = decoding.createDecoder(new Uint8Array(message));
    const type = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (type === syncProtocol.messageYjsSyncStep1) return { type, payload, empty: true };
    if (type !== syncProtocol.messageYjsSyncStep2 && type !== syncProtocol.messageYjsUpdate) throw new Error("unknown sync message type");
    return { type, payload, empty: isEmptyUpdate(payload) };
  } catch {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "malformed" });
    return z.NEVER;
  }
});

export class CollabServer {
  private readonly rooms = new Map<string, Promise<Room>>();
  private readonly unsubscribe: Array<() => void>;
  readonly dispatcher: Dispatcher;

  /** The other processes to tell (through the Redis adapter); a single process has none. */
  private get otherNodes(): RealtimeServer | null {
    return this.distributed ? this.io : null;
  }

  constructor(
    private readonly io: RealtimeServer,
    private readonly distributed: boolean,
    options: { refusalsPerMinute: number },
  ) {
    this.dispatcher = new Dispatcher(this.table(), { refusalsPerMinute: options.refusalsPerMinute, onDisconnect: (socket) => this.disconnected(socket) });
    this.unsubscribe = [
      onAccessChange((sessionId) => {
        void this.recheck(sessionId);
        // Other processes (Redis adapter) re-check their own connections too.
        this.otherNodes?.serverSideEmit("xs:doc-recheck", sessionId);
      }),
      // A logout or a revocation closes the connections it concerns on every process: the rooms
      // are shared through the adapter.
      onLoginRevocation((revocation) => {
        const target = revocation.kind === "session" ? loginRoom(revocation.id) : userRoom(revocation.id);
        this.io.to(target).emit(EVENT_CLOSING, revocation.kind === "session" ? CLOSE_CODES.loggedOut : CLOSE_CODES.sessionsRevoked);
        this.io.in(target).disconnectSockets(true);
      }),
    ];
    this.io.on("xs:doc-recheck", (sessionId) => void this.recheck(sessionId));
    this.io.on("xs:doc-update", (sessionId, update) => {
      // An update stored by another process: relayed to our own sockets in the room, and our
      // in-memory copy kept current. The Redis adapter carries server-to-server messages as
      // JSON, hence base64.
      if (typeof sessionId !== "string" || typeof update !== "string") return;
      const bytes = fromBase64(update);
      const encoder = encoding.createEncoder();
      syncProtocol.writeUpdate(encoder, bytes);
      this.relay(sessionId, encoding.toUint8Array(encoder), null);
      this.rooms
        .get(sessionId)
        ?.then((loaded) => {
          Y.applyUpdate(loaded.doc, bytes, "remote");
          loaded.shadow.mirror(bytes);
          loaded.sizeBound += bytes.byteLength;
        })
        .catch((error) => console.warn(`applying a relayed update to ${sessionId} failed:`, error instanceof Error ? error.message : error));
    });
    this.io.on("xs:presence", (sessionId, update, owners) => {
      // Presence accepted by another process: mirrored here (so that our joiners see it and the
      // ownership of each client id is known everywhere) and relayed to our own sockets.
      this.rooms
        .get(sessionId)
        ?.then((loaded) => this.mirrorPresence(loaded, { update, owners }))
        .catch((error) => console.warn(`mirroring presence of ${sessionId} failed:`, error instanceof Error ? error.message : error));
    });
    this.io.on("xs:presence-request", (sessionId, reply) => {
      // Another process just loaded this document: it gets the presence our own connections own.
      // Always answered (null when there is none), or the asker waits for the request timeout.
      const pending = this.rooms.get(sessionId);
      if (!pending) return reply(null);
      pending.then(
        (loaded) => reply(this.localPresence(loaded)),
        () => reply(null),
      );
    });
  }

  /** The presence this process's own connections own in a loaded document, for another process. */
  private localPresence(loaded: Room): PresenceSnapshot | null {
    const local = [...loaded.owners].filter(([clientId, socketId]) => this.io.of("/").sockets.has(socketId) && loaded.awareness.states.has(clientId));
    if (local.length === 0) return null;
    return { update: base64(awarenessProtocol.encodeAwarenessUpdate(loaded.awareness, local.map(([clientId]) => clientId))), owners: local };
  }

  /**
   * Applies presence another process accepted. A claim on a client id that one of our own live
   * connections owns is dropped (ours is the first claim; the other process accepted it before it
   * knew): every other entry is applied, its owner recorded, and relayed to our sockets.
   */
  private mirrorPresence(loaded: Room, snapshot: PresenceSnapshot) {
    const ownedHere = (clientId: number, socketId: string) => {
      const owner = loaded.owners.get(clientId);
      return owner !== undefined && owner !== socketId && this.io.of("/").sockets.has(owner);
    };
    const conflicting = new Set(snapshot.owners.filter(([clientId, socketId]) => ownedHere(clientId, socketId)).map(([clientId]) => clientId));
    let update: Uint8Array = fromBase64(snapshot.update);
    if (conflicting.size) {
      console.warn(`presence of ${loaded.sessionId}: another process accepted a claim on ${[...conflicting].join(", ")}, owned here; ignored`);
      const kept = decodePresence(update).filter(({ clientId }) => !conflicting.has(clientId));
      if (kept.length === 0) return;
      update = encodePresence(kept);
    }
    awarenessProtocol.applyAwarenessUpdate(loaded.awareness, update, "remote");
    for (const [clientId, socketId] of snapshot.owners) {
      if (conflicting.has(clientId)) continue;
      if (loaded.awareness.states.has(clientId)) loaded.owners.set(clientId, socketId || (loaded.owners.get(clientId) ?? ""));
      else if (!this.io.of("/").sockets.has(loaded.owners.get(clientId) ?? "")) loaded.owners.delete(clientId);
    }
    this.io.local.to(roomName(loaded.sessionId)).emit(DOC_EVENTS.awareness, loaded.sessionId, update);
  }

  /** Takes a connection in: its state, the rooms that revocations reach, and the door's listeners. */
  attach(socket: AppSocket) {
    socket.data.joined = new Map();
    void socket.join([loginRoom(socket.data.authSessionId), userRoom(socket.data.userId)]);
    this.dispatcher.attach(socket);
  }

  /** The dispatch table: every client→server event, its capability, its input and its handler. */
  private table() {
    const actor = (socket: AppSocket) => loadActor(socket.data.userId);
    const room = (sessionId: string) => this.io.to(roomName(sessionId));
    return [
      entry({
        event: DOC_EVENTS.join,
        capability: "join",
        input: null,
        refuseAs: "malformed",
        handler: async ({ socket, sessionId }): Promise<DocAck> => {
          const epoch = this.accessEpoch;
          const access = await getDraftParticipant({ actor: await actor(socket), sessionId });
          if (!access) return { ok: false, code: DOC_ERRORS.notFound };
          const loaded = await this.room(sessionId).catch((error: unknown) => {
            console.warn(`doc:join ${sessionId} failed:`, error instanceof Error ? error.message : error);
            return null;
          });
          // Never an empty document in place of one we could not load.
          if (!loaded) return { ok: false, code: DOC_ERRORS.unavailable };
          const presence = socket.data.joined.get(sessionId)?.presence ?? new Set<number>();
          socket.data.joined.set(sessionId, { capabilities: access.capabilities, side: access.side, presence });
          await socket.join(roomName(sessionId));
          // Access changed while this join read it (before the connection was in `joined`, where a
          // re-check finds it): check again now that it is.
          if (this.accessEpoch !== epoch) void this.recheck(sessionId);
          // After the acknowledgement: our state vector, then everyone's presence (once the other
          // processes' is in).
          setImmediate(() => {
            if (!socket.connected || !socket.data.joined.has(sessionId)) return;
            const encoder = encoding.createEncoder();
            syncProtocol.writeSyncStep1(encoder, loaded.doc);
            socket.emit(DOC_EVENTS.sync, sessionId, encoding.toUint8Array(encoder));
            void loaded.presenceReady.then(() => {
              const states = [...loaded.awareness.getStates().keys()];
              if (states.length && socket.connected) socket.emit(DOC_EVENTS.awareness, sessionId, awarenessProtocol.encodeAwarenessUpdate(loaded.awareness, states));
            });
          });
          return { ok: true, capabilities: access.capabilities };
        },
      }),
      entry({
        event: DOC_EVENTS.leave,
        capability: "joined",
        input: null,
        refuseAs: "malformed",
        handler: async ({ socket, sessionId }): Promise<DocAck> => {
          await this.leave(socket, sessionId);
          return { ok: true };
        },
      }),
      entry({
        event: DOC_EVENTS.sync,
        // A step 1 only reads; a step 2 or update that changes something needs edit.
        capability: (message: SyncMessage) => (message.empty ? "view" : "edit"),
        input: syncMessageSchema,
        refuseAs: "malformed",
        handler: async ({ socket, sessionId, input }): Promise<DocAck> => {
          const loaded = await this.room(sessionId).catch(() => null);
          if (!loaded) return { ok: false, code: DOC_ERRORS.unavailable };
          if (input.type === syncProtocol.messageYjsSyncStep1) {
            const encoder = encoding.createEncoder();
            try {
              syncProtocol.writeSyncStep2(encoder, loaded.doc, input.payload);
            } catch {
              return { ok: false, code: DOC_ERRORS.malformed };
            }
            socket.emit(DOC_EVENTS.sync, sessionId, encoding.toUint8Array(encoder));
            return { ok: true };
          }
          if (input.empty) return { ok: true };
          return this.store(loaded, input.payload, authorOf(socket), socket);
        },
      }),
      entry({
        event: DOC_EVENTS.awareness,
        capability: "presence",
        input: awarenessMessageSchema,
        refuseAs: "malformed",
        handler: ({ socket, sessionId, input, participation }) => this.presence(socket, sessionId, participation!, input),
      }),
      entry({
        event: DOC_EVENTS.commentList,
        capability: "view",
        input: null,
        refuseAs: "malformed",
        handler: async ({ socket, sessionId }): Promise<DocAck> => ({ ok: true, threads: await listCommentThreads({ actor: await actor(socket), sessionId }) }),
      }),
      entry({
        event: DOC_EVENTS.commentAdd,
        capability: "comment",
        input: commentInputSchema,
        refuseAs: "invalid",
        handler: async ({ socket, sessionId, input }): Promise<DocAck> => {
          const thread = await addComment({ actor: await actor(socket), sessionId, input });
          room(sessionId).emit(DOC_EVENTS.commentChanged, sessionId, thread);
          return { ok: true, thread };
        },
      }),
      entry({
        event: DOC_EVENTS.commentReply,
        capability: "comment",
        input: replyInputSchema,
        refuseAs: "invalid",
        handler: async ({ socket, sessionId, input }): Promise<DocAck> => {
          const thread = await replyToComment({ actor: await actor(socket), sessionId, ...input });
          room(sessionId).emit(DOC_EVENTS.commentChanged, sessionId, thread);
          return { ok: true, thread };
        },
      }),
      entry({
        event: DOC_EVENTS.commentResolve,
        capability: "comment",
        input: resolveInputSchema,
        refuseAs: "invalid",
        handler: async ({ socket, sessionId, input }): Promise<DocAck> => {
          const thread = await resolveComment({ actor: await actor(socket), sessionId, ...input });
          room(sessionId).emit(DOC_EVENTS.commentChanged, sessionId, thread);
          return { ok: true, thread };
        },
      }),
      entry({
        event: DOC_EVENTS.offerList,
        capability: "view",
        input: null,
        refuseAs: "malformed",
        handler: async ({ socket, sessionId }): Promise<DocAck> => ({ ok: true, offers: await listOffers({ actor: await actor(socket), sessionId }) }),
      }),
      entry({
        event: DOC_EVENTS.offerMake,
        capability: "offer",
        input: offerInputSchema,
        refuseAs: "invalid",
        handler: async ({ socket, sessionId, input }): Promise<DocAck> => {
          const offer = await makeOffer({ actor: await actor(socket), sessionId, input });
          room(sessionId).emit(DOC_EVENTS.offerChanged, sessionId, offer);
          return { ok: true, offer };
        },
      }),
      entry({
        event: DOC_EVENTS.offerAccept,
        capability: "edit",
        input: z.object({ offerId: z.string().regex(OFFER_ID) }),
        refuseAs: "invalid",
        handler: async ({ socket, sessionId, input }): Promise<DocAck> => {
          const loaded = await this.room(sessionId);
          const offers = await listOffers({ actor: await actor(socket), sessionId });
          const offer = offers.find((candidate) => candidate.id === input.offerId);
          if (!offer) return { ok: false, code: DOC_ERRORS.notFound };
          if (offer.accepted) return { ok: false, code: DOC_ERRORS.invalid, message: { key: "errors.procedure.alreadyDone" } };
          const previous = loaded.doc.getMap<unknown>("terms").get(offer.termKey) ?? null;
          // The value goes into the draft first, like any edit (checked, stored, applied, relayed);
          // only a value that made it in is marked accepted, with its audit trace.
          const write = await this.applyServerChange(loaded, authorOf(socket), (doc) => doc.getMap("terms").set(offer.termKey, offer.value));
          if (!write.ok) return write;
          const accepted = await acceptOffer({ actor: await actor(socket), sessionId, offerId: input.offerId, previous, ctx: authorOf(socket).ctx });
          room(sessionId).emit(DOC_EVENTS.offerChanged, sessionId, accepted);
          return { ok: true, offer: accepted };
        },
      }),
      entry({
        event: DOC_EVENTS.versionRestore,
        capability: "edit",
        input: z.object({ versionId: z.string().regex(OFFER_ID) }),
        refuseAs: "invalid",
        handler: async ({ socket, sessionId, input }): Promise<DocAck> => {
          const loaded = await this.room(sessionId);
          const version = await versionToRestore({ actor: await actor(socket), sessionId, versionId: input.versionId });
          const saved = new Y.Doc();
          let write: DocAck;
          try {
            Y.applyUpdate(saved, version.snapshot);
            // One new edit on top of the history, checked, stored and relayed like any other.
            write = await this.applyServerChange(loaded, authorOf(socket), (doc) => restoreDraftFrom(doc, saved));
          } finally {
            saved.destroy();
          }
          if (!write.ok) return write;
          await recordVersionRestored({ actorId: socket.data.userId, sessionId, version, ctx: authorOf(socket).ctx });
          return { ok: true, version: { id: version.id, name: version.name, roundNumber: version.roundNumber } };
        },
      }),
    ];
  }

  /**
   * Sends one y-protocols sync message to every socket of this process in the document's room but
   * `except`, with the frames built once (socketio-internals.ts). The other processes get the
   * update through "xs:doc-update" and relay it to their own sockets, so this never goes through
   * the adapter.
   */
  private relay(sessionId: string, message: Uint8Array, except: string | null) {
    const namespace = this.io.of("/");
    const members = namespace.adapter.rooms.get(roomName(sessionId));
    if (!members || members.size === 0) return;
    const targets = except === null ? members : [...members].filter((id) => id !== except);
    const others = sendPreEncoded(namespace, targets, [DOC_EVENTS.sync, sessionId, message]);
    if (others.length) this.io.to(others).local.emit(DOC_EVENTS.sync, sessionId, message);
  }

  /**
   * An awareness message from a connection: every client id in it must be one this connection
   * owns, or a new one (up to LIMITS.maxPresencePerConnection); states are stamped with the
   * server's identity of the sender, applied, relayed to this process's sockets and mirrored to
   * the other processes.
   */
  private async presence(socket: AppSocket, sessionId: string, participation: Participation, entries: PresenceEntry[]): Promise<DocAck> {
    const loaded = await this.room(sessionId).catch(() => null);
    if (!loaded) return { ok: false, code: DOC_ERRORS.unavailable };
    await loaded.presenceReady;
    let added = 0;
    for (const { clientId, state } of entries) {
      const owner = loaded.owners.get(clientId);
      if (owner !== undefined && owner !== socket.id) return { ok: false, code: DOC_ERRORS.forbidden, message: { key: "draft.error.presenceNotYours" } };
      if (owner === undefined && state !== null) added += 1;
    }
    if (participation.presence.size + added > LIMITS.maxPresencePerConnection) return { ok: false, code: DOC_ERRORS.forbidden, message: { key: "draft.error.presenceLimit", values: { max: LIMITS.maxPresencePerConnection } } };
    const identity = { name: socket.data.displayName, side: participation.side };
    // A removal of a client id nobody owns has nothing to remove.
    const accepted = entries
      .filter(({ clientId, state }) => state !== null || loaded.owners.get(clientId) === socket.id)
      .map((presence) => ({ ...presence, state: presence.state && stampState(presence.state, identity) }));
    if (accepted.length === 0) return { ok: true };
    const update = encodePresence(accepted);
    awarenessProtocol.applyAwarenessUpdate(loaded.awareness, update, socket.id);
    const owners: Array<[number, string]> = [];
    for (const { clientId } of accepted) {
      // What the Awareness now holds decides (a removal with a stale clock was not applied: the
      // state and its owner stay).
      if (loaded.awareness.states.has(clientId)) {
        loaded.owners.set(clientId, socket.id);
        participation.presence.add(clientId);
        owners.push([clientId, socket.id]);
      } else {
        loaded.owners.delete(clientId);
        participation.presence.delete(clientId);
        owners.push([clientId, ""]);
      }
    }
    this.io.local.to(roomName(sessionId)).except(socket.id).emit(DOC_EVENTS.awareness, sessionId, update);
    this.otherNodes?.serverSideEmit("xs:presence", sessionId, base64(update), owners);
    return { ok: true };
  }

  /** Removes the presence a connection owns in a document, here and on every process. */
  private dropPresence(socket: AppSocket, loaded: Room, participation: Participation) {
    const owned = [...participation.presence].filter((clientId) => loaded.owners.get(clientId) === socket.id);
    participation.presence.clear();
    for (const clientId of owned) loaded.owners.delete(clientId);
    // Only clients the room knows: encoding an unknown one would throw.
    const known = owned.filter((clientId) => loaded.awareness.meta.has(clientId));
    if (known.length === 0) return;
    awarenessProtocol.removeAwarenessStates(loaded.awareness, known, "leave");
    const update = awarenessProtocol.encodeAwarenessUpdate(loaded.awareness, known);
    this.io.local.to(roomName(loaded.sessionId)).emit(DOC_EVENTS.awareness, loaded.sessionId, update);
    this.otherNodes?.serverSideEmit("xs:presence", loaded.sessionId, base64(update), known.map((clientId) => [clientId, ""]));
  }

  private disconnected(socket: AppSocket) {
    for (const sessionId of [...(socket.data.joined?.keys() ?? [])]) {
      this.leave(socket, sessionId).catch((error) => console.warn(`leaving ${sessionId} failed:`, error instanceof Error ? error.message : error));
    }
  }

  private async leave(socket: AppSocket, sessionId: string) {
    const participation = socket.data.joined.get(sessionId);
    socket.data.joined.delete(sessionId);
    await socket.leave(roomName(sessionId));
    const loaded = await this.rooms.get(sessionId)?.catch(() => null);
    if (loaded && participation) this.dropPresence(socket, loaded, participation);
    // Unload a document nobody here has open, once its pending work is done.
    const local = this.io.of("/").adapter.rooms.get(roomName(sessionId));
    if (loaded && (!local || local.size === 0)) {
      await loaded.queue;
      await loaded.compaction;
      if (!this.io.of("/").adapter.rooms.get(roomName(sessionId))?.size && this.rooms.get(sessionId)) {
        this.rooms.delete(sessionId);
        loaded.awareness.destroy();
        loaded.doc.destroy();
        loaded.shadow.destroy();
      }
    }
  }

  /**
   * A change made by the server on an editor's behalf (accepting an offer): made on the room's
   * shadow in the room's turn, then checked, stored, applied and relayed to everyone like any
   * client update.
   */
  private applyServerChange(room: Room, author: Author, change: (doc: Y.Doc) => void): Promise<DocAck> {
    return this.inTurn(room, async () => {
      let update: Uint8Array | null;
      try {
        update = room.shadow.change(change);
      } catch (error) {
        this.rebuildShadow(room);
        throw error;
      }
      if (!update) return { ok: true };
      return this.storeInTurn(room, update, author, null, true);
    });
  }

  private store(room: Room, update: Uint8Array, author: Author, sender: AppSocket | null): Promise<DocAck> {
    return this.inTurn(room, () => this.storeInTurn(room, update, author, sender, false));
  }

  /** Runs `job` after the room's pending stores: the log order is the apply order. */
  private inTurn(room: Room, job: () => Promise<DocAck>): Promise<DocAck> {
    const run = room.queue.then(job);
    room.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Stores one update (in the room's turn): bounded, tried on the shadow (which checks the terms
   * when the update may change them), committed, then applied to the document and relayed. The
   * shadow is rebuilt on every path that leaves it holding an update the document will not get.
   * `inShadow`: the update was made on the shadow (a server change), so its terms are checked
   * whatever it touches.
   */
  private async storeInTurn(room: Room, update: Uint8Array, author: Author, sender: AppSocket | null, inShadow: boolean): Promise<DocAck> {
    let invalid: string | null;
    try {
      if (room.sizeBound + update.byteLength > LIMITS.maxDocumentBytes) {
        room.sizeBound = Y.encodeStateAsUpdate(room.doc).byteLength;
        if (room.sizeBound + update.byteLength > LIMITS.maxDocumentBytes) {
          if (inShadow) this.rebuildShadow(room);
          return { ok: false, code: DOC_ERRORS.tooLarge };
        }
      }
      invalid = inShadow ? room.shadow.invalidTerm() : room.shadow.admit(update);
    } catch (error) {
      // Yjs could not apply it: never stored (a stored update that cannot be applied would stop
      // the document from loading).
      console.warn(`applying an update of ${room.sessionId} failed:`, error instanceof Error ? error.message : error);
      this.rebuildShadow(room);
      return { ok: false, code: DOC_ERRORS.malformed };
    }
    if (invalid !== null) {
      this.rebuildShadow(room);
      await this.recordRefusal(room, update, author, invalid);
      return { ok: false, code: DOC_ERRORS.invalid, field: invalid };
    }
    try {
      await appendUpdate(room.documentId, update, author.userId);
    } catch (error) {
      console.warn(`storing an update of ${room.sessionId} failed:`, error instanceof Error ? error.message : error);
      this.rebuildShadow(room);
      return { ok: false, code: DOC_ERRORS.unavailable };
    }
    Y.applyUpdate(room.doc, update, sender?.id ?? "server");
    room.sizeBound += update.byteLength;
    const encoder = encoding.createEncoder();
    syncProtocol.writeUpdate(encoder, update);
    // The sender has it already; a server change goes to everyone.
    this.relay(room.sessionId, encoding.toUint8Array(encoder), sender?.id ?? null);
    this.otherNodes?.serverSideEmit("xs:doc-update", room.sessionId, base64(update));
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
  }

  /** Brings the shadow back to the document's state: after a refusal, the one full re-encode. */
  private rebuildShadow(room: Room) {
    room.shadow.rebuild(Y.encodeStateAsUpdate(room.doc));
  }

  /**
   * Writes the refusal of a terms update into the session's audit chain. A failure to record is
   * logged, never the editor's problem: the update was refused all the same.
   */
  private async recordRefusal(room: Room, update: Uint8Array, author: Author, field: string) {
    try {
      await recordRefusedUpdate({ actorId: author.userId, sessionId: room.sessionId, update, field, ctx: author.ctx });
    } catch (error) {
      console.warn(`recording a refused update of ${room.sessionId} failed:`, error instanceof Error ? error.message : error);
    }
  }

  private room(sessionId: string): Promise<Room> {
    let pending = this.rooms.get(sessionId);
    if (!pending) {
      pending = loadDocument(sessionId).then(({ documentId, doc, updatesSinceSnapshot }) => {
        const awareness = new awarenessProtocol.Awareness(doc);
        // The server itself has no presence.
        awareness.setLocalState(null);
        const owners = new Map<number, string>();
        // A state not renewed for 30 s (y-protocols' outdated timeout; clients renew every 15 s)
        // is dropped by the Awareness itself: that is how the presence of a process that died
        // disappears here. Its owners go with it, unless the owner is one of our own connections.
        awareness.on("update", ({ removed }: { removed: number[] }, origin: unknown) => {
          if (origin !== "timeout") return;
          for (const clientId of removed) {
            const owner = owners.get(clientId);
            if (owner !== undefined && !this.io.of("/").sockets.has(owner)) owners.delete(clientId);
          }
        });
        // One encoding of the loaded state: its size bounds the document, and the shadow starts from it.
        const state = Y.encodeStateAsUpdate(doc);
        const sizeBound = state.byteLength;
        const shadow = new TermsShadow(state);
        const room: Room = { sessionId, documentId, doc, shadow, awareness, owners, presenceReady: Promise.resolve(), updatesSinceSnapshot, sizeBound, queue: Promise.resolve(), compaction: null };
        if (this.distributed) {
          // The presence the other processes' connections own; on a timeout (a process that died),
          // the answers that came (the adapter's requestsTimeout).
          room.presenceReady = new Promise<void>((resolve) => {
            this.io.serverSideEmit("xs:presence-request", sessionId, (_error: Error | null, replies: Array<PresenceSnapshot | null>) => {
              for (const reply of replies ?? []) if (reply) this.mirrorPresence(room, reply);
              resolve();
            });
          });
        }
        return room;
      });
      // A failed load is forgotten so that the next join tries again (and never gets an empty doc).
      pending.catch(() => this.rooms.delete(sessionId));
      this.rooms.set(sessionId, pending);
    }
    return pending;
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
        room.shadow.mirror(missing);
        const encoder = encoding.createEncoder();
        syncProtocol.writeUpdate(encoder, missing);
        this.io.local.to(roomName(sessionId)).emit(DOC_EVENTS.sync, sessionId, encoding.toUint8Array(encoder));
      } catch (error) {
        console.warn(`resynchronizing ${sessionId} failed:`, error instanceof Error ? error.message : error);
      }
    }
  }

  /** Re-checks every local connection to `sessionId` (or to every session) against the database. */
  /** Counts access changes heard (see the join). */
  private accessEpoch = 0;

  /** Re-checks every local connection to `sessionId` (or to every session) against the database. */
  async recheck(sessionId: string | null): Promise<void> {
    this.accessEpoch += 1;
    for (const socket of [...this.io.of("/").sockets.values()]) {
      const joined = socket.data.joined;
      if (!joined) continue;
      for (const [id, participation] of [...joined]) {
        if (sessionId && id !== sessionId) continue;
        try {
          const access = await getDraftParticipant({ actor: await loadActor(socket.data.userId), sessionId: id });
          if (!access) {
            // Out of the room at once, and their presence with them.
            await this.leave(socket, id);
            socket.emit(DOC_EVENTS.revoked, id, REVOKE_CODES.accessRevoked);
            continue;
          }
          const before = JSON.stringify(participation.capabilities);
          participation.capabilities = access.capabilities;
          participation.side = access.side;
          // Downgraded to a viewer: no longer shown to the room as taking part.
          if (!access.capabilities.edit && !access.capabilities.comment) {
            const loaded = await this.rooms.get(id)?.catch(() => null);
            if (loaded) this.dropPresence(socket, loaded, participation);
          }
          if (before !== JSON.stringify(access.capabilities)) socket.emit(DOC_EVENTS.capabilities, id, access.capabilities);
        } catch (error) {
          console.warn(`re-checking access to ${id} failed:`, error instanceof Error ? error.message : error);
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
    for (const unsubscribe of this.unsubscribe) unsubscribe();
  }
}
