/**
 * Issue 13: no message from a client can stop the server. A freshly signed-up account with no role
 * anywhere, and a platform representative with a seat (comment and offer rights, joined to the
 * draft), send every client→server event — and awareness updates — with arguments nested 100,000
 * levels deep, 900 KB strings and wrong types, over a raw WebSocket speaking the socket.io protocol
 * (as a script would; socket.io-client cannot even encode such a value). Every message must be
 * answered (a refusal for the hostile ones), and afterwards the server answers HTTP, an editor's
 * edit still reaches a bystander, a later join sees who is present, and nothing was stored.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import { DOC_ERRORS, DOC_EVENTS, LIMITS } from "../../realtime/protocol.ts";
import { startTestServer } from "../support/server.ts";
import { loginAs, sessionInBargaining, VALID_TERMS } from "../support/sessions.ts";
import { TestBrowser, uniqueEmail } from "../support/browser.ts";
import { RawSocketClient, type RawAnswer } from "../support/raw-socket.ts";
import { waitFor, YjsTestClient } from "../support/yjs-client.ts";

const DEPTH = 100_000;
const deepArray = "[".repeat(DEPTH) + "]".repeat(DEPTH);
const deepObject = '{"a":'.repeat(DEPTH) + "1" + "}".repeat(DEPTH);
const hugeString = JSON.stringify("长x".repeat(225_000)); // 900,000 bytes of UTF-8, under the 1 MiB packet limit
const SERVER_TO_CLIENT = new Set<string>([DOC_EVENTS.capabilities, DOC_EVENTS.revoked, DOC_EVENTS.commentChanged, DOC_EVENTS.offerChanged]);
const CLIENT_EVENTS = [...Object.values(DOC_EVENTS).filter((event) => !SERVER_TO_CLIENT.has(event)), "no:such-event"];
const CODES = new Set<string>(Object.values(DOC_ERRORS));

let server: Awaited<ReturnType<typeof startTestServer>>;
let db: pg.Client;
let sessionId: string;
let editor: YjsTestClient;
let bystander: YjsTestClient;
let strangerCookie: string;
let seatedCookie: string;
const opened: Array<{ close(): void }> = [];
let original: { text: string; terms: unknown };

/** What a refused message must not change: the update log, comments, offers and audit trail. */
async function digest(): Promise<string> {
  const { rows } = await db.query(
    `SELECT (SELECT "lastSeq" FROM "DraftDocument" WHERE "sessionId" = $1) AS seq,
            (SELECT count(*) FROM "DraftUpdate" u JOIN "DraftDocument" d ON d.id = u."documentId" WHERE d."sessionId" = $1) AS updates,
            (SELECT count(*) FROM "DraftComment" WHERE "sessionId" = $1) AS comments,
            (SELECT count(*) FROM "TermOffer" WHERE "sessionId" = $1) AS offers,
            (SELECT count(*) FROM "AuditEvent" WHERE "sessionId" = $1) AS audit`,
    [sessionId],
  );
  return JSON.stringify(rows[0]);
}

async function openYjs(cookie: string): Promise<YjsTestClient> {
  const client = new YjsTestClient(server.url, sessionId, cookie);
  opened.push(client);
  expect(await client.join()).toMatchObject({ ok: true });
  return client;
}

async function openRaw(cookie: string): Promise<RawSocketClient> {
  const client = await RawSocketClient.connect(server.url, cookie);
  opened.push(client);
  return client;
}

/** An awareness update announcing one client whose state is `stateJson`, verbatim. */
function awarenessUpdate(clientId: number, stateJson: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clientId);
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarString(encoder, stateJson);
  return encoding.toUint8Array(encoder);
}

const placeholder = '{"_placeholder":true,"num":0}';

