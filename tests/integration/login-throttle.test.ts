/**
 * Throttling that cannot be turned against a person (issue 19, item 4), over the real HTTP
 * interface: an attacker who knows the chief negotiator's e-mail fails to log in again and again,
 * from several addresses; the chief still logs in from a device they used before, and still signs
 * the agreement (the re-entered password has its own counter per login session); a new device is
 * refused for the window; the chief is told. A pair of account and client waits longer after each
 * failure.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { TestBrowser, uniqueEmail } from "../support/browser.ts";
import { startTestServer } from "../support/server.ts";
import { demoAccount, sessionInBargaining, VALID_TERMS, writeTerms } from "../support/sessions.ts";
import { agreeDraft, expectStatus, ratify, writeText } from "../support/agreement.ts";

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

const signatures = async (sessionId: string) => (await db.query('SELECT count(*)::int AS n FROM "AgreementSignature" WHERE "sessionId" = $1', [sessionId])).rows[0].n as number;

describe("an attacker's failures", () => {
  it("stop neither the chief's login on a known device nor the signing; a new device waits; the chief is told", async () => {
    const sessionId = await sessionInBargaining(server.url, db, `防锁定 ${Date.now()}`);
    await writeTerms(server.url, sessionId, VALID_TERMS);
    await writeText(server.url, sessionId, ["第一条 计件单价按条款执行。"]);
    await agreeDraft(server.url, sessionId);
    // The chief's own browser, signed in (and so a device the account knows).
    const { workerChief } = await ratify(server.url, db, sessionId);
    expect(workerChief.cookies.has("xs_device")).toBe(true);
    const chiefEmail = demoAccount("unionNegotiator").email;

    // Twelve failures from twelve addresses.
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const page = await new TestBrowser(server.url).post("/login", { email: chiefEmail, password: `guess ${attempt}` });
      expect([401, 429]).toContain(page.status);
    }
    // A device the account never logged in from is refused for the window, even with the password.
    const stranger = new TestBrowser(server.url);
    const refused = await stranger.post("/login", { email: chiefEmail, password: DEMO_PASSWORD });
    expect(refused.status).toBe(429);
    expect(refused.text).toMatch(/尝试次数过多/);

    // The chief signs: the re-entered password is not counted with the login failures.
    await expectStatus(await workerChief.post(`/sessions/${sessionId}/agreement`, { intent: "signAgreement", password: DEMO_PASSWORD }), 302, "sign");
    expect(await signatures(sessionId)).toBe(1);

    // And logs in again on the same device after logging out.
    await workerChief.post("/logout", {});
    expect(workerChief.cookies.has("xs_session")).toBe(false);
    const again = await workerChief.post("/login", { email: chiefEmail, password: DEMO_PASSWORD, redirectTo: "/" });
    expect(again.status).toBe(302);
    expect(workerChief.cookies.has("xs_session")).toBe(true);

    // The chief is told, once, in-app (and by e-mail through the outbox).
    const told = (await db.query(`SELECT count(*)::int AS n FROM "Notification" n JOIN "User" u ON u.id = n."userId" WHERE u.email = $1 AND n.type = 'account.loginFailures'`, [chiefEmail])).rows[0].n;
    expect(told).toBe(1);
    expect((await workerChief.get("/notifications")).text).toContain("次密码错误的登录尝试");
  });
});

describe("the signing password", () => {
  it("has its own counter per login session: the chief's own wrong passwords slow that session only", async () => {
    const sessionId = await sessionInBargaining(server.url, db, `签署口令 ${Date.now()}`);
    await writeTerms(server.url, sessionId, VALID_TERMS);
    await writeText(server.url, sessionId, ["第一条 计件单价按条款执行。"]);
    await agreeDraft(server.url, sessionId);
    const { employerChief } = await ratify(server.url, db, sessionId);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await employerChief.post(`/sessions/${sessionId}/agreement`, { intent: "signAgreement", password: `wrong ${attempt}` })).status).toBe(401);
    }
    const slowed = await employerChief.post(`/sessions/${sessionId}/agreement`, { intent: "signAgreement", password: DEMO_PASSWORD });
    expect(slowed.status).toBe(429);
    expect(await signatures(sessionId)).toBe(0);
    // Logging in is not affected by the signing counter.
    const fresh = new TestBrowser(server.url);
    expect((await fresh.post("/login", { email: demoAccount("associationRepresentative").email, password: DEMO_PASSWORD, redirectTo: "/" })).status).toBe(302);
    // A new login session has a counter of its own.
    await expectStatus(await fresh.post(`/sessions/${sessionId}/agreement`, { intent: "signAgreement", password: DEMO_PASSWORD }), 302, "sign from a new session");
    expect(await signatures(sessionId)).toBe(1);
  });
});

describe("one account from one client", () => {
  it("waits longer after each failure beyond the third, and gets in once the wait is over", async () => {
    const email = uniqueEmail("pair");
    await new TestBrowser(server.url).signup({ email, password: "the right password 19" });
    const browser = new TestBrowser(server.url);
    for (let attempt = 0; attempt < 4; attempt += 1) {
      expect((await browser.post("/login", { email, password: `wrong ${attempt}` })).status).toBe(401);
    }
    // The fourth failure costs a one-second wait: even the right password is refused meanwhile.
    expect((await browser.post("/login", { email, password: "the right password 19" })).status).toBe(429);
    // Another client is not made to wait by this pair.
    const other = new TestBrowser(server.url);
    expect((await other.post("/login", { email: uniqueEmail("nobody"), password: "whatever pw" })).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect((await browser.post("/login", { email, password: "the right password 19", redirectTo: "/" })).status).toBe(302);
  });
});
