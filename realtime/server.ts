/**
 * The socket.io server, on the same port as the app. For now it authenticates each connection from
 * the session cookie (deny by default); collaboration rooms arrive with live co-drafting.
 */
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { readSessionCookie, validateSessionId } from "../app/session.server.ts";
import { EVENT_READY, HANDSHAKE_ERRORS, SOCKET_PATH, type ReadyPayload } from "./protocol.ts";

export type RealtimeOptions = {
  /** Origins allowed to open a socket besides the server's own. */
  allowedOrigins: string[];
};

type SocketData = { userId: string; displayName: string };

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

export function attachRealtime(httpServer: HttpServer, options: RealtimeOptions): Server {
  type ServerToClient = { [EVENT_READY]: (payload: ReadyPayload) => void };
  const io = new Server<Record<string, never>, ServerToClient, Record<string, never>, SocketData>(httpServer, {
    path: SOCKET_PATH,
    serveClient: false,
    // Binary Yjs updates stay small; anything larger is refused by socket.io before it is parsed.
    maxHttpBufferSize: 1_000_000,
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
      const { user } = await validateSessionId(sessionId);
      if (!user) return next(refusal("unauthorized"));
      socket.data = { userId: user.id, displayName: user.displayName } satisfies SocketData;
      next();
    } catch {
      next(refusal("unavailable"));
    }
  });

  io.on("connection", (socket) => {
    const payload: ReadyPayload = { userId: socket.data.userId, displayName: socket.data.displayName };
    socket.emit(EVENT_READY, payload);
  });

  return io;
}
