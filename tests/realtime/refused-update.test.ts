/**
 * The browser's DraftProvider, run in Node against the real server and database: a change the
 * server refuses for good is dropped from the local document (the provider resets onto the
 * server's state) instead of staying there and being sent again by every later sync handshake.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import * as syncProtocol from "y-protocols/sync";
import { DraftProvider } from "../../app/collab/provider.ts";
import { DOC_ERRORS, DOC_EVENTS, LIMITS } from "../../realtime/protocol.ts";
import { startTestServer } from "../support/server.ts";
import { loginAs, sessionInBargaining } from "../support/sessions.ts";
import { waitFor, YjsTestClient } from "../support/yjs-client.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let db: pg.Client;
let sessionId: string;
let provider: DraftProvider;
let watcher: YjsTestClient;
const clients: YjsTestClient[] = [];
/** Every event the provider's socket sent, in order. */
const sent: Array<{ event: string; args: unknown[] }> = [];

const REFUSED_RATE = -5;
const HUGE = "x".repeat(LIMITS.maxMessageBytes + 1024);

beforeAll(async () => {
  server = await startTestServer();
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  sessionId = await sessionInBargaining(server.url, db);
  const cookie = (await loginAs(server.url, "unionNegotiator")).cookies.get("xs_session")!;
  provider = new DraftProvider(sessionId, {
    url: server.url,
    socketOptions: { transports: ["websocket"], extraHeaders: { Cookie: `xs_session=${cookie}` }, forceNew: true },
  });
  provider.socket.onAnyOutgoing((event: string, ...args: unknown[]) => sent.push({ event, args }));
  await waitFor(() => provider.status === "synced" && provider.capabilities.edit, "the provider to join and sync");
  // Someone else in the room, to see what the server relays (the platform side may comment: its
  // presence counts, it cannot edit).
  watcher = await connect("platformRepresentative");
}, 120_000);

afterAll(async () => {
  provider?.destroy();
  for (const client of clients) client.close();
  await db?.end();
  await server?.close();
});

async function connect(roleKey: string): Promise<YjsTestClient> {
  const client = new YjsTestClient(server.url, sessionId, (await loginAs(server.url, roleKey)).cookies.get("xs_session")!);
  clients.push(client);
  expect(await client.join(), `${roleKey} joins`).toMatchObject({ ok: true });
  return client;
}

async function storedUpdates(): Promise<number> {
  return (await db.query('SELECT count(*)::int AS n FROM "DraftUpdate" u JOIN "DraftDocument" d ON d.id = u."documentId" WHERE d."sessionId" = $1', [sessionId])).rows[0].n;
}

/** The provider's document equals what a fresh client loads from the server, to the last struct. */
async function expectProviderEqualsServer() {
  const fresh = await connect("unionAdmin");
  expect(Y.encodeStateVector(provider.doc)).toEqual(Y.encodeStateVector(fresh.doc));
  expect(provider.doc.getMap("terms").toJSON()).toEqual(fresh.doc.getMap("terms").toJSON());
  expect(provider.doc.getText("probe").toString()).toBe(fresh.doc.getText("probe").toString());
  fresh.close();
}

/** The Yjs updates inside the `yjs:sync` messages sent from `from` on (steps 2 and updates). */
function sentUpdates(from: number): Uint8Array[] {
  return sent.slice(from).flatMap(({ event, args }) => {
    if (event !== DOC_EVENTS.sync) return [];
    const decoder = decoding.createDecoder(new Uint8Array(args[1] as Uint8Array));
    const type = decoding.readVarUint(decoder);
    if (type === syncProtocol.messageYjsSyncStep1) return [];
    return [decoding.readVarUint8Array(decoder)];
  });
}

const carriesRefusedRate = (update: Uint8Array) =>
  Y.decodeUpdate(update).structs.some((struct) => struct instanceof Y.Item && struct.content instanceof Y.ContentAny && struct.content.arr.includes(REFUSED_RATE));

const carriesHugeText = (update: Uint8Array) =>
  Y.decodeUpdate(update).structs.some((struct) => struct instanceof Y.Item && struct.content instanceof Y.ContentString && struct.content.str.length >= HUGE.length);

/** Closes the transport under the provider (socket.io-client reconnects by itself) and waits for the re-sync. */
async function reconnect(): Promise<number> {
  const joinsBefore = sent.filter(({ event }) => event === DOC_EVENTS.join).length;
  const from = sent.length;
  provider.socket.io.engine.close();
  await waitFor(() => provider.status !== "synced", "the provider to notice the disconnection");
  await waitFor(() => sent.filter(({ event }) => event === DOC_EVENTS.join).length > joinsBefore, "the provider to join again", 30_000);
  await waitFor(() => provider.status === "synced", "the provider to sync again", 30_000);
  // Its answer to the server's step 1 (whatever the server lacks) has gone out too.
  await waitFor(() => sent.slice(from).some(({ event, args }) => event === DOC_EVENTS.sync && new Uint8Array(args[1] as Uint8Array)[0] === syncProtocol.messageYjsSyncStep2), "the provider's step 2");
  return from;
}

