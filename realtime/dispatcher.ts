/**
 * The one door for realtime (issue 14): every client→server event is an entry of one table
 * `{ event, capability, input, refuseAs, handler }`, and this file is the only place that listens
 * to a socket (an ESLint rule forbids `socket.on` elsewhere). For each message, in this order:
 *
 * 1. the arguments are bounded (depth and size, iteratively: app/domain/input-bounds.ts) before
 *    anything walks them;
 * 2. the argument count is checked, and the session id;
 * 3. the session must be joined on this connection (but for `doc:join`);
 * 4. the input is parsed with the entry's zod schema;
 * 5. the entry's capability (which may depend on the parsed input: a sync step 1 needs view, an
 *    update that changes something needs edit) is read from the connection's capabilities, which
 *    the server re-computes whenever access changes;
 * 6. the handler runs inside an error boundary: a domain error becomes its code, anything else
 *    `unavailable` and one log line. No message can stop the process.
 *
 * Every refusal of a kind a well-behaved client never causes (out of bounds, malformed, unknown
 * event, not joined, forbidden) is counted per connection; past XS_REALTIME_REFUSALS_PER_MINUTE
 * the connection is told why (EVENT_CLOSING) and closed.
 */
import type { Socket } from "socket.io";
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { z } from "zod";
import { isDomainError } from "../app/domain/errors.ts";
import { checkInputBounds, type BoundsRefusal } from "../app/domain/input-bounds.ts";
import { fieldErrorsOf } from "../app/domain/validation.ts";
import {
  CLOSE_CODES,
  DOC_ERRORS,
  EVENT_CLOSING,
  LIMITS,
  type ClientToServerEvents,
  type DocAck,
  type DocCapabilities,
  type ServerToClientEvents,
} from "./protocol.ts";

/** Server-to-server events between processes (through the Redis adapter), typed for socket.io. */
export interface InterServerEvents {
  /** An update stored by the sending process, base64: apply it and relay it to local sockets. */
  "xs:doc-update": (sessionId: string, update: string) => void;
  /** Access to `sessionId` (or to any session, null) changed: re-check local connections. */
  "xs:doc-recheck": (sessionId: string | null) => void;
  /**
   * A presence change accepted by the sending process, base64 (an awareness update already
   * stamped with the server's identities), and who owns each client id it announces.
   */
  "xs:presence": (sessionId: string, update: string, owners: Array<[clientId: number, socketId: string]>) => void;
  /**
   * A process that just loaded `sessionId` asks the others for the presence their own connections
   * own; each answers (null when it has none), and the asker accepts no presence for the document
   * until the answers are in (or the adapter's request timeout passed).
   */
  "xs:presence-request": (sessionId: string, reply: (snapshot: PresenceSnapshot | null) => void) => void;
}

/** The presence one process's connections own in a document: a stamped awareness update (base64) and the owners. */
export type PresenceSnapshot = { update: string; owners: Array<[clientId: number, socketId: string]> };

export type Side = "WORKER" | "EMPLOYER" | null;

/** One joined document on one connection. */
export type Participation = {
  capabilities: DocCapabilities;
  /** The side of the user's seat, from the server's record (presence colour and label). */
  side: Side;
  /** The awareness client ids this connection announced and owns in this document. */
  presence: Set<number>;
};

/** What the server keeps on each socket (socket.data). */
export type SocketState = {
  userId: string;
  displayName: string;
  /** The login session the handshake authenticated (logout closes its connections). */
  authSessionId: string;
  joined: Map<string, Participation>;
};

export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketState>;
export type ClientEvent = keyof ClientToServerEvents;

/**
 * What an entry needs: `join` only for doc:join itself (no joined session yet); `joined` any
 * joined connection; the others the capability of that name; `presence` is edit or comment
 * (viewers are not shown to the room as if they were taking part).
 */
export type Capability = "join" | "joined" | "view" | "edit" | "comment" | "offer" | "presence";

export type DispatchRequest<I> = { socket: AppSocket; sessionId: string; input: I; participation: Participation | undefined };

export type DispatchEntry<I = unknown> = {
  event: ClientEvent;
  capability: Capability | ((input: I) => Capability);
  /** The schema of the argument after the session id; null when the event takes none. */
  input: z.ZodType<I, z.ZodTypeDef, unknown> | null;
  /**
   * How a schema failure is answered: `invalid` with the field and a message key (what a person
   * typed: comments, offers), or `malformed` (a protocol message: sync, awareness, ids). A schema
   * may also put a complete refusal in an issue's `params.ack` (e.g. `too_large`).
   */
  refuseAs: "invalid" | "malformed";
  handler: (request: DispatchRequest<I>) => Promise<DocAck> | DocAck;
};

