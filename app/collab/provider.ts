/**
 * Browser side of live co-drafting: keeps a Y.Doc in sync with the server over socket.io using the
 * standard y-protocols messages (realtime/protocol.ts). Reconnects with exponential backoff and
 * jitter (socket.io-client's own), keeps editing while offline (the Y.Doc simply holds the
 * changes) and merges on reconnect through the sync handshake. A refused update (forbidden, too
 * large, malformed) is reported and never re-sent in a loop.
 */
import * as Y from "yjs";
import * as syncProtocol from "y-protocols/sync";
import * as awarenessProtocol from "y-protocols/awareness";
import * as encoding from "lib0/encoding";
import * as decoding from "lib0/decoding";
import { io, type Socket } from "socket.io-client";
import { DOC_ERRORS, DOC_EVENTS, type DocAck, type DocCapabilities } from "../../realtime/protocol.ts";

export type ProviderStatus = "connecting" | "synced" | "offline" | "revoked" | "error";
type Listener = () => void;

export class DraftProvider {
  readonly awareness: awarenessProtocol.Awareness;
  status: ProviderStatus = "connecting";
  capabilities: DocCapabilities = { view: true, edit: false, comment: false, offer: false };
  /** The last refusal, as an i18n key under `draft.error.` (null when none). */
  lastError: string | null = null;
  private readonly socket: Socket;
  private readonly listeners = new Set<Listener>();

  constructor(
    readonly doc: Y.Doc,
    readonly sessionId: string,
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.socket = io({
      transports: ["websocket", "polling"],
      // Exponential backoff with ±50 % jitter, capped at 30 s.
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 30_000,
      randomizationFactor: 0.5,
    });
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
    doc.on("update", this.onLocalUpdate);
    this.awareness.on("update", this.onLocalAwareness);
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
      // Our step 2: whatever we have that the server lacks (offline edits included).
      this.socket.emit(DOC_EVENTS.sync, this.sessionId, encoding.toUint8Array(encoder), (ack: DocAck) => this.onAck(ack));
    }
    if (type === syncProtocol.messageYjsSyncStep2) this.setStatus("synced");
  }

  private onLocalUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this || !this.socket.connected || !this.capabilities.edit) return;
    const encoder = encoding.createEncoder();
    syncProtocol.writeUpdate(encoder, update);
    this.socket.emit(DOC_EVENTS.sync, this.sessionId, encoding.toUint8Array(encoder), (ack: DocAck) => this.onAck(ack));
  };

  private onAck(ack: DocAck) {
    if (ack.ok) return;
    // Refusals are final for this message; "unavailable" is healed by the next sync handshake.
    this.lastError = ack.code;
    this.notify();
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
