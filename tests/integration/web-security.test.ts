/**
 * Web security (issue 8, item 5; decision 018): the Content-Security-Policy with a fresh nonce per
 * response on every inline script, the other security headers, HSTS only behind TLS.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reviewEndsAt } from "../../app/domain/procedure.ts";
import pg from "pg";
import { TestBrowser, uniqueEmail } from "../support/browser.ts";
import { startTestServer } from "../support/server.ts";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { chinaMinute, demoAccount, loginAs, sessionInBargaining } from "../support/sessions.ts";

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

function directives(header: string | null): Map<string, string> {
  return new Map(
    (header ?? "")
      .split(";")
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name, ...values] = part.split(/\s+/);
        return [name!, values.join(" ")] as const;
      }),
  );
}

describe("security headers", () => {
  it("gives every page a CSP whose nonce is fresh per response and carried by every inline script", async () => {
    const nonces = new Set<string>();
    for (const path of ["/login", "/signup", "/"]) {
      const page = await new TestBrowser(server.url).get(path);
      expect(page.status).toBe(200);
      const csp = directives(page.headers.get("content-security-policy"));
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp.get("script-src") ?? "")?.[1];
      expect(nonce, `${path}: script-src with a nonce`).toBeTruthy();
      expect(csp.get("script-src")).not.toContain("unsafe-inline");
      expect(csp.get("default-src")).toBe("'self'");
      expect(csp.get("frame-ancestors")).toBe("'none'");
      expect(csp.get("object-src")).toBe("'none'");
      expect(csp.get("base-uri")).toBe("'self'");
      nonces.add(nonce!);
      const scripts = [...page.text.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1]!);
      expect(scripts.length, `${path}: Remix's scripts are in the page`).toBeGreaterThan(0);
      for (const attributes of scripts) {
        // Inline or not, every script element carries this response's nonce.
        expect(attributes, `${path}: <script${attributes}>`).toContain(`nonce="${nonce}"`);
      }
      expect(page.headers.get("x-content-type-options")).toBe("nosniff");
      expect(page.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(page.headers.get("x-frame-options")).toBe("DENY");
    }
    expect(nonces.size, "a different nonce on each response").toBe(3);
  });

  it("sends HSTS only when the request came over TLS through a trusted proxy", async () => {
    const plain = await new TestBrowser(server.url).get("/login");
    expect(plain.headers.get("strict-transport-security")).toBeNull();
    // The test server trusts one proxy hop (XS_TRUST_PROXY=1): the proxy says the visitor used https.
    const behindTls = await new TestBrowser(server.url).get("/login", { headers: { "X-Forwarded-Proto": "https" } });
    expect(behindTls.headers.get("strict-transport-security")).toMatch(/^max-age=\d{7,}/);
  });

  it("ignores X-Forwarded-Proto from a client when no proxy is trusted", async () => {
    const untrusted = await startTestServer({ XS_TRUST_PROXY: "0" });
    try {
      const spoofed = await new TestBrowser(untrusted.url).get("/login", { headers: { "X-Forwarded-Proto": "https" } });
      expect(spoofed.status).toBe(200);
      expect(spoofed.headers.get("strict-transport-security")).toBeNull();
    } finally {
      await untrusted.close();
    }
  });
});

describe("session rotation on privilege change", () => {
  const signedIn = async (browser: TestBrowser) => (await browser.get("/orgs")).status === 200;
  const membershipId = async (email: string) =>
    (await db.query(`SELECT m.id FROM "Membership" m JOIN "User" u ON u.id = m."userId" JOIN "Organization" o ON o.id = m."organizationId" WHERE u.email = $1 AND o.slug = 'hz-rider-union'`, [email])).rows[0]?.id as string | undefined;

  it("ends every session of a member whose role changes or who is removed, and only theirs", async () => {
    const admin = await loginAs(server.url, "unionAdmin");
    // A member of our own making (the demo accounts keep their seats for the other tests).
    const invited = await admin.post("/orgs/hz-rider-union", { intent: "createInvitation", role: "MEMBER", expiresInDays: "7" });
    const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(invited.text)![1]!;
    const email = uniqueEmail("rotation");
    const onLaptop = new TestBrowser(server.url);
    await onLaptop.signup({ email, password: "correct horse battery" });
    expect((await onLaptop.post(`/invite/${token}`, {})).status).toBe(302);
    const onPhone = new TestBrowser(server.url);
    await onPhone.login(email, "correct horse battery");
    const bystander = await loginAs(server.url, "unionNegotiator");
    expect(await signedIn(onLaptop)).toBe(true);
    expect(await signedIn(onPhone)).toBe(true);

    // A refused change (the last administrator cannot step down) changes nothing, sessions included.
    const self = (await membershipId(demoAccount("unionAdmin").email))!;
    const refused = await admin.post("/orgs/hz-rider-union", { intent: "changeRole", membershipId: self, role: "MEMBER" });
    expect(refused.status).toBe(409);
    expect(await signedIn(admin)).toBe(true);

    const promoted = await admin.post("/orgs/hz-rider-union", { intent: "changeRole", membershipId: (await membershipId(email))!, role: "NEGOTIATOR" });
    expect(promoted.status).toBe(302);
    expect(await signedIn(onLaptop), "the old session on the laptop").toBe(false);
    expect(await signedIn(onPhone), "the old session on the phone").toBe(false);
    expect(await signedIn(admin), "the administrator who made the change").toBe(true);
    expect(await signedIn(bystander), "another member").toBe(true);

    // Signing in again gives a fresh session with the new role; removal ends it as well.
    const again = new TestBrowser(server.url);
    await again.login(email, "correct horse battery");
    expect(await signedIn(again)).toBe(true);
    const removed = await admin.post("/orgs/hz-rider-union", { intent: "removeMember", membershipId: (await membershipId(email))! });
    expect(removed.status).toBe(302);
    expect(await signedIn(again)).toBe(false);
    expect(await signedIn(bystander)).toBe(true);
  });
});

/** A script payload with a marker, so that each place it went is found escaped in the page. */
const xss = (marker: string) => `<script>alert("${marker}")</script><img src=x onerror=alert("${marker}")>`;

