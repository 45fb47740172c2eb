/**
 * Version compare when two texts differ too much to show inline (issue 19, item 3): the page says
 * so and offers both texts as files, to those who may see the draft and nobody else.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { TestBrowser, uniqueEmail } from "../support/browser.ts";
import { startTestServer } from "../support/server.ts";
import { loginAs, sessionInBargaining } from "../support/sessions.ts";
import { TEXT_DIFF_BOUNDS } from "../../app/domain/draft-text.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let db: pg.Client;

beforeAll(async () => {
  server = await startTestServer();
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await server?.close();
});

/** `lines` short lines of random letters. */
const randomLines = (lines: number) => Array.from({ length: lines }, () => randomBytes(12).toString("base64url")).join("\n");

async function version(sessionId: string, name: string, text: string): Promise<string> {
  const id = randomBytes(12).toString("base64url");
  await db.query(`INSERT INTO "DraftVersion" (id, "sessionId", name, snapshot, text, terms, "createdAt") VALUES ($1, $2, $3, $4, $5, '{}', now())`, [id, sessionId, name, Buffer.alloc(0), text]);
  return id;
}

describe("comparing versions that differ too much", () => {
  it("says so and offers both texts as files, to the session's people only", async () => {
    const sessionId = await sessionInBargaining(server.url, db, `差异过大 ${Date.now()}`);
    const beforeText = randomLines(TEXT_DIFF_BOUNDS.maxLineEdits + 200);
    const before = await version(sessionId, "甲", beforeText);
    const after = await version(sessionId, "乙", randomLines(TEXT_DIFF_BOUNDS.maxLineEdits + 200));
    const negotiator = await loginAs(server.url, "unionNegotiator");
    const page = await negotiator.get(`/sessions/${sessionId}/versions?a=${before}&b=${after}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("两版文本差异过大，无法在此逐字对照。");
    expect(page.text).toContain(`href="/sessions/${sessionId}/versions/${before}/text"`);
    const file = await negotiator.get(`/sessions/${sessionId}/versions/${before}/text`);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toContain("text/plain");
    expect(file.headers.get("content-disposition")).toContain("attachment");
    expect(file.text).toBe(beforeText);
    const outsider = new TestBrowser(server.url);
    await outsider.signup({ email: uniqueEmail("outsider") });
    expect((await outsider.get(`/sessions/${sessionId}/versions/${before}/text`)).status).toBe(404);
    // A version of another session is not found through this one.
    const other = await sessionInBargaining(server.url, db, `另一会话 ${Date.now()}`);
    expect((await negotiator.get(`/sessions/${other}/versions/${before}/text`)).status).toBe(404);
  });
});
