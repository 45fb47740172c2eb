/**
 * Revocation reaches live sockets (issue 14, item 3), with two server instances behind Redis and
 * real socket.io / y-protocols clients: a logout closes every connection of that login on every
 * process (EVENT_CLOSING "logged_out") and no other; a seat that ends takes its holder out of the
 * draft on every process; the end of bargaining downgrades editors on every process; and a
 * connection that keeps sending what no client sends is told why and closed.
 *
 * Both instances run in this test process. Separate processes share nothing but PostgreSQL and
 * Redis; in one process they also share the in-process bus (app/infra/events.server.ts, one module of the server bundle),
 * on which both instances hear "access-changed" and "login-revoked". Each test takes instance B's
 * listener of the event it relies on off that bus for its duration, so that the news reaches B only
 * through Redis (the socket.io adapter), as between real processes.
 */
import net from "node:net";
import type { EventEmitter } from "node:events";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { io, type Socket } from "socket.io-client";
import * as awarenessProtocol from "y-protocols/awareness";
import { loadDocument } from "../../app/models/document-store.server.ts";
import { CLOSE_CODES, DOC_ERRORS, DOC_EVENTS, EVENT_CLOSING, EVENT_READY, HANDSHAKE_ERRORS, type DocCapabilities } from "../../realtime/protocol.ts";
import { agreeDraft } from "../support/agreement.ts";
import { serverBundle, startTestServer } from "../support/server.ts";
import { demoAccount, loginAs, sessionInBargaining } from "../support/sessions.ts";
import { waitFor, YjsTestClient } from "../support/yjs-client.ts";

const REDIS_HOST = "127.0.0.1";
const REDIS_PORT = 6379;
const REDIS_URL = `redis://${REDIS_HOST}:${REDIS_PORT}`;
const BUS_EVENTS = ["access-changed", "login-revoked"] as const;
type BusEvent = (typeof BUS_EVENTS)[number];

type TestServer = Awaited<ReturnType<typeof startTestServer>>;
let serverA: TestServer | undefined;
let serverB: TestServer | undefined;
let db: pg.Client | undefined;
let sessionId: string;
/** Instance B's listeners on the in-process bus (see the header). */
const listenersOfB = new Map<BusEvent, (...args: unknown[]) => void>();
/** Connections opened by the running test; closed after it. */
const opened: YjsTestClient[] = [];
const handshakes: Socket[] = [];
const cookies = new Map<string, string>();

/** One connection and everything the server told it besides document traffic. */
type Connection = {
  client: YjsTestClient;
  /** EVENT_CLOSING codes received. */
  closing: string[];
  /** Reasons of "disconnect" (socket.io-client's). */
  disconnected: string[];
  /** DOC_EVENTS.capabilities received: [sessionId, capabilities]. */
  capabilityEvents: Array<[string, DocCapabilities]>;
};

/** Why Redis cannot be used, or null. Checked once; every two-process test then fails with this message. */
let redisProblem: string | null = null;

async function checkRedis(): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const fail = (why: string) => {
      socket.destroy();
      reject(new Error(`Redis is not reachable at ${REDIS_URL} (${why}). The revocation tests need it (CI starts a Redis service); start one locally with \`redis-server\`.`));
    };
    const socket = net.connect(REDIS_PORT, REDIS_HOST);
    socket.setTimeout(3000, () => fail("no answer within 3 s"));
    socket.once("error", (error) => fail(error.message));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      if (data.toString().startsWith("+PONG")) resolve();
      else fail(`unexpected answer to PING: ${JSON.stringify(data.toString().slice(0, 80))}`);
    });
  });
}

function requireRedis() {
  if (redisProblem) throw new Error(redisProblem);
}

let busInstance: EventEmitter | null = null;
function bus(): EventEmitter {
  if (!busInstance) throw new Error("the in-process bus is not loaded yet (no server started?)");
  return busInstance;
}

/** Runs `body` with instance B deaf to `event` on the in-process bus: only Redis can tell it. */
async function withoutBOnBus<T>(event: BusEvent, body: () => Promise<T>): Promise<T> {
  const listener = listenersOfB.get(event)!;
  bus().off(event, listener);
  try {
    return await body();
  } finally {
    bus().on(event, listener);
  }
}

