/**
 * Live co-drafting with real y-protocols clients over socket.io against the real server and
 * database: convergence, capability enforcement, durability of acknowledged updates, revocation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import { DOC_ERRORS, LIMITS } from "../../realtime/protocol.ts";
import { TestBrowser } from "../support/browser.ts";
import { startTestServer } from "../support/server.ts";
import { loginAs, sessionInBargaining } from "../support/sessions.ts";
import { waitFor, YjsTestClient } from "../support/yjs-client.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let db: pg.Client;
let sessionId: string;
const clients: YjsTestClient[] = [];
const cookies = new Map<string, string>();

beforeAll(async () => {
  server = await startTestServer();
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  sessionId = await sessionInBargaining(server.url, db);
});

afterAll(async () => {
  for (const client of clients) client.close();
  await db?.end();
  await server?.close();
});

async function cookieOf(roleKey: string, index = 0): Promise<string> {
  const key = `${roleKey}:${index}`;
  if (!cookies.has(key)) cookies.set(key, (await loginAs(server.url, roleKey, index)).cookies.get("xs_session")!);
  return cookies.get(key)!;
}

async function connect(roleKey: string, index = 0, target = sessionId): Promise<YjsTestClient> {
  const client = new YjsTestClient(server.url, target, await cookieOf(roleKey, index));
  clients.push(client);
  const ack = await client.join();
  expect(ack, `${roleKey} joins`).toMatchObject({ ok: true });
  return client;
}

async function storedUpdates(): Promise<number> {
  return (await db.query('SELECT count(*)::int AS n FROM "DraftUpdate" u JOIN "DraftDocument" d ON d.id = u."documentId" WHERE d."sessionId" = $1', [sessionId])).rows[0].n;
}

describe("capabilities", () => {
  it("gives union representatives edit, the platform side comment and offer, the bureau view only", async () => {
    expect((await connect("unionNegotiator")).capabilities).toEqual({ view: true, edit: true, comment: true, offer: true });
    expect((await connect("platformRepresentative")).capabilities).toEqual({ view: true, edit: false, comment: true, offer: true });
    expect((await connect("bureauReviewer")).capabilities).toEqual({ view: true, edit: false, comment: false, offer: false });
  });

  it("refuses an outsider and an unknown session", async () => {
    const outsider = new TestBrowser(server.url);
    await outsider.signup({ email: `outsider-${process.pid}-${Date.now()}@example.test` });
    const client = new YjsTestClient(server.url, sessionId, outsider.cookies.get("xs_session")!);
    clients.push(client);
    expect(await client.join()).toEqual({ ok: false, code: DOC_ERRORS.notFound });
    const lost = new YjsTestClient(server.url, "no-such-session", await cookieOf("unionNegotiator"));
    clients.push(lost);
    expect(await lost.join()).toEqual({ ok: false, code: DOC_ERRORS.notFound });
  });
});

describe("editing", () => {
  it("converges when several editors type at once, and a fresh load from the database agrees", async () => {
    const editors = [await connect("unionNegotiator"), await connect("unionAdmin"), await connect("workerRepresentative")];
    const watcher = await connect("platformRepresentative");
    const acks = await Promise.all(
      editors.flatMap((editor, index) =>
        Array.from({ length: 10 }, (_, n) => editor.change((doc) => doc.getText("probe").insert(0, `${index}${n} `))),
      ),
    );
    expect(acks.every((ack) => ack.ok)).toBe(true);
    const expectedLength = 30 * 3;
    await waitFor(() => [...editors, watcher].every((client) => client.text().length === expectedLength), "convergence");
    const texts = new Set([...editors, watcher].map((client) => client.text()));
    expect(texts.size).toBe(1);
    const late = await connect("unionNegotiator");
    expect(late.text()).toBe(editors[0]!.text());
  });

  it("refuses a commenter's and a viewer's forged updates: nothing stored, nothing relayed", async () => {
    const editor = await connect("unionNegotiator");
    const commenter = await connect("platformRepresentative");
    const viewer = await connect("bureauReviewer");
    const before = editor.text();
    const storedBefore = await storedUpdates();
    for (const forger of [commenter, viewer]) {
      const ack = await forger.change((doc) => doc.getText("probe").insert(0, "FORGED "));
      expect(ack).toEqual({ ok: false, code: DOC_ERRORS.forbidden });
    }
    // An honest edit after the forgeries arrives everywhere; the forged text nowhere else.
    await editor.change((doc) => doc.getText("probe").insert(0, "honest "));
    await waitFor(() => viewer.text().includes("honest "), "the honest edit to reach the viewer");
    expect(editor.text()).toBe(`honest ${before}`);
    expect(await storedUpdates()).toBe(storedBefore + 1);
    const fresh = await connect("unionAdmin");
    expect(fresh.text()).not.toContain("FORGED");
  });

  it("refuses oversized and malformed messages with a clear code", async () => {
    const editor = await connect("unionNegotiator");
    const big = await editor.sendUpdate(new Uint8Array(LIMITS.maxMessageBytes + 10));
    expect(big).toEqual({ ok: false, code: DOC_ERRORS.tooLarge, message: { key: "draft.error.inputTooLarge", values: { maxKb: 256 } } });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 2);
    encoding.writeVarUint8Array(encoder, new Uint8Array([255, 1, 2, 3]));
    const garbage = await editor.socket.timeout(5000).emitWithAck("yjs:sync", sessionId, encoding.toUint8Array(encoder));
    expect(garbage).toEqual({ ok: false, code: DOC_ERRORS.malformed, message: { key: "draft.error.malformed" } });
    const notBinary = await editor.socket.timeout(5000).emitWithAck("yjs:sync", sessionId, "hello");
    expect(notBinary).toEqual({ ok: false, code: DOC_ERRORS.malformed, message: { key: "draft.error.malformed" } });
    // The connection is still usable.
    expect(await editor.change((doc) => doc.getText("probe").insert(0, "ok "))).toEqual({ ok: true });
  });

  it("relays editors' presence but not viewers'", async () => {
    const editor = await connect("unionNegotiator");
    const viewer = await connect("bureauReviewer");
    const other = await connect("unionAdmin");
    editor.awareness.setLocalStateField("user", { name: "editor" });
    const encodedEditor = (await import("y-protocols/awareness")).encodeAwarenessUpdate(editor.awareness, [editor.doc.clientID]);
    expect(await editor.socket.timeout(5000).emitWithAck("yjs:awareness", sessionId, encodedEditor)).toEqual({ ok: true });
    await waitFor(() => other.awareness.getStates().has(editor.doc.clientID), "editor presence");
    viewer.awareness.setLocalStateField("user", { name: "viewer" });
    const encodedViewer = (await import("y-protocols/awareness")).encodeAwarenessUpdate(viewer.awareness, [viewer.doc.clientID]);
    expect(await viewer.socket.timeout(5000).emitWithAck("yjs:awareness", sessionId, encodedViewer)).toEqual({ ok: false, code: DOC_ERRORS.forbidden });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(other.awareness.getStates().has(viewer.doc.clientID)).toBe(false);
  });
});

describe("revocation", () => {
  it("disconnects a recorder whose seat ends, and downgrades a representative at once", async () => {
    const recorder = await connect("recorder");
    const rep = await connect("workerRepresentative");
    expect(rep.capabilities?.edit).toBe(true);
    const seats = (await db.query('SELECT s.id, u.email FROM "Seat" s JOIN "User" u ON u.id = s."userId" WHERE s."sessionId" = $1 AND s."endedAt" IS NULL', [sessionId])).rows;
    const seatOf = (email: string) => seats.find((row) => row.email === email)!.id as string;
    const unionAdmin = await loginAs(server.url, "unionAdmin");
    expect((await unionAdmin.post(`/sessions/${sessionId}`, { intent: "endSeat", seatId: seatOf("recorder@xieshang.demo"), reason: "辞任" })).status).toBe(302);
    await waitFor(() => recorder.revoked.includes(sessionId), "the recorder to be revoked");
    // The recorder no longer receives the room's updates.
    const editor = await connect("unionNegotiator");
    await editor.change((doc) => doc.getText("probe").insert(0, "after-revocation "));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(recorder.text()).not.toContain("after-revocation");

    expect((await unionAdmin.post(`/sessions/${sessionId}`, { intent: "endSeat", seatId: seatOf("workerrep@union.demo"), reason: "更换" })).status).toBe(302);
    // Still a union member (can view), but no longer a representative: edits are refused.
    await waitFor(() => rep.capabilities?.edit === false, "the representative's downgrade");
    expect(await rep.change((doc) => doc.getText("probe").insert(0, "late "))).toEqual({ ok: false, code: DOC_ERRORS.forbidden });
  });
});

describe("compaction", () => {
  it("folds the log into a snapshot and loads the same document", async () => {
    const { compactDocument, loadDocument } = await import("../../app/models/document-store.server.ts");
    const documentId = (await db.query('SELECT id FROM "DraftDocument" WHERE "sessionId" = $1', [sessionId])).rows[0].id;
    const before = await loadDocument(sessionId);
    const text = before.doc.getText("probe").toString();
    const { folded } = await compactDocument(documentId);
    expect(folded).toBeGreaterThan(0);
    expect(await storedUpdates()).toBe(0);
    const after = await loadDocument(sessionId);
    expect(after.doc.getText("probe").toString()).toBe(text);
    expect(Y.encodeStateVector(after.doc)).toEqual(Y.encodeStateVector(before.doc));
  });
});

describe("a document that fails to load", () => {
  it("is refused with 'unavailable' and never replaced by an empty one", async () => {
    const broken = await sessionInBargaining(server.url, db, `损坏的草案 ${Date.now()}`);
    const garbage = Buffer.from([0xff, 0xfe, 0x01, 0x02, 0x03, 0x04, 0x05]);
    await db.query(`INSERT INTO "DraftDocument"(id, "sessionId", snapshot, "snapshotSeq", "lastSeq", "updatedAt") VALUES ($1, $2, $3, 3, 3, now())`, [`broken-${Date.now()}`, broken, garbage]);
    const client = new YjsTestClient(server.url, broken, await cookieOf("unionNegotiator"));
    clients.push(client);
    expect(await client.join()).toEqual({ ok: false, code: DOC_ERRORS.unavailable });
    const stored = (await db.query('SELECT snapshot, "lastSeq" FROM "DraftDocument" WHERE "sessionId" = $1', [broken])).rows[0];
    expect(Buffer.compare(stored.snapshot, garbage)).toBe(0);
    expect(stored.lastSeq).toBe(3);
    // Trying again still refuses rather than handing out an empty document.
    const again = new YjsTestClient(server.url, broken, await cookieOf("unionNegotiator"));
    clients.push(again);
    expect(await again.join()).toEqual({ ok: false, code: DOC_ERRORS.unavailable });
  });
});

describe("terms validated by the server", () => {
  it("refuses an update that leaves a term invalid (same zod schema as the form), accepts a valid one", async () => {
    const watcher = await connect("unionAdmin");
    const before = await storedUpdates();
    // Each forgery from a fresh client (a refused update leaves its sender's copy diverged).
    const forger1 = await connect("unionNegotiator");
    expect(await forger1.change((doc) => doc.getMap("terms").set("commissionCapBp", 25_000))).toMatchObject({ ok: false, code: DOC_ERRORS.invalid, field: "commissionCapBp" });
    const forger2 = await connect("unionNegotiator");
    expect(await forger2.change((doc) => doc.getMap("terms").set("unknownTerm", 1))).toMatchObject({ ok: false, code: DOC_ERRORS.invalid });
    expect(await storedUpdates()).toBe(before);
    const forger3 = await connect("unionNegotiator");
    const backwardsBand = [{ orderType: "STANDARD", fromMetres: 3000, toMetres: 1000, timeBand: "ALL_DAY", priceFen: 650 }];
    expect(await forger3.change((doc) => doc.getMap("terms").set("pieceRateTable", backwardsBand))).toMatchObject({ ok: false, code: DOC_ERRORS.invalid, field: "pieceRateTable" });
    const editor = await connect("unionNegotiator");
    expect(await editor.change((doc) => doc.getMap("terms").set("commissionCapBp", 1_500))).toEqual({ ok: true });
    const table = [
      { orderType: "STANDARD", fromMetres: 0, toMetres: 3000, timeBand: "ALL_DAY", priceFen: 650 },
      { orderType: "STANDARD", fromMetres: 3000, toMetres: 5000, timeBand: "NIGHT", priceFen: 820 },
    ];
    expect(await editor.change((doc) => doc.getMap("terms").set("pieceRateTable", table))).toEqual({ ok: true });
    expect(await editor.change((doc) => doc.getMap("terms").set("penaltyExcludedCauses", ["BAD_WEATHER", "MERCHANT_DELAY"]))).toEqual({ ok: true });
    await waitFor(() => JSON.stringify(watcher.doc.getMap("terms").get("pieceRateTable")) === JSON.stringify(table), "the piece-rate table to arrive");
    await waitFor(() => watcher.doc.getMap("terms").get("commissionCapBp") === 1_500, "the valid term to arrive");
    expect(watcher.doc.getMap("terms").has("unknownTerm")).toBe(false);
  });
});

describe("offline editing", () => {
  it("keeps edits made while disconnected and merges them on reconnect", async () => {
    const editor = await connect("unionNegotiator");
    const watcher = await connect("unionAdmin");
    editor.socket.disconnect();
    await waitFor(() => !editor.socket.connected, "the disconnection");
    editor.doc.getText("probe").insert(0, "离线时写的字 ");
    await watcher.change((doc) => doc.getText("probe").insert(0, "在线的人写的字 "));
    editor.socket.connect();
    await waitFor(() => editor.socket.connected, "the reconnection");
    expect(await editor.join()).toMatchObject({ ok: true });
    await waitFor(() => watcher.text().includes("离线时写的字") && editor.text().includes("在线的人写的字"), "both edits everywhere");
    expect(editor.text()).toBe(watcher.text());
    const fresh = await connect("workerRepresentative");
    expect(fresh.text()).toContain("离线时写的字");
  });
});
