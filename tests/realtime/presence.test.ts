/**
 * Presence bound to identity (issue 14, item 2), against the real server, database and Redis with
 * real y-protocols clients: a client chooses where it is in the draft, never the name, side or
 * colour others see; a connection may only change or remove the awareness client ids it introduced
 * (at most LIMITS.maxPresencePerConnection of them); viewers are not shown; a closed connection's
 * presence goes, and only its own; a joiner gets a snapshot of who is present. The same rules hold
 * between two processes behind Redis ("xs:presence", "xs:presence-request").
 *
 * Every "not seen" is checked after a barrier: a later presence change that the observer did see.
 * The server relays presence in the order it processes it, each observer's messages arrive in order
 * on its one connection, and an attack is acknowledged only after anything it caused was relayed;
 * so once the barrier has arrived, whatever the attack would have changed would have arrived too.
 */
import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import * as awarenessProtocol from "y-protocols/awareness";
import * as encoding from "lib0/encoding";
import { SIDE_COLOURS } from "../../app/domain/party-colours.ts";
import { DOC_ERRORS, DOC_EVENTS, LIMITS, type DocAck } from "../../realtime/protocol.ts";
import { startTestServer } from "../support/server.ts";
import { demoAccount, loginAs, sessionInBargaining } from "../support/sessions.ts";
import { waitFor, YjsTestClient } from "../support/yjs-client.ts";

const REDIS_HOST = "127.0.0.1";
const REDIS_PORT = 6379;
const REDIS_URL = `redis://${REDIS_HOST}:${REDIS_PORT}`;

type TestServer = Awaited<ReturnType<typeof startTestServer>>;
type State = Record<string, unknown>;
type Entry = { clientId: number; clock: number; state: State | null };

/** Connections opened by the running test; closed after it (their presence goes with them). */
const opened: YjsTestClient[] = [];
/** Login cookies by base URL and role (one login per role and server is enough). */
const cookies = new Map<string, string>();

const NOT_YOURS: DocAck = { ok: false, code: DOC_ERRORS.forbidden, message: { key: "draft.error.presenceNotYours" } };
const OVER_LIMIT: DocAck = { ok: false, code: DOC_ERRORS.forbidden, message: { key: "draft.error.presenceLimit", values: { max: LIMITS.maxPresencePerConnection } } };

const nameOf = (roleKey: string, index = 0) => demoAccount(roleKey, index).displayName;

/** What others must see for a participant: the server's record, plus the `where` the client chose. */
function stamped(roleKey: string, side: "WORKER" | "EMPLOYER", rest: State = {}, index = 0): State {
  return { user: { name: nameOf(roleKey, index), color: SIDE_COLOURS[side], side }, ...rest };
}

/** A hand-made y-protocols awareness update (any client ids, clocks and states). */
function awarenessMessage(entries: Entry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, JSON.stringify(state));
  }
  return encoding.toUint8Array(encoder);
}

function sendPresence(client: YjsTestClient, message: Uint8Array): Promise<DocAck> {
  return client.socket.timeout(10_000).emitWithAck(DOC_EVENTS.awareness, client.sessionId, message);
}

/** Sets the client's own awareness state and sends it, as y-protocols clients do. */
function announce(client: YjsTestClient, state: State): Promise<DocAck> {
  client.awareness.setLocalState(state);
  return sendPresence(client, awarenessProtocol.encodeAwarenessUpdate(client.awareness, [client.doc.clientID]));
}

const clockOf = (client: YjsTestClient) => client.awareness.meta.get(client.doc.clientID)!.clock;
const seen = (observer: YjsTestClient, clientId: number) => observer.awareness.getStates().get(clientId) as State | undefined;

/** Waits until `observer` sees exactly `expected` under `clientId`. */
async function expectSeen(observer: YjsTestClient, clientId: number, expected: State, what: string) {
  await waitFor(() => JSON.stringify(seen(observer, clientId)) === JSON.stringify(expected), what).catch((error: Error) => {
    throw new Error(`${error.message}; the observer sees ${JSON.stringify(seen(observer, clientId))}, expected ${JSON.stringify(expected)}`);
  });
  expect(seen(observer, clientId)).toEqual(expected);
}