beforeAll(async () => {
  // Without Redis there is nothing to test, but that is a failure (of every two-process test,
  // with this message), never a skip: CI provides Redis.
  redisProblem = await checkRedis().then(
    () => null,
    (error: Error) => error.message,
  );
  if (redisProblem) return;
  serverA = await startTestServer({ REDIS_URL });
  busInstance = (await serverBundle()).inProcessBus();
  const before = new Map(BUS_EVENTS.map((event) => [event, new Set(bus().listeners(event))]));
  serverB = await startTestServer({ REDIS_URL });
  for (const event of BUS_EVENTS) {
    const added = bus().listeners(event).filter((listener) => !before.get(event)!.has(listener));
    expect(added, `instance B listens to "${event}" on the bus once`).toHaveLength(1);
    listenersOfB.set(event, added[0] as (...args: unknown[]) => void);
  }
  expect(serverA.databaseUrl).toBe(serverB.databaseUrl);
  db = new pg.Client({ connectionString: serverA.databaseUrl });
  await db.connect();
  sessionId = await sessionInBargaining(serverA.url, db);
});

afterEach(() => {
  for (const client of opened.splice(0)) client.close();
  for (const socket of handshakes.splice(0)) socket.disconnect();
});

afterAll(async () => {
  await db?.end();
  await serverA?.close();
  await serverB?.close();
});

async function cookieOf(roleKey: string, index = 0): Promise<string> {
  const key = `${roleKey}:${index}`;
  if (!cookies.has(key)) cookies.set(key, (await loginAs(serverA!.url, roleKey, index)).cookies.get("xs_session")!);
  return cookies.get(key)!;
}

async function open(server: TestServer, session: string, cookie: string, what: string): Promise<Connection> {
  const client = new YjsTestClient(server.url, session, cookie);
  opened.push(client);
  const connection: Connection = { client, closing: [], disconnected: [], capabilityEvents: [] };
  client.socket.on(EVENT_CLOSING, (code: string) => connection.closing.push(code));
  client.socket.on("disconnect", (reason: string) => connection.disconnected.push(reason));
  client.socket.on(DOC_EVENTS.capabilities, (id: string, capabilities: DocCapabilities) => connection.capabilityEvents.push([id, capabilities]));
  expect(await client.join(), `${what} joins through ${server.url}`).toMatchObject({ ok: true });
  return connection;
}

/** A new socket.io handshake with a session cookie: ready, or the connect_error's message. */
function handshake(server: TestServer, cookie: string): Promise<{ ready: true } | { error: string }> {
  const socket = io(server.url, { transports: ["websocket"], extraHeaders: { Cookie: `xs_session=${cookie}` }, reconnection: false, forceNew: true, timeout: 10_000 });
  handshakes.push(socket);
  return new Promise((resolve) => {
    socket.once(EVENT_READY, () => resolve({ ready: true }));
    socket.once("connect_error", (error: Error) => resolve({ error: error.message }));
  });
}

async function storedUpdates(session: string): Promise<number> {
  const result = await db!.query('SELECT count(*)::int AS n FROM "DraftUpdate" u JOIN "DraftDocument" d ON d.id = u."documentId" WHERE d."sessionId" = $1', [session]);
  return result.rows[0].n;
}

const insertAtStart = (client: YjsTestClient, marker: string) => client.change((doc) => doc.getText("probe").insert(0, marker));

/** Every event the socket receives from now on (acknowledgements are not events). */
function eventsFrom(client: YjsTestClient): string[] {
  const received: string[] = [];
  client.socket.onAny((event: string) => received.push(event));
  return received;
}

