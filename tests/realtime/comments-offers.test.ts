/** Comments anchored with Yjs relative positions, and offers on terms, over the realtime channel. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import * as Y from "yjs";
import { DOC_ERRORS, DOC_EVENTS } from "../../realtime/protocol.ts";
import { startTestServer } from "../support/server.ts";
import { loginAs, sessionInBargaining } from "../support/sessions.ts";
import { waitFor, YjsTestClient } from "../support/yjs-client.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let db: pg.Client;
let sessionId: string;
const clients: YjsTestClient[] = [];

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

async function connect(roleKey: string, index = 0): Promise<YjsTestClient> {
  const cookie = (await loginAs(server.url, roleKey, index)).cookies.get("xs_session")!;
  const client = new YjsTestClient(server.url, sessionId, cookie);
  clients.push(client);
  expect(await client.join()).toMatchObject({ ok: true });
  return client;
}

const emit = (client: YjsTestClient, event: string, ...args: unknown[]) => client.socket.timeout(10_000).emitWithAck(event, sessionId, ...args);

describe("comments", () => {
  it("anchors a comment to words that stay put through edits, pushes it live, threads replies, resolves and reopens", async () => {
    const editor = await connect("unionNegotiator");
    const platform = await connect("platformRepresentative");
    await editor.change((doc) => doc.getText("probe").insert(0, "配送费按距离计算。恶劣天气补贴每单两元。"));
    await waitFor(() => platform.text().includes("恶劣天气"), "the text to reach the platform side");
    const text = platform.doc.getText("probe");
    const start = text.toString().indexOf("恶劣天气");
    const encode = (index: number) => Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, index));
    const pushed: unknown[] = [];
    editor.socket.on(DOC_EVENTS.commentChanged, (_id: string, thread: unknown) => pushed.push(thread));

    const added = await emit(platform, DOC_EVENTS.commentAdd, { body: "补贴标准偏低，建议提高到三元。", anchorStart: encode(start), anchorEnd: encode(start + 10), quote: "恶劣天气补贴每单两元", mentions: ["WORKER"] });
    expect(added).toMatchObject({ ok: true, thread: { body: "补贴标准偏低，建议提高到三元。", side: "EMPLOYER", mentions: ["WORKER"], resolved: false } });
    await waitFor(() => pushed.length === 1, "the comment to be pushed to the editor");

    // The editor inserts text before the commented words; the anchor follows them.
    await editor.change((doc) => doc.getText("probe").insert(0, "第一条 "));
    await waitFor(() => platform.text().startsWith("第一条 "), "the insertion to arrive");
    const listed = await emit(editor, DOC_EVENTS.commentList);
    const thread = (listed as { threads: Array<{ id: string; anchorStart: string; anchorEnd: string }> }).threads[0]!;
    const decode = (b64: string) => Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Uint8Array.from(Buffer.from(b64, "base64"))), editor.doc)!.index;
    expect(editor.text().slice(decode(thread.anchorStart), decode(thread.anchorEnd))).toBe("恶劣天气补贴每单两元");

    const replied = await emit(editor, DOC_EVENTS.commentReply, { threadId: thread.id, body: "职工方同意，按三元写入。", mentions: [] });
    expect(replied).toMatchObject({ ok: true, thread: { replies: [{ body: "职工方同意，按三元写入。", side: "WORKER" }] } });
    expect(await emit(platform, DOC_EVENTS.commentResolve, { threadId: thread.id, resolved: true })).toMatchObject({ ok: true, thread: { resolved: true } });
    expect(await emit(editor, DOC_EVENTS.commentResolve, { threadId: thread.id, resolved: false })).toMatchObject({ ok: true, thread: { resolved: false } });
  });

  it("refuses comments from a viewer and malformed comments, storing nothing", async () => {
    const viewer = await connect("bureauReviewer");
    const platform = await connect("platformRepresentative");
    const count = async () => (await db.query('SELECT count(*)::int AS n FROM "DraftComment" WHERE "sessionId" = $1', [sessionId])).rows[0].n;
    const before = await count();
    const anchor = Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(viewer.doc.getText("probe"), 0));
    expect(await emit(viewer, DOC_EVENTS.commentAdd, { body: "旁听意见", anchorStart: anchor, anchorEnd: anchor, quote: "" })).toMatchObject({ ok: false, code: DOC_ERRORS.forbidden });
    expect(await emit(platform, DOC_EVENTS.commentAdd, { body: "   ", anchorStart: anchor, anchorEnd: anchor })).toMatchObject({ ok: false, code: DOC_ERRORS.invalid, field: "body" });
    expect(await emit(platform, DOC_EVENTS.commentAdd, { body: "x", anchorStart: "", anchorEnd: anchor })).toMatchObject({ ok: false, code: DOC_ERRORS.invalid });
    expect(await emit(platform, DOC_EVENTS.commentReply, { threadId: "nosuchthread", body: "x" })).toMatchObject({ ok: false, code: DOC_ERRORS.notFound });
    expect(await count()).toBe(before);
  });
});

describe("offers", () => {
  it("records each party's position, pushes it live, and lets an editor write it into the draft with a trace", async () => {
    const editor = await connect("unionNegotiator");
    const platform = await connect("platformRepresentative");
    const viewer = await connect("bureauReviewer");
    const seen: Array<{ value: number; accepted: boolean }> = [];
    editor.socket.on(DOC_EVENTS.offerChanged, (_id: string, offer: { value: number; accepted: boolean }) => seen.push(offer));

    await editor.change((doc) => doc.getMap("terms").set("pieceRateBaseFen", 720));
    const offered = await emit(platform, DOC_EVENTS.offerMake, { termKey: "pieceRateBaseFen", value: 650, note: "按 2025 年平均客单价测算" });
    expect(offered).toMatchObject({ ok: true, offer: { termKey: "pieceRateBaseFen", side: "EMPLOYER", value: 650, accepted: false } });
    await waitFor(() => seen.some((offer) => offer.value === 650), "the offer to reach the editor");

    expect(await emit(viewer, DOC_EVENTS.offerMake, { termKey: "pieceRateBaseFen", value: 1 })).toMatchObject({ ok: false, code: DOC_ERRORS.forbidden });
    expect(await emit(platform, DOC_EVENTS.offerMake, { termKey: "noSuchTerm", value: 1 })).toMatchObject({ ok: false, code: DOC_ERRORS.invalid, field: "termKey" });
    expect(await emit(platform, DOC_EVENTS.offerMake, { termKey: "pieceRateBaseFen", value: -5 })).toMatchObject({ ok: false, code: DOC_ERRORS.invalid, field: "value" });

    const offerId = (offered as { offer: { id: string } }).offer.id;
    // Only an editor may write an offer into the draft.
    expect(await emit(platform, DOC_EVENTS.offerAccept, { offerId })).toMatchObject({ ok: false, code: DOC_ERRORS.forbidden });
    expect(platform.doc.getMap("terms").get("pieceRateBaseFen")).toBe(720);
    expect(await emit(editor, DOC_EVENTS.offerAccept, { offerId })).toMatchObject({ ok: true, offer: { accepted: true } });
    await waitFor(() => platform.doc.getMap("terms").get("pieceRateBaseFen") === 650 && editor.doc.getMap("terms").get("pieceRateBaseFen") === 650, "the accepted value in every copy");
    expect(await emit(editor, DOC_EVENTS.offerAccept, { offerId })).toMatchObject({ ok: false, code: DOC_ERRORS.invalid });

    const audit = (await db.query(`SELECT payload FROM "AuditEvent" WHERE "sessionId" = $1 AND type = 'offer.accepted'`, [sessionId])).rows;
    expect(audit.map((row) => row.payload)).toEqual([{ offerId, termKey: "pieceRateBaseFen", value: 650, side: "EMPLOYER", previous: 720 }]);
    const listed = (await emit(viewer, DOC_EVENTS.offerList)) as { offers: Array<{ id: string; roundNumber: number }> };
    expect(listed.offers.find((offer) => offer.id === offerId)).toMatchObject({ roundNumber: 0 });
    // A fresh load from the database has the accepted value.
    const fresh = await connect("unionAdmin");
    expect(fresh.doc.getMap("terms").get("pieceRateBaseFen")).toBe(650);
  });
});

describe("offers on the piece-rate table", () => {
  it("takes a whole table as a counter-offer, refuses a malformed one, and writes the accepted table into the draft", async () => {
    const editor = await connect("unionNegotiator");
    const platform = await connect("platformRepresentative");
    const ours = [
      { orderType: "STANDARD", fromMetres: 0, toMetres: 3000, timeBand: "ALL_DAY", priceFen: 700 },
      { orderType: "STANDARD", fromMetres: 3000, toMetres: 6000, timeBand: "ALL_DAY", priceFen: 900 },
    ];
    expect(await editor.change((doc) => doc.getMap("terms").set("pieceRateTable", ours))).toEqual({ ok: true });
    const theirs = ours.map((row) => ({ ...row, priceFen: row.priceFen - 50 }));
    expect(await emit(platform, DOC_EVENTS.offerMake, { termKey: "pieceRateTable", value: [{ ...theirs[0], toMetres: 0 }] })).toMatchObject({ ok: false, code: DOC_ERRORS.invalid });
    expect(await emit(platform, DOC_EVENTS.offerMake, { termKey: "pieceRateTable", value: [] })).toMatchObject({ ok: false, code: DOC_ERRORS.invalid });
    const offered = (await emit(platform, DOC_EVENTS.offerMake, { termKey: "pieceRateTable", value: theirs })) as { ok: boolean; offer: { id: string; value: unknown } };
    expect(offered).toMatchObject({ ok: true, offer: { value: theirs } });
    expect(await emit(editor, DOC_EVENTS.offerAccept, { offerId: offered.offer.id })).toMatchObject({ ok: true });
    // Compared by value: the table went through JSONB, which orders object keys its own way.
    const normalized = (rows: unknown) => JSON.stringify((rows as Array<Record<string, unknown>> | undefined)?.map((row) => Object.fromEntries(Object.entries(row).sort())));
    await waitFor(() => normalized(platform.doc.getMap("terms").get("pieceRateTable")) === normalized(theirs), "the accepted table in the platform's copy");
    const audit = (await db.query(`SELECT payload FROM "AuditEvent" WHERE "sessionId" = $1 AND type = 'offer.accepted' ORDER BY seq DESC LIMIT 1`, [sessionId])).rows[0].payload;
    expect(audit).toMatchObject({ offerId: offered.offer.id, termKey: "pieceRateTable", value: theirs, previous: ours });
  });
});

describe("offers on the other structured terms", () => {
  it("takes positions on the causes never penalised and on allocation, and writes an accepted one into the draft", async () => {
    const editor = await connect("unionNegotiator");
    const platform = await connect("platformRepresentative");
    const causes = (await emit(platform, DOC_EVENTS.offerMake, { termKey: "penaltyExcludedCauses", value: ["BAD_WEATHER", "TRAFFIC_CONTROL"] })) as { ok: boolean; offer: { id: string } };
    expect(causes).toMatchObject({ ok: true });
    expect(await emit(platform, DOC_EVENTS.offerMake, { termKey: "penaltyExcludedCauses", value: ["ALIENS"] })).toMatchObject({ ok: false, code: DOC_ERRORS.invalid });
    expect(await emit(platform, DOC_EVENTS.offerMake, { termKey: "allocation", value: { medianEstimate: false, dispatchRadiusMetres: 5000, maxConcurrentOrders: 4 } })).toMatchObject({ ok: true });
    expect(await emit(platform, DOC_EVENTS.offerMake, { termKey: "allocation", value: { medianEstimate: true, dispatchRadiusMetres: 5000, maxConcurrentOrders: 99 } })).toMatchObject({ ok: false, code: DOC_ERRORS.invalid });
    expect(await emit(editor, DOC_EVENTS.offerAccept, { offerId: causes.offer.id })).toMatchObject({ ok: true });
    await waitFor(() => JSON.stringify(platform.doc.getMap("terms").get("penaltyExcludedCauses")) === JSON.stringify(["BAD_WEATHER", "TRAFFIC_CONTROL"]), "the accepted causes in the draft");
  });
});

describe("offers that say nothing new", () => {
  it("refuses an offer of nothing and a repeat of the side's current offer (also when sent twice at once), storing nothing", async () => {
    const platform = await connect("platformRepresentative");
    const union = await connect("unionNegotiator");
    const count = async () => (await db.query('SELECT count(*)::int AS n FROM "TermOffer" WHERE "sessionId" = $1', [sessionId])).rows[0].n as number;
    const before = await count();
    // 0.00 yuan is not a position on the base rate; no penalties at all is one on the penalty cap.
    expect(await emit(platform, DOC_EVENTS.offerMake, { termKey: "pieceRateBaseFen", value: 0 })).toMatchObject({ ok: false, code: DOC_ERRORS.invalid, field: "value", message: { key: "validation.offerPositive" } });
    expect(await emit(platform, DOC_EVENTS.offerMake, { termKey: "quotaMinutesPerOrder", value: 0 })).toMatchObject({ ok: false, code: DOC_ERRORS.invalid, field: "value" });
    expect(await count()).toBe(before);
    expect(await emit(union, DOC_EVENTS.offerMake, { termKey: "penaltyCapFen", value: 0 })).toMatchObject({ ok: true, offer: { value: 0, side: "WORKER" } });

    // The same click twice at once records one offer.
    const twice = await Promise.all([1, 2].map(() => emit(platform, DOC_EVENTS.offerMake, { termKey: "badWeatherSubsidyFen", value: 250 })));
    expect(twice.filter((ack) => (ack as { ok: boolean }).ok)).toHaveLength(1);
    expect(twice.find((ack) => !(ack as { ok: boolean }).ok)).toEqual({ ok: false, code: DOC_ERRORS.invalid, field: "value", message: { key: "errors.offer.unchanged" } });
    expect(await emit(platform, DOC_EVENTS.offerMake, { termKey: "badWeatherSubsidyFen", value: 250 })).toMatchObject({ ok: false, message: { key: "errors.offer.unchanged" } });
    // The other side may offer the same figure (that is agreement), and this side may move.
    expect(await emit(union, DOC_EVENTS.offerMake, { termKey: "badWeatherSubsidyFen", value: 250 })).toMatchObject({ ok: true });
    expect(await emit(platform, DOC_EVENTS.offerMake, { termKey: "badWeatherSubsidyFen", value: 300 })).toMatchObject({ ok: true });
    expect(await emit(platform, DOC_EVENTS.offerMake, { termKey: "badWeatherSubsidyFen", value: 250 })).toMatchObject({ ok: true });

    // A structured offer repeated with its keys in another order is the same offer.
    const allocation = { medianEstimate: false, dispatchRadiusMetres: 4000, maxConcurrentOrders: 3 };
    expect(await emit(union, DOC_EVENTS.offerMake, { termKey: "allocation", value: allocation })).toMatchObject({ ok: true });
    expect(await emit(union, DOC_EVENTS.offerMake, { termKey: "allocation", value: { maxConcurrentOrders: 3, dispatchRadiusMetres: 4000, medianEstimate: false } })).toMatchObject({ ok: false, message: { key: "errors.offer.unchanged" } });
    expect(await count()).toBe(before + 6);
  });
});
