/**
 * The demo scenario (`npm start` with XS_DEMO): a bargaining session with a realistic draft that
 * the demo accounts open at once; its terms pass every blocking rule check, and seeding it again
 * changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { startTestServer } from "../support/server.ts";
import { loginAs } from "../support/sessions.ts";
import { DEMO_IN_FORCE_TITLE, DEMO_IN_FORCE_TERMS, DEMO_SESSION_TITLE, DEMO_TERMS } from "../../prisma/demo-scenario.ts";
import { checkTerms } from "../../app/domain/rule-checks.ts";
import { ruleContextFor } from "../../app/domain/minimum-wage.ts";
import { readTerms } from "../../app/domain/terms.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let db: pg.Client;

beforeAll(async () => {
  server = await startTestServer({ XS_DEMO_SCENARIO: "true" });
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await server?.close();
});

describe("the demo scenario", () => {
  it("seeds a session in bargaining whose draft holds the demo terms and body", async () => {
    const rows = (await db.query('SELECT id, state FROM "BargainingSession" WHERE title = $1', [DEMO_SESSION_TITLE])).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0].state).toBe("BARGAINING");
    const { loadDocument } = await import("../../app/models/document-store.server.ts");
    const { doc } = await loadDocument(rows[0].id);
    expect(readTerms(doc.getMap("terms").toJSON())).toEqual(DEMO_TERMS);
    expect(doc.getXmlFragment("body").toString()).toContain("第一条");
    doc.destroy();
  });

  it("has terms that meet every legal floor in Hangzhou", () => {
    const results = checkTerms(DEMO_TERMS, ruleContextFor("330100", "2027-01-01"));
    expect(results.filter((result) => result.severity === "blocking")).toEqual([]);
    expect(results).toEqual([]);
  });

  it("is listed for the demo negotiator, whose session page shows every check passed", async () => {
    const negotiator = await loginAs(server.url, "unionNegotiator");
    const list = await negotiator.get("/sessions");
    expect(list.text).toContain(DEMO_SESSION_TITLE);
    const sessionId = (await db.query('SELECT id FROM "BargainingSession" WHERE title = $1', [DEMO_SESSION_TITLE])).rows[0].id;
    const page = await negotiator.get(`/sessions/${sessionId}`);
    expect(page.text).toContain("所有规则检查均已通过。");
  });

  it("has an agreement in force whose notice anyone can read, with its terms and a valid hash chain", async () => {
    const rows = (await db.query('SELECT id, state, "effectiveFrom" FROM "BargainingSession" WHERE title = $1', [DEMO_IN_FORCE_TITLE])).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0].state).toBe("IN_FORCE");
    const list = await fetch(`${server.url}/notices`).then((response) => response.text());
    expect(list).toContain(DEMO_IN_FORCE_TITLE);
    const api = (await fetch(`${server.url}/api/notices`).then((response) => response.json())) as { notices: Array<{ noticeId: string }> };
    expect(api.notices).toHaveLength(1);
    const verify = (await fetch(`${server.url}/api/notices/${api.notices[0]!.noticeId}/verify`).then((response) => response.json())) as { ok: boolean };
    expect(verify.ok, JSON.stringify(verify).slice(0, 1500)).toBe(true);
    const published = (await db.query('SELECT terms FROM "NoticeVersion" WHERE "sessionId" = $1', [rows[0].id])).rows;
    expect(published).toHaveLength(1);
    expect(readTerms(published[0].terms)).toEqual(DEMO_IN_FORCE_TERMS);
  });

  it("is not seeded twice", async () => {
    const { seedDemoScenarioOnce } = await import("../../prisma/seed.ts");
    const { getDb } = await import("../../app/infra/db.server.ts");
    await seedDemoScenarioOnce(getDb());
    expect((await db.query('SELECT count(*)::int AS n FROM "BargainingSession" WHERE title = $1', [DEMO_SESSION_TITLE])).rows[0].n).toBe(1);
    expect((await db.query('SELECT count(*)::int AS n FROM "BargainingSession" WHERE title = $1', [DEMO_IN_FORCE_TITLE])).rows[0].n).toBe(1);
  });
});
