/**
 * Workers sign in with a phone number and a code sent by SMS (issue 25, item 1): the code goes
 * through the outbox and the job queue to a real HTTP gateway (an HTTP receiver in this test, as
 * XS_SMS_HTTP_URL would be in production); it is stored only as a hash, sealed in the outbox until
 * sent and erased after; a wrong, replayed, replaced or expired code is refused in the person's
 * language and changes nothing; requests are rate-limited per number; the worker then sees the
 * agreements covering their industry and region.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { TestBrowser } from "../support/browser.ts";
import { startTestServer } from "../support/server.ts";
import { loginAs } from "../support/sessions.ts";

type Sms = { id: string; to: string; text: string; authorization: string | undefined };

let server: Awaited<ReturnType<typeof startTestServer>>;
let gateway: http.Server;
let db: pg.Client;
const received: Sms[] = [];
let failNext = 0;

/** The next text message the gateway receives for `to` after `after` messages. */
async function smsFor(to: string, after: number): Promise<Sms> {
  for (let waited = 0; waited < 30_000; waited += 100) {
    const mine = received.filter((sms) => sms.to === to);
    if (mine.length > after) return mine[after]!;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no text message reached the gateway for ${to}`);
}

const codeOf = (sms: Sms) => /(\d{6})/.exec(sms.text)![1]!;

let phoneCounter = 0;
/** A mobile number of its own for each test (the limits count per number). */
function newPhone(): { typed: string; e164: string } {
  phoneCounter += 1;
  const digits = `139${String(process.pid % 10_000).padStart(4, "0")}${String(phoneCounter).padStart(4, "0")}`;
  return { typed: `${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`, e164: `+86${digits}` };
}

beforeAll(async () => {
  gateway = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      if (failNext > 0) {
        failNext -= 1;
        response.writeHead(503).end("busy");
        return;
      }
      const sms = JSON.parse(body) as Omit<Sms, "authorization">;
      received.push({ ...sms, authorization: request.headers.authorization });
      response.writeHead(200, { "Content-Type": "application/json" }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  const port = (gateway.address() as AddressInfo).port;
  server = await startTestServer({
    XS_SMS_HTTP_URL: `http://127.0.0.1:${port}/send`,
    XS_SMS_HTTP_TOKEN: "gateway-token",
    XS_OUTBOX_RELAY_SECONDS: "1",
    XS_DELIVERY_RETRY_SECONDS: "1",
    // Published agreements to find (prisma/demo-scenario.ts).
    XS_DEMO_SCENARIO: "true",
  });
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
}, 120_000);

afterAll(async () => {
  await db?.end();
  await server?.close();
  await new Promise((resolve) => gateway?.close(resolve));
});

async function sendCode(browser: TestBrowser, phone: string) {
  return browser.post("/worker/login", { intent: "send", phone, redirectTo: "/" });
}

