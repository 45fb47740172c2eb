/**
 * Names shared by the realtime server and its clients. Collaboration events (y-protocols sync and
 * awareness) are added with the live co-drafting work; see docs/ARCHITECTURE.md.
 */

/** socket.io path (default), served on the app's own port. */
export const SOCKET_PATH = "/socket.io";

/** Sent by the server right after a successful, authenticated handshake. */
export const EVENT_READY = "xs:ready";

/**
 * Handshake refusals. `unauthorized` and `unavailable` reach the client as `connect_error` with
 * `err.message` = the code and `err.data.code`; `bad_origin` is refused by engine.io before the
 * socket.io handshake (HTTP 403 on the polling/websocket request), so the client sees a transport
 * error instead.
 */
export const HANDSHAKE_ERRORS = {
  /** No valid session cookie: the user must log in (or the session expired). */
  unauthorized: "unauthorized",
  /** The handshake came from a page of another origin. */
  badOrigin: "bad_origin",
  /** The server could not check the session (database down); the client may retry with backoff. */
  unavailable: "unavailable",
} as const;

export type ReadyPayload = { userId: string; displayName: string };
