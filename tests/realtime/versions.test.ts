/** Named and automatic versions of the draft, compared text and terms. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import * as Y from "yjs";
import { startTestServer } from "../support/server.ts";
import { loginAs, sessionInBargaining } from "../support/sessions.ts";
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
    expect(page.text).toMatch(/计件单价表<\/th><td>—<\/td><td>普通订单 0–3 km 夜间 8\.80<strong class="badge">已变化/);
    // The form to save a version is not offered to those who may not save one.
    expect(page.text).not.toContain('name="name"');
    // Observers read versions but do not make them.
    expect((await reviewer.post(`/sessions/${sessionId}/versions`, { name: "旁听版本" })).status).toBe(403);
    expect((await reviewer.post(`/sessions/${sessionId}/versions`, { name: " " })).status).toBe(400);
  });

  it("saves a version automatically when a round is scheduled", async () => {
    const chief = await loginAs(server.url, "unionNegotiator");
    const before = (await db.query('SELECT count(*)::int AS n FROM "DraftVersion" WHERE "sessionId" = $1 AND "roundNumber" IS NOT NULL', [sessionId])).rows[0].n;
    const page = await chief.post(`/sessions/${sessionId}`, { intent: "scheduleRound", scheduledAt: "2026-12-03T09:30", location: "线上会议", agenda: "补贴标准" });
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
