/**
 * The socket.io server, on the same port as the app: authenticates each connection from the
 * session cookie (deny by default), then hands it to the co-drafting rooms (collab.ts); with
 * REDIS_URL, several processes share rooms through the socket.io Redis adapter.
 */
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { readSessionCookie, validateSessionId } from "../app/auth/login-session.server.ts";
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient, type RedisClientType } from "redis";
import { CollabServer, type RealtimeServer } from "./collab.ts";
import type { SocketState } from "./dispatcher.ts";
import { EVENT_READY, HANDSHAKE_ERRORS, LIMITS, SOCKET_PATH, type ReadyPayload } from "./protocol.ts";
import { releaseUpgradeRequest } from "./socketio-internals.ts";

export type RealtimeOptions = {
  /** Origins allowed to open a socket besides the server's own. */
  allowedOrigins: string[];
  /** Redis for fan-out across processes (socket.io Redis adapter); one process needs none. */
  redisUrl?: string;
  /** Refusals a connection may collect per minute before it is closed (XS_REALTIME_REFUSALS_PER_MINUTE). */
  refusalsPerMinute: number;
};

export type Realtime = { io: RealtimeServer; collab: CollabServer; close(): Promise<void> };

function refusal(code: keyof typeof HANDSHAKE_ERRORS) {
  return Object.assign(new Error(HANDSHAKE_ERRORS[code]), { data: { code: HANDSHAKE_ERRORS[code] } });
}

/**
 * Non-browser clients send no Origin (the cookie still decides); a browser page must be on this
 * host or an allowed origin. A malformed Origin ("null" from sandboxed frames) is refused.
 */
export function isAllowedOrigin(origin: string | undefined, host: string | undefined, allowedOrigins: string[]): boolean {
  if (origin === undefined) return true;
  if (allowedOrigins.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

export async function attachRealtime(httpServer: HttpServer, options: RealtimeOptions): Promise<Realtime> {
  const io: RealtimeServer = new Server(httpServer, {
    path: SOCKET_PATH,
    serveClient: false,
    // Above our own message limit (LIMITS.maxMessageBytes), so that an oversized update gets a
    // clear "too_large" answer instead of a dropped connection (see LIMITS).
    maxHttpBufferSize: LIMITS.maxPacketBytes,
    // Cookies authenticate the handshake, so a page of another origin must not open a socket.
    // Refused here, engine.io answers HTTP 403 before any socket exists.
    allowRequest: (req, callback) => {
      const ok = isAllowedOrigin(req.headers.origin, req.headers.host, options.allowedOrigins);
      callback(ok ? null : HANDSHAKE_ERRORS.badOrigin, ok);
    },
  });

  io.use(async (socket, next) => {
    try {
      const sessionId = readSessionCookie(socket.handshake.headers.cookie ?? "");
      if (!sessionId) return next(refusal("unauthorized"));
      const { user, session } = await validateSessionId(sessionId);
      if (!user || !session) return next(refusal("unauthorized"));
      socket.data = { userId: user.id, displayName: user.displayName, authSessionId: session.id, joined: new Map() } satisfies SocketState;
      next();
    } catch {
      next(refusal("unavailable"));
    }
  });

  const redisClients: RedisClientType[] = [];
  /** Set once the subscriber lost Redis: what other processes relayed meanwhile never arrived. */
  let missedRelays = false;
  let collab: CollabServer | null = null;
  if (options.redisUrl) {
    const pub = createClient({ url: options.redisUrl }) as RedisClientType;
    const sub = pub.duplicate() as RedisClientType;
    // Redis going away must not take the process down: each process keeps serving its own
    // clients, and the client library reconnects by itself.
    for (const client of [pub, sub]) client.on("error", (error: Error) => console.warn("redis:", error.message));
    sub.on("error", () => (missedRelays = true));
    // Back on Redis: catch up from the store with what the other processes stored meanwhile.
    sub.on("ready", () => {
      if (!missedRelays || !collab) return;
      missedRelays = false;
      void collab.resync();
    });
    await Promise.all([pub.connect(), sub.connect()]);
    // The adapter publishes without waiting for or catching the answer: a publish in flight when
    // the connection drops would reject with nobody to handle it. Such a relay is lost either way
    // (the other processes catch up from the store when their own connection comes back), so it is
    // logged, not thrown.
    const publish = pub.publish.bind(pub);
    const guardedPublish = (...args: Parameters<typeof publish>) =>
      publish(...args).catch((error: unknown) => {
        console.warn("redis: a relay was lost:", error instanceof Error ? error.message : error);
        return 0;
      });
    const adapterPub = new Proxy(pub, {
      get(target, property) {
        if (property === "publish") return guardedPublish;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    io.adapter(createAdapter(adapterPub, sub));
    redisClients.push(pub, sub);
  }

  collab = new CollabServer(io, redisClients.length > 0, { refusalsPerMinute: options.refusalsPerMinute });
  io.on("connection", (socket) => {
    releaseUpgradeRequest(socket);
    const payload: ReadyPayload = { userId: socket.data.userId, displayName: socket.data.displayName };
    socket.emit(EVENT_READY, payload);
    collab!.attach(socket);
  });

  return {
    io,
    collab,
    async close() {
      collab.close();
      await collab.flush();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      // A graceful close waits for Redis to answer; a client that is reconnecting to a Redis that
      // is away may never get that answer, so shutdown gives it a moment and then drops it.
      await Promise.all(redisClients.map((client) => closeRedisClient(client)));
    },
  };
}

/**
 * Closes a Redis client gracefully: a client that is reconnecting is given until `graceMs` to be
 * back (its queued commands then go out and are answered), then closed. Only a client still not
 * closed by then is dropped at once (its queued commands are rejected).
 */
async function closeRedisClient(client: RedisClientType, graceMs = 5_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const graceful = (async () => {
    if (!client.isOpen) return true;
    if (!client.isReady) await new Promise<void>((resolve) => client.once("ready", () => resolve()));
    await client.close();
    return true;
  })().catch(() => false);
  const closed = await Promise.race([graceful, new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)))]);
  clearTimeout(timer);
  if (!closed && client.isOpen) client.destroy();
}
