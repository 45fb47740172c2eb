/**
 * The HTTP edge's bounds (issue 19, item 1), swept over every route of the Remix build (so a new
 * route is covered without editing this file): a body that is not a form (text/plain, JSON), a
 * form larger than the limit (declared, and chunked without a length), and an undecodable cookie.
 * Each answer is a 4xx (never a 5xx) — an undecodable cookie is ignored, so the page answers as it
 * would without it — and the database is unchanged. Sent as an anonymous visitor and as a
 * signed-in negotiator, over plain HTTP (fetch), not through the app's test helpers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import type { ServerBuild } from "@remix-run/node";
import { bodyLimitFor } from "../../app/http/request-bounds.server.ts";
import { startTestServer } from "../support/server.ts";
import { loginAs } from "../support/sessions.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let db: pg.Client;
let sessionCookie = "";
let paths: Array<[string, string]> = [];
let digestQuery = "";

const LIMIT = 64 * 1024;

beforeAll(async () => {
  server = await startTestServer();
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  sessionCookie = `xs_session=${(await loginAs(server.url, "unionNegotiator")).cookies.get("xs_session")!}`;
  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  // Each route's full path: its ancestors' segments joined, parameters filled with a placeholder.
  const fullPath = (id: string): string => {
    const route = build.routes[id]!;
    const own = route.path ?? "";
    const parent = route.parentId ? fullPath(route.parentId) : "";
    return [parent, own].filter(Boolean).join("/");
  };
  paths = Object.keys(build.routes)
    .filter((id) => id !== "root")
    .map((id): [string, string] => [id, `/${fullPath(id).replace(/:[A-Za-z]+/g, "x1").replace(/\*$/, "x")}`.replace(/\/+$/, "") || "/"]);
  const { rows } = await db.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('Session', 'RateLimiterFlexible', 'KnownDevice', 'Delivery', 'DeliveryAttempt') ORDER BY tablename`);
  digestQuery = rows.map(({ tablename }) => `SELECT '${tablename}' AS t, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS d FROM "${tablename}" x`).join(" UNION ALL ");
});

afterAll(async () => {
  await db?.end();
  await server?.close();
});

const digest = async () => Object.fromEntries((await db.query(digestQuery)).rows.map((row) => [row.t as string, row.d as string]));

async function send(pathname: string, init: RequestInit & { duplex?: "half" }, signedIn: boolean) {
  const headers = new Headers(init.headers);
  headers.set("Origin", server.url);
  headers.set("Accept-Language", "zh-CN");
  if (signedIn) headers.set("Cookie", [headers.get("Cookie"), sessionCookie].filter(Boolean).join("; "));
  const response = await fetch(new URL(pathname, server.url), { ...init, headers, redirect: "manual" });
  return { status: response.status, cacheControl: response.headers.get("Cache-Control"), text: await response.text().catch(() => "") };
}

describe("Cache-Control on signed-in pages (issue 19, item 7)", () => {
  it("marks a signed-in user's pages private, no-store", async () => {
    for (const pathname of ["/orgs/hz-rider-union", "/notifications", "/orgs", "/sessions", "/settings/notifications"]) {
      const page = await send(pathname, { method: "GET" }, true);
      expect(page.status, pathname).toBe(200);
      expect(page.cacheControl, pathname).toBe("private, no-store");
    }
  });
});

describe("malformed requests to every route", () => {
  it("covers the build's routes", () => {
    expect(paths.length).toBeGreaterThan(30);
  });

  for (const signedIn of [false, true]) {
    const who = signedIn ? "signed in" : "anonymous";

    it(`answers a body that is not a form with 415, localized, changing nothing (${who})`, async () => {
      const before = await digest();
      for (const [id, pathname] of paths) {
        for (const [type, body] of [["text/plain", "intent=leave"], ["application/json", '{"intent":"leave"}'], ["application/xml", "<a/>"]] as const) {
          const page = await send(pathname, { method: "POST", headers: { "Content-Type": type }, body }, signedIn);
          expect(page.status, `${id} ${pathname} ${type}`).toBe(415);
          expect(page.text, `${id} localized`).toContain("此地址只接受表单提交");
        }
        const none = await send(pathname, { method: "POST", body: new Uint8Array([1, 2, 3]) }, signedIn);
        expect(none.status, `${id} without a content type`).toBe(415);
      }
      expect(await digest()).toEqual(before);
    }, 120_000);

    it(`answers a form over the limit with 413 before reading it, declared or chunked (${who})`, async () => {
      const before = await digest();
      // Only the complaint filing (photos, issue 25) has a larger limit; every other route the form limit.
      expect(paths.filter(([, pathname]) => bodyLimitFor(pathname) !== LIMIT).map(([id]) => id)).toEqual(["routes/notices.$id.complain"]);
      for (const [id, pathname] of paths) {
        const limit = bodyLimitFor(pathname);
        const big = `intent=leave&name=${"x".repeat(limit + 10)}`;
        const declared = await send(pathname, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: big }, signedIn);
        expect(declared.status, `${id} declared`).toBe(413);
        expect(declared.text).toContain("提交的表单超过本站接受的大小");
        const encoder = new TextEncoder();
        const chunked = new ReadableStream<Uint8Array>({
          start(controller) {
            for (let sent = 0; sent < limit * 2; sent += 8 * 1024) controller.enqueue(encoder.encode("a".repeat(8 * 1024)));
            controller.close();
          },
        });
        const streamed = await send(pathname, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: chunked, duplex: "half" }, signedIn);
        expect(streamed.status, `${id} chunked`).toBe(413);
      }
      expect(await digest()).toEqual(before);
    }, 120_000);

    it(`reads a field name only as our forms write it: a forged list index or path is ignored, never walked (${who})`, async () => {
      // "ids[49999999]" would be read as a list that long, and the schema would walk every empty
      // slot of it (over a minute per request) if such names reached the parser (decision 043).
      const lists = ["attendeeIds", "topics", "recipientOrganizationIds", "coveredOrganizationIds", "clause", "reason", "answers", "role", "organization", "people"];
      const body = new URLSearchParams([
        ["intent", "recordRound"],
        ...lists.map((name): [string, string] => [`${name}[49999999]`, "x"]),
        ["__proto__[polluted]", "yes"],
        ["constructor.prototype.polluted", "yes"],
        ["title.deep.er", "x"],
      ]).toString();
      // (Logging out is a valid form; the tests after this one need the session.)
      for (const [id, pathname] of paths.filter(([, pathname]) => pathname !== "/logout")) {
        const posted = await send(pathname, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body }, signedIn);
        expect(posted.status, `${id} POST ${posted.text.slice(0, 200)}`).toBeLessThan(500);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }, 120_000);

    it(`ignores an undecodable cookie: every page answers as it does without it, never 5xx (${who})`, async () => {
      const before = await digest();
      for (const [id, pathname] of paths) {
        const plain = await send(pathname, { method: "GET" }, signedIn);
        const bad = await send(pathname, { method: "GET", headers: { Cookie: "foo=%FF; bar=%E0%A4%A" } }, signedIn);
        expect(bad.status, `${id} GET`).toBe(plain.status);
        expect(bad.status, `${id} GET`).toBeLessThan(500);
        // Every response says how it may be cached (issue 19, item 7).
        expect(plain.cacheControl, `${id} ${pathname} Cache-Control`).toBeTruthy();
      }
      // Reading pages with it changed nothing.
      expect(await digest()).toEqual(before);
      // Posting with it never fails the server (a form that happens to be valid may be taken: the
      // notification settings form, all boxes unchecked, is valid).
      for (const [id, pathname] of paths) {
        const posted = await send(pathname, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: "foo=%FF" }, body: "intent=%FF%FE&x=%" }, signedIn);
        expect(posted.status, `${id} POST ${posted.text.slice(0, 200)}`).toBeGreaterThanOrEqual(200);
        expect(posted.status, `${id} POST ${posted.text.slice(0, 200)}`).toBeLessThan(500);
      }
    }, 120_000);
  }
});