let barriers = 0;
/** `sender` announces a fresh `where`; resolves once every observer has it (see the header). */
async function barrier(sender: YjsTestClient, observers: YjsTestClient[]) {
  barriers += 1;
  const where = `barrier-${barriers}`;
  expect(await announce(sender, { where }), "the barrier presence is accepted").toEqual({ ok: true });
  for (const observer of observers) await waitFor(() => seen(observer, sender.doc.clientID)?.where === where, `the barrier ${where} to reach an observer`);
}

/** Client ids of no document (Yjs draws uint32 ids at random; these are distinct per worker and call). */
let forgedIds = 0;
const forgedId = () => 0xf000_0000 + (process.pid % 4096) * 4096 + ++forgedIds;

async function cookieOf(server: TestServer, roleKey: string, index = 0): Promise<string> {
  const key = `${server.url} ${roleKey}:${index}`;
  if (!cookies.has(key)) cookies.set(key, (await loginAs(server.url, roleKey, index)).cookies.get("xs_session")!);
  return cookies.get(key)!;
}

async function connect(server: TestServer, sessionId: string, roleKey: string, index = 0): Promise<YjsTestClient> {
  const client = new YjsTestClient(server.url, sessionId, await cookieOf(server, roleKey, index));
  opened.push(client);
  expect(await client.join(), `${roleKey} joins through ${server.url}`).toMatchObject({ ok: true });
  return client;
}

afterEach(() => {
  for (const client of opened.splice(0)) client.close();
});

