/**
 * Browser side of live co-drafting: keeps a Y.Doc in sync with the server over socket.io using the
 * standard y-protocols messages (realtime/protocol.ts). Reconnects with exponential backoff and
 * jitter (socket.io-client's own), keeps editing while offline (the Y.Doc simply holds the
 * changes) and merges on reconnect through the sync handshake.
 *
 * A change the server refused for good (forbidden, too large, invalid, malformed) must not stay in
 * the local document: the next handshake's step 2 would carry it again, and the page would keep
 * showing what nobody else has. So every local update is kept until the server has it, and a final
 * refusal resets the provider onto a fresh Y.Doc (a new client id, a new awareness): the other
 * unconfirmed updates are applied to it, then a step 1 asks the server for its whole state.
 */
import * as Y from "yjs";
import * as syncProtocol from "y-protocols/sync";
import * as awarenessProtocol from "y-protocols/awareness";
import * as encoding from "lib0/encoding";
import * as decoding from "lib0/decoding";
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import { DOC_ERRORS, DOC_EVENTS, type DocAck, type DocCapabilities } from "../../realtime/protocol.ts";

export type ProviderStatus = "connecting" | "synced" | "offline" | "revoked" | "error";
type Listener = () => void;
type DocErrorCode = (typeof DOC_ERRORS)[keyof typeof DOC_ERRORS];