describe("logout", () => {
  it("closes the connections of that login on both processes, tells them why, and no others", async () => {
    requireRedis();
    const a = serverA!;
    const b = serverB!;
    const login1 = await loginAs(a.url, "workerRepresentative");
    const login2 = await loginAs(a.url, "workerRepresentative");
    const cookie1 = login1.cookies.get("xs_session")!;
    const cookie2 = login2.cookies.get("xs_session")!;
    expect(cookie1, "two logins of one user are two login sessions").not.toBe(cookie2);
    const login1OnA = await open(a, sessionId, cookie1, "login 1");
    const login1OnB = await open(b, sessionId, cookie1, "login 1");
    const login2OnA = await open(a, sessionId, cookie2, "login 2");
    const login2OnB = await open(b, sessionId, cookie2, "login 2");

    await withoutBOnBus("login-revoked", async () => {
      // Posted to A: B can learn of it only through Redis.
      const page = await login1.post("/logout", {});
      expect(page.status).toBe(302);
      expect(page.location).toBe("/login?notice=loggedOut");
      await waitFor(() => !login1OnA.client.socket.connected && !login1OnB.client.socket.connected, "login 1's connections on A and B to be closed");
    });
    for (const [where, connection] of [["A", login1OnA], ["B", login1OnB]] as const) {
      expect(connection.closing, `EVENT_CLOSING received by login 1 on ${where}`).toEqual([CLOSE_CODES.loggedOut]);
      expect(connection.disconnected, `login 1 on ${where} was disconnected by the server`).toEqual(["io server disconnect"]);
    }

    // The other login of the same user carries on, on both processes, both ways.
    for (const connection of [login2OnA, login2OnB]) {
      expect(connection.client.socket.connected).toBe(true);
      expect(connection.closing).toEqual([]);
    }
    const fromA = `[login 2 on A ${Date.now()}]`;
    expect(await insertAtStart(login2OnA.client, fromA)).toEqual({ ok: true });
    await waitFor(() => login2OnB.client.text().includes(fromA), "login 2's edit on A to reach login 2 on B");
    const fromB = `[login 2 on B ${Date.now()}]`;
    expect(await insertAtStart(login2OnB.client, fromB)).toEqual({ ok: true });
    await waitFor(() => login2OnA.client.text().includes(fromB), "login 2's edit on B to reach login 2 on A");
    expect(login2OnA.client.socket.connected && login2OnB.client.socket.connected).toBe(true);

    // Login 1 cannot open a new connection on either process; login 2 still can.
    expect(await handshake(a, cookie1)).toEqual({ error: HANDSHAKE_ERRORS.unauthorized });
    expect(await handshake(b, cookie1)).toEqual({ error: HANDSHAKE_ERRORS.unauthorized });
    expect(await handshake(b, cookie2)).toEqual({ ready: true });
  });
});