/** Types one entry of the table (the table holds entries of different inputs). */
export function entry<I>(definition: DispatchEntry<I>): DispatchEntry<unknown> {
  return definition as DispatchEntry<unknown>;
}

const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Refusals a well-behaved client does not cause: these count toward closing the connection. */
const COUNTED = new Set<string>([DOC_ERRORS.malformed, DOC_ERRORS.tooLarge, DOC_ERRORS.unknownEvent, DOC_ERRORS.notJoined, DOC_ERRORS.forbidden]);
const JSON_BOUNDS = { maxDepth: LIMITS.maxJsonDepth, maxBytes: LIMITS.maxJsonBytes };

function isBinary(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

/** The answer to an argument out of bounds: `too_large` (or `malformed`) with a message saying which bound. */
export function boundsRefusal(refusal: BoundsRefusal): DocAck {
  if (refusal.reason === "tooDeep") return { ok: false, code: DOC_ERRORS.tooLarge, message: { key: "draft.error.tooDeep", values: { max: refusal.max } } };
  if (refusal.reason === "tooLarge") return { ok: false, code: DOC_ERRORS.tooLarge, message: { key: "draft.error.inputTooLarge", values: { maxKb: Math.floor(refusal.max / 1024) } } };
  return { ok: false, code: DOC_ERRORS.malformed, message: { key: "draft.error.malformed" } };
}

/**
 * Checks an event's arguments (without its ack) before anything walks them: a binary argument
 * (a y-protocols message) against LIMITS.maxMessageBytes, any other against the JSON bounds.
 */
function outOfBounds(args: unknown[]): DocAck | null {
  for (const arg of args) {
    if (isBinary(arg)) {
      if (arg.byteLength > LIMITS.maxMessageBytes) return boundsRefusal({ reason: "tooLarge", max: LIMITS.maxMessageBytes });
      continue;
    }
    const refusal = checkInputBounds(arg, JSON_BOUNDS);
    if (refusal) return boundsRefusal(refusal);
  }
  return null;
}

function allows(capability: Capability, participation: Participation | undefined): boolean {
  if (capability === "join") return true;
  if (!participation) return false;
  const caps = participation.capabilities;
  switch (capability) {
    case "joined":
      return true;
    case "presence":
      return caps.edit || caps.comment;
    default:
      return caps[capability];
  }
}

/** One log line for an error no handler expected: the event, the error and where it was thrown. */
function logUnexpected(event: string, error: unknown) {
  const where = error instanceof Error ? (error.stack?.split("\n").find((line) => line.trim().startsWith("at "))?.trim() ?? "") : "";
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`realtime: "${event}" failed unexpectedly: ${what.slice(0, 500)}${where ? ` (${where})` : ""}`);
}

function reply(ack: unknown, response: DocAck) {
  if (typeof ack === "function") (ack as (response: DocAck) => void)(response);
}

/** A schema failure as a refusal. */
function schemaRefusal(entry: DispatchEntry, error: z.ZodError): DocAck {
  // A refinement may carry its own refusal (zod's custom issue params).
  for (const issue of error.issues) {
    if (issue.code === "custom" && issue.params?.ack) return issue.params.ack as DocAck;
  }
  if (entry.refuseAs === "malformed") return { ok: false, code: DOC_ERRORS.malformed, message: { key: "draft.error.malformed" } };
  const [field, messages] = Object.entries(fieldErrorsOf(error))[0] ?? ["_form", [{ key: "validation.invalid" }]];
  return { ok: false, code: DOC_ERRORS.invalid, field, message: messages[0] };
}

export class Dispatcher {
  private readonly listeners = new Map<string, (this: AppSocket, ...args: unknown[]) => void>();
  private readonly refusals: RateLimiterMemory;

  constructor(
    readonly table: readonly DispatchEntry[],
    private readonly options: { refusalsPerMinute: number; onDisconnect: (socket: AppSocket) => void },
  ) {
    this.refusals = new RateLimiterMemory({ points: options.refusalsPerMinute, duration: 60 });
    for (const definition of table) {
      if (this.listeners.has(definition.event)) throw new Error(`the dispatch table has ${definition.event} twice`);
      this.listeners.set(definition.event, this.listenerFor(definition));
    }
  }

