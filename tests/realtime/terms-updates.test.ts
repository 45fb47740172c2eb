/**
 * Raw Yjs updates to the draft's terms, against the real server and database (issue 18, item 4):
 * whatever way Yjs encodes where a change goes — an overwrite of a term (an origin, no parent), a
 * nested Y type where plain JSON goes (refused whatever its content), a deletion alone (the delete
 * set) — an update that
 * would leave the terms invalid is refused with `invalid` and the term, stored nowhere, relayed to
 * nobody, recorded in the session's audit chain; valid term updates and text updates go through.
 * Each update is sent by the union negotiator, who may edit, as a third-party y-protocols client.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import * as Y from "yjs";
import { verifyChain, type ChainedEvent } from "../../app/domain/audit.ts";
import { DOC_ERRORS } from "../../realtime/protocol.ts";
import { startTestServer } from "../support/server.ts";
import { demoAccount, loginAs, sessionInBargaining, VALID_TERMS, writeTerms } from "../support/sessions.ts";
import { waitFor, YjsTestClient } from "../support/yjs-client.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let db: pg.Client;
let sessionId: string;
let editorCookie: string;
let watcher: YjsTestClient;
const clients: YjsTestClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  sessionId = await sessionInBargaining(server.url, db);
  await writeTerms(server.url, sessionId, VALID_TERMS);
  editorCookie = (await loginAs(server.url, "unionNegotiator")).cookies.get("xs_session")!;
}, 120_000);

afterAll(async () => {
  for (const client of clients) client.close();
  await db?.end();
  await server?.close();
});

/** A new connection of the union negotiator (a refused update stays in its local doc: one client per attempt). */
async function editor(): Promise<YjsTestClient> {
  const client = new YjsTestClient(server.url, sessionId, editorCookie);
  clients.push(client);
  expect(await client.join(), "the negotiator joins").toMatchObject({ ok: true, capabilities: { edit: true } });
  return client;
}

/** Someone in the room who cannot edit, to see what the server relays. */
async function connectWatcher(): Promise<YjsTestClient> {
  const client = new YjsTestClient(server.url, sessionId, (await loginAs(server.url, "platformRepresentative")).cookies.get("xs_session")!);
  clients.push(client);
  expect(await client.join(), "the platform representative joins").toMatchObject({ ok: true });
  return client;
}

/** The update a change makes on the client's doc, without sending it. */
function updateOf(client: YjsTestClient, change: (doc: Y.Doc) => void): Uint8Array {
  let update: Uint8Array | null = null;
  const capture = (u: Uint8Array, origin: unknown) => {
    if (origin === "local") update = u;
  };
  client.doc.on("update", capture);
  client.doc.transact(() => change(client.doc), "local");
  client.doc.off("update", capture);
  if (!update) throw new Error("the change made no update");
  return update;
}

async function storedUpdates(): Promise<number> {
  return (await db.query('SELECT count(*)::int AS n FROM "DraftUpdate" u JOIN "DraftDocument" d ON d.id = u."documentId" WHERE d."sessionId" = $1', [sessionId])).rows[0].n;
}

/** The terms a new connection loads from the server. */
async function loadedTerms(): Promise<Record<string, unknown>> {
  const fresh = await editor();
  const terms = fresh.doc.getMap("terms").toJSON();
  fresh.close();
  return terms;
}

const items = (update: Uint8Array) => Y.decodeUpdate(update).structs.filter((struct): struct is Y.Item => struct instanceof Y.Item);
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Sends an update the server must refuse as invalid at `field`: nothing stored, nothing relayed, the terms as before. */
async function expectRefused(client: YjsTestClient, update: Uint8Array, field: string) {
  const stored = await storedUpdates();
  const before = await loadedTerms();
  expect(await client.sendUpdate(update)).toEqual({ ok: false, code: DOC_ERRORS.invalid, field });
  expect(await storedUpdates()).toBe(stored);
  expect(await loadedTerms()).toEqual(before);
  expect(watcher.doc.getMap("terms").toJSON()).toEqual(before);
  client.close();
}

