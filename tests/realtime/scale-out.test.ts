/**
 * Scale-out: two server instances sharing one database and one Redis (socket.io Redis adapter)
 * relay each other's edits, store each acknowledged edit exactly once, serve the same document
 * from either instance, and carry access revocations across.
 *
 * Both instances run in this test process. Separate processes share nothing but PostgreSQL and
 * Redis; in one process they also share the in-process access-change bus (app/infra/events.server.ts,
 * one module of the server bundle), which would let instance B hear a revocation announced on A without Redis. The
 * revocation test therefore takes B's listener off that bus for its duration, so that Redis is
 * the only way for the news to reach B, as between real processes.
 */
import net from "node:net";
import type { EventEmitter } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { loadDocument } from "../../app/models/document-store.server.ts";
import { DOC_ERRORS, DOC_EVENTS } from "../../realtime/protocol.ts";
import { serverBundle, startTestServer } from "../support/server.ts";
import { loginAs, sessionInBargaining } from "../support/sessions.ts";
import { waitFor, YjsTestClient } from "../support/yjs-client.ts";

const REDIS_HOST = "127.0.0.1";
const REDIS_PORT = 6379;
const REDIS_URL = `redis://${REDIS_HOST}:${REDIS_PORT}`;

type TestServer = Awaited<ReturnType<typeof startTestServer>>;
let serverA: TestServer | undefined;
let serverB: TestServer | undefined;
let db: pg.Client | undefined;
let sessionId: string;
/** Instance B's listener on the in-process access-change bus (see the header). */
let listenerOfB: ((sessionId: string | null) => void) | undefined;
const clients: YjsTestClient[] = [];
const cookies = new Map<string, string>();

/** Why Redis cannot be used, or null. Checked once; every test then fails with this message. */
let redisProblem: string | null = null;