/** Hostile argument lists (JSON text after the event name) and attachments, named for the report. */
function hostileCases(sid: string): Array<{ name: string; args: string; attachments?: Uint8Array[]; hostile: boolean }> {
  const id = JSON.stringify(sid);
  return [
    { name: "deep array second", args: `${id},${deepArray}`, hostile: true },
    { name: "deep object second", args: `${id},${deepObject}`, hostile: true },
    { name: "deep array first", args: deepArray, hostile: true },
    { name: "deep array inside an input", args: `${id},{"termKey":"pieceRateBaseFen","value":${deepArray}}`, hostile: true },
    { name: "deep array around an attachment", args: `${id},${"[".repeat(DEPTH)}${placeholder}${"]".repeat(DEPTH)}`, attachments: [new Uint8Array([0, 0])], hostile: true },
    { name: "900 KB string second", args: `${id},${hugeString}`, hostile: true },
    { name: "900 KB string first", args: hugeString, hostile: true },
    { name: "900 KB string inside an input", args: `${id},{"body":${hugeString},"threadId":"x","resolved":true}`, hostile: true },
    { name: "number", args: `${id},42`, hostile: false },
    { name: "boolean", args: `${id},true`, hostile: false },
    { name: "null session", args: "null", hostile: false },
    { name: "array session", args: `[${id}]`, hostile: false },
    { name: "object session", args: `{"sessionId":${id}}`, hostile: false },
    { name: "operator-shaped input", args: `${id},{"termKey":{"$gt":""},"value":[1,2],"offerId":{"length":1}}`, hostile: false },
    { name: "no arguments", args: "", hostile: false },
    { name: "too many arguments", args: `${id},"a","b","c"`, hostile: false },
    { name: "binary where JSON is expected", args: `${id},${placeholder}`, attachments: [new Uint8Array(1024)], hostile: false },
  ];
}

function expectAnswered(answer: RawAnswer, what: string, hostile: boolean) {
  // A deep value around a binary attachment never reaches a handler: socket.io's own decoder
  // refuses the packet and closes that connection. That is a refusal too, as long as the server lives.
  if (answer.kind === "closed" && what.includes("around an attachment")) return;
  expect(answer.kind, `${what}: answered`).toBe("ack");
  const [ack] = (answer as { args: unknown[] }).args as [{ ok: boolean; code?: string; message?: { key: string } }];
  expect(typeof ack.ok, what).toBe("boolean");
  if (!ack.ok) expect(CODES.has(ack.code!), `${what}: a known code, got ${JSON.stringify(ack)}`).toBe(true);
  if (hostile) {
    expect(ack.ok, `${what}: refused`).toBe(false);
    if (ack.code === DOC_ERRORS.tooLarge) expect(ack.message?.key, `${what}: says which bound`).toMatch(/^draft\.error\.(tooDeep|inputTooLarge)$/);
  }
}

beforeAll(async () => {
  // Thousands of refusals on purpose: the connection must not be closed for them here.
  server = await startTestServer({ XS_REALTIME_REFUSALS_PER_MINUTE: "100000000" });
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  sessionId = await sessionInBargaining(server.url, db);
  editor = await openYjs((await loginAs(server.url, "unionNegotiator")).cookies.get("xs_session")!);
  expect(
    await editor.change((doc) => {
      doc.getText("probe").insert(0, "第一条 计件单价不低于本协议附表。");
      for (const [key, value] of Object.entries(VALID_TERMS)) doc.getMap("terms").set(key, value);
    }),
  ).toMatchObject({ ok: true });
  bystander = await openYjs((await loginAs(server.url, "workerRepresentative")).cookies.get("xs_session")!);
  await waitFor(() => bystander.text() === editor.text(), "the bystander to sync");
  original = { text: editor.text(), terms: editor.doc.getMap("terms").toJSON() };
  const stranger = new TestBrowser(server.url);
  await stranger.signup({ email: uniqueEmail("stranger") });
  strangerCookie = stranger.cookies.get("xs_session")!;
  seatedCookie = (await loginAs(server.url, "platformRepresentative")).cookies.get("xs_session")!;
}, 90_000);

afterAll(async () => {
  for (const client of opened) client.close();
  await db?.end();
  await server?.close();
});

