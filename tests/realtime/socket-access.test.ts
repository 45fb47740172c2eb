/**
 * Access control for every socket event, generated from the protocol's event list: each
 * client→server event is tried by a user outside the session and by an observer without the
 * capability, and must be refused with nothing changed. An event added to DOC_EVENTS or to the
 * server's dispatch table (realtime/dispatcher.ts) without an entry here fails the suite, and each
 * entry's expectation is checked against the capability the table names.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as awarenessProtocol from "y-protocols/awareness";
import { DOC_ERRORS, DOC_EVENTS } from "../../realtime/protocol.ts";
import { TestBrowser } from "../support/browser.ts";
import { startTestServer } from "../support/server.ts";
import { loginAs, sessionInBargaining } from "../support/sessions.ts";
import { YjsTestClient } from "../support/yjs-client.ts";

/** Events only the server sends. */
const SERVER_TO_CLIENT = new Set<string>([DOC_EVENTS.capabilities, DOC_EVENTS.revoked, DOC_EVENTS.commentChanged, DOC_EVENTS.offerChanged]);

function anUpdate(): Uint8Array {
  const doc = new Y.Doc();
  let update: Uint8Array | null = null;
  doc.on("update", (u: Uint8Array) => (update = u));
  doc.getText("probe").insert(0, "forged");
  const encoder = encoding.createEncoder();
  syncProtocol.writeUpdate(encoder, update!);
  return encoding.toUint8Array(encoder);
}

function anAwarenessUpdate(): Uint8Array {
  const doc = new Y.Doc();
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalStateField("user", { name: "x" });
  return awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
}

const anchor = () => Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(new Y.Doc().getText("probe"), 0));

/** Every client→server event with a well-formed payload, and what an observer may do with it. */
const EVENTS: Record<string, { args: () => unknown[]; observer: "refused" | "allowed" }> = {
  [DOC_EVENTS.join]: { args: () => [], observer: "allowed" },
  [DOC_EVENTS.leave]: { args: () => [], observer: "allowed" },
  [DOC_EVENTS.sync]: { args: () => [anUpdate()], observer: "refused" },
  [DOC_EVENTS.awareness]: { args: () => [anAwarenessUpdate()], observer: "refused" },
  [DOC_EVENTS.commentList]: { args: () => [], observer: "allowed" },
  [DOC_EVENTS.commentAdd]: { args: () => [{ body: "x", anchorStart: anchor(), anchorEnd: anchor(), quote: "" }], observer: "refused" },
  [DOC_EVENTS.commentReply]: { args: () => [{ threadId: "threadNotReal01", body: "x" }], observer: "refused" },
  [DOC_EVENTS.commentResolve]: { args: () => [{ threadId: "threadNotReal01", resolved: true }], observer: "refused" },
  [DOC_EVENTS.offerList]: { args: () => [], observer: "allowed" },
  [DOC_EVENTS.offerMake]: { args: () => [{ termKey: "pieceRateBaseFen", value: 1 }], observer: "refused" },
  [DOC_EVENTS.offerAccept]: { args: () => [{ offerId: "offerNotReal001" }], observer: "refused" },
  [DOC_EVENTS.versionRestore]: { args: () => [{ versionId: "versionNotReal1" }], observer: "refused" },
};

let server: Awaited<ReturnType<typeof startTestServer>>;
let db: pg.Client;
let sessionId: string;
let outsider: YjsTestClient;
let observer: YjsTestClient;
let employerRep: YjsTestClient;

async function state() {
  const counts = await db.query(
    `SELECT (SELECT count(*) FROM "DraftUpdate" u JOIN "DraftDocument" d ON d.id = u."documentId" WHERE d."sessionId" = $1) AS updates,
            (SELECT count(*) FROM "DraftComment" WHERE "sessionId" = $1) AS comments,
            (SELECT count(*) FROM "TermOffer" WHERE "sessionId" = $1) AS offers`,
    [sessionId],
  );
  return JSON.stringify(counts.rows);
}