function expectEscaped(page: { status: number; text: string }, marker: string, where: string) {
  expect(page.status, where).toBe(200);
  // React 18's renderer can emit NUL bytes between multi-byte characters; entry.server.tsx drops them.
  expect(page.text.includes("\u0000"), `${where}: no NUL in the HTML`).toBe(false);
  expect(page.text, `${where}: the raw payload is not in the page`).not.toContain(xss(marker));
  expect(page.text, `${where}: no live <img onerror>`).not.toMatch(new RegExp(`<img[^>]*onerror=[^>]*${marker}`));
  expect(page.text, `${where}: no injected <script>`).not.toMatch(new RegExp(`<script>alert\\("${marker}`));
  // Rendered as text: escaped, so the marker is there and the tag brackets are entities.
  expect(page.text, `${where}: the text itself is shown`).toMatch(new RegExp(`&lt;script&gt;alert\\((&quot;|")${marker}`));
}

describe("output escaping of user-supplied text", () => {
  it("shows script payloads in organization names, session titles, proposals, rounds, minutes, caucus notes and version names as text", async () => {
    const admin = await loginAs(server.url, "unionAdmin");
    const slug = `xss-${Date.now().toString(36)}`;
    const created = await admin.post("/orgs/new", { name: xss("org-name"), nameEn: xss("org-name-en"), slug, type: "UNION", regionCode: "330100" });
    expect(created.status, created.text.slice(0, 300)).toBe(302);
    expectEscaped(await admin.get(`/orgs/${slug}`), "org-name", "organization page");
    expectEscaped(await admin.get("/orgs"), "org-name", "organization list");

    const sessionId = await sessionInBargaining(server.url, db, xss("session-title"));
    const negotiator = await loginAs(server.url, "unionNegotiator");
    const post = async (fields: Record<string, string>) => {
      const page = await negotiator.post(`/sessions/${sessionId}`, fields);
      expect(page.status, `${fields.intent}: ${page.text.slice(0, 300)}`).toBe(302);
    };
    await post({ intent: "scheduleRound", scheduledAt: chinaMinute(), location: xss("round-location"), agenda: xss("round-agenda") });
    const roundId = (await db.query(`SELECT id FROM "Round" WHERE "sessionId" = $1`, [sessionId])).rows[0].id as string;
    // Minutes are the neutral recorder's to write.
    const recorder = await loginAs(server.url, "recorder");
    const recorded = await recorder.post(`/sessions/${sessionId}`, { intent: "recordRound", roundId, minutes: xss("minutes") });
    expect(recorded.status, recorded.text.slice(0, 300)).toBe(302);
    const note = await negotiator.post(`/sessions/${sessionId}/caucus/worker`, { body: xss("caucus-note") });
    expect(note.status, note.text.slice(0, 300)).toBe(302);
    const version = await negotiator.post(`/sessions/${sessionId}/versions`, { name: xss("version-name") });
    expect(version.status, version.text.slice(0, 300)).toBe(302);

    const sessionPage = await negotiator.get(`/sessions/${sessionId}`);
    for (const marker of ["session-title", "round-location", "round-agenda", "minutes"]) expectEscaped(sessionPage, marker, `session page (${marker})`);
    expectEscaped(await negotiator.get("/sessions"), "session-title", "session list");
    expectEscaped(await negotiator.get(`/sessions/${sessionId}/caucus/worker`), "caucus-note", "caucus page");
    expectEscaped(await negotiator.get(`/sessions/${sessionId}/versions`), "version-name", "versions page");
    expectEscaped(await negotiator.get("/notifications"), "session-title", "notifications");
  });
});

