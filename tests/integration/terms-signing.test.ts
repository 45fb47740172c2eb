/**
 * The pay-at-quota minimum-wage check on the server: the session page shows the breach computed
 * from the stored draft, and the chiefs cannot sign the ratified agreement while it stands; with a
 * piece rate above the floor the same path signs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import * as Y from "yjs";
import { DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { startTestServer } from "../support/server.ts";
import { loginAs, sessionInBargaining, VALID_TERMS, writeTerms } from "../support/sessions.ts";
import { ratify } from "../support/agreement.ts";

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

const state = async (sessionId: string) => (await db.query('SELECT state FROM "BargainingSession" WHERE id = $1', [sessionId])).rows[0].state as string;

async function agreeDraft(sessionId: string) {
  for (const roleKey of ["unionNegotiator", "associationRepresentative"]) {
    const chief = await loginAs(server.url, roleKey);
    const page = await chief.post(`/sessions/${sessionId}`, { intent: "agree", kind: "DRAFT" });
    expect(page.status, page.text.slice(0, 400)).toBe(302);
  }
  expect(await state(sessionId)).toBe("DRAFT_AGREED");
}

describe("pay at the labour quota against Hangzhou's hourly minimum wage (25.00 yuan)", () => {
  it("shows the breach on the session page and refuses signing while it stands", async () => {
    const sessionId = await sessionInBargaining(server.url, db, `最低工资签署 ${Date.now()}`);
    // 12 minutes per order at 4.80 yuan: 24.00 yuan an hour of order-taking; in a 10-hour day with a
    // 30-minute allowance (人社厅发〔2023〕50号 第四条), 22.80 yuan an hour of working time.
    await writeTerms(server.url, sessionId, { ...VALID_TERMS, quotaMinutesPerOrder: 12, pieceRateBaseFen: 480 });
    const negotiator = await loginAs(server.url, "unionNegotiator");
    const page = await negotiator.get(`/sessions/${sessionId}`);
    expect(page.text).toContain("按劳动定额正常劳动，每小时工作时间的报酬为 22.80 元（按每日 10 小时、其中宽放时间 30 分钟计），低于本地区");
    expect(page.text).toContain("小时最低工资标准 25.00 元");

    await agreeDraft(sessionId);
    await ratify(server.url, db, sessionId);
    expect(await state(sessionId)).toBe("RATIFIED");
    const refused = await negotiator.post(`/sessions/${sessionId}/agreement`, { intent: "signAgreement", password: DEMO_PASSWORD });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("违反法定底线的规则检查未通过，不能签署");
    expect(await state(sessionId)).toBe("RATIFIED");
    expect((await db.query('SELECT count(*)::int AS n FROM "AgreementSignature" WHERE "sessionId" = $1', [sessionId])).rows[0].n).toBe(0);
  });

  it("signs when pay at quota is above the floor", async () => {
    const sessionId = await sessionInBargaining(server.url, db, `最低工资签署 ${Date.now()}`);
    // 12 minutes per order at 5.50 yuan: 27.50 yuan an hour of order-taking, 26.12 an hour of working time.
    await writeTerms(server.url, sessionId, { ...VALID_TERMS, quotaMinutesPerOrder: 12, pieceRateBaseFen: 550 });
    const negotiator = await loginAs(server.url, "unionNegotiator");
    expect((await negotiator.get(`/sessions/${sessionId}`)).text).not.toContain("每小时工作时间的报酬");
    await agreeDraft(sessionId);
    await ratify(server.url, db, sessionId);
    const signed = await negotiator.post(`/sessions/${sessionId}/agreement`, { intent: "signAgreement", password: DEMO_PASSWORD });
    expect(signed.status, signed.text.slice(0, 400)).toBe(302);
    expect((await db.query('SELECT count(*)::int AS n FROM "AgreementSignature" WHERE "sessionId" = $1', [sessionId])).rows[0].n).toBe(1);
  });
});

describe("terms that cannot be read (issue 18, item 4)", () => {
  it("refuse signing: terms corrupted in the stored document are a blocking breach of their own", async () => {
    const sessionId = await sessionInBargaining(server.url, db, `条款损坏 ${Date.now()}`);
    await writeTerms(server.url, sessionId, VALID_TERMS);
    // Written behind the app's back, straight into the stored document: a negative piece rate.
    const { appendUpdate, loadDocument } = await import("../../app/models/document-store.server.ts");
    const { id: documentId } = (await db.query('SELECT id FROM "DraftDocument" WHERE "sessionId" = $1', [sessionId])).rows[0];
    const { doc } = await loadDocument(sessionId);
    const before = Y.encodeStateVector(doc);
    doc.getMap("terms").set("pieceRateBaseFen", -5);
    await appendUpdate(documentId, Y.encodeStateAsUpdate(doc, before), null);
    doc.destroy();

    await agreeDraft(sessionId);
    await ratify(server.url, db, sessionId);
    expect(await state(sessionId)).toBe("RATIFIED");
    const negotiator = await loginAs(server.url, "unionNegotiator");
    const refused = await negotiator.post(`/sessions/${sessionId}/agreement`, { intent: "signAgreement", password: DEMO_PASSWORD });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("结构化条款无法读取");
    expect(await state(sessionId)).toBe("RATIFIED");
    expect((await db.query('SELECT count(*)::int AS n FROM "AgreementSignature" WHERE "sessionId" = $1', [sessionId])).rows[0].n).toBe(0);
  });
});
