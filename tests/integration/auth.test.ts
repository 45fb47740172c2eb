import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { TestBrowser, uniqueEmail } from "../support/browser.ts";
import { startTestServer } from "../support/server.ts";

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

async function countUsers(email?: string): Promise<number> {
  const result = email
    ? await db.query('SELECT count(*)::int AS n FROM "User" WHERE email = $1', [email])
    : await db.query('SELECT count(*)::int AS n FROM "User"');
  return result.rows[0].n;
}

const negotiator = DEMO_ACCOUNTS.find((account) => account.roleKey === "unionNegotiator")!;

describe("login page", () => {
  it("is served in Simplified Chinese by default and lists demo accounts in demo mode", async () => {
    const browser = new TestBrowser(server.url);
    browser.acceptLanguage = "";
    const page = await browser.get("/login", { headers: { "Accept-Language": "fr" } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="zh-CN"');
    expect(page.text).toContain("登录");
    expect(page.text).toContain(DEMO_PASSWORD);
    expect(page.text).toContain(negotiator.email);
  });

  it("follows Accept-Language for English", async () => {
    const browser = new TestBrowser(server.url);
    const page = await browser.get("/login", { headers: { "Accept-Language": "en-GB,en;q=0.9" } });
    expect(page.text).toContain('<html lang="en"');
    expect(page.text).toContain("Demo accounts");
  });
});

describe("sign up", () => {
  it("creates the account, logs in and shows the home page with the user's name", async () => {
    const browser = new TestBrowser(server.url);
    const email = uniqueEmail("signup");
    const page = await browser.signup({ email: email.toUpperCase(), displayName: "测试用户甲" });
    expect(page.location).toBe("/");
    expect(await countUsers(email)).toBe(1); // stored lower-cased
    const home = await browser.get("/");
    expect(home.text).toContain("你好，测试用户甲");
  });

  it("refuses a weak password with the reason beside it, in both languages, creating nothing (issue 19)", async () => {
    const before = await countUsers();
    const browser = new TestBrowser(server.url);
    const email = uniqueEmail("weak");
    const page = await browser.post("/signup", { email, displayName: "弱密码", password: "1111111111", confirmPassword: "1111111111" });
    expect(page.status).toBe(400);
    expect(page.text).toContain("这个密码含有重复、连续或键盘顺序的字符");
    expect(page.text).toContain('value="弱密码"');
    browser.acceptLanguage = "en";
    const english = await browser.post("/signup", { email, displayName: "Weak", password: "password123", confirmPassword: "password123" });
    expect(english.status).toBe(400);
    expect(english.text).toContain("This password is too common and easy to guess.");
    expect(await countUsers()).toBe(before);
    expect(browser.cookies.has("xs_session")).toBe(false);
  });

  it("answers a sign-up with a registered address exactly as a new one, and tells the owner instead (issue 19)", async () => {
    const email = uniqueEmail("dup");
    await new TestBrowser(server.url).signup({ email });
    const before = await countUsers();
    const attempt = async (address: string) => {
      const browser = new TestBrowser(server.url);
      const page = await browser.post("/signup", { email: address, displayName: "第二个人", password: "another strong passphrase", confirmPassword: "another strong passphrase" });
      return { status: page.status, location: page.location, cookies: [...browser.cookies.keys()], setCookie: page.headers.get("set-cookie") };
    };
    const registered = await attempt(email);
    const fresh = await attempt(uniqueEmail("fresh"));
    expect(registered).toEqual(fresh);
    expect(registered).toMatchObject({ status: 302, location: "/signup?sent=1", cookies: [] });
    // The page after it says the same for both.
    expect((await new TestBrowser(server.url).get("/signup?sent=1")).text).toContain("我们已向你填写的邮箱发送了一封邮件");
    // No account was created for either (the new one waits for its link); the owner is told.
    expect(await countUsers()).toBe(before);
    const told = (await db.query(`SELECT count(*)::int AS n FROM "OutboxMessage" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1 AND m.kind = 'account.signupAttempt'`, [email])).rows[0].n;
    expect(told).toBe(1);
    // The registered address got no confirmation link: only its owner's notice.
    expect((await db.query(`SELECT count(*)::int AS n FROM "OutboxMessage" WHERE "toEmail" = $1 AND kind = 'account.confirmEmail'`, [email])).rows[0].n).toBe(1);
  });

  it("creates the account only when the link is followed, once, and not after it expired", async () => {
    const email = uniqueEmail("link");
    const browser = new TestBrowser(server.url);
    await browser.post("/signup", { email, displayName: "链接", password: "linked strong passphrase", confirmPassword: "linked strong passphrase" });
    expect(await countUsers(email)).toBe(0);
    const { confirmationLink } = await import("../support/browser.ts");
    const link = await confirmationLink(email);
    const page = await browser.get(link);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`将为 链接（${email}）创建账号。`);
    expect((await browser.post(link, {})).status).toBe(302);
    expect(await countUsers(email)).toBe(1);
    expect(browser.cookies.has("xs_session")).toBe(true);
    const reused = await new TestBrowser(server.url).post(link, {});
    expect(reused.status).toBe(404);
    expect(reused.text).toContain("这个注册确认链接无效或已使用");
    // An expired link.
    const late = uniqueEmail("late");
    await new TestBrowser(server.url).post("/signup", { email: late, displayName: "迟到", password: "linked strong passphrase", confirmPassword: "linked strong passphrase" });
    await db.query(`UPDATE "PendingSignup" SET "expiresAt" = now() - interval '1 minute' WHERE email = $1`, [late]);
    const expired = await new TestBrowser(server.url).post(await confirmationLink(late), {});
    expect(expired.status).toBe(410);
    expect(await countUsers(late)).toBe(0);
  });

  it.each([
    ["malformed e-mail", { email: "not-an-email", displayName: "A", password: "long enough pw", confirmPassword: "long enough pw" }, "请输入有效的电子邮箱地址"],
    ["over-long name", { email: "x@example.test", displayName: "名".repeat(81), password: "long enough pw", confirmPassword: "long enough pw" }, "最多 80 个字符"],
    ["over-long e-mail", { email: `${"a".repeat(250)}@example.test`, displayName: "A", password: "long enough pw", confirmPassword: "long enough pw" }, "最多 254 个字符"],
    ["short password", { email: "y@example.test", displayName: "A", password: "short", confirmPassword: "short" }, "密码至少需要 10 个字符"],
    ["over-long password", { email: "z@example.test", displayName: "A", password: "p".repeat(129), confirmPassword: "p".repeat(129) }, "最多 128 个字符"],
    ["mismatched confirmation", { email: "w@example.test", displayName: "A", password: "long enough pw", confirmPassword: "long enough px" }, "两次输入的密码不一致"],
    ["missing fields", {}, "此项必填"],
  ])("refuses %s with a localized field error and creates nothing", async (_label, form, message) => {
    const before = await countUsers();
    const page = await new TestBrowser(server.url).post("/signup", form as Record<string, string>);
    expect(page.status).toBe(400);
    expect(page.text).toContain(message);
    expect(page.text).toContain('aria-invalid="true"');
    expect(await countUsers()).toBe(before);
  });

  it("answers in English when the browser asks for English", async () => {
    const browser = new TestBrowser(server.url);
    browser.acceptLanguage = "en";
    const page = await browser.post("/signup", { email: "bad", displayName: "", password: "x", confirmPassword: "x" });
    expect(page.status).toBe(400);
    expect(page.text).toContain("Enter a valid e-mail address.");
    expect(page.text).toContain("This field is required.");
  });
});

describe("log in and out", () => {
  it("logs a demo negotiator in with an HttpOnly, SameSite=Lax session cookie", async () => {
    const browser = new TestBrowser(server.url);
    const page = await browser.login(negotiator.email, DEMO_PASSWORD);
    const cookie = page.headers.getSetCookie().find((line) => line.startsWith("xs_session="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    const home = await browser.get("/");
    expect(home.text).toContain(negotiator.displayName);
  });

  it("marks the cookie Secure behind TLS", async () => {
    const browser = new TestBrowser(server.url);
    const page = await browser.post(
      "/login",
      { email: negotiator.email, password: DEMO_PASSWORD },
      { headers: { "X-Forwarded-Proto": "https" }, origin: server.url.replace("http:", "https:") },
    );
    expect(page.status).toBe(302);
    expect(page.headers.getSetCookie().find((line) => line.startsWith("xs_session="))).toMatch(/Secure/);
  });

  it("refuses a wrong password with a localized message and no session", async () => {
    const browser = new TestBrowser(server.url);
    const page = await browser.post("/login", { email: negotiator.email, password: "wrong password" });
    expect(page.status).toBe(401);
    expect(page.text).toContain("电子邮箱或密码不正确。");
    expect(page.text).toContain(`value="${negotiator.email}"`);
    expect(browser.cookies.has("xs_session")).toBe(false);
  });

  it("gives the same answer for an unknown account as for a wrong password", async () => {
    const page = await new TestBrowser(server.url).post("/login", { email: uniqueEmail("nobody"), password: "whatever123" });
    expect(page.status).toBe(401);
    expect(page.text).toContain("电子邮箱或密码不正确。");
  });

  it("rotates the session id at login: a pre-existing session cookie is invalidated", async () => {
    const browser = new TestBrowser(server.url);
    await browser.login(negotiator.email, DEMO_PASSWORD);
    const first = browser.cookies.get("xs_session")!;
    await browser.login(negotiator.email, DEMO_PASSWORD);
    const second = browser.cookies.get("xs_session")!;
    expect(second).not.toBe(first);
    const { rows } = await db.query('SELECT id FROM "Session" WHERE id = $1', [first]);
    expect(rows).toHaveLength(0);
  });

  it("logs out: the session is deleted and the cookie cleared", async () => {
    const browser = new TestBrowser(server.url);
    await browser.login(negotiator.email, DEMO_PASSWORD);
    const sessionId = browser.cookies.get("xs_session")!;
    const page = await browser.post("/logout", {});
    expect(page.status).toBe(302);
    expect(page.location).toBe("/login?notice=loggedOut");
    expect(browser.cookies.has("xs_session")).toBe(false);
    expect((await db.query('SELECT id FROM "Session" WHERE id = $1', [sessionId])).rows).toHaveLength(0);
    const stale = new TestBrowser(server.url);
    stale.cookies.set("xs_session", sessionId);
    const orgs = await stale.get("/orgs");
    expect(orgs.status).toBe(302);
    expect(orgs.location).toContain("/login");
  });

  it("sends an expired session to the login page with a localized explanation", async () => {
    const browser = new TestBrowser(server.url);
    await browser.login(negotiator.email, DEMO_PASSWORD);
    const sessionId = browser.cookies.get("xs_session")!;
    await db.query(`UPDATE "Session" SET "expiresAt" = now() - interval '1 minute' WHERE id = $1`, [sessionId]);
    const page = await browser.get("/orgs");
    expect(page.status).toBe(302);
    expect(page.location).toMatch(/^\/login\?redirectTo=%2Forgs&expired=1$/);
    expect(browser.cookies.has("xs_session")).toBe(false);
    const login = await browser.get(page.location!);
    expect(login.text).toContain("登录已过期，请重新登录。");
  });

  it("throttles repeated failures on one account with a clear message, even from several addresses", async () => {
    const email = uniqueEmail("throttle");
    await new TestBrowser(server.url).signup({ email, password: "the right password" });
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const page = await new TestBrowser(server.url).post("/login", { email, password: `wrong ${attempt}` });
      expect(page.status).toBe(401);
    }
    const browser = new TestBrowser(server.url);
    const refused = await browser.post("/login", { email, password: "the right password" });
    expect(refused.status).toBe(429);
    expect(refused.text).toMatch(/尝试次数过多，请在 \d+ 分钟后再试。/);
    expect(browser.cookies.has("xs_session")).toBe(false);
  });

  it("throttles many attempts from one address", async () => {
    const browser = new TestBrowser(server.url);
    let last = 0;
    for (let attempt = 0; attempt < 31; attempt += 1) {
      last = (await browser.post("/login", { email: uniqueEmail("spray"), password: "guess guess" })).status;
    }
    expect(last).toBe(429);
  });
});

describe("cross-origin requests", () => {
  it("refuses a cross-origin sign-up with a localized 403 and creates nothing", async () => {
    const email = uniqueEmail("csrf");
    const page = await new TestBrowser(server.url).post(
      "/signup",
      { email, displayName: "Evil", password: "long enough pw", confirmPassword: "long enough pw" },
      { origin: "https://evil.example" },
    );
    expect(page.status).toBe(403);
    expect(page.text).toContain("请求来源不被信任");
    expect(await countUsers(email)).toBe(0);
  });

  it("refuses a mutation with no Origin and no Referer, in English for an English browser", async () => {
    const browser = new TestBrowser(server.url);
    browser.acceptLanguage = "en";
    const page = await browser.post("/login", { email: negotiator.email, password: DEMO_PASSWORD }, { origin: null });
    expect(page.status).toBe(403);
    expect(page.text).toContain("did not come from a trusted origin");
    expect(browser.cookies.has("xs_session")).toBe(false);
  });

  it("refuses a cross-origin logout: the session survives", async () => {
    const browser = new TestBrowser(server.url);
    await browser.login(negotiator.email, DEMO_PASSWORD);
    const page = await browser.post("/logout", {}, { origin: "http://evil.example" });
    expect(page.status).toBe(403);
    expect((await browser.get("/")).text).toContain(negotiator.displayName);
  });

  it("answers JSON clients with a localized JSON error", async () => {
    const page = await new TestBrowser(server.url).post("/locale", { locale: "en" }, { origin: "http://evil.example", headers: { Accept: "application/json" } });
    expect(page.status).toBe(403);
    expect(JSON.parse(page.text)).toMatchObject({ ok: false, code: "badOrigin" });
  });
});

describe("language switch", () => {
  it("remembers the chosen language in a cookie and on the account", async () => {
    const browser = new TestBrowser(server.url);
    const email = uniqueEmail("lang");
    await browser.signup({ email });
    const page = await browser.post("/locale", { locale: "en", redirectTo: "/orgs" });
    expect(page.status).toBe(302);
    expect(page.location).toBe("/orgs");
    expect((await browser.get("/")).text).toContain('<html lang="en"');
    const { rows } = await db.query('SELECT locale FROM "User" WHERE email = $1', [email]);
    expect(rows[0].locale).toBe("en");
  });

  it("refuses an unsupported language with a localized error and changes nothing", async () => {
    const browser = new TestBrowser(server.url);
    const page = await browser.post("/locale", { locale: "fr", redirectTo: "/" }, { headers: { Accept: "application/json" } });
    expect(page.status).toBe(400);
    expect(JSON.parse(page.text).error).toBe("不支持该语言。");
    expect(browser.cookies.has("xs_lang")).toBe(false);
  });

  it("never redirects to another site after switching", async () => {
    const page = await new TestBrowser(server.url).post("/locale", { locale: "en", redirectTo: "//evil.example/x" });
    expect(page.location).toBe("/");
  });
});