describe("a worker signs in with a phone number and a code sent by SMS", () => {
  it("sends the code through the outbox to the gateway, stores only its hash, and signs the worker in", async () => {
    const phone = newPhone();
    const browser = new TestBrowser(server.url, { ip: "10.25.0.1" });
    const sent = await sendCode(browser, phone.typed);
    expect(sent.status).toBe(200);
    expect(sent.text).toContain("验证码已发送到 139****");
    const sms = await smsFor(phone.e164, 0);
    expect(sms.authorization).toBe("Bearer gateway-token");
    expect(sms.text).toMatch(/^【协商】你的登录验证码是 \d{6}，5 分钟内有效。请勿告诉他人。$/);
    const code = codeOf(sms);

    // Only a hash of the code in the database; the outbox's sealed copy is gone once sent.
    const { rows: codes } = await db.query<{ codeHash: string }>(`SELECT "codeHash" FROM "PhoneCode" WHERE phone = $1`, [phone.e164]);
    expect(codes).toHaveLength(1);
    expect(codes[0]!.codeHash).toMatch(/^scrypt\$/);
    expect(codes[0]!.codeHash).not.toContain(code);
    // The gateway has the message; the delivery is marked sent once its answer is back (a moment later).
    const sentMessages = async () =>
      (await db.query<{ payload: unknown; status: string }>(`SELECT m.payload, d.status FROM "OutboxMessage" m JOIN "Delivery" d ON d."messageId" = m.id WHERE m."toPhone" = $1`, [phone.e164])).rows;
    let messages = await sentMessages();
    for (let waited = 0; messages[0]?.status !== "SENT" && waited < 10_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      messages = await sentMessages();
    }
    expect(messages).toHaveLength(1);
    expect(messages[0]!.status).toBe("SENT");
    expect(JSON.stringify(messages[0]!.payload)).not.toContain(code);
    expect(JSON.stringify(messages[0]!.payload)).not.toContain("sealed");

    // A wrong code: refused beside the field, in Chinese, with the tries left; nobody signed in.
    const wrong = await browser.post("/worker/login", { intent: "verify", phone: phone.e164, code: code === "000000" ? "111111" : "000000" });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain("验证码不正确。这个验证码还可以再试 4 次。");
    expect(wrong.text).toMatch(/id="f-code"[^>]*aria-invalid="true"/);
    expect(browser.cookies.has("xs_session")).toBe(false);

    const right = await browser.post("/worker/login", { intent: "verify", phone: phone.e164, code, redirectTo: "/" });
    expect(right.status).toBe(302);
    expect(right.location).toBe("/worker");
    expect(browser.cookies.get("xs_session")).toBeTruthy();
    const { rows: users } = await db.query<{ email: string | null; passwordHash: string | null; displayName: string }>(`SELECT email, "passwordHash", "displayName" FROM "User" WHERE phone = $1`, [phone.e164]);
    expect(users).toEqual([{ email: null, passwordHash: null, displayName: `${phone.e164.slice(3, 6)}****${phone.e164.slice(-4)}` }]);

    // The header leads a worker to their agreements, not to the bargaining pages.
    const home = await browser.get("/worker");
    expect(home.status).toBe(200);
    expect(home.text).toContain("我的协议");
    expect(home.text).not.toContain('href="/sessions"');
    expect(home.text).toContain("先选择行业和地区。");

    // The code is spent: replayed, it is refused.
    const replay = new TestBrowser(server.url, { ip: "10.25.0.2" });
    const again = await replay.post("/worker/login", { intent: "verify", phone: phone.e164, code });
    expect(again.status).toBe(400);
    expect(again.text).toContain("没有可用的验证码");
    expect(replay.cookies.has("xs_session")).toBe(false);
  }, 60_000);

  it("lists the published agreements covering the worker's industry and region, in both languages", async () => {
    const phone = newPhone();
    const browser = new TestBrowser(server.url, { ip: "10.25.0.3" });
    await sendCode(browser, phone.e164);
    const code = codeOf(await smsFor(phone.e164, 0));
    expect((await browser.post("/worker/login", { intent: "verify", phone: phone.e164, code })).status).toBe(302);
    const saved = await browser.post("/worker", { industry: "FOOD_DELIVERY", regionCode: "330100" });
    expect(saved.status).toBe(302);
    const page = await browser.get("/worker?saved=1");
    expect(page.text).toContain("已保存。");
    expect(page.text).toContain("覆盖杭州市外卖配送的协议");
    const { rows } = await db.query<{ noticeId: string }>(`SELECT DISTINCT "noticeId" FROM "NoticeVersion" WHERE industry = 'FOOD_DELIVERY' AND "regionCode" = '330100'`);
    expect(rows.length).toBeGreaterThan(0);
    for (const { noticeId } of rows) expect(page.text).toContain(`href="/notices/${noticeId}"`);
    // Another industry: its own agreements only.
    await browser.post("/worker", { industry: "FREIGHT", regionCode: "330100" });
    const freight = await browser.get("/worker");
    expect(freight.text).toContain("目前没有覆盖杭州市货运的已公布协议。");
    // In English.
    browser.acceptLanguage = "en";
    await browser.post("/locale", { locale: "en", redirectTo: "/worker" });
    const english = await browser.get("/worker");
    expect(english.text).toContain("My agreements");
    expect(english.text).toMatch(/No published agreement covers .* in Hangzhou yet\./);
    // A choice that is not on the list changes nothing.
    const bad = await browser.post("/worker", { industry: "SPACE", regionCode: "330100" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Choose one of the options");
    const { rows: profile } = await db.query(`SELECT industry FROM "WorkerProfile" w JOIN "User" u ON u.id = w."userId" WHERE u.phone = $1`, [phone.e164]);
    expect(profile).toEqual([{ industry: "FREIGHT" }]);
  }, 60_000);

  it("refuses a bad number, an expired or replaced code, and too many requests, changing nothing", async () => {
    const browser = new TestBrowser(server.url, { ip: "10.25.0.4" });
    for (const typed of ["12345", "2381234567890", "+1 415 555 0100", "1381234567a"]) {
      const page = await sendCode(browser, typed);
      expect(page.status, typed).toBe(400);
      expect(page.text).toContain("请输入 11 位中国大陆手机号码");
    }
    const phone = newPhone();
    expect((await sendCode(browser, phone.e164)).status).toBe(200);
    const first = codeOf(await smsFor(phone.e164, 0));
    // Once a minute per number, localized, nothing more sent.
    const tooSoon = await sendCode(browser, phone.e164);
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.text).toMatch(/尝试次数过多，请在 1 分钟后再试。/);
    const { rows: count } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM "PhoneCode" WHERE phone = $1`, [phone.e164]);
    expect(Number(count[0]!.n)).toBe(1);
    // Expired (its five minutes are over): refused.
    await db.query(`UPDATE "PhoneCode" SET "expiresAt" = now() - interval '1 second' WHERE phone = $1`, [phone.e164]);
    const expired = await browser.post("/worker/login", { intent: "verify", phone: phone.e164, code: first });
    expect(expired.status).toBe(400);
    expect(expired.text).toContain("验证码 5 分钟内有效");
    // Five wrong tries spend a code.
    await db.query(`UPDATE "PhoneCode" SET "expiresAt" = now() + interval '5 minutes' WHERE phone = $1`, [phone.e164]);
    const wrongCode = first === "123456" ? "654321" : "123456";
    for (let left = 4; left >= 0; left -= 1) {
      const page = await browser.post("/worker/login", { intent: "verify", phone: phone.e164, code: wrongCode });
      expect(page.text).toContain(`还可以再试 ${left} 次`);
    }
    const spent = await browser.post("/worker/login", { intent: "verify", phone: phone.e164, code: first });
    expect(spent.text).toContain("没有可用的验证码");
    expect(browser.cookies.has("xs_session")).toBe(false);
    const { rows: users } = await db.query(`SELECT id FROM "User" WHERE phone = $1`, [phone.e164]);
    expect(users).toEqual([]);
  }, 60_000);

  it("retries a message the gateway refused (recorded as an attempt), then delivers it", async () => {
    const phone = newPhone();
    failNext = 1;
    const browser = new TestBrowser(server.url, { ip: "10.25.0.5" });
    await sendCode(browser, phone.e164);
    const sms = await smsFor(phone.e164, 0);
    // The successful attempt is recorded once the gateway's answer is back, a moment after it has the message.
    const attempts = async () =>
      (await db.query<{ ok: boolean; error: string | null }>(`SELECT a.ok, a.error FROM "DeliveryAttempt" a JOIN "Delivery" d ON d.id = a."deliveryId" JOIN "OutboxMessage" m ON m.id = d."messageId" WHERE m."toPhone" = $1 ORDER BY a.at`, [phone.e164])).rows;
    let rows = await attempts();
    for (let waited = 0; rows.length < 2 && waited < 10_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      rows = await attempts();
    }
    expect(rows.map((row) => row.ok)).toEqual([false, true]);
    expect(rows[0]!.error).toContain("503");
    expect((await browser.post("/worker/login", { intent: "verify", phone: phone.e164, code: codeOf(sms) })).status).toBe(302);
  }, 60_000);

  it("signs a worker in with a union's invitation code, once, without a phone or an e-mail", async () => {
    const admin = await loginAs(server.url, "unionAdmin");
    const made = await admin.post("/orgs/hz-rider-union", { intent: "createWorkerCode", expiresInDays: "14", note: "西湖站点" });
    expect(made.status).toBe(200);
    const code = /邀请码：([0-9A-Z]{5}-[0-9A-Z]{5})（14 天内有效，只显示这一次）/.exec(made.text)![1]!;
    // Only its hash is kept.
    const { rows: stored } = await db.query<{ tokenHash: string; forWorker: boolean }>(`SELECT "tokenHash", "forWorker" FROM "Invitation" WHERE note = '西湖站点'`);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.forWorker).toBe(true);
    expect(stored[0]!.tokenHash).not.toContain(code.replace("-", ""));

    // Typed in lower case without the hyphen; a name is needed.
    const worker = new TestBrowser(server.url, { ip: "10.25.0.6" });
    const noName = await worker.post("/worker/login", { intent: "invite", inviteCode: code.toLowerCase().replace("-", ""), displayName: " " });
    expect(noName.status).toBe(400);
    expect(noName.text).toMatch(/id="f-invite-displayName"[^>]*aria-invalid="true"/);
    const signedIn = await worker.post("/worker/login", { intent: "invite", inviteCode: code.toLowerCase().replace("-", ""), displayName: "王师傅" });
    expect(signedIn.status).toBe(302);
    expect(signedIn.location).toBe("/worker");
    const { rows: accounts } = await db.query(`SELECT u.email, u.phone, u."passwordHash", m.role, o.slug FROM "User" u JOIN "Membership" m ON m."userId" = u.id JOIN "Organization" o ON o.id = m."organizationId" WHERE u."displayName" = '王师傅'`);
    expect(accounts).toEqual([{ email: null, phone: null, passwordHash: null, role: "MEMBER", slug: "hz-rider-union" }]);
    expect((await worker.get("/worker")).status).toBe(200);

    // Once only; a guessed code is refused and counted.
    const other = new TestBrowser(server.url, { ip: "10.25.0.7" });
    const reused = await other.post("/worker/login", { intent: "invite", inviteCode: code, displayName: "李四" });
    expect(reused.status).toBe(410);
    expect(reused.text).toContain("这个邀请码已经用过了。");
    const guessed = await other.post("/worker/login", { intent: "invite", inviteCode: "ABCDE-FGHJK", displayName: "李四" });
    expect(guessed.status).toBe(404);
    expect(guessed.text).toMatch(/id="f-invite-inviteCode"[^>]*aria-invalid="true"/);
    const { rows: users } = await db.query(`SELECT id FROM "User" WHERE "displayName" = '李四'`);
    expect(users).toEqual([]);

    // Only a union gives them.
    const platform = await loginAs(server.url, "platformRepresentative");
    const refused = await platform.post("/orgs/swift-eats", { intent: "createWorkerCode", expiresInDays: "14" });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("只有工会可以给工人发邀请码。");
  }, 60_000);

  it("has a demo rider who signs in by phone and finds the demo agreement covering them", async () => {
    const browser = new TestBrowser(server.url, { ip: "10.25.0.8" });
    expect((await sendCode(browser, "13800000001")).status).toBe(200);
    const code = codeOf(await smsFor("+8613800000001", 0));
    expect((await browser.post("/worker/login", { intent: "verify", phone: "13800000001", code })).status).toBe(302);
    const page = await browser.get("/worker");
    expect(page.text).toContain("刘洋");
    expect(page.text).toContain("覆盖杭州市外卖配送的协议");
    expect(page.text).toContain('data-testid="worker-notices"');
  }, 60_000);

  it("sends a sign-in code ahead of a backlog of e-mails", async () => {
    // Forty e-mails waiting (the queue delivers about one a second), then a code is asked for.
    const { rows: users } = await db.query<{ id: string }>(`SELECT id FROM "User" WHERE email = 'admin@union.demo'`);
    const marker = `backlog-${Date.now()}`;
    for (let i = 0; i < 40; i += 1) {
      await db.query(`INSERT INTO "OutboxMessage" (id, "userId", kind, payload) VALUES ($1, $2, 'account.loginFailures', $3)`, [`${marker}-${i}`, users[0]!.id, JSON.stringify({ count: 5 })]);
      await db.query(`INSERT INTO "Delivery" (id, "messageId", channel, "updatedAt") VALUES ($1, $1, 'EMAIL', now())`, [`${marker}-${i}`]);
    }
    const phone = newPhone();
    const browser = new TestBrowser(server.url, { ip: "10.25.0.9" });
    expect((await sendCode(browser, phone.e164)).status).toBe(200);
    await smsFor(phone.e164, 0);
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Delivery" WHERE id LIKE $1 AND status = 'PENDING'`, [`${marker}-%`]);
    expect(rows[0]!.n, "e-mails still waiting when the code went out").toBeGreaterThanOrEqual(20);
  }, 90_000);
});