describe("one process", () => {
  let server: TestServer;
  let db: pg.Client;
  let sessionId: string;
  const join = (roleKey: string, index = 0) => connect(server, sessionId, roleKey, index);

  beforeAll(async () => {
    server = await startTestServer();
    db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
    sessionId = await sessionInBargaining(server.url, db);
  });

  afterAll(async () => {
    await db?.end();
    await server?.close();
  });

  it("shows others the name, side and colour on record, whatever the client claims, and keeps only where it is", async () => {
    const negotiator = await join("unionNegotiator");
    const observer = await join("unionAdmin");
    expect(await announce(negotiator, { user: { name: "假冒", color: "#000000" }, where: "body", extra: "x" })).toEqual({ ok: true });
    await expectSeen(observer, negotiator.doc.clientID, stamped("unionNegotiator", "WORKER", { where: "body" }), "the negotiator's presence to reach the observer");

    // A commenter of the other side claiming the negotiator's name and colour is shown as who it is.
    const rep = await join("platformRepresentative");
    expect(await announce(rep, { user: { name: nameOf("unionNegotiator"), color: SIDE_COLOURS.WORKER, side: "WORKER" }, where: "pieceRateBaseFen" })).toEqual({ ok: true });
    await expectSeen(observer, rep.doc.clientID, stamped("platformRepresentative", "EMPLOYER", { where: "pieceRateBaseFen" }), "the representative's presence to reach the observer");
    // The negotiator sees it the same way (the sender is the only one not sent its own state).
    await expectSeen(negotiator, rep.doc.clientID, stamped("platformRepresentative", "EMPLOYER", { where: "pieceRateBaseFen" }), "the representative's presence to reach the negotiator");
    expect(seen(observer, negotiator.doc.clientID)).toEqual(stamped("unionNegotiator", "WORKER", { where: "body" }));
  });

  it("refuses taking over or removing a presence another connection owns", async () => {
    const negotiator = await join("unionNegotiator");
    const observer = await join("unionAdmin");
    const rep = await join("platformRepresentative");
    const owned = stamped("unionNegotiator", "WORKER", { where: "body" });
    expect(await announce(negotiator, { where: "body" })).toEqual({ ok: true });
    await expectSeen(observer, negotiator.doc.clientID, owned, "the negotiator's presence to reach the observer");
    const target = negotiator.doc.clientID;

    // Takeover: a state for the negotiator's client id, with a newer clock.
    expect(await sendPresence(rep, awarenessMessage([{ clientId: target, clock: clockOf(negotiator) + 1, state: { user: { name: "假冒" }, where: "takeover" } }]))).toEqual(NOT_YOURS);
    // Smuggled next to a legitimate entry of its own: the whole message is refused.
    const smuggled = awarenessMessage([
      { clientId: rep.doc.clientID, clock: 1, state: { where: "smuggled" } },
      { clientId: target, clock: clockOf(negotiator) + 2, state: { where: "takeover" } },
    ]);
    expect(await sendPresence(rep, smuggled)).toEqual(NOT_YOURS);
    // Removal: the negotiator's client id, state null, a much newer clock.
    expect(await sendPresence(rep, awarenessMessage([{ clientId: target, clock: clockOf(negotiator) + 100, state: null }]))).toEqual(NOT_YOURS);

    await barrier(rep, [observer, negotiator]);
    expect(seen(observer, target), "the negotiator's presence after the attacks").toEqual(owned);
    // The smuggled entry of the refused message was not applied either (the barrier's state is there instead).
    expect(seen(observer, rep.doc.clientID)?.where).toMatch(/^barrier-/);
    // The server's own record is unchanged: a joiner's snapshot has the negotiator as it was.
    const joiner = await join("workerRepresentative");
    await expectSeen(joiner, target, owned, "the negotiator's presence in a joiner's snapshot");
    // And the owner still controls its presence.
    expect(await announce(negotiator, { where: "commissionCapBp" })).toEqual({ ok: true });
    await expectSeen(observer, target, stamped("unionNegotiator", "WORKER", { where: "commissionCapBp" }), "the negotiator's own change to reach the observer");
  });

  it(`refuses more than ${LIMITS.maxPresencePerConnection} client ids from one connection`, async () => {
    const editor = await join("workerRepresentative");
    const observer = await join("unionAdmin");
    const ids = Array.from({ length: LIMITS.maxPresencePerConnection }, () => forgedId());
    const identity = (where: string) => stamped("workerRepresentative", "WORKER", { where });
    // As many as allowed, in two messages: accepted, each shown as the sender.
    const first = ids.slice(0, 2).map((clientId) => ({ clientId, clock: 1, state: { user: { name: "甲" }, where: `id-${clientId}` } }));
    const rest = ids.slice(2).map((clientId) => ({ clientId, clock: 1, state: { user: { name: "乙" }, where: `id-${clientId}` } }));
    expect(await sendPresence(editor, awarenessMessage(first))).toEqual({ ok: true });
    expect(await sendPresence(editor, awarenessMessage(rest))).toEqual({ ok: true });
    for (const clientId of ids) await expectSeen(observer, clientId, identity(`id-${clientId}`), `forged client id ${clientId} to reach the observer`);

    // One more, alone or next to an owned one: refused.
    const extra = forgedId();
    expect(await sendPresence(editor, awarenessMessage([{ clientId: extra, clock: 1, state: { where: "one-too-many" } }]))).toEqual(OVER_LIMIT);
    expect(await sendPresence(editor, awarenessMessage([{ clientId: ids[0]!, clock: 2, state: { where: "owned" } }, { clientId: extra, clock: 1, state: { where: "one-too-many" } }]))).toEqual(OVER_LIMIT);
    // Its own doc client id counts too: it is a new one for the server.
    expect(await announce(editor, { where: "own" })).toEqual(OVER_LIMIT);
    // A message with more entries than one connection may own is refused as malformed.
    const crowd = Array.from({ length: LIMITS.maxPresencePerConnection + 1 }, () => ({ clientId: forgedId(), clock: 1, state: { where: "crowd" } }));
    const fresh = await join("workerRepresentative");
    expect(await sendPresence(fresh, awarenessMessage(crowd))).toMatchObject({ ok: false, code: DOC_ERRORS.malformed });

    // The ids it owns still work (the barrier), and nothing refused reached the observer.
    const barrierMessage = awarenessMessage([{ clientId: ids[1]!, clock: 2, state: { where: "after-limit" } }]);
    expect(await sendPresence(editor, barrierMessage)).toEqual({ ok: true });
    await expectSeen(observer, ids[1]!, identity("after-limit"), "the owned id's change to reach the observer");
    expect(seen(observer, ids[0]!), "an owned id in a refused message").toEqual(identity(`id-${ids[0]}`));
    expect(seen(observer, extra)).toBeUndefined();
    expect(seen(observer, editor.doc.clientID)).toBeUndefined();
    for (const { clientId } of crowd) expect(seen(observer, clientId)).toBeUndefined();

    // Giving one up frees its place.
    expect(await sendPresence(editor, awarenessMessage([{ clientId: ids[3]!, clock: 2, state: null }]))).toEqual({ ok: true });
    await waitFor(() => !observer.awareness.getStates().has(ids[3]!), "the given-up id to leave the observer");
    expect(await sendPresence(editor, awarenessMessage([{ clientId: extra, clock: 1, state: { where: "in-its-place" } }]))).toEqual({ ok: true });
    await expectSeen(observer, extra, identity("in-its-place"), "the id in the freed place to reach the observer");
  });

  it("refuses a viewer's presence", async () => {
    const viewer = await join("bureauReviewer");
    expect(viewer.capabilities).toMatchObject({ view: true, edit: false, comment: false });
    const observer = await join("unionAdmin");
    const editor = await join("unionNegotiator");
    expect(await announce(viewer, { where: "body" })).toEqual({ ok: false, code: DOC_ERRORS.forbidden });
    const forged = forgedId();
    expect(await sendPresence(viewer, awarenessMessage([{ clientId: forged, clock: 1, state: { where: "body" } }]))).toEqual({ ok: false, code: DOC_ERRORS.forbidden });
    await barrier(editor, [observer]);
    expect(seen(observer, viewer.doc.clientID)).toBeUndefined();
    expect(seen(observer, forged)).toBeUndefined();
  });

  it("removes a closed connection's presence, and only its own; a later joiner sees who is present", async () => {
    const negotiator = await join("unionNegotiator");
    const observer = await join("unionAdmin");
    const rep = await join("platformRepresentative");
    const negotiatorState = stamped("unionNegotiator", "WORKER", { where: "body" });
    const second = forgedId();
    expect(await announce(negotiator, { where: "body" })).toEqual({ ok: true });
    expect(await announce(rep, { where: "terms" })).toEqual({ ok: true });
    expect(await sendPresence(rep, awarenessMessage([{ clientId: second, clock: 1, state: { where: "second" } }]))).toEqual({ ok: true });
    await expectSeen(observer, negotiator.doc.clientID, negotiatorState, "the negotiator's presence");
    await expectSeen(observer, rep.doc.clientID, stamped("platformRepresentative", "EMPLOYER", { where: "terms" }), "the representative's presence");
    await expectSeen(observer, second, stamped("platformRepresentative", "EMPLOYER", { where: "second" }), "the representative's second presence");

    rep.close();
    await waitFor(() => !observer.awareness.getStates().has(rep.doc.clientID) && !observer.awareness.getStates().has(second), "the closed connection's presence to leave the observer");
    expect(seen(observer, negotiator.doc.clientID)).toEqual(negotiatorState);

    const joiner = await join("workerRepresentative");
    await expectSeen(joiner, negotiator.doc.clientID, negotiatorState, "the negotiator's presence in the joiner's snapshot");
    expect(seen(joiner, rep.doc.clientID)).toBeUndefined();
    expect(seen(joiner, second)).toBeUndefined();
  });
});