/** A legitimate edit through the provider reaches the watcher, and is stored once. */
async function editReachesOthers(text: string) {
  const stored = await storedUpdates();
  provider.doc.getText("probe").insert(0, text);
  await waitFor(() => watcher.text().startsWith(text), `"${text.trim()}" to reach the watcher`);
  await waitFor(() => provider.doc.getText("probe").toString() === watcher.text(), "the provider and the watcher to agree");
  expect(await storedUpdates()).toBe(stored + 1);
}

describe("a change the server refuses for good", () => {
  it("is dropped: the provider resets onto the server's state and never sends it again", async () => {
    await editReachesOthers("before ");
    provider.awareness.setLocalStateField("user", { name: "工会谈判代表", color: "#b42318" });
    provider.awareness.setLocalStateField("where", "pieceRateBaseFen");
    const oldClientId = provider.doc.clientID;
    await waitFor(() => (watcher.awareness.getStates().get(oldClientId) as { where?: string } | undefined)?.where === "pieceRateBaseFen", "the provider's presence to reach the watcher");
    const stored = await storedUpdates();
    const serverRate = watcher.doc.getMap("terms").get("pieceRateBaseFen");

    // termsSchema refuses a negative rate: the server answers `invalid` and stores nothing.
    provider.doc.getMap("terms").set("pieceRateBaseFen", REFUSED_RATE);
    await waitFor(() => provider.generation === 1, "the provider to reset");
    expect(provider.lastError).toBe(DOC_ERRORS.invalid);
    await waitFor(() => provider.status === "synced", "the fresh document to sync");
    expect(provider.doc.clientID).not.toBe(oldClientId);
    expect(provider.doc.getMap("terms").get("pieceRateBaseFen")).toBe(serverRate);
    expect(provider.doc.getText("probe").toString()).toBe(watcher.text());
    await expectProviderEqualsServer();
    expect(await storedUpdates()).toBe(stored);
    expect(watcher.doc.getMap("terms").get("pieceRateBaseFen")).toBe(serverRate);

    // Presence carries over to the new client id; the old one leaves the room at once.
    expect(provider.awareness.getLocalState()).toMatchObject({ user: { name: "工会谈判代表", color: "#b42318" }, where: "pieceRateBaseFen" });
    await waitFor(() => !watcher.awareness.getStates().has(oldClientId), "the old client id's presence to be removed");
    await waitFor(() => (watcher.awareness.getStates().get(provider.doc.clientID) as { where?: string } | undefined)?.where === "pieceRateBaseFen", "the new client id's presence to reach the watcher");

    await editReachesOthers("after ");

    const from = await reconnect();
    const updates = sentUpdates(from);
    expect(updates.length, "the re-sync sent its step 2").toBeGreaterThan(0);
    expect(updates.filter(carriesRefusedRate).length, "updates sent after the reconnection that carry the refused rate").toBe(0);
    // Applied to a copy of the server's state, nothing sent brings the refused rate back either.
    const scratch = new Y.Doc();
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(watcher.doc));
    for (const update of updates) Y.applyUpdate(scratch, update);
    expect(scratch.getMap("terms").get("pieceRateBaseFen")).toBe(serverRate);
    scratch.destroy();

    await editReachesOthers("reconnected ");
    expect(provider.generation, "no further reset").toBe(1);
    expect(provider.doc.getMap("terms").get("pieceRateBaseFen")).toBe(serverRate);
    await expectProviderEqualsServer();
  }, 120_000);

  it("is dropped when it is too large to send, with later edits kept", async () => {
    const generation = provider.generation;
    const stored = await storedUpdates();
    // One transaction larger than a sync message may be: refused with `too_large` before any handler.
    provider.doc.getText("probe").insert(0, HUGE);
    await waitFor(() => provider.generation === generation + 1, "the provider to reset");
    expect(provider.lastError).toBe(DOC_ERRORS.tooLarge);
    await waitFor(() => provider.status === "synced", "the fresh document to sync");
    expect(provider.doc.getText("probe").toString()).not.toContain(HUGE.slice(0, 64));
    await expectProviderEqualsServer();
    expect(await storedUpdates()).toBe(stored);

    await editReachesOthers("small ");
    const from = await reconnect();
    expect(sentUpdates(from).filter(carriesHugeText).length, "updates sent after the reconnection that carry the refused text").toBe(0);
    await editReachesOthers("still ");
    expect(provider.generation).toBe(generation + 1);
    expect(watcher.text()).not.toContain(HUGE.slice(0, 64));
  }, 120_000);
});