describe("a seat that ends", () => {
  it("takes its holder out of the draft on both processes: revoked, nothing relayed, no way back in", async () => {
    requireRedis();
    const a = serverA!;
    const b = serverB!;
    const recorderOnA = await open(a, sessionId, await cookieOf("recorder"), "the recorder");
    const recorderOnB = await open(b, sessionId, await cookieOf("recorder"), "the recorder");
    const witnessOnA = await open(a, sessionId, await cookieOf("platformRepresentative", 0), "a platform representative");
    const witnessOnB = await open(b, sessionId, await cookieOf("platformRepresentative", 1), "another platform representative");
    const editorOnA = await open(a, sessionId, await cookieOf("unionNegotiator"), "the negotiator");
    const editorOnB = await open(b, sessionId, await cookieOf("unionAdmin"), "the union admin");
    // Before: the recorders are in the room on both processes.
    const before = `[before ${Date.now()}]`;
    expect(await insertAtStart(editorOnA.client, before)).toEqual({ ok: true });
    await waitFor(() => recorderOnA.client.text().includes(before) && recorderOnB.client.text().includes(before), "an edit to reach both recorders");
    expect(recorderOnA.client.revoked).toEqual([]);
    expect(recorderOnB.client.revoked).toEqual([]);
    const seats = (await db!.query('SELECT s.id, u.email FROM "Seat" s JOIN "User" u ON u.id = s."userId" WHERE s."sessionId" = $1 AND s."endedAt" IS NULL', [sessionId])).rows;
    const recorderSeat = seats.find((row) => row.email === demoAccount("recorder").email)?.id as string | undefined;
    expect(recorderSeat, "the recorder's seat").toBeTruthy();

    const unionAdmin = await loginAs(a.url, "unionAdmin");
    await withoutBOnBus("access-changed", async () => {
      // Posted to A: only A hears it in-process; B can learn of it only through Redis.
      expect((await unionAdmin.post(`/sessions/${sessionId}`, { intent: "endSeat", seatId: recorderSeat!, reason: "辞任" })).status).toBe(302);
      await waitFor(() => recorderOnA.client.revoked.includes(sessionId) && recorderOnB.client.revoked.includes(sessionId), "the recorder to be revoked on A and on B");
    });
    expect(recorderOnA.client.revoked).toEqual([sessionId]);
    expect(recorderOnB.client.revoked).toEqual([sessionId]);

    // From now on nothing of the session reaches either recorder: edits made on either process,
    // presence, reach the witnesses on both processes and not the recorders.
    const toRecorderOnA = eventsFrom(recorderOnA.client);
    const toRecorderOnB = eventsFrom(recorderOnB.client);
    const afterA = `[after on A ${Date.now()}]`;
    const afterB = `[after on B ${Date.now()}]`;
    expect(await insertAtStart(editorOnA.client, afterA)).toEqual({ ok: true });
    expect(await insertAtStart(editorOnB.client, afterB)).toEqual({ ok: true });
    editorOnA.client.awareness.setLocalState({ where: "body" });
    expect(await editorOnA.client.socket.timeout(10_000).emitWithAck(DOC_EVENTS.awareness, sessionId, awarenessProtocol.encodeAwarenessUpdate(editorOnA.client.awareness, [editorOnA.client.doc.clientID]))).toEqual({ ok: true });
    for (const witness of [witnessOnA, witnessOnB]) {
      await waitFor(() => witness.client.text().includes(afterA) && witness.client.text().includes(afterB), "both edits to reach a witness");
      await waitFor(() => witness.client.awareness.getStates().has(editorOnA.client.doc.clientID), "the editor's presence to reach a witness");
    }
    // A round trip on each recorder's own connection: what its process sent it before answering
    // has arrived. Neither process counts it as joined any more.
    for (const recorder of [recorderOnA, recorderOnB]) {
      expect(await recorder.client.socket.timeout(10_000).emitWithAck(DOC_EVENTS.leave, sessionId)).toEqual({ ok: false, code: DOC_ERRORS.notJoined });
    }
    expect(toRecorderOnA, "events sent to the recorder on A after the revocation").toEqual([]);
    expect(toRecorderOnB, "events sent to the recorder on B after the revocation").toEqual([]);
    expect(recorderOnA.client.text()).not.toContain(afterA);
    expect(recorderOnB.client.text()).not.toContain(afterB);
    // Still connected (the login is valid), but the draft is closed to it on both processes.
    for (const recorder of [recorderOnA, recorderOnB]) {
      expect(recorder.client.socket.connected).toBe(true);
      expect(await recorder.client.socket.timeout(10_000).emitWithAck(DOC_EVENTS.join, sessionId)).toEqual({ ok: false, code: DOC_ERRORS.notFound });
    }
  });
});

describe("the end of bargaining", () => {
  it("downgrades editors on both processes, and their updates are refused and not stored", async () => {
    requireRedis();
    const a = serverA!;
    const b = serverB!;
    const agreed = await sessionInBargaining(a.url, db!, `草案议定 ${Date.now()}`);
    const editorOnA = await open(a, agreed, await cookieOf("unionNegotiator"), "the negotiator");
    const editorOnB = await open(b, agreed, await cookieOf("workerRepresentative"), "a worker representative");
    const watcherOnA = await open(a, agreed, await cookieOf("unionAdmin"), "the union admin");
    const watcherOnB = await open(b, agreed, await cookieOf("platformRepresentative"), "a platform representative");
    for (const editor of [editorOnA, editorOnB]) expect(editor.client.capabilities?.edit).toBe(true);
    const before = `[before ${Date.now()}]`;
    expect(await insertAtStart(editorOnA.client, before)).toEqual({ ok: true });
    await waitFor(() => editorOnB.client.text().includes(before) && watcherOnB.client.text().includes(before), "an edit to reach B");
    const stored = await storedUpdates(agreed);

    await withoutBOnBus("access-changed", async () => {
      await agreeDraft(a.url, agreed);
      const downgraded = (connection: Connection) => connection.capabilityEvents.some(([id, capabilities]) => id === agreed && capabilities.edit === false);
      await waitFor(() => downgraded(editorOnA) && downgraded(editorOnB), "both editors to be told they can no longer edit");
    });
    expect((await db!.query('SELECT state FROM "BargainingSession" WHERE id = $1', [agreed])).rows[0].state).toBe("DRAFT_AGREED");
    for (const editor of [editorOnA, editorOnB]) {
      expect(editor.capabilityEvents.at(-1)).toEqual([agreed, expect.objectContaining({ view: true, edit: false })]);
      expect(editor.client.socket.connected, "a downgrade is not a disconnection").toBe(true);
    }

    const late = `[late ${Date.now()}]`;
    expect(await insertAtStart(editorOnA.client, `${late} A`)).toEqual({ ok: false, code: DOC_ERRORS.forbidden });
    expect(await insertAtStart(editorOnB.client, `${late} B`)).toEqual({ ok: false, code: DOC_ERRORS.forbidden });
    expect(await storedUpdates(agreed)).toBe(stored);
    const fromDatabase = await loadDocument(agreed);
    expect(fromDatabase.doc.getText("probe").toString()).toContain(before);
    expect(fromDatabase.doc.getText("probe").toString()).not.toContain(late);
    fromDatabase.doc.destroy();
    // Nor relayed: a round trip on each watcher's connection, then the document it holds, and
    // the documents each process serves to a newcomer.
    for (const watcher of [watcherOnA, watcherOnB]) {
      expect(await watcher.client.socket.timeout(10_000).emitWithAck(DOC_EVENTS.commentList, agreed)).toMatchObject({ ok: true });
      expect(watcher.client.text()).not.toContain(late);
    }
    for (const server of [a, b]) {
      const newcomer = await open(server, agreed, await cookieOf("unionAdmin"), "a newcomer");
      expect(newcomer.client.text()).toContain(before);
      expect(newcomer.client.text()).not.toContain(late);
    }
  });
});