describe("raw updates to the terms", () => {
  it("(a) an overwrite of a term with an invalid value is refused, not stored, and audited", async () => {
    watcher = await connectWatcher();
    const client = await editor();
    expect(client.doc.getMap("terms").get("pieceRateBaseFen")).toBe(VALID_TERMS.pieceRateBaseFen);
    const update = updateOf(client, (doc) => doc.getMap("terms").set("pieceRateBaseFen", -5));
    // What makes it an overwrite in the encoding: an origin (the previous value), no parent.
    const [item] = items(update);
    expect(item!.origin).not.toBeNull();
    expect(item!.parent).toBeNull();
    await expectRefused(client, update, "pieceRateBaseFen");

    const events = (await db.query('SELECT type, payload, "actorId" FROM "AuditEvent" WHERE "sessionId" = $1 AND type = $2', [sessionId, "draft.updateRefused"])).rows;
    const negotiatorId = (await db.query('SELECT id FROM "User" WHERE email = $1', [demoAccount("unionNegotiator").email])).rows[0].id;
    expect(events).toEqual([{ type: "draft.updateRefused", payload: { field: "pieceRateBaseFen", updateHash: sha256(update), bytes: update.byteLength }, actorId: negotiatorId }]);
    const chain = (await db.query('SELECT "sessionId", seq, type, payload, "actorId", at, ip, "userAgent", "prevHash", hash FROM "AuditEvent" WHERE "sessionId" = $1 ORDER BY seq', [sessionId])).rows as ChainedEvent[];
    expect(verifyChain(chain)).toMatchObject({ ok: true });

    // A new server process on the same database loads the document from what was stored.
    watcher.close();
    await server.close();
    server = await startTestServer();
    watcher = await connectWatcher();
    expect(watcher.doc.getMap("terms").get("pieceRateBaseFen")).toBe(VALID_TERMS.pieceRateBaseFen);
    expect(await loadedTerms()).toEqual(VALID_TERMS);
  }, 60_000);

  it("(b) a nested value: a Y type where plain JSON goes is refused, whatever its content", async () => {
    // A nested map as the value of a number term (an overwrite, so no parent either).
    const first = await editor();
    const stored = await storedUpdates();
    const asMap = updateOf(first, (doc) => doc.getMap("terms").set("pieceRateBaseFen", new Y.Map()));
    expect(items(asMap)[0]!.content).toBeInstanceOf(Y.ContentType);
    await expectRefused(first, asMap, "pieceRateBaseFen");

    // A nested map whose JSON would pass the schema is refused too: the form writes plain values,
    // and a Y type there is not what the browser reads.
    const second = await editor();
    const nested = updateOf(second, (doc) => {
      const map = new Y.Map<unknown>();
      doc.getMap("terms").set("allocation", map);
      map.set("medianEstimate", true);
      map.set("dispatchRadiusMetres", 3000);
      map.set("maxConcurrentOrders", 3);
    });
    // Its inner values name their parent by the ID of the item holding the map.
    expect(items(nested).some((item) => item.parent instanceof Y.ID)).toBe(true);
    await expectRefused(second, nested, "allocation");
    expect(await storedUpdates()).toBe(stored);
    expect((await loadedTerms()).allocation).toBeUndefined();
  }, 60_000);

  it("(c) a deletion through the delete set alone is a terms change like any other: a term removed is checked and stored", async () => {
    const client = await editor();
    const stored = await storedUpdates();
    const update = updateOf(client, (doc) => doc.getMap("terms").delete("badWeatherSubsidyFen"));
    const decoded = Y.decodeUpdate(update);
    expect(decoded.structs).toHaveLength(0);
    expect(decoded.ds.clients.size).toBe(1);
    // Every term is optional: the terms without it are valid, so it is stored and relayed.
    expect(await client.sendUpdate(update)).toEqual({ ok: true });
    expect(await storedUpdates()).toBe(stored + 1);
    await waitFor(() => !watcher.doc.getMap("terms").has("badWeatherSubsidyFen"), "the deletion to reach the watcher");
  }, 60_000);

  it("(d) a valid overwrite of a term is stored and relayed", async () => {
    const client = await editor();
    const stored = await storedUpdates();
    const update = updateOf(client, (doc) => doc.getMap("terms").set("pieceRateBaseFen", 720));
    expect(items(update)[0]!.origin).not.toBeNull();
    expect(await client.sendUpdate(update)).toEqual({ ok: true });
    expect(await storedUpdates()).toBe(stored + 1);
    await waitFor(() => watcher.doc.getMap("terms").get("pieceRateBaseFen") === 720, "the new rate to reach the watcher");
    expect((await loadedTerms()).pieceRateBaseFen).toBe(720);
    // The same connection goes on editing the terms: the server's copy followed its accepted update.
    expect(await client.change((doc) => doc.getMap("terms").set("pieceRateBaseFen", 730))).toEqual({ ok: true });
    await waitFor(() => watcher.doc.getMap("terms").get("pieceRateBaseFen") === 730, "the next rate to reach the watcher");
  }, 60_000);

  it("(e) an update that touches only the text is stored and relayed", async () => {
    const client = await editor();
    const stored = await storedUpdates();
    const update = updateOf(client, (doc) => doc.getText("probe").insert(0, "第一条 计件单价。"));
    expect(await client.sendUpdate(update)).toEqual({ ok: true });
    expect(await storedUpdates()).toBe(stored + 1);
    await waitFor(() => watcher.text() === "第一条 计件单价。", "the text to reach the watcher");
    // And a terms update after it is still checked (the server's copy is in step with the text).
    const after = await editor();
    const invalid = updateOf(after, (doc) => doc.getMap("terms").set("pieceRateBaseFen", -1));
    await expectRefused(after, invalid, "pieceRateBaseFen");
    expect(watcher.text()).toBe("第一条 计件单价。");
  }, 60_000);
});