  /** The listeners every socket shares (built once; `this` is the socket), the catch-all for unknown events, and disconnect. */
  attach(socket: AppSocket) {
    // The listeners take unknown arguments: the typed event map describes well-behaved clients,
    // the door checks what actually arrives.
    for (const [event, listener] of this.listeners) socket.on(event as ClientEvent, listener as never);
    socket.onAny(this.unknownEventListener);
    socket.on("disconnect", this.disconnectListener);
  }

  private readonly unknownEventListener = (() => {
    const known = this.listeners;
    const refuse = (socket: AppSocket, ack: unknown) => this.refuse(socket, ack, { ok: false, code: DOC_ERRORS.unknownEvent });
    return function (this: AppSocket, event: unknown, ...args: unknown[]) {
      if (typeof event === "string" && known.has(event)) return;
      refuse(this, args[args.length - 1]);
    };
  })();

  private readonly disconnectListener = (() => {
    const onDisconnect = (socket: AppSocket) => this.options.onDisconnect(socket);
    return function (this: AppSocket) {
      onDisconnect(this);
    };
  })();

  /** Answers a refusal, and counts it when a well-behaved client would not have caused it. */
  private refuse(socket: AppSocket, ack: unknown, refusal: DocAck & { ok: false }) {
    reply(ack, refusal);
    if (!COUNTED.has(refusal.code)) return;
    this.refusals.consume(socket.id).catch(() => {
      if (!socket.connected) return;
      socket.emit(EVENT_CLOSING, CLOSE_CODES.tooManyRefusals);
      socket.disconnect(true);
    });
  }

  private listenerFor(definition: DispatchEntry) {
    const arity = definition.input ? 2 : 1;
    const refuseOn = (socket: AppSocket, ack: unknown, refusal: DocAck & { ok: false }) => this.refuse(socket, ack, refusal);
    return function (this: AppSocket, ...args: unknown[]) {
      const ack = typeof args[args.length - 1] === "function" ? args.pop() : undefined;
      const refuse = (refusal: DocAck & { ok: false }) => refuseOn(this, ack, refusal);
      const bounds = outOfBounds(args);
      if (bounds && !bounds.ok) return refuse(bounds);
      if (args.length > arity) return refuse({ ok: false, code: DOC_ERRORS.malformed });
      const sessionId = args[0];
      if (typeof sessionId !== "string" || !SESSION_ID.test(sessionId)) return refuse({ ok: false, code: definition.capability === "join" ? DOC_ERRORS.malformed : DOC_ERRORS.notJoined });
      const participation = this.data.joined.get(sessionId);
      if (definition.capability !== "join" && !participation) return refuse({ ok: false, code: DOC_ERRORS.notJoined });
      let input: unknown = undefined;
      if (definition.input) {
        // PostgreSQL text cannot hold U+0000: what a person typed with one is invalid, not a storage failure.
        if (definition.refuseAs === "invalid" && JSON.stringify(args[1] ?? null).includes("\\u0000")) return refuse({ ok: false, code: DOC_ERRORS.invalid, field: "_form", message: { key: "validation.invalid" } });
        let parsed: z.SafeParseReturnType<unknown, unknown> | null;
        try {
          parsed = definition.input.safeParse(args[1]);
        } catch {
          parsed = null; // a schema that throws instead of reporting an issue is a refusal too
        }
        if (!parsed) return refuse({ ok: false, code: DOC_ERRORS.malformed });
        if (!parsed.success) {
          const refusal = schemaRefusal(definition, parsed.error);
          return refuse(refusal as DocAck & { ok: false });
        }
        input = parsed.data;
      }
      const capability = typeof definition.capability === "function" ? definition.capability(input) : definition.capability;
      if (!allows(capability, participation)) return refuse({ ok: false, code: DOC_ERRORS.forbidden });
      let pending: Promise<DocAck> | DocAck;
      try {
        pending = definition.handler({ socket: this, sessionId, input, participation });
      } catch (error) {
        pending = Promise.reject(error);
      }
      Promise.resolve(pending).then(
        (response) => (response.ok ? reply(ack, response) : refuse(response)),
        (error: unknown) => {
          if (isDomainError(error)) {
            const code = error.code === "notFound" ? DOC_ERRORS.notFound : error.code === "forbidden" ? DOC_ERRORS.forbidden : DOC_ERRORS.invalid;
            return refuse({ ok: false, code, ...(error.field ? { field: error.field } : {}), message: { key: `errors.${error.code}`, ...(Object.keys(error.params).length ? { values: error.params } : {}) } });
          }
          logUnexpected(definition.event, error);
          reply(ack, { ok: false, code: DOC_ERRORS.unavailable });
        },
      );
    };
  }
}
