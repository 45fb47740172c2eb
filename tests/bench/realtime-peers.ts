/**
 * The two realtime servers the fan-out benchmark compares, each run in a child process of its own
 * (so that its CPU time and memory can be read apart from the load generator's), and the clients
 * that drive them. Used by tests/bench/realtime-fanout.ts; not a benchmark by itself.
 *
 * - Xieshang: the real server (startServer from the production bundle build/index.js: Express, Remix, socket.io, y-protocols,
 *   every update committed to PostgreSQL before it is acknowledged and relayed).
 * - Hocuspocus (@hocuspocus/server 3.4.4, the newest release that runs on Node 20; 4.x needs
 *   Node 22) with its Database extension storing the document state in a table of the same
 *   PostgreSQL database (debounced: 2 s after the last change, at most 10 s after the first).
 *
 * A child answers {kind: "stats"} with its process.cpuUsage() and, after a full GC, its RSS.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";
import WebSocket from "ws";
import * as Y from "yjs";
import * as syncProtocol from "y-protocols/sync";
import * as encoding from "lib0/encoding";
import * as decoding from "lib0/decoding";
import { io, type Socket } from "socket.io-client";
import { DOC_EVENTS, type DocAck } from "../../realtime/protocol.ts";
import { serverBundle } from "../support/bundle.ts";

const THIS_FILE = fileURLToPath(import.meta.url);

export type SystemName = "xieshang" | "hocuspocus";
/** Baselines for memory per connection: a socket.io server with no handlers, and a bare ws server. */
export type BaselineName = "socketio-bare" | "ws-bare";
export type Stats = { cpuMicros: number; rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number };
type ChildRequest = { kind: "stats"; gc: boolean; id: number } | { kind: "stop"; id: number };
type ChildReply = { kind: "listening"; port: number } | { kind: "stats"; id: number; stats: Stats } | { kind: "stopped"; id: number } | { kind: "failed"; message: string };

// ---------------------------------------------------------------------------------------------
// Child process: one server