export type DraftProviderOptions = {
  /** The server's address; same-origin when absent (the browser). */
  url?: string;
  /** Merged over the defaults below (tests pass a cookie header and the WebSocket transport). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
};

/**
 * Refusals that are final for the message: sending the same change again gets the same answer.
 * `unavailable` and `not_joined` are not here: the server did not judge the change, and the next
 * handshake's step 2 carries it again.
 */
const FINAL_REFUSALS: ReadonlySet<DocErrorCode> = new Set([DOC_ERRORS.forbidden, DOC_ERRORS.tooLarge, DOC_ERRORS.invalid, DOC_ERRORS.malformed]);

/** A local update the server has not confirmed yet (sent and awaiting its ack, or not sent). */
type PendingUpdate = { update: Uint8Array };

export class DraftProvider {
  status: ProviderStatus = "connecting";
  capabilities: DocCapabilities = { view: true, edit: false, comment: false, offer: false };
  /** The last refusal, as an i18n key under `draft.error.` (null when none). */
  lastError: string | null = null;
  /** Incremented on every reset onto a fresh document: whatever is bound to `doc` must be rebuilt. */
  generation = 0;
  readonly socket: Socket;
  private currentDoc: Y.Doc;
  private currentAwareness: awarenessProtocol.Awareness;
  private readonly listeners = new Set<Listener>();
  /** Local updates in the order they were made, until the server has them (see `onAck`). */
  private pending: PendingUpdate[] = [];

  constructor(
    readonly sessionId: string,
    { url, socketOptions }: DraftProviderOptions = {},
  ) {
    this.currentDoc = new Y.Doc();
    this.currentAwareness = new awarenessProtocol.Awareness(this.currentDoc);
    const options: Partial<ManagerOptions & SocketOptions> = {
      transports: ["websocket", "polling"],
      // Exponential backoff with ±50 % jitter, capped at 30 s.
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 30_000,
      randomizationFactor: 0.5,
      ...socketOptions,
    };
    this.socket = url === undefined ? io(options) : io(url, options);
    this.socket.on("connect", () => void this.join());
    this.socket.on("disconnect", () => this.setStatus("offline"));
    this.socket.on("connect_error", (error: Error) => {
      this.setStatus("offline");
      // A refusal by the server's middleware is not retried by socket.io itself: retry when the
      // server could not check the session, stop when the session is gone (log in again).
      if (error.message === "unavailable") this.retryLater(() => this.socket.connect());
      else if (error.message === "unauthorized") {
        this.lastError = "unauthorized";
        this.setStatus("error");
      }
    });
    this.socket.on(DOC_EVENTS.sync, (sessionId: string, message: ArrayBuffer) => this.onSync(sessionId, new Uint8Array(message)));
    this.socket.on(DOC_EVENTS.awareness, (sessionId: string, update: ArrayBuffer) => {
      if (sessionId === this.sessionId) awarenessProtocol.applyAwarenessUpdate(this.awareness, new Uint8Array(update), this);
    });
    this.socket.on(DOC_EVENTS.capabilities, (sessionId: string, capabilities: DocCapabilities) => {
      if (sessionId !== this.sessionId) return;
      this.capabilities = capabilities;
      this.notify();
    });
    this.socket.on(DOC_EVENTS.revoked, (sessionId: string) => {
      if (sessionId !== this.sessionId) return;
      this.capabilities = { view: false, edit: false, comment: false, offer: false };
      this.setStatus("revoked");
      this.socket.disconnect();
    });
    this.currentDoc.on("update", this.onLocalUpdate);
    this.currentAwareness.on("update", this.onLocalAwareness);
  }

  /** The current document; a new one after each reset (`generation`). */
  get doc(): Y.Doc {
    return this.currentDoc;
  }

  /** The awareness of the current document. */
  get awareness(): awarenessProtocol.Awareness {
    return this.currentAwareness;
  }

  /** Sends a request (comments, offers) and resolves with the server's acknowledgement. */
  request(event: string, ...args: unknown[]): Promise<DocAck> {
    if (!this.socket.connected) return Promise.resolve({ ok: false, code: DOC_ERRORS.unavailable });
    return this.socket
      .timeout(15_000)
      .emitWithAck(event, this.sessionId, ...args)
      .catch(() => ({ ok: false as const, code: DOC_ERRORS.unavailable }));
  }

  /** Listens to a server push for this session (comment and offer changes). */
  onPush<T>(event: string, handler: (payload: T) => void): () => void {
    const listener = (sessionId: string, payload: T) => {
      if (sessionId === this.sessionId) handler(payload);
    };
    this.socket.on(event, listener);
    return () => this.socket.off(event, listener);
  }

  /** Called once the document is joined and synced (also after each reconnection). */
  onSynced(handler: () => void): () => void {
    return this.subscribe(() => {
      if (this.status === "synced") handler();
    });
  }

  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Exponential backoff (1 s … 30 s) with ±50 % jitter, for retries socket.io does not do. */
  private retryLater(action: () => void) {
    if (this.retryTimer) return;
    const base = Math.min(30_000, 1_000 * 2 ** this.attempt);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      action();
    }, base * (0.5 + Math.random()));
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify() {
    for (const listener of this.listeners) listener();
  }

  private setStatus(status: ProviderStatus) {
    if (this.status === "revoked") return;
    this.status = status;
    this.notify();
  }

  private async join() {
    const ack: DocAck = await this.socket.timeout(15_000).emitWithAck(DOC_EVENTS.join, this.sessionId).catch(() => ({ ok: false as const, code: DOC_ERRORS.unavailable }));
    if (!ack.ok) {
      this.lastError = ack.code;
      this.setStatus(ack.code === DOC_ERRORS.notFound ? "revoked" : "error");
      if (ack.code === DOC_ERRORS.unavailable) this.retryLater(() => void this.join());
      return;
    }
    this.attempt = 0;
    this.capabilities = ack.capabilities ?? this.capabilities;
    const encoder = encoding.createEncoder();
    syncProtocol.writeSyncStep1(encoder, this.doc);
    this.socket.emit(DOC_EVENTS.sync, this.sessionId, encoding.toUint8Array(encoder));
    if (this.awareness.getLocalState() !== null && (this.capabilities.edit || this.capabilities.comment)) {
      this.socket.emit(DOC_EVENTS.awareness, this.sessionId, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID]));
    }
  }

  private onSync(sessionId: string, message: Uint8Array) {
    if (sessionId !== this.sessionId) return;
    const decoder = decoding.createDecoder(message);
    const encoder = encoding.createEncoder();
    const type = syncProtocol.readSyncMessage(decoder, encoder, this.doc, this);
    if (encoding.length(encoder) > 0) {
      // Our step 2: whatever we have that the server lacks (offline edits included). Every local
      // update made so far is now either on the server or inside this step 2, so the step 2 stands
      // for all of them: confirmed, they are all stored; refused, they go with it.
      const message = encoding.toUint8Array(encoder);
      const answer = decoding.createDecoder(message);
      decoding.readVarUint(answer);
      const entry = { update: decoding.readVarUint8Array(answer) };
      this.pending = [entry];
      this.socket.emit(DOC_EVENTS.sync, this.sessionId, message, (ack: DocAck) => this.onAck(entry, ack));
    }
    if (type === syncProtocol.messageYjsSyncStep2) this.setStatus("synced");
  }

  private onLocalUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this) return;
    // Kept even when not sent (offline, read-only): a reset before the next handshake must not lose it.
    const entry = { update };
    this.pending.push(entry);
    if (!this.socket.connected || !this.capabilities.edit) return;
    const encoder = encoding.createEncoder();
    syncProtocol.writeUpdate(encoder, update);
    this.socket.emit(DOC_EVENTS.sync, this.sessionId, encoding.toUint8Array(encoder), (ack: DocAck) => this.onAck(entry, ack));
  };

  private onAck(entry: PendingUpdate, ack: DocAck) {
    if (ack.ok) {
      this.pending = this.pending.filter((other) => other !== entry);
      return;
    }
    this.lastError = ack.code;
    // "unavailable" and "not_joined": the update stays pending and the next handshake carries it.
    if (!FINAL_REFUSALS.has(ack.code) || !this.pending.includes(entry)) return this.notify();
    this.pending = this.pending.filter((other) => other !== entry);
    this.reset();
  }

  /**
   * Drops the refused change by starting over on a fresh document: a new client id (reusing the
   * old one would number new changes like the dropped ones), the still-unconfirmed local updates
   * applied again (with this provider as origin: they are in flight or will go with the next
   * step 2; those that built on the refused change stay pending inside Yjs, invisible), then a
   * step 1 so that the server answers with its whole state as step 2.
   */
  private reset() {
    const oldDoc = this.currentDoc;
    const oldAwareness = this.currentAwareness;
    const localState = oldAwareness.getLocalState();
    oldDoc.off("update", this.onLocalUpdate);
    oldAwareness.off("update", this.onLocalAwareness);
    if (this.awarenessTimer) {
      clearTimeout(this.awarenessTimer);
      this.awarenessTimer = null;
    }
    if (localState !== null) {
      // The old client id leaves the room at once instead of lingering until its presence times out.
      awarenessProtocol.removeAwarenessStates(oldAwareness, [oldDoc.clientID], this);
      if (this.socket.connected && (this.capabilities.edit || this.capabilities.comment)) {
        this.socket.emit(DOC_EVENTS.awareness, this.sessionId, awarenessProtocol.encodeAwarenessUpdate(oldAwareness, [oldDoc.clientID]));
      }
    }
    oldAwareness.destroy();

    const doc = new Y.Doc();
    for (const { update } of this.pending) Y.applyUpdate(doc, update, this);
    const awareness = new awarenessProtocol.Awareness(doc);
    this.currentDoc = doc;
    this.currentAwareness = awareness;
    this.generation += 1;
    doc.on("update", this.onLocalUpdate);
    awareness.on("update", this.onLocalAwareness);
    if (localState !== null) {
      // Name, colour and where one is carry over; the caret does not (its positions point into the
      // old document) and comes back with the next selection in the new editor.
      const { cursor: _cursor, ...carried } = localState;
      awareness.setLocalState(carried);
    } else {
      awareness.setLocalState(null);
    }
    if (this.socket.connected) {
      const encoder = encoding.createEncoder();
      syncProtocol.writeSyncStep1(encoder, doc);
      this.socket.emit(DOC_EVENTS.sync, this.sessionId, encoding.toUint8Array(encoder));
      this.setStatus("connecting");
    } else {
      this.notify();
    }
  }

  private awarenessTimer: ReturnType<typeof setTimeout> | null = null;
  private onLocalAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    if (origin === this) return;
    if (![...added, ...updated, ...removed].includes(this.doc.clientID)) return;
    // Cursor moves are frequent: send at most every 100 ms, always including the latest state.
    if (this.awarenessTimer) return;
    this.awarenessTimer = setTimeout(() => {
      this.awarenessTimer = null;
      if (!this.socket.connected || (!this.capabilities.edit && !this.capabilities.comment)) return;
      this.socket.emit(DOC_EVENTS.awareness, this.sessionId, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID]));
    }, 100);
  };

  destroy() {
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.doc.off("update", this.onLocalUpdate);
    this.awareness.off("update", this.onLocalAwareness);
    awarenessProtocol.removeAwarenessStates(this.awareness, [this.doc.clientID], "destroy");
    this.socket.disconnect();
    this.awareness.destroy();
    this.listeners.clear();
  }
}
