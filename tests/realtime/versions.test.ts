/** Named and automatic versions of the draft, compared text and terms. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import * as Y from "yjs";
import { startTestServer } from "../support/server.ts";
import { chinaMinute, loginAs, sessionInBargaining } from "../support/sessions.ts";
import { YjsTestClient } from "../support/yjs-client.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let db: pg.Client;
let sessionId: string;
let editor: YjsTestClient;

beforeAll(async () => {
  server = await startTestServer();
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  sessionId = await sessionInBargaining(server.url, db);
  editor = new YjsTestClient(server.url, sessionId, (await loginAs(server.url, "unionNegotiator")).cookies.get("xs_session")!);
  await editor.join();
});

afterAll(async () => {
  editor?.close();
  await db?.end();
  await server?.close();
});

/** Writes a paragraph into the body fragment, as the rich-text editor would. */
async function writeParagraph(text: string) {
  return editor.change((doc) => {
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText(text)]);
    const body = doc.getXmlFragment("body");
    body.insert(body.length, [paragraph]);
  });
}

describe("versions", () => {
  it("saves named versions and compares their text and terms; anyone in the session may read them", async () => {
    const negotiator = await loginAs(server.url, "unionNegotiator");
    await writeParagraph("第一条 计件单价按距离分档。");
    await editor.change((doc) => doc.getMap("terms").set("pieceRateBaseFen", 720));
    expect((await negotiator.post(`/sessions/${sessionId}/versions`, { name: "职工方初稿" })).status).toBe(302);

    await writeParagraph("第二条 恶劣天气每单补贴三元。");
    await editor.change((doc) => doc.getMap("terms").set("pieceRateBaseFen", 680));
    await editor.change((doc) => doc.getMap("terms").set("pieceRateTable", [{ orderType: "STANDARD", fromMetres: 0, toMetres: 3000, timeBand: "NIGHT", priceFen: 880 }]));
    expect((await negotiator.post(`/sessions/${sessionId}/versions`, { name: "第二稿" })).status).toBe(302);

    const versions = (await db.query('SELECT id, name, text FROM "DraftVersion" WHERE "sessionId" = $1 ORDER BY "createdAt"', [sessionId])).rows;
    expect(versions.map((row) => row.name)).toEqual(["职工方初稿", "第二稿"]);
    expect(versions[1].text).toBe("第一条 计件单价按距离分档。\n第二条 恶劣天气每单补贴三元。");

    const reviewer = await loginAs(server.url, "bureauReviewer");
    const page = await reviewer.get(`/sessions/${sessionId}/versions?a=${versions[0].id}&b=${versions[1].id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("<ins>");
    expect(page.text).toContain("第二条 恶劣天气每单补贴三元。");
    expect(page.text).toMatch(/7\.20 元[\s\S]*6\.80 元/);
    // Structured terms are compared too: the piece-rate table appeared in the second version.
    expect(page.text).toMatch(/计件单价表<\/th><td[^>]*>—<\/td><td[^>]*>普通订单 0–3 km 夜间 8\.80<strong class="badge">已变化/);
    // The form to save a version is not offered to those who may not save one.
    expect(page.text).not.toContain('name="name"');
    // Observers read versions but do not make them.
    expect((await reviewer.post(`/sessions/${sessionId}/versions`, { name: "旁听版本" })).status).toBe(403);
    expect((await reviewer.post(`/sessions/${sessionId}/versions`, { name: " " })).status).toBe(400);
  });

  it("saves a version automatically when a round is scheduled", async () => {
    const chief = await loginAs(server.url, "unionNegotiator");
    const before = (await db.query('SELECT count(*)::int AS n FROM "DraftVersion" WHERE "sessionId" = $1 AND "roundNumber" IS NOT NULL', [sessionId])).rows[0].n;
    const page = await chief.post(`/sessions/${sessionId}`, { intent: "scheduleRound", scheduledAt: chinaMinute(24 * 60), location: "线上会议", agenda: "补贴标准" });
    expect(page.status).toBe(302);
    const auto = (await db.query('SELECT "roundNumber", text FROM "DraftVersion" WHERE "sessionId" = $1 AND "roundNumber" IS NOT NULL ORDER BY "createdAt" DESC', [sessionId])).rows;
    expect(auto.length).toBe(before + 1);
    expect(auto[0].text).toContain("第二条");
  });

  it("gives outsiders nothing", async () => {
    const { TestBrowser } = await import("../support/browser.ts");
    const outsider = new TestBrowser(server.url);
    await outsider.signup({ email: `versions-${process.pid}-${Date.now()}@example.test` });
    expect((await outsider.get(`/sessions/${sessionId}/versions`)).status).toBe(404);
    expect((await outsider.post(`/sessions/${sessionId}/versions`, { name: "x" })).status).toBe(404);
  });
});

describe("opening and restoring a version", () => {
  it("opens any version on its own, and restores it as a new recorded edit that everyone connected receives", async () => {
    const negotiator = await loginAs(server.url, "unionNegotiator");
    const { rows } = await db.query(`SELECT id, name FROM "DraftVersion" WHERE "sessionId" = $1 AND name = '职工方初稿'`, [sessionId]);
    const first = rows[0] as { id: string; name: string };
    // Opened on its own page, in both languages: its text and terms, and (for an editor) the way to restore it.
    const opened = await negotiator.get(`/sessions/${sessionId}/versions?view=${first.id}`);
    expect(opened.status).toBe(200);
    expect(opened.text).toContain('data-testid="version-text"');
    expect(opened.text).toContain("第一条 计件单价按距离分档。");
    expect(opened.text).not.toMatch(/data-testid="version-text"[^>]*>[^<]*第二条/);
    expect(opened.text).toMatch(/data-testid="version-terms"[\s\S]*7\.20 元/);
    expect(opened.text).toContain(`/sessions/${sessionId}/draft?restore=${first.id}`);
    negotiator.acceptLanguage = "en";
    expect((await negotiator.get(`/sessions/${sessionId}/versions?view=${first.id}`)).text).toContain("Restore this version");
    negotiator.acceptLanguage = "zh-CN";
    // A reader who may not edit can open it but is not offered the restoration; an unknown version is a 404.
    const reviewer = await loginAs(server.url, "bureauReviewer");
    const read = await reviewer.get(`/sessions/${sessionId}/versions?view=${first.id}`);
    expect(read.text).toContain("第一条 计件单价按距离分档。");
    expect(read.text).not.toContain("?restore=");
    expect((await negotiator.get(`/sessions/${sessionId}/versions?view=noSuchVersion0`)).status).toBe(404);

    // Restoring over the realtime channel: refused to a reader, applied for an editor.
    const watcher = new YjsTestClient(server.url, sessionId, (await loginAs(server.url, "platformRepresentative")).cookies.get("xs_session")!);
    await watcher.join();
    const viewer = new YjsTestClient(server.url, sessionId, reviewer.cookies.get("xs_session")!);
    await viewer.join();
    const updatesBefore = Number((await db.query('SELECT count(*) AS n FROM "DraftUpdate" u JOIN "DraftDocument" d ON d.id = u."documentId" WHERE d."sessionId" = $1', [sessionId])).rows[0].n);
    expect(await viewer.socket.timeout(10_000).emitWithAck("version:restore", sessionId, { versionId: first.id })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await editor.socket.timeout(10_000).emitWithAck("version:restore", sessionId, { versionId: "noSuchVersion0" })).toMatchObject({ ok: false, code: "not_found" });
    const restored = await editor.socket.timeout(10_000).emitWithAck("version:restore", sessionId, { versionId: first.id });
    expect(restored).toMatchObject({ ok: true, version: { id: first.id, name: "职工方初稿" } });

    const body = (client: YjsTestClient) => client.doc.getXmlFragment("body").toArray().map((node) => (node as Y.XmlElement).toArray().map((text) => text.toString()).join("")).join("\n");
    for (const client of [editor, watcher]) {
      await expect.poll(() => body(client), { timeout: 10_000 }).toBe("第一条 计件单价按距离分档。");
      await expect.poll(() => client.doc.getMap("terms").get("pieceRateBaseFen"), { timeout: 10_000 }).toBe(720);
      expect(client.doc.getMap("terms").has("pieceRateTable")).toBe(false);
    }
    // A new edit, stored, on top of the history: the later version is still there and can be restored in turn.
    const updatesAfter = Number((await db.query('SELECT count(*) AS n FROM "DraftUpdate" u JOIN "DraftDocument" d ON d.id = u."documentId" WHERE d."sessionId" = $1', [sessionId])).rows[0].n);
    expect(updatesAfter).toBe(updatesBefore + 1);
    const audit = (await db.query(`SELECT payload FROM "AuditEvent" WHERE "sessionId" = $1 AND type = 'draft.versionRestored'`, [sessionId])).rows;
    expect(audit.map((row) => row.payload)).toEqual([{ versionId: first.id, name: "职工方初稿", roundNumber: null }]);
    const page = await negotiator.get(`/sessions/${sessionId}`);
    expect(page.text).toContain("将草案恢复为已保存的版本（作为一次新的修改）");
    // A fresh load from the database reads as the restored version.
    const fresh = new YjsTestClient(server.url, sessionId, negotiator.cookies.get("xs_session")!);
    await fresh.join();
    expect(body(fresh)).toBe("第一条 计件单价按距离分档。");
    for (const client of [watcher, viewer, fresh]) client.close();
  });
});