async function runServerChild(system: SystemName | BaselineName): Promise<void> {
  const send = (message: ChildReply) => process.send!(message);
  let stop: () => Promise<void>;
  try {
    if (system === "socketio-bare") {
      // What socket.io itself holds per connection: no auth, no handlers, no rooms joined; the
      // upgrade request dropped as Xieshang drops it.
      const http = await import("node:http");
      const { Server } = await import("socket.io");
      const httpServer = http.createServer();
      const io = new Server(httpServer, { serveClient: false });
      io.on("connection", (socket) => {
        (socket.conn as unknown as { request: unknown }).request = null;
      });
      await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", () => resolve()));
      stop = () => new Promise<void>((resolve) => io.close(() => resolve()));
      send({ kind: "listening", port: (httpServer.address() as { port: number }).port });
    } else if (system === "ws-bare") {
      const { WebSocketServer } = await import("ws");
      const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
      await new Promise((resolve) => wss.once("listening", resolve));
      stop = () => new Promise<void>((resolve) => wss.close(() => resolve()));
      send({ kind: "listening", port: (wss.address() as { port: number }).port });
    } else if (system === "xieshang") {
      const { startServer } = await serverBundle();
      const server = await startServer({
        DATABASE_URL: process.env.XS_BENCH_DATABASE_URL,
        PORT: "0",
        HOST: "127.0.0.1",
        XS_DEMO: "true",
        // Demo accounts, without the demo scenario's session and draft.
        XS_DEMO_SCENARIO: "false",
        XS_TRUST_PROXY: "1",
        NODE_ENV: "production",
        REDIS_URL: process.env.XS_BENCH_REDIS_URL ?? "",
      });
      stop = () => server.close();
      send({ kind: "listening", port: server.port });
    } else {
      const { Server } = await import("@hocuspocus/server");
      const { Database } = await import("@hocuspocus/extension-database");
      const pool = new pg.Pool({ connectionString: process.env.XS_BENCH_DATABASE_URL, max: 4 });
      await pool.query(`CREATE TABLE IF NOT EXISTS bench_hocuspocus_document (name text PRIMARY KEY, data bytea NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`);
      const server = new Server({
        port: 0,
        address: "127.0.0.1",
        quiet: true,
        stopOnSignals: false,
        extensions: [
          new Database({
            fetch: async ({ documentName }) => {
              const { rows } = await pool.query<{ data: Buffer }>(`SELECT data FROM bench_hocuspocus_document WHERE name = $1`, [documentName]);
              return rows[0] ? new Uint8Array(rows[0].data) : null;
            },
            store: async ({ documentName, state }) => {
              await pool.query(
                `INSERT INTO bench_hocuspocus_document (name, data) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET data = excluded.data, updated_at = now()`,
                [documentName, Buffer.from(state)],
              );
            },
          }),
        ],
      });
      await server.listen();
      stop = async () => {
        await server.destroy();
        await pool.end();
      };
      send({ kind: "listening", port: server.address.port });
    }
  } catch (error) {
    send({ kind: "failed", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on("message", (request: ChildRequest) => {
    if (request.kind === "stats") {
      if (request.gc && gc) {
        gc();
        gc();
      }
      const cpu = process.cpuUsage();
      const memory = process.memoryUsage();
      send({ kind: "stats", id: request.id, stats: { cpuMicros: cpu.user + cpu.system, rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external, arrayBuffers: memory.arrayBuffers } });
    } else if (request.kind === "stop") {
      stop().finally(() => {
        send({ kind: "stopped", id: request.id });
        process.exit(0);
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Parent: a handle on one server child

export class ServerProcess {
  private nextId = 1;
  private constructor(
    readonly system: SystemName | BaselineName,
    readonly child: ChildProcess,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static start(system: SystemName | BaselineName, env: Record<string, string>): Promise<ServerProcess> {
    return new Promise((resolve, reject) => {
      const child = fork(THIS_FILE, ["--server", system], {
        // XS_BENCH_CPU_PROF=<dir>: a V8 CPU profile of each server, written when it stops.
        execArgv: [...process.execArgv, "--expose-gc", ...(process.env.XS_BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.XS_BENCH_CPU_PROF}`] : [])],
        env: { ...process.env, ...env },
        stdio: ["ignore", "ignore", "inherit", "ipc"],
      });
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`${system} did not start within 120 s`));
      }, 120_000);
      const onMessage = (message: ChildReply) => {
        if (message.kind === "listening") {
          clearTimeout(timer);
          child.off("message", onMessage);
          resolve(new ServerProcess(system, child, message.port));
        } else if (message.kind === "failed") {
          clearTimeout(timer);
          reject(new Error(`${system} failed to start: ${message.message}`));
        }
      };
      child.on("message", onMessage);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`${system} exited with ${code} before listening`));
      });
    });
  }

  private request<T extends ChildReply>(request: Omit<ChildRequest, "id"> & { kind: ChildRequest["kind"] }, timeoutMs = 30_000): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.system}: no answer to ${request.kind}`)), timeoutMs);
      const onMessage = (message: ChildReply) => {
        if ("id" in message && message.id === id) {
          clearTimeout(timer);
          this.child.off("message", onMessage);
          resolve(message as T);
        }
      };
      this.child.on("message", onMessage);
      this.child.send({ ...request, id });
    });
  }

  async stats(gc = false): Promise<Stats> {
    return (await this.request<Extract<ChildReply, { kind: "stats" }>>({ kind: "stats", gc } as ChildRequest)).stats;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    await this.request({ kind: "stop" } as ChildRequest, 60_000).catch(() => this.child.kill("SIGKILL"));
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
  }
}

// ---------------------------------------------------------------------------------------------
// Clients. Observers do not keep a Y.Doc: they read the writer's client id and clock from the
// start of each update (the first struct of a y-protocols update message) and note the arrival
// time, so that 1,000 of them in the load generator cost as little as possible and the same for
// both systems. One observer per run keeps a real Y.Doc and is checked against the writer.

/** The key of an update: the first struct's (client, clock); a single-character edit has one. */
export function updateKey(update: Uint8Array): number {
  const decoder = decoding.createDecoder(update);
  decoding.readVarUint(decoder); // number of clients
  decoding.readVarUint(decoder); // number of structs of the first client
  const client = decoding.readVarUint(decoder);
  const clock = decoding.readVarUint(decoder);
  return client * 1_000_000 + clock;
}

export type Arrival = (key: number, at: number) => void;

export interface Observer {
  /** Resolves once joined and the initial sync (the server's step 2) has arrived. */
  ready: Promise<void>;
  /** The full document, for the one observer that keeps one. */
  doc: Y.Doc | null;
  close(): void;
}

export interface Writer {
  doc: Y.Doc;
  ready: Promise<void>;
  /** Applies a local change, sends it; resolves when the server acknowledges it. */
  change(fn: (doc: Y.Doc) => void): Promise<boolean>;
  close(): void;
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
    }),
  ]);
}

// --- Xieshang: socket.io, session cookie, doc:join, y-protocols as binary event arguments

export function xieshangSocket(baseUrl: string, cookie: string): Socket {
  return io(baseUrl, { transports: ["websocket"], extraHeaders: { Cookie: `xs_session=${cookie}` }, reconnection: false, forceNew: true, timeout: 60_000 });
}

/** An idle client of a baseline server: connects and does nothing else. */
export function baselineClient(system: BaselineName, port: number): { ready: Promise<void>; close(): void } {
  if (system === "socketio-bare") {
    const socket = io(`http://127.0.0.1:${port}`, { transports: ["websocket"], reconnection: false });
    return { ready: new Promise((resolve, reject) => socket.once("connect", () => resolve()).once("connect_error", reject)), close: () => socket.close() };
  }
  const socket = new WebSocket(`ws://127.0.0.1:${port}`);
  return { ready: new Promise((resolve, reject) => socket.once("open", () => resolve()).once("error", reject)), close: () => socket.close() };
}

export function xieshangObserver(baseUrl: string, sessionId: string, cookie: string, onArrival: Arrival, keepDoc = false): Observer {
  const socket = xieshangSocket(baseUrl, cookie);
  const doc = keepDoc ? new Y.Doc() : null;
  let resolveSynced!: () => void;
  const synced = new Promise<void>((resolve) => (resolveSynced = resolve));
  socket.on(DOC_EVENTS.sync, (id: string, message: ArrayBuffer | Uint8Array) => {
    const at = performance.now();
    const bytes = new Uint8Array(message);
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    if (type === syncProtocol.messageYjsUpdate) {
      const update = decoding.readVarUint8Array(decoder);
      onArrival(updateKey(update), at);
      if (doc) Y.applyUpdate(doc, update, "server");
    } else if (type === syncProtocol.messageYjsSyncStep2) {
      if (doc) Y.applyUpdate(doc, decoding.readVarUint8Array(decoder), "server");
      resolveSynced();
    }
    void id;
  });
  const ready = (async () => {
    const ack: DocAck = await socket.timeout(60_000).emitWithAck(DOC_EVENTS.join, sessionId);
    if (!ack.ok) throw new Error(`join refused: ${JSON.stringify(ack)}`);
    const encoder = encoding.createEncoder();
    syncProtocol.writeSyncStep1(encoder, doc ?? new Y.Doc());
    socket.emit(DOC_EVENTS.sync, sessionId, encoding.toUint8Array(encoder));
    await withTimeout(synced, 60_000, "initial sync");
  })();
  return { ready, doc, close: () => socket.disconnect() };
}

/**
 * An observer that speaks the socket.io wire protocol (engine.io 4 over a WebSocket) itself, as
 * lean as the Hocuspocus observer below: socket.io-client's own per-message work would otherwise
 * be what 1,000 observers in one load generator measure. Handshake, doc:join with its ack, a
 * sync step 1, then every binary `yjs:sync` attachment is read like a y-protocols message.
 */
export function xieshangWireObserver(baseUrl: string, sessionId: string, cookie: string, onArrival: Arrival): Observer {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`, { headers: { Cookie: `xs_session=${cookie}` }, perMessageDeflate: false });
  ws.binaryType = "arraybuffer";
  let resolveSynced!: () => void;
  let rejectSynced!: (error: Error) => void;
  const synced = new Promise<void>((resolve, reject) => {
    resolveSynced = resolve;
    rejectSynced = reject;
  });
  /** The event whose binary attachment comes next. */
  let pendingBinaryEvent: string | null = null;
  ws.on("error", (error) => rejectSynced(error));
  ws.on("message", (data: ArrayBuffer | string, isBinary: boolean) => {
    if (isBinary) {
      const at = performance.now();
      const event = pendingBinaryEvent;
      pendingBinaryEvent = null;
      if (event !== DOC_EVENTS.sync) return;
      const decoder = decoding.createDecoder(new Uint8Array(data as ArrayBuffer));
      const type = decoding.readVarUint(decoder);
      if (type === syncProtocol.messageYjsUpdate) onArrival(updateKey(decoding.readVarUint8Array(decoder)), at);
      else if (type === syncProtocol.messageYjsSyncStep2) resolveSynced();
      return;
    }
    const text = String(Buffer.from(data as ArrayBuffer));
    if (text === "2") return ws.send("3"); // engine.io ping → pong
    if (text.startsWith("0")) return ws.send("40"); // engine.io open → socket.io connect
    if (text.startsWith("40")) return ws.send(`420${JSON.stringify([DOC_EVENTS.join, sessionId])}`);
    if (text.startsWith("44")) return rejectSynced(new Error(`connect refused: ${text}`));
    if (text.startsWith("430")) {
      const [ack] = JSON.parse(text.slice(3)) as [DocAck];
      if (!ack.ok) return rejectSynced(new Error(`join refused: ${text}`));
      const encoder = encoding.createEncoder();
      syncProtocol.writeSyncStep1(encoder, new Y.Doc());
      ws.send(`451-${JSON.stringify([DOC_EVENTS.sync, sessionId, { _placeholder: true, num: 0 }])}`);
      ws.send(encoding.toUint8Array(encoder));
      return;
    }
    if (text.startsWith("451-")) pendingBinaryEvent = text.startsWith(`451-["${DOC_EVENTS.sync}"`) ? DOC_EVENTS.sync : "other";
  });
  return { ready: withTimeout(synced, 60_000, "initial sync"), doc: null, close: () => ws.close() };
}

export function xieshangWriter(baseUrl: string, sessionId: string, cookie: string): Writer {
  const socket = xieshangSocket(baseUrl, cookie);
  const doc = new Y.Doc();
  let resolveSynced!: () => void;
  const synced = new Promise<void>((resolve) => (resolveSynced = resolve));
  socket.on(DOC_EVENTS.sync, (id: string, message: ArrayBuffer | Uint8Array) => {
    if (id !== sessionId) return;
    const decoder = decoding.createDecoder(new Uint8Array(message));
    const encoder = encoding.createEncoder();
    const type = syncProtocol.readSyncMessage(decoder, encoder, doc, "server");
    if (type === syncProtocol.messageYjsSyncStep2) resolveSynced();
    if (encoding.length(encoder) > 0) socket.emit(DOC_EVENTS.sync, sessionId, encoding.toUint8Array(encoder), () => undefined);
  });
  const ready = (async () => {
    const ack: DocAck = await socket.timeout(60_000).emitWithAck(DOC_EVENTS.join, sessionId);
    if (!ack.ok || !ack.capabilities?.edit) throw new Error(`writer join refused: ${JSON.stringify(ack)}`);
    const encoder = encoding.createEncoder();
    syncProtocol.writeSyncStep1(encoder, doc);
    socket.emit(DOC_EVENTS.sync, sessionId, encoding.toUint8Array(encoder));
    await withTimeout(synced, 60_000, "writer sync");
  })();
  return {
    doc,
    ready,
    async change(fn) {
      let update: Uint8Array | null = null;
      const capture = (u: Uint8Array) => (update = u);
      doc.on("update", capture);
      doc.transact(() => fn(doc), "local");
      doc.off("update", capture);
      if (!update) return true;
      const encoder = encoding.createEncoder();
      syncProtocol.writeUpdate(encoder, update);
      const ack: DocAck = await socket.timeout(30_000).emitWithAck(DOC_EVENTS.sync, sessionId, encoding.toUint8Array(encoder));
      return ack.ok;
    },
    close: () => {
      socket.disconnect();
      doc.destroy();
    },
  };
}

// --- Hocuspocus: one WebSocket per client, every message prefixed by the document name

const HP = { sync: 0, awareness: 1, auth: 2, syncReply: 4, syncStatus: 8 } as const;

function hocuspocusSocket(wsUrl: string, documentName: string): { ws: WebSocket; opened: Promise<void> } {
  const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
  ws.binaryType = "arraybuffer";
  const opened = new Promise<void>((resolve, reject) => {
    ws.once("open", () => {
      // Authentication message (no onAuthenticate hook on the server: any token is accepted).
      const encoder = encoding.createEncoder();
      encoding.writeVarString(encoder, documentName);
      encoding.writeVarUint(encoder, HP.auth);
      encoding.writeVarUint(encoder, 0);
      encoding.writeVarString(encoder, "");
      ws.send(encoding.toUint8Array(encoder));
      resolve();
    });
    ws.once("error", reject);
  });
  return { ws, opened };
}

function hocuspocusSyncStep1(documentName: string, doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, documentName);
  encoding.writeVarUint(encoder, HP.sync);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

export function hocuspocusObserver(wsUrl: string, documentName: string, onArrival: Arrival, keepDoc = false): Observer {
  const { ws, opened } = hocuspocusSocket(wsUrl, documentName);
  const doc = keepDoc ? new Y.Doc() : null;
  let resolveSynced!: () => void;
  const synced = new Promise<void>((resolve) => (resolveSynced = resolve));
  ws.on("message", (data: ArrayBuffer) => {
    const at = performance.now();
    const decoder = decoding.createDecoder(new Uint8Array(data));
    decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type !== HP.sync && type !== HP.syncReply) return;
    const syncType = decoding.readVarUint(decoder);
    if (syncType === syncProtocol.messageYjsUpdate) {
      const update = decoding.readVarUint8Array(decoder);
      onArrival(updateKey(update), at);
      if (doc) Y.applyUpdate(doc, update, "server");
    } else if (syncType === syncProtocol.messageYjsSyncStep2) {
      if (doc) Y.applyUpdate(doc, decoding.readVarUint8Array(decoder), "server");
      resolveSynced();
    }
  });
  const ready = (async () => {
    await withTimeout(opened, 60_000, "websocket open");
    ws.send(hocuspocusSyncStep1(documentName, doc ?? new Y.Doc()));
    await withTimeout(synced, 60_000, "initial sync");
  })();
  return { ready, doc, close: () => ws.close() };
}

export function hocuspocusWriter(wsUrl: string, documentName: string): Writer {
  const { ws, opened } = hocuspocusSocket(wsUrl, documentName);
  const doc = new Y.Doc();
  let resolveSynced!: () => void;
  const synced = new Promise<void>((resolve) => (resolveSynced = resolve));
  // The server answers each applied update with a SyncStatus message, in order.
  const pendingAcks: Array<(ok: boolean) => void> = [];
  ws.on("message", (data: ArrayBuffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type === HP.syncStatus) {
      const ok = decoding.readVarUint(decoder) === 1;
      pendingAcks.shift()?.(ok);
      return;
    }
    if (type !== HP.sync && type !== HP.syncReply) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, documentName);
    encoding.writeVarUint(encoder, HP.sync);
    const syncType = syncProtocol.readSyncMessage(decoder, encoder, doc, "server");
    if (syncType === syncProtocol.messageYjsSyncStep2) resolveSynced();
    // Our answer to the server's step 1 is our (empty) state; the server acks it too.
    if (syncType === syncProtocol.messageYjsSyncStep1) {
      pendingAcks.push(() => undefined);
      ws.send(encoding.toUint8Array(encoder));
    }
  });
  const ready = (async () => {
    await withTimeout(opened, 60_000, "websocket open");
    ws.send(hocuspocusSyncStep1(documentName, doc));
    await withTimeout(synced, 60_000, "writer sync");
  })();
  return {
    doc,
    ready,
    change(fn) {
      let update: Uint8Array | null = null;
      const capture = (u: Uint8Array) => (update = u);
      doc.on("update", capture);
      doc.transact(() => fn(doc), "local");
      doc.off("update", capture);
      if (!update) return Promise.resolve(true);
      const encoder = encoding.createEncoder();
      encoding.writeVarString(encoder, documentName);
      encoding.writeVarUint(encoder, HP.sync);
      syncProtocol.writeUpdate(encoder, update);
      return withTimeout(
        new Promise<boolean>((resolve) => {
          pendingAcks.push(resolve);
          ws.send(encoding.toUint8Array(encoder));
        }),
        30_000,
        "hocuspocus ack",
      );
    },
    close: () => {
      ws.close();
      doc.destroy();
    },
  };
}

if (process.argv.includes("--server")) {
  await runServerChild(process.argv[process.argv.indexOf("--server") + 1] as SystemName | BaselineName);
}
