/**
 * The wire protocol between the realtime server and its clients (documented in
 * docs/ARCHITECTURE.md, "Live co-drafting"). Yjs traffic is the standard y-protocols messages,
 * carried verbatim as binary socket.io event arguments, so any y-protocols client can take part.
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

/**
 * Sent by the server just before it closes a connection on its own initiative, with one of
 * CLOSE_CODES; the client should not reconnect by itself (socket.io-client does not after a
 * server-side disconnect).
 */
export const EVENT_CLOSING = "xs:closing";

/** Why the server closed a connection (EVENT_CLOSING). */
export const CLOSE_CODES = {
  /** The login session this connection was opened with was ended (logout): log in again. */
  loggedOut: "logged_out",
  /** Every login session of the user was revoked (e.g. a password change): log in again. */
  sessionsRevoked: "sessions_revoked",
  /**
   * The connection collected too many refusals (malformed, out of bounds, unknown event, not
   * joined, forbidden): more than XS_REALTIME_REFUSALS_PER_MINUTE (default 60) in a minute. A
   * well-behaved client collects none, or a few around a reconnection.
   */
  tooManyRefusals: "too_many_refusals",
} as const;
export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];

/** Collaboration events. Every client→server event takes the session id first and an ack last. */
export const DOC_EVENTS = {
  /** client→server `(sessionId, ack)`: open the session's draft; ack `{ ok, capabilities }`. */
  join: "doc:join",
  /** client→server `(sessionId, ack?)`: close it. */
  leave: "doc:leave",
  /**
   * both ways `(sessionId, message: Uint8Array, ack?)`: one y-protocols sync message (step 1,
   * step 2 or update). The server acknowledges a step 2 or update only after it is stored.
   */
  sync: "yjs:sync",
  /** both ways `(sessionId, update: Uint8Array, ack?)`: one y-protocols awareness update. */
  awareness: "yjs:awareness",
  /** server→client `(sessionId, capabilities)`: the user's capabilities changed. */
  capabilities: "doc:capabilities",
  /** server→client `(sessionId, code)`: access was withdrawn; the client is out of the room. */
  revoked: "doc:revoked",
  /** client→server `(sessionId, ack)`: every comment thread; ack `{ ok, threads }` (view). */
  commentList: "comment:list",
  /** client→server `(sessionId, { body, anchorStart, anchorEnd, quote, mentions }, ack)` (comment). */
  commentAdd: "comment:add",
  /** client→server `(sessionId, { threadId, body, mentions }, ack)` (comment). */
  commentReply: "comment:reply",
  /** client→server `(sessionId, { threadId, resolved }, ack)`: resolve or reopen (comment). */
  commentResolve: "comment:resolve",
  /** server→room `(sessionId, thread)`: a thread was added or changed. */
  commentChanged: "comment:changed",
  /** client→server `(sessionId, ack)`: every offer; ack `{ ok, offers }` (view). */
  offerList: "offer:list",
  /** client→server `(sessionId, { termKey, value, note? }, ack)`: a party's position (offer). */
  offerMake: "offer:make",
  /** client→server `(sessionId, { offerId }, ack)`: write an offer into the draft (edit). */
  offerAccept: "offer:accept",
  /** server→room `(sessionId, offer)`: an offer was made or accepted. */
  offerChanged: "offer:changed",
  /** client→server `(sessionId, { versionId }, ack)`: make the draft read as a saved version again, as a new recorded edit (edit). */
  versionRestore: "version:restore",
} as const;

/** Error codes in acknowledgements `{ ok: false, code }`. A client must not retry these as-is. */
export const DOC_ERRORS = {
  /** The session does not exist or the user may not see it. */
  notFound: "not_found",
  /** The user lacks the capability (edit for updates; edit or comment for awareness). */
  forbidden: "forbidden",
  /**
   * An argument exceeds its bound (LIMITS: maxMessageBytes for binary, maxJsonBytes and
   * maxJsonDepth for the rest, with `message` saying which), or the document would exceed
   * maxDocumentBytes.
   */
  tooLarge: "too_large",
  /** The payload is not a valid y-protocols message or Yjs update. */
  malformed: "malformed",
  /** The document is not joined on this connection. */
  notJoined: "not_joined",
  /** Storage failed; the update was not applied. The client may retry later with backoff. */
  unavailable: "unavailable",
  /** A comment or offer failed validation (see `field`); nothing was stored. */
  invalid: "invalid",
  /** The event is not one a client may send (a typo, or a server→client event). */
  unknownEvent: "unknown_event",
} as const;

/** Codes sent with DOC_EVENTS.revoked. */
export const REVOKE_CODES = {
  /** The user may no longer see the session (seat ended, membership removed). */
  accessRevoked: "access_revoked",
} as const;