/** Resolves if a Redis server answers PING; rejects with a message that says what to do. */
async function checkRedis(): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const fail = (why: string) => {
      socket.destroy();
      reject(new Error(`Redis is not reachable at ${REDIS_URL} (${why}). The scale-out test needs it (CI starts a Redis service); start one locally with \`redis-server\`.`));
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

let accessBusInstance: EventEmitter | null = null;
function accessBus(): EventEmitter {
  if (!accessBusInstance) throw new Error("the in-process bus is not loaded yet (no server started?)");
  return accessBusInstance;
}

beforeAll(async () => {
  // Without Redis there is nothing to test, but that is a failure (of every test, with this
  // message), never a skip: CI provides Redis.
  redisProblem = await checkRedis().then(
    () => null,
    (error: Error) => error.message,
  );
  if (redisProblem) return;
  serverA = await startTestServer({ REDIS_URL });
  accessBusInstance = (await serverBundle()).inProcessBus();
  const before = new Set(accessBus().listeners("access-changed"));
  serverB = await startTestServer({ REDIS_URL });
  const added = accessBus().listeners("access-changed").filter((listener) => !before.has(listener));
  expect(added, "instance B subscribes to the access-change bus once").toHaveLength(1);
  listenerOfB = added[0] as (sessionId: string | null) => void;
  expect(serverA.databaseUrl).toBe(serverB.databaseUrl);
  expect(serverA.port).not.toBe(serverB.port);
  db = new pg.Client({ connectionString: serverA.databaseUrl });
  await db.connect();
  sessionId = await sessionInBargaining(serverA.url, db);
});

afterAll(async () => {
  for (const client of clients) client.close();
  await db?.end();
  await serverA?.close();
  await serverB?.close();
});

async function cookieOf(roleKey: string): Promise<string> {
  if (!cookies.has(roleKey)) cookies.set(roleKey, (await loginAs(serverA!.url, roleKey)).cookies.get("xs_session")!);
  return cookies.get(roleKey)!;
}

async function connect(server: TestServer, roleKey: string): Promise<YjsTestClient> {
  const client = new YjsTestClient(server.url, sessionId, await cookieOf(roleKey));
  clients.push(client);
  const ack = await client.join();
  expect(ack, `${roleKey} joins through ${server.url}`).toMatchObject({ ok: true });
  return client;
}

async function storedUpdates(): Promise<number> {
  const result = await db!.query('SELECT count(*)::int AS n FROM "DraftUpdate" u JOIN "DraftDocument" d ON d.id = u."documentId" WHERE d."sessionId" = $1', [sessionId]);
  return result.rows[0].n;
}

async function insertAtEnd(client: YjsTestClient, marker: string) {
  return client.change((doc) => {
    const text = doc.getText("probe");
    text.insert(text.length, marker);
  });
}

function requireRedis() {
  if (redisProblem) throw new Error(redisProblem);
}

describe("two instances with Redis", () => {
  it("relay edits to each other, store each acknowledged edit once and serve the same document", async () => {
    requireRedis();
    const a = serverA!;
    const b = serverB!;
    const editorOnA = await connect(a, "unionNegotiator");
    const commenterOnB = await connect(b, "platformRepresentative");
    const editorOnB = await connect(b, "unionAdmin");
    expect(editorOnA.capabilities?.edit).toBe(true);
    expect(commenterOnB.capabilities).toMatchObject({ view: true, edit: false });
    expect(editorOnB.capabilities?.edit).toBe(true);
    const storedBefore = await storedUpdates();

    // A → B
    expect(await insertAtEnd(editorOnA, "[from-A]")).toEqual({ ok: true });
    await waitFor(() => commenterOnB.text().includes("[from-A]"), "A's edit to reach the commenter on B");
    await waitFor(() => editorOnB.text().includes("[from-A]"), "A's edit to reach the editor on B");

    // B → A
    expect(await insertAtEnd(editorOnB, "[from-B]")).toEqual({ ok: true });
    await waitFor(() => editorOnA.text().includes("[from-B]"), "B's edit to reach the editor on A");
    await waitFor(() => commenterOnB.text().includes("[from-B]"), "B's edit to reach the commenter on B");

    // Both at once, through both instances: every edit acknowledged, stored once, everywhere.
    const burst = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => insertAtEnd(editorOnA, `[a${i}]`)),
      ...Array.from({ length: 10 }, (_, i) => insertAtEnd(editorOnB, `[b${i}]`)),
    ]);
    expect(burst.every((ack) => ack.ok)).toBe(true);
    const acknowledged = 2 + burst.length;
    const live = [editorOnA, commenterOnB, editorOnB];
    const complete = (client: YjsTestClient) => Array.from({ length: 10 }, (_, i) => [`[a${i}]`, `[b${i}]`]).flat().every((marker) => client.text().includes(marker));
    await waitFor(() => live.every(complete), "the burst to reach every client");
    const text = editorOnA.text();
    expect(live.map((client) => client.text())).toEqual([text, text, text]);
    expect(await storedUpdates()).toBe(storedBefore + acknowledged);

    // A newcomer gets the same document through either instance (each serves its in-memory
    // copy, kept current with the other's updates), and so does a load from the database.
    const freshOnA = await connect(a, "workerRepresentative");
    const freshOnB = await connect(b, "workerRepresentative");
    expect(freshOnA.text(), "the document a newcomer loads through A").toBe(text);
    expect(freshOnB.text(), "the document a newcomer loads through B").toBe(text);
    const stored = await loadDocument(sessionId);
    expect(stored.doc.getText("probe").toString(), "the document stored in the database").toBe(text);
    stored.doc.destroy();
    // Joining stores nothing.
    expect(await storedUpdates()).toBe(storedBefore + acknowledged);
  });

  it("carries a revocation announced on one instance to a client on the other", async () => {
    requireRedis();
    const a = serverA!;
    const b = serverB!;
    const recorderOnB = await connect(b, "recorder");
    const witnessOnB = await connect(b, "platformRepresentative");
    const editorOnA = await connect(a, "unionNegotiator");
    expect(recorderOnB.revoked).toEqual([]);
    const seats = (await db!.query('SELECT s.id, u.email FROM "Seat" s JOIN "User" u ON u.id = s."userId" WHERE s."sessionId" = $1 AND s."endedAt" IS NULL', [sessionId])).rows;
    const recorderSeat = seats.find((row) => row.email === "recorder@xieshang.demo")?.id as string | undefined;
    expect(recorderSeat, "the recorder's seat").toBeTruthy();

    const unionAdmin = await loginAs(a.url, "unionAdmin");
    accessBus().off("access-changed", listenerOfB!);
    try {
      // Posted to A: only A hears it in-process; B can learn of it only through Redis.
      expect((await unionAdmin.post(`/sessions/${sessionId}`, { intent: "endSeat", seatId: recorderSeat!, reason: "辞任" })).status).toBe(302);
      await waitFor(() => recorderOnB.revoked.includes(sessionId), "the recorder on B to be revoked");
    } finally {
      accessBus().on("access-changed", listenerOfB!);
    }

    // Out of the room on B: an edit made on A reaches the other client on B, not the recorder.
    // (Counted as messages, not text, so that this does not depend on the document's state.)
    const received = (client: YjsTestClient) => {
      const count = { sync: 0 };
      client.socket.on(DOC_EVENTS.sync, () => (count.sync += 1));
      return count;
    };
    const toRecorder = received(recorderOnB);
    const toWitness = received(witnessOnB);
    expect(await insertAtEnd(editorOnA, "[after-revocation]")).toEqual({ ok: true });
    await waitFor(() => toWitness.sync > 0, "the edit to reach the other client on B");
    // A round trip on the recorder's own connection: anything B sent it before answering (as the
    // relayed edit would have been) has arrived by now. B also no longer counts it as joined.
    expect(await recorderOnB.socket.timeout(5000).emitWithAck(DOC_EVENTS.leave, sessionId)).toEqual({ ok: false, code: DOC_ERRORS.notJoined });
    expect(toRecorder.sync, "messages relayed to the revoked recorder").toBe(0);
  });
});
