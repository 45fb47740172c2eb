/**
 * The embedded default database: PGlite (PostgreSQL compiled to WebAssembly) served on a loopback
 * port, so that the app, the migration engine and tests reach it exactly like a PostgreSQL server,
 * through the same pg driver. Used when DATABASE_URL is unset.
 * See docs/decisions/002-embedded-postgres-default.md and 033-embedded-wire-sessions.md.
 *
 * PGlite is one PostgreSQL backend: one session, one unnamed statement, one transaction at a time.
 * Several pooled connections share it here, so a connection holds the backend from its first
 * message until PostgreSQL says the session is idle again (ReadyForQuery outside a transaction):
 * an extended-protocol exchange (Parse, Bind, Execute … Sync) or a transaction is never
 * interleaved with another connection's messages. The socket server of @electric-sql/pglite-socket
 * 0.2.17 queues single messages instead, and lets one connection's Bind run against another's
 * Parse (electric-sql/pglite#1046). A connection that drops while it holds the backend has its
 * exchange ended (Sync) and its transaction rolled back before anyone else goes on.
 */
import fs from "node:fs";
import net from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

/**
 * Extensions the migrations create (pg_trgm: trigram indexes for notice search). PGlite ships them
 * as contrib modules that must be loaded when the database is opened, by every tool that opens it.
 */
export const PGLITE_EXTENSIONS = { pg_trgm };

export type EmbeddedPostgres = {
  /** A postgresql:// URL for the pg driver (SSL off: this server does not speak TLS). */
  url: string;
  stop(): Promise<void>;
};

// Request codes of the messages that come before (or instead of) a startup message.
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
const TERMINATE = 0x58; // 'X'
const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const SYNC_MESSAGE = new Uint8Array([SYNC, 0, 0, 0, 4]);
/** Far beyond any message the app sends; a peer announcing more is cut off rather than buffered. */
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/** Who holds the one backend; the others wait their turn, first come first served. */
class BackendGate {
  private owner: object | null = null;
  private readonly waiting: Array<{ who: object; enter: () => void }> = [];

  holds(who: object): boolean {
    return this.owner === who;
  }

  enter(who: object): Promise<void> {
    if (this.owner === who) return Promise.resolve();
    if (this.owner === null && this.waiting.length === 0) {
      this.owner = who;
      return Promise.resolve();
    }
    return new Promise((enter) => this.waiting.push({ who, enter }));
  }

  leave(who: object): void {
    if (this.owner !== who) return;
    const next = this.waiting.shift();
    this.owner = next?.who ?? null;
    next?.enter();
  }

  /** Forgets a connection that is waiting (it closed before its turn). */
  forget(who: object): void {
    const index = this.waiting.findIndex((entry) => entry.who === who);
    if (index >= 0) this.waiting.splice(index, 1);
  }
}

/** One client connection: frames its messages and runs them on the backend in order. */
function serveConnection(db: PGlite, gate: BackendGate, socket: net.Socket): void {
  const self = {};
  let buffer: Buffer = Buffer.alloc(0);
  let started = false;
  let closed = false;
  let work: Promise<void> = Promise.resolve();
  socket.setNoDelay(true);

  const write = (data: Uint8Array) => {
    if (data.length && !closed && socket.writable) socket.write(data);
  };

  /** Runs one message; leaves the backend once PostgreSQL is idle after a Sync, a query or the startup. */
  const run = async (message: Uint8Array, endsExchange: boolean) => {
    await gate.enter(self);
    if (closed) return; // the clean-up below ends what this connection left open
    await db.runExclusive(() => db.execProtocolRawStream(message, { onRawData: write }));
    if (endsExchange && !db.isInTransaction()) gate.leave(self);
  };

  const drain = async () => {
    while (!closed) {
      if (!started) {
        if (buffer.length < 8) return;
        const length = buffer.readInt32BE(0);
        const code = buffer.readInt32BE(4);
        if (length === 8 && (code === SSL_REQUEST || code === GSSENC_REQUEST)) {
          buffer = buffer.subarray(8);
          if (socket.writable) socket.write("N"); // no TLS, no GSSAPI: go on in the clear
          continue;
        }
        if (code === CANCEL_REQUEST || code !== PROTOCOL_3 || length < 8 || length > 10_000) {
          socket.destroy(); // cancelling is not supported; anything else is not PostgreSQL
          return;
        }
        if (buffer.length < length) return;
        const startup = buffer.subarray(0, length);
        buffer = buffer.subarray(length);
        started = true;
        await run(new Uint8Array(startup), true);
        continue;
      }
      if (buffer.length < 5) return;
      const length = 1 + buffer.readInt32BE(1);
      if (length < 5 || length > MAX_MESSAGE_BYTES) {
        socket.destroy();
        return;
      }
      if (buffer.length < length) return;
      const message = new Uint8Array(buffer.subarray(0, length));
      buffer = buffer.subarray(length);
      if (message[0] === TERMINATE) {
        socket.end();
        return;
      }
      await run(message, message[0] === SYNC || message[0] === QUERY);
    }
  };

  /** Ends whatever the connection left open, then lets the next connection in. */
  const cleanUp = async () => {
    if (!gate.holds(self)) {
      gate.forget(self);
      return;
    }
    try {
      await db.runExclusive(() => db.execProtocolRaw(SYNC_MESSAGE));
      if (db.isInTransaction()) await db.exec("ROLLBACK");
    } finally {
      gate.leave(self);
    }
  };

  const fail = (error: unknown) => {
    if (!closed) console.warn(`embedded database: a connection failed: ${error instanceof Error ? error.message : String(error)}`);
    socket.destroy();
  };

  socket.on("data", (chunk: Buffer) => {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    work = work.then(drain).catch(fail);
  });
  socket.on("error", () => socket.destroy());
  socket.on("close", () => {
    closed = true;
    work = work.then(cleanUp).catch((error: unknown) => console.warn(`embedded database: clean-up after a connection failed: ${error instanceof Error ? error.message : String(error)}`));
  });
}

/**
 * Starts PGlite with its data in `dataDir` (created if missing) or in memory when `dataDir` is
 * "memory://", and serves it on 127.0.0.1:`port` (0 picks a free port).
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port?: number }): Promise<EmbeddedPostgres> {
  if (options.dataDir !== "memory://") fs.mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir === "memory://" ? undefined : options.dataDir, { extensions: PGLITE_EXTENSIONS });
  const gate = new BackendGate();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    serveConnection(db, gate, socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    async stop() {
      const closedServer = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closedServer;
      await db.close();
    },
  };
}