describe("a connection that keeps collecting refusals", () => {
  const REFUSALS_PER_MINUTE = 10;
  let server: TestServer;
  let refusalsDb: pg.Client;
  let session: string;

  beforeAll(async () => {
    server = await startTestServer({ XS_REALTIME_REFUSALS_PER_MINUTE: String(REFUSALS_PER_MINUTE) });
    refusalsDb = new pg.Client({ connectionString: server.databaseUrl });
    await refusalsDb.connect();
    session = await sessionInBargaining(server.url, refusalsDb, `拒绝 ${Date.now()}`);
  });

  afterAll(async () => {
    await refusalsDb?.end();
    await server?.close();
  });

  it("is told why and closed past XS_REALTIME_REFUSALS_PER_MINUTE; a well-behaved one of the same login is not", async () => {
    const cookie = (await loginAs(server.url, "unionNegotiator")).cookies.get("xs_session")!;
    const noisy = await open(server, session, cookie, "the noisy connection");
    const quiet = await open(server, session, cookie, "the quiet connection of the same login");
    const watcher = await open(server, session, (await loginAs(server.url, "unionAdmin")).cookies.get("xs_session")!, "a watcher");
    const unknown = () => noisy.client.socket.timeout(10_000).emitWithAck("doc:no-such-event", session);

    for (let refusal = 1; refusal <= REFUSALS_PER_MINUTE; refusal += 1) {
      expect(await unknown(), `refusal ${refusal}`).toEqual({ ok: false, code: DOC_ERRORS.unknownEvent });
    }
    // Up to the limit the connection stays, and a proper request is still answered.
    expect(await noisy.client.socket.timeout(10_000).emitWithAck(DOC_EVENTS.commentList, session)).toMatchObject({ ok: true });
    expect(noisy.client.socket.connected).toBe(true);
    expect(noisy.closing).toEqual([]);

    // One more: answered, then told why and closed.
    expect(await unknown()).toEqual({ ok: false, code: DOC_ERRORS.unknownEvent });
    await waitFor(() => !noisy.client.socket.connected, "the noisy connection to be closed");
    expect(noisy.closing).toEqual([CLOSE_CODES.tooManyRefusals]);
    expect(noisy.disconnected).toEqual(["io server disconnect"]);

    // Its neighbour, of the same login, is untouched: connected, editing, seen by others.
    expect(quiet.client.socket.connected).toBe(true);
    expect(quiet.closing).toEqual([]);
    const marker = `[quiet ${Date.now()}]`;
    expect(await insertAtStart(quiet.client, marker)).toEqual({ ok: true });
    await waitFor(() => watcher.client.text().includes(marker), "the quiet connection's edit to reach the watcher");
    // The login itself is still good: a new connection is accepted.
    expect(await handshake(server, cookie)).toEqual({ ready: true });
  });
});