/** Why Redis cannot be used, or null: every two-process test then fails with this message. */
let redisProblem: string | null = null;

async function checkRedis(): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const fail = (why: string) => {
      socket.destroy();
      reject(new Error(`Redis is not reachable at ${REDIS_URL} (${why}). The two-process presence tests need it (CI starts a Redis service); start one locally with \`redis-server\`.`));
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

/**
 * Both instances run in this test process. Presence between them travels only through the Redis
 * adapter (server-to-server events), never through the in-process bus (app/infra/events.server.ts), so
 * nothing here needs taking off that bus.
 */
describe("two processes behind Redis", () => {
  let serverA: TestServer | undefined;
  let serverB: TestServer | undefined;
  let db: pg.Client | undefined;

  beforeAll(async () => {
    // Without Redis there is nothing to test, but that is a failure, never a skip.
    redisProblem = await checkRedis().then(
      () => null,
      (error: Error) => error.message,
    );
    if (redisProblem) return;
    serverA = await startTestServer({ REDIS_URL });
    serverB = await startTestServer({ REDIS_URL });
    expect(serverA.databaseUrl).toBe(serverB.databaseUrl);
    db = new pg.Client({ connectionString: serverA.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await serverA?.close();
    await serverB?.close();
  });

  /** A session of its own, so that no connection on either process has its draft open yet. */
  const freshSession = () => sessionInBargaining(serverA!.url, db!, `在场 ${Date.now()}`);

  it("shows a joiner on B the presence announced on A before B opened the draft", async () => {
    requireRedis();
    const sessionId = await freshSession();
    const negotiatorOnA = await connect(serverA!, sessionId, "unionNegotiator");
    expect(await announce(negotiatorOnA, { user: { name: "假冒", color: "#000000" }, where: "body", extra: "x" })).toEqual({ ok: true });
    // Nobody on B has the draft open: B loads it now and asks A for the presence A holds.
    const joinerOnB = await connect(serverB!, sessionId, "unionAdmin");
    await expectSeen(joinerOnB, negotiatorOnA.doc.clientID, stamped("unionNegotiator", "WORKER", { where: "body" }), "A's presence to reach the joiner on B");
  });

  it("refuses takeover and removal sent through B for a client id owned on A", async () => {
    requireRedis();
    const sessionId = await freshSession();
    const negotiatorOnA = await connect(serverA!, sessionId, "unionNegotiator");
    const observerOnA = await connect(serverA!, sessionId, "unionAdmin");
    const owned = stamped("unionNegotiator", "WORKER", { where: "body" });
    expect(await announce(negotiatorOnA, { where: "body" })).toEqual({ ok: true });
    await expectSeen(observerOnA, negotiatorOnA.doc.clientID, owned, "the negotiator's presence on A");
    const attackerOnB = await connect(serverB!, sessionId, "platformRepresentative");
    const observerOnB = await connect(serverB!, sessionId, "workerRepresentative");
    // The attacker sees the negotiator through B: B knows the presence (and who owns it).
    await expectSeen(attackerOnB, negotiatorOnA.doc.clientID, owned, "the negotiator's presence to reach the attacker on B");
    await expectSeen(observerOnB, negotiatorOnA.doc.clientID, owned, "the negotiator's presence to reach the observer on B");

    const target = negotiatorOnA.doc.clientID;
    expect(await sendPresence(attackerOnB, awarenessMessage([{ clientId: target, clock: clockOf(negotiatorOnA) + 1, state: { where: "takeover" } }]))).toEqual(NOT_YOURS);
    expect(await sendPresence(attackerOnB, awarenessMessage([{ clientId: target, clock: clockOf(negotiatorOnA) + 100, state: null }]))).toEqual(NOT_YOURS);

    // The attacker's own presence, through B, reaches both observers after anything the attacks caused.
    await barrier(attackerOnB, [observerOnA, observerOnB]);
    expect(seen(observerOnA, target), "the negotiator's presence on A after the attacks").toEqual(owned);
    expect(seen(observerOnB, target), "the negotiator's presence on B after the attacks").toEqual(owned);
    // The owner still controls it, on both processes.
    expect(await announce(negotiatorOnA, { where: "commissionCapBp" })).toEqual({ ok: true });
    const moved = stamped("unionNegotiator", "WORKER", { where: "commissionCapBp" });
    await expectSeen(observerOnA, target, moved, "the negotiator's own change on A");
    await expectSeen(observerOnB, target, moved, "the negotiator's own change on B");
  });

  it("keeps a presence owned on A from a takeover sent through B before B has heard of it", async () => {
    requireRedis();
    const sessionId = await freshSession();
    const negotiatorOnA = await connect(serverA!, sessionId, "unionNegotiator");
    const observerOnA = await connect(serverA!, sessionId, "unionAdmin");
    const owned = stamped("unionNegotiator", "WORKER", { where: "body" });
    const target = negotiatorOnA.doc.clientID;
    expect(await announce(negotiatorOnA, { where: "body" })).toEqual({ ok: true });
    await expectSeen(observerOnA, target, owned, "the negotiator's presence on A");

    // When B opens the draft it asks the other processes for their presence ("xs:presence-request"),
    // and A answers through Redis: until that answer arrives, B knows of no presence here, nor who
    // owns it. A client that joins on B and at once sends a state for the negotiator's client id
    // lands in that window now and then unaided (once in five tries when this test was written);
    // A's answer is held back here (its listener taken off A's namespace) so that it always does.
    const namespaceA = serverA!.realtime.io.of("/");
    const answers = namespaceA.listeners("xs:presence-request");
    expect(answers, "A answers presence requests").toHaveLength(1);
    namespaceA.off("xs:presence-request", answers[0]!);
    let attack: DocAck;
    try {
      const attackerOnB = await connect(serverB!, sessionId, "platformRepresentative");
      attack = await sendPresence(attackerOnB, awarenessMessage([{ clientId: target, clock: clockOf(negotiatorOnA) + 1, state: { where: "takeover" } }]));
      await barrier(attackerOnB, [observerOnA]);
    } finally {
      namespaceA.on("xs:presence-request", answers[0]!);
    }
    // B could not know; A does: the client id belongs to one of A's own connections.
    expect(seen(observerOnA, target), `the negotiator's presence on A after B answered ${JSON.stringify(attack)} to a state for its client id`).toEqual(owned);
    expect(await announce(negotiatorOnA, { where: "commissionCapBp" }), "the owner changing its own presence").toEqual({ ok: true });
  });

  it("carries a presence announced on B to an observer on A, stamped with the server's identity", async () => {
    requireRedis();
    const sessionId = await freshSession();
    const observerOnA = await connect(serverA!, sessionId, "unionAdmin");
    const repOnB = await connect(serverB!, sessionId, "platformRepresentative");
    expect(await announce(repOnB, { user: { name: nameOf("unionNegotiator"), color: SIDE_COLOURS.WORKER, side: "WORKER" }, where: "pieceRateBaseFen", extra: "x" })).toEqual({ ok: true });
    await expectSeen(observerOnA, repOnB.doc.clientID, stamped("platformRepresentative", "EMPLOYER", { where: "pieceRateBaseFen" }), "B's presence to reach the observer on A");
  });

  it("removes a closed connection's presence on the other process", async () => {
    requireRedis();
    const sessionId = await freshSession();
    const negotiatorOnA = await connect(serverA!, sessionId, "unionNegotiator");
    const observerOnA = await connect(serverA!, sessionId, "unionAdmin");
    const repOnB = await connect(serverB!, sessionId, "platformRepresentative");
    const observerOnB = await connect(serverB!, sessionId, "workerRepresentative");
    const negotiatorState = stamped("unionNegotiator", "WORKER", { where: "body" });
    const repState = stamped("platformRepresentative", "EMPLOYER", { where: "terms" });
    expect(await announce(negotiatorOnA, { where: "body" })).toEqual({ ok: true });
    expect(await announce(repOnB, { where: "terms" })).toEqual({ ok: true });
    for (const observer of [observerOnA, observerOnB]) {
      await expectSeen(observer, negotiatorOnA.doc.clientID, negotiatorState, "the negotiator's presence");
      await expectSeen(observer, repOnB.doc.clientID, repState, "the representative's presence");
    }

    repOnB.close();
    await waitFor(() => !observerOnA.awareness.getStates().has(repOnB.doc.clientID), "B's closed connection to leave the observer on A");
    await waitFor(() => !observerOnB.awareness.getStates().has(repOnB.doc.clientID), "B's closed connection to leave the observer on B");
    expect(seen(observerOnA, negotiatorOnA.doc.clientID)).toEqual(negotiatorState);
    expect(seen(observerOnB, negotiatorOnA.doc.clientID)).toEqual(negotiatorState);

    negotiatorOnA.close();
    await waitFor(() => !observerOnB.awareness.getStates().has(negotiatorOnA.doc.clientID), "A's closed connection to leave the observer on B");
    await waitFor(() => !observerOnA.awareness.getStates().has(negotiatorOnA.doc.clientID), "A's closed connection to leave the observer on A");
  });
});