describe("output escaping of published notices and feedback", () => {
  it("shows script payloads in a notice's title and text, and in public feedback, as text", async () => {
    const { writeText, ratifyAndSign, expectStatus } = await import("../support/agreement.ts");
    const { writeTerms, VALID_TERMS } = await import("../support/sessions.ts");
    const sessionId = await sessionInBargaining(server.url, db, xss("notice-title"), { covered: ["swift-eats"] });
    await writeTerms(server.url, sessionId, VALID_TERMS);
    await writeText(server.url, sessionId, [xss("notice-text"), "第二条 连续送单 4 小时后休息 20 分钟。"]);
    const workerChief = await loginAs(server.url, "unionNegotiator");
    const employerChief = await loginAs(server.url, "associationRepresentative");
    for (const chief of [workerChief, employerChief]) await expectStatus(await chief.post(`/sessions/${sessionId}`, { intent: "agree", kind: "DRAFT" }), 302, "agree");
    await ratifyAndSign(server.url, db, sessionId, { file: true });
    // The review period lapses (the clock is moved, as in tests/integration/notices.test.ts).
    const filedAt: Date = (await db.query('SELECT "filedAt" FROM "BargainingSession" WHERE id = $1', [sessionId])).rows[0].filedAt;
    await server.sweep(reviewEndsAt(filedAt));
    const notice = (await db.query('SELECT "noticeId", version FROM "NoticeVersion" WHERE "sessionId" = $1', [sessionId])).rows[0] as { noticeId: string; version: number };
    expect(notice, "published notice").toBeTruthy();

    const reader = new TestBrowser(server.url);
    const page = await reader.get(`/notices/${notice.noticeId}`);
    expectEscaped(page, "notice-title", "notice page (title)");
    expectEscaped(page, "notice-text", "notice page (text)");
    expectEscaped(await reader.get(`/notices/${notice.noticeId}/v/${notice.version}`), "notice-text", "notice version page");
    expectEscaped(await reader.get("/notices"), "notice-title", "notice list");

    const sent = await reader.post(`/notices/${notice.noticeId}`, { topic: "pieceRate", body: xss("feedback") });
    expect(sent.status, sent.text.slice(0, 300)).toBe(302);
    // Moderators see every feedback item on the agreement page.
    expectEscaped(await workerChief.get(`/sessions/${sessionId}/agreement`), "feedback", "agreement page (feedback)");
  }, 120_000);
});

describe("injection payloads in search and filter parameters", () => {
  const PAYLOADS = ["' OR '1'='1", "'; DROP TABLE \"User\"; --", "1) UNION SELECT email, \"passwordHash\" FROM \"User\" --", "1; SELECT pg_sleep(3)", "%' AND 1=1 --", "\\", "\u0000", "<script>alert(1)</script>", "$where", "[]"];

  it("answers every filter of every page and API with a page or a clear refusal, quickly, changing nothing", async () => {
    const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
    const sessionId = await sessionInBargaining(server.url, db, `注入测试 ${Date.now()}`);
    const negotiator = await loginAs(server.url, "unionNegotiator");
    /** Route id → the path and the query parameters it reads. Routes not (yet) in the build are left out. */
    const FILTERS: Array<[routeId: string, path: string, params: string[]]> = [
      ["routes/orgs._index", "/orgs", ["type", "region"]],
      ["routes/_session.sessions.$id.versions", `/sessions/${sessionId}/versions`, ["a", "b"]],
      ["routes/login", "/login", ["redirectTo", "expired", "notice"]],
      ["routes/notices._index", "/notices", ["industry", "region", "platform", "q"]],
      ["routes/api.notices._index", "/api/notices", ["industry", "region", "platform", "q"]],
      ["routes/api.notices.in-force", "/api/notices/in-force", ["date", "industry", "region", "platform", "q"]],
    ];
    const users = (await db.query(`SELECT count(*)::int AS n, md5(string_agg(email || "passwordHash", ',' ORDER BY id)) AS d FROM "User"`)).rows[0];
    let requests = 0;
    for (const [routeId, target, params] of FILTERS.filter(([id]) => build.routes[id])) {
      for (const param of params) {
        for (const payload of PAYLOADS) {
          const started = Date.now();
          const page = await negotiator.get(`${target}?${new URLSearchParams({ [param]: payload })}`);
          requests += 1;
          expect(page.status, `${routeId} ?${param}=${payload}`).toBeLessThan(500);
          expect(Date.now() - started, `${routeId} ?${param}=${payload}: answered without waiting on an injected sleep`).toBeLessThan(2500);
          expect(page.text, `${routeId} ?${param}=${payload}: no password hash leaked`).not.toMatch(/scrypt\$\d+\$/);
        }
      }
    }
    expect(requests).toBeGreaterThan(50);
    expect((await db.query(`SELECT count(*)::int AS n, md5(string_agg(email || "passwordHash", ',' ORDER BY id)) AS d FROM "User"`)).rows[0]).toEqual(users);
  });

  it("never redirects off the site after login, whatever redirectTo says", async () => {
    for (const redirectTo of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "http:evil.example"]) {
      const browser = new TestBrowser(server.url);
      const page = await browser.post("/login", { email: demoAccount("unionNegotiator").email, password: "xieshang-demo-2026", redirectTo });
      expect(page.status).toBe(302);
      expect(page.location, redirectTo).toMatch(/^\/(?![\/\\])/);
    }
  });
});