describe("hostile input on the realtime channel", () => {
  it("answers every event with deep, huge and wrong-typed arguments from a stranger and from a seated representative, and stays up", async () => {
    const before = await digest();
    let sent = 0;
    for (const [who, cookie] of [["stranger", strangerCookie], ["seated", seatedCookie]] as const) {
      let client = await openRaw(cookie);
      // The seated representative is in the room, so its messages reach the handlers behind the
      // joined check; the stranger's join is refused.
      const joined = await client.emit(DOC_EVENTS.join, JSON.stringify(sessionId));
      expect(joined.kind === "ack" && (joined.args[0] as { ok: boolean }).ok, `${who} joins`).toBe(who === "seated");
      for (const event of CLIENT_EVENTS) {
        for (const testCase of hostileCases(sessionId)) {
          // join/leave with the right id would change this connection's membership, not test bounds.
          if ((event === DOC_EVENTS.leave || event === DOC_EVENTS.join) && !testCase.hostile && testCase.args.startsWith(JSON.stringify(sessionId))) continue;
          const what = `${who} ${event} (${testCase.name})`;
          const answer = await client.emit(event, testCase.args, testCase.attachments ?? []);
          expectAnswered(answer, what, testCase.hostile);
          sent += 1;
          if (client.closed) {
            // Only socket.io's decoder closes a connection (the attachment case); open a new one.
            client = await openRaw(cookie);
            if (who === "seated") await client.emit(DOC_EVENTS.join, JSON.stringify(sessionId));
          }
        }
      }
      // Presence states nested 100,000 deep, and too large, in a well-formed awareness update.
      for (const [name, update] of [
        ["deep presence state", awarenessUpdate(4242, deepArray)],
        ["deep object presence state within the size limit", awarenessUpdate(4243, '{"u":'.repeat(10_000) + "1" + "}".repeat(10_000))],
        ["huge presence state", awarenessUpdate(4244, JSON.stringify({ user: { name: "x".repeat(100_000) } }))],
        ["presence update above the message limit", awarenessUpdate(4245, JSON.stringify({ user: { name: "x".repeat(LIMITS.maxMessageBytes) } }))],
      ] as const) {
        const answer = await client.emit(DOC_EVENTS.awareness, `${JSON.stringify(sessionId)},${placeholder}`, [update]);
        expect(answer.kind, `${who} ${name}: answered`).toBe("ack");
        const [ack] = (answer as { args: unknown[] }).args as [{ ok: boolean; code: string; message?: { key: string } }];
        expect(ack.ok, `${who} ${name}: refused`).toBe(false);
        // The stranger is refused for not being in the room, or earlier, for the size alone.
        if (who === "seated") {
          expect(ack.code, `${who} ${name}`).toBe(DOC_ERRORS.tooLarge);
          expect(ack.message?.key, `${who} ${name}`).toBe(name.includes("deep object") ? "draft.error.tooDeep" : "draft.error.inputTooLarge");
        }
        sent += 1;
      }
    }
    console.log(`hostile input: ${sent} messages, each answered`);

    // The server still answers HTTP, and nothing a refused message carried was stored.
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await digest()).toBe(before);
    const fresh = await openYjs((await loginAs(server.url, "unionAdmin")).cookies.get("xs_session")!);
    expect({ text: fresh.text(), terms: fresh.doc.getMap("terms").toJSON() }).toEqual(original);

    // A later join sees who is present: the editor announces itself, a new connection joins.
    editor.awareness.setLocalState({ user: { name: "王建华", color: "#1d4ed8" }, where: "body" });
    const announced = await editor.socket.timeout(10_000).emitWithAck(DOC_EVENTS.awareness, sessionId, awarenessProtocol.encodeAwarenessUpdate(editor.awareness, [editor.doc.clientID]));
    expect(announced).toMatchObject({ ok: true });
    const later = await openYjs(seatedCookie);
    await waitFor(() => (later.awareness.getStates().get(editor.doc.clientID) as { user?: { name?: string } } | undefined)?.user?.name === "王建华", "the later join to see the editor's presence");

    // The editor's edit still reaches the bystander.
    expect(await editor.change((doc) => doc.getText("probe").insert(0, "【修订】"))).toMatchObject({ ok: true });
    await waitFor(() => bystander.text().startsWith("【修订】第一条"), "the bystander to receive the edit");
  }, 300_000);
});