beforeAll(async () => {
  server = await startTestServer();
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  sessionId = await sessionInBargaining(server.url, db);
  const stranger = new TestBrowser(server.url);
  await stranger.signup({ email: `socket-access-${process.pid}-${Date.now()}@example.test` });
  outsider = new YjsTestClient(server.url, sessionId, stranger.cookies.get("xs_session")!);
  observer = new YjsTestClient(server.url, sessionId, (await loginAs(server.url, "bureauReviewer")).cookies.get("xs_session")!);
  expect(await outsider.join()).toEqual({ ok: false, code: DOC_ERRORS.notFound });
  expect(await observer.join()).toMatchObject({ ok: true, capabilities: { view: true, edit: false, comment: false, offer: false } });
  // The employer side comments and makes offers but does not hold the pen (the projection's editDraft).
  employerRep = new YjsTestClient(server.url, sessionId, (await loginAs(server.url, "platformRepresentative")).cookies.get("xs_session")!);
  expect(await employerRep.join()).toMatchObject({ ok: true, capabilities: { view: true, edit: false, comment: true, offer: true } });
});

afterAll(async () => {
  outsider?.close();
  observer?.close();
  employerRep?.close();
  await db?.end();
  await server?.close();
});

describe("socket event coverage", () => {
  it("has an entry for every client-to-server event of the protocol", () => {
    const clientEvents = Object.values(DOC_EVENTS).filter((event) => !SERVER_TO_CLIENT.has(event));
    expect(Object.keys(EVENTS).sort(), "socket events without an access test in tests/realtime/socket-access.test.ts").toEqual([...clientEvents].sort());
  });
});

describe("the dispatch table", () => {
  it("names the same events, and the capability of each agrees with what an observer may do here", () => {
    // The server's one door (realtime/dispatcher.ts): an event added there without an entry here fails.
    const table = server.realtime.collab.dispatcher.table;
    expect(table.map((entry) => entry.event).sort()).toEqual(Object.keys(EVENTS).sort());
    for (const entry of table) {
      if (typeof entry.capability !== "string") continue; // decided by the message (sync): covered above and by the fuzz suite
      const observerMay = ["join", "joined", "view"].includes(entry.capability);
      expect(observerMay ? "allowed" : "refused", `${entry.event} (${entry.capability})`).toBe(EVENTS[entry.event]!.observer);
    }
  });
});

describe("a user outside the session", () => {
  it.each(Object.entries(EVENTS).filter(([event]) => event !== DOC_EVENTS.join))("%s is refused and changes nothing", async (event, { args }) => {
    const before = await state();
    const ack = await outsider.socket.timeout(5000).emitWithAck(event, sessionId, ...args());
    expect(ack).toMatchObject({ ok: false });
    expect([DOC_ERRORS.notJoined, DOC_ERRORS.notFound]).toContain((ack as { code: string }).code);
    expect(await state()).toBe(before);
  });
});

describe("an observer (view only)", () => {
  it.each(Object.entries(EVENTS).filter(([, entry]) => entry.observer === "refused"))("%s is refused and changes nothing", async (event, { args }) => {
    const before = await state();
    const ack = await observer.socket.timeout(5000).emitWithAck(event, sessionId, ...args());
    expect(ack).toMatchObject({ ok: false });
    expect([DOC_ERRORS.forbidden, DOC_ERRORS.notFound]).toContain((ack as { code: string }).code);
    expect(await state()).toBe(before);
  });
});

describe("an employer-side representative (comments and offers; the worker side holds the pen)", () => {
  it("is refused every event whose capability is editing, and nothing changes", async () => {
    const table = server.realtime.collab.dispatcher.table;
    // sync carrying an update and every entry the table marks "edit": generated from the dispatcher.
    const editing = table.filter((entry) => entry.capability === "edit" || typeof entry.capability !== "string").map((entry) => entry.event);
    expect(editing.length).toBeGreaterThanOrEqual(2);
    for (const event of editing) {
      const before = await state();
      const ack = await employerRep.socket.timeout(5000).emitWithAck(event, sessionId, ...EVENTS[event]!.args());
      expect(ack, event).toMatchObject({ ok: false });
      expect([DOC_ERRORS.forbidden, DOC_ERRORS.notFound], event).toContain((ack as { code: string }).code);
      expect(await state(), event).toBe(before);
    }
  });
});