/**
 * Bounds on what a client may send, read together (docs/ARCHITECTURE.md, "Limits"). engine.io
 * closes the connection on any packet above `maxPacketBytes` before socket.io decodes it, so no
 * handler ever sees one; below that, every event's arguments are checked by the dispatcher before a
 * handler runs (binary arguments against `maxMessageBytes`, everything else against the JSON
 * bounds), and each state inside an awareness update against the JSON bounds before it is parsed.
 */
export const LIMITS = {
  /** Presence (awareness) client ids one connection may own in one document. */
  maxPresencePerConnection: 4,
  /**
   * engine.io's `maxHttpBufferSize`: one socket.io packet, all its arguments and attachments
   * together. Above it the connection is closed (no acknowledgement). Four times
   * `maxMessageBytes`, so that an oversized sync message still gets a clear `too_large` answer.
   */
  maxPacketBytes: 1024 * 1024,
  /** Largest single sync or awareness message (a binary argument) accepted. */
  maxMessageBytes: 256 * 1024,
  /**
   * Largest JSON-shaped argument of an event (a comment, an offer, a session id), and largest
   * state in an awareness update, counted as UTF-8 JSON (app/domain/input-bounds.ts).
   */
  maxJsonBytes: 64 * 1024,
  /** Deepest nesting of arrays and objects in a JSON-shaped argument or awareness state. */
  maxJsonDepth: 32,
  /** Largest encoded document; updates that would grow it further are refused. */
  maxDocumentBytes: 8 * 1024 * 1024,
} as const;

export type DocCapabilities = { view: boolean; edit: boolean; comment: boolean; offer: boolean };
export type DocAck =
  | { ok: true; capabilities?: DocCapabilities; [key: string]: unknown }
  | { ok: false; code: (typeof DOC_ERRORS)[keyof typeof DOC_ERRORS]; field?: string; message?: { key: string; values?: Record<string, string | number> } };

type Ack = (response: DocAck) => void;
/** A comment thread or an offer as the server sends it (shapes in app/models; opaque here). */
type Payload = Record<string, unknown>;

/**
 * The events a well-behaved client sends, typed for socket.io-client (`Socket<ServerToClientEvents,
 * ClientToServerEvents>`) and for the server's typed `Server`. The server never trusts these
 * types: every argument is checked by the dispatcher (realtime/dispatcher.ts) before a handler runs.
 */
export interface ClientToServerEvents {
  [DOC_EVENTS.join]: (sessionId: string, ack: Ack) => void;
  [DOC_EVENTS.leave]: (sessionId: string, ack?: Ack) => void;
  [DOC_EVENTS.sync]: (sessionId: string, message: Uint8Array, ack?: Ack) => void;
  [DOC_EVENTS.awareness]: (sessionId: string, update: Uint8Array, ack?: Ack) => void;
  [DOC_EVENTS.commentList]: (sessionId: string, ack: Ack) => void;
  [DOC_EVENTS.commentAdd]: (sessionId: string, input: { body: string; anchorStart: string; anchorEnd: string; quote: string; mentions?: string[] }, ack: Ack) => void;
  [DOC_EVENTS.commentReply]: (sessionId: string, input: { threadId: string; body: string; mentions?: string[] }, ack: Ack) => void;
  [DOC_EVENTS.commentResolve]: (sessionId: string, input: { threadId: string; resolved: boolean }, ack: Ack) => void;
  [DOC_EVENTS.offerList]: (sessionId: string, ack: Ack) => void;
  [DOC_EVENTS.offerMake]: (sessionId: string, input: { termKey: string; value: unknown; note?: string }, ack: Ack) => void;
  [DOC_EVENTS.offerAccept]: (sessionId: string, input: { offerId: string }, ack: Ack) => void;
  [DOC_EVENTS.versionRestore]: (sessionId: string, input: { versionId: string }, ack: Ack) => void;
}

/** The events the server sends. */
export interface ServerToClientEvents {
  [EVENT_READY]: (payload: ReadyPayload) => void;
  [EVENT_CLOSING]: (code: CloseCode) => void;
  [DOC_EVENTS.sync]: (sessionId: string, message: Uint8Array) => void;
  [DOC_EVENTS.awareness]: (sessionId: string, update: Uint8Array) => void;
  [DOC_EVENTS.capabilities]: (sessionId: string, capabilities: DocCapabilities) => void;
  [DOC_EVENTS.revoked]: (sessionId: string, code: (typeof REVOKE_CODES)[keyof typeof REVOKE_CODES]) => void;
  [DOC_EVENTS.commentChanged]: (sessionId: string, thread: Payload) => void;
  [DOC_EVENTS.offerChanged]: (sessionId: string, offer: Payload) => void;
}
