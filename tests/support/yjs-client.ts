/**
 * A real y-protocols client over socket.io, as any third-party client would be: it keeps a Y.Doc,
 * runs the sync protocol against the server and sends its local updates, waiting for the server's
 * acknowledgement (which comes only after the update is stored).
 */
import * as Y from "yjs";
import * as syncProtocol from "y-protocols/sync";
import * as awarenessProtocol from "y-protocols/awareness";
import * as encoding from "lib0/encoding";
import * as decoding from "lib0/decoding";
import { io, type Socket } from "socket.io-client";
import { DOC_EVENTS, type DocAck, type DocCapabilities } from "../../realtime/protocol.ts";

export class YjsTestClient {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly socket: Socket;
  readonly acks: DocAck[] = [];
  readonly revoked: string[] = [];
  capabilities: DocCapabilities | null = null;
  private synced = false;

  constructor(baseUrl: string, readonly sessionId: string, sessionCookie: string) {
    this.socket = io(baseUrl, { transports: ["websocket"], extraHeaders: { Cookie: `xs_session=${sessionCookie}` }, reconnection: false, forceNew: true });
    this.socket.on(DOC_EVENTS.sync, (sessionId: string, message: ArrayBuffer | Uint8Array) => {
      if (sessionId !== this.sessionId) return;
      const decoder = decoding.createDecoder(new Uint8Array(message));
      const encoder = encoding.createEncoder();
      const type = syncProtocol.readSyncMessage(decoder, encoder, this.doc, "server");
      if (type === syncProtocol.messageYjsSyncStep2) this.synced = true;
      // Our answer to the server's step 1 (our state as step 2).
      if (encoding.length(encoder) > 0) this.socket.emit(DOC_EVENTS.sync, this.sessionId, encoding.toUint8Array(encoder), (ack: DocAck) => this.acks.push(ack));
    });
    this.socket.on(DOC_EVENTS.awareness, (sessionId: string, update: ArrayBuffer | Uint8Array) => {
      if (sessionId === this.sessionId) awarenessProtocol.applyAwarenessUpdate(this.awareness, new Uint8Array(update), "server");
    });
    this.socket.on(DOC_EVENTS.revoked, (sessionId: string) => this.revoked.push(sessionId));
    this.socket.on(DOC_EVENTS.capabilities, (_sessionId: string, capabilities: DocCapabilities) => (this.capabilities = capabilities));
  }

  /** Joins the document and completes the initial sync (both directions). */
  async join(): Promise<DocAck> {
    const ack = await this.socket.timeout(10_000).emitWithAck(DOC_EVENTS.join, this.sessionId);
    if (!ack.ok) return ack;
    this.capabilities = ack.capabilities ?? null;
    const encoder = encoding.createEncoder();
    syncProtocol.writeSyncStep1(encoder, this.doc);
    await this.socket.timeout(10_000).emitWithAck(DOC_EVENTS.sync, this.sessionId, encoding.toUint8Array(encoder));
    await waitFor(() => this.synced, "initial sync");
    return ack;
  }

  /** Applies a local change and sends it as an update; resolves with the server's ack. */
  async change(fn: (doc: Y.Doc) => void): Promise<DocAck> {
    let update: Uint8Array | null = null;
    const capture = (u: Uint8Array, origin: unknown) => {
      if (origin !== "server") update = u;
    };
    this.doc.on("update", capture);
    this.doc.transact(() => fn(this.doc), "local");
    this.doc.off("update", capture);
    if (!update) throw new Error("the change produced no update");
    return this.sendUpdate(update);
  }

  async sendUpdate(update: Uint8Array): Promise<DocAck> {
    const encoder = encoding.createEncoder();
    syncProtocol.writeUpdate(encoder, update);
    return this.socket.timeout(10_000).emitWithAck(DOC_EVENTS.sync, this.sessionId, encoding.toUint8Array(encoder));
  }

  text(): string {
    return this.doc.getText("probe").toString();
  }

  close() {
    this.socket.disconnect();
    this.doc.destroy();
  }
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
