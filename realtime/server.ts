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

export function attachRealtime(httpServer: HttpServer, options: RealtimeOptions): Server {
  type ServerToClient = { [EVENT_READY]: (payload: ReadyPayload) => void };
  const io = new Server<Record<string, never>, ServerToClient, Record<string, never>, SocketData>(httpServer, {
    path: SOCKET_PATH,
    serveClient: false,
    // Binary Yjs updates stay small; anything larger is refused by socket.io before it is parsed.
    maxHttpBufferSize: 1_000_000,
    // Cookies authenticate the handshake, so a page of another origin must not open a socket.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      if (!origin) return callback(null, true); // non-browser clients send no Origin; the cookie still decides
      const host = req.headers.host;
      const ok = options.allowedOrigins.includes(origin) || (host !== undefined && new URL(origin).host === host);
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
