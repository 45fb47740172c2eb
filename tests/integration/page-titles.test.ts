/**
 * Each page has its own <title>, in the reader's language; an error page is titled as the error;
 * a 404 costs the server log one line, never a stack trace (issue 23, item 3). The server runs as
 * `npm start` runs it (its own process, NODE_ENV unset), so its log is what an operator reads.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { TestBrowser } from "../support/browser.ts";
import { startChildServer, type ChildServer } from "../support/child-server.ts";
import { workerDatabaseUrl } from "../support/database.ts";
import { sessionInBargaining } from "../support/sessions.ts";

let server: ChildServer;
let db: pg.Client;
let sessionId: string;

beforeAll(async () => {
  const databaseUrl = await workerDatabaseUrl();
  server = await startChildServer({ DATABASE_URL: databaseUrl, XS_DEMO: "true", NODE_ENV: "" });
  db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  sessionId = await sessionInBargaining(server.url, db, "标题测试协商");
}, 90_000);

afterAll(async () => {
  await db?.end();
  await server?.stop();
});

const titleOf = (html: string) => {
  const match = /<title>([^<]*)<\/title>/.exec(html);
  return match ? match[1]!.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#x27;/g, "'") : null;
};

async function signedIn(email: string, language: string): Promise<TestBrowser> {
  const browser = new TestBrowser(server.url);
  browser.acceptLanguage = language;
  await browser.login(email, DEMO_PASSWORD);
  return browser;
}

describe("page titles", () => {
  for (const [language, expected] of [
    [
      "zh-CN",
      {
        "/login": "登录 · 协商",
        "/notices": "公布的平台劳动规则 · 协商",
        "/sessions": "协商会话 · 协商",
        "/sessions/new": "发出协商要约 · 协商",
        "/orgs": "组织 · 协商",
        "/notifications": "通知 · 协商",
        draft: "协议草案（实时共同起草） · 标题测试协商 · 协商",
        overview: "概况 · 标题测试协商 · 协商",
        notFound: "页面不存在 · 协商",
      },
    ],
    [
      "en",
      {
        "/login": "Log in · Xieshang",
        "/notices": "Published platform work rules · Xieshang",
        "/sessions": "Bargaining sessions · Xieshang",
        "/sessions/new": "Propose bargaining · Xieshang",
        "/orgs": "Organizations · Xieshang",
        "/notifications": "Notifications · Xieshang",
        draft: "Draft agreement (live co-drafting) · 标题测试协商 · Xieshang",
        overview: "Overview · 标题测试协商 · Xieshang",
        notFound: "Page not found · Xieshang",
      },
    ],
  ] as const) {
    it(`gives every page its own title (${language})`, async () => {
      const anonymous = new TestBrowser(server.url);
      anonymous.acceptLanguage = language;
      const negotiator = await signedIn("negotiator@union.demo", language);
      const operator = await signedIn("operator@xieshang.demo", language);
      const base = `/sessions/${sessionId}`;
      const pages: Array<[TestBrowser, string]> = [
        [anonymous, "/"],
        [anonymous, "/login"],
        [anonymous, "/signup"],
        [anonymous, "/notices"],
        [negotiator, "/sessions"],
        [negotiator, "/sessions/new"],
        [negotiator, "/orgs"],
        [negotiator, "/orgs/new"],
        [negotiator, "/orgs/hz-rider-union"],
        [negotiator, "/notifications"],
        [negotiator, "/settings/notifications"],
        [negotiator, "/complaints"],
        [anonymous, "/complaints/track"],
        [negotiator, base],
        [negotiator, `${base}/draft`],
        [negotiator, `${base}/versions`],
        [negotiator, `${base}/agreement`],
        [negotiator, `${base}/caucus/worker`],
        [operator, "/admin/jobs"],
        [operator, "/admin/verifications"],
      ];
      const titles = new Map<string, string>();
      for (const [browser, path] of pages) {
        const page = await browser.get(path);
        expect(page.status, path).toBe(200);
        const title = titleOf(page.text);
        expect(title, path).toBeTruthy();
        titles.set(path, title!);
      }
      // No two pages share a title.
      const seen = new Map<string, string>();
      for (const [path, title] of titles) {
        expect(seen.get(title), `${path} has the title of ${seen.get(title)}: ${title}`).toBeUndefined();
        seen.set(title, path);
      }
      for (const path of ["/login", "/notices", "/sessions", "/sessions/new", "/orgs", "/notifications"] as const) expect(titles.get(path)).toBe(expected[path]);
      expect(titles.get(`${base}/draft`)).toBe(expected.draft);
      expect(titles.get(base)).toBe(expected.overview);
      expect(titles.get("/orgs/hz-rider-union")).toMatch(/工会|Union/);
      const missing = await negotiator.get(`${base}0/draft`);
      expect(missing.status).toBe(404);
      expect(titleOf(missing.text)).toBe(expected.notFound);
    });
  }
});

describe("a 404 in the server log", () => {
  it("is at most one line, never a stack trace", async () => {
    const before = server.output().length;
    const anonymous = new TestBrowser(server.url);
    const negotiator = await signedIn("negotiator@union.demo", "zh-CN");
    const paths: Array<[TestBrowser, string]> = [
      [anonymous, "/no-such-page"],
      [anonymous, "/notices/zzzzzzzzzzzzzzzz"],
      [anonymous, "/api/notices/zzzzzzzzzzzzzzzz"],
      [anonymous, "/feeds/region/999999.xml"],
      [negotiator, "/sessions/zzzzzzzzzzzzzzzz"],
      [negotiator, "/sessions/zzzzzzzzzzzzzzzz/draft"],
      [negotiator, "/orgs/no-such-organization"],
    ];
    for (const [browser, path] of paths) expect((await browser.get(path)).status, path).toBe(404);
    // Give the process a moment to flush what it writes.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const written = server.output().slice(before);
    const lines = written.split("\n").filter((line) => line.trim() !== "");
    expect(written).not.toMatch(/^\s+at /m);
    expect(lines.length, written).toBeLessThanOrEqual(paths.length);
  });
});
