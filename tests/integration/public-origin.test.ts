/**
 * One public origin (issue 18, item 5): every absolute URL the app writes — the notice page, the
 * JSON API, feeds, the QR code, the print view — comes from XS_PUBLIC_URL, never from a request's
 * Host or X-Forwarded-Host. A request that forges both leaves no trace of the forged host in its
 * own response or in any later one (the public page cache included). And a refused POST does not
 * purge the public page cache; a successful one does.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reviewEndsAt } from "../../app/domain/procedure.ts";
import pg from "pg";
import { startTestServer } from "../support/server.ts";
import { sessionInBargaining, writeTerms, VALID_TERMS } from "../support/sessions.ts";
import { agreeDraft, ratifyAndSign, writeText } from "../support/agreement.ts";

const PUBLIC = "https://xieshang.test";
const EVIL = "evil.example";
let server: Awaited<ReturnType<typeof startTestServer>>;
let db: pg.Client;
let noticeId: string;

beforeAll(async () => {
  // The cache keeps pages a minute here, so that what it holds can be checked after the requests.
  server = await startTestServer({ XS_PUBLIC_URL: PUBLIC, XS_PAGE_CACHE_TTL_MS: "60000" });
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  const sessionId = await sessionInBargaining(server.url, db, `公开地址 ${Date.now()}`, { covered: ["swift-eats"] });
  await writeTerms(server.url, sessionId, VALID_TERMS);
  await writeText(server.url, sessionId, ["第一条 测试条款。"]);
  await agreeDraft(server.url, sessionId);
  await ratifyAndSign(server.url, db, sessionId, { file: true });
  const filedAt: Date = (await db.query('SELECT "filedAt" FROM "BargainingSession" WHERE id = $1', [sessionId])).rows[0].filedAt;
  await server.sweep(reviewEndsAt(filedAt));
  noticeId = (await db.query('SELECT "noticeId" FROM "NoticeVersion" WHERE "sessionId" = $1', [sessionId])).rows[0].noticeId;
}, 120_000);

afterAll(async () => {
  await db?.end();
  await server?.close();
});

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** A GET with headers fetch would not let us forge (Host). */
function get(path: string, headers: Record<string, string> = {}, method = "GET", body?: string): Promise<Raw> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port: Number(port), path, method, headers: { "Accept-Language": "zh-CN", ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

const paths = () => [
  `/notices/${noticeId}`,
  `/notices/${noticeId}/v/1`,
  `/notices/${noticeId}?print=1`,
  "/notices",
  "/api/notices",
  `/api/notices/${noticeId}`,
  `/api/notices/${noticeId}/versions/1`,
  "/api/notices/in-force?date=2027-06-01",
  `/api/notices/${noticeId}/in-force?date=2027-06-01`,
  "/feeds/platform/swift-eats",
  "/feeds/industry/FOOD_DELIVERY",
  `/notices/${noticeId}/qr`,
];

const forged = { Host: EVIL, "X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "https" };

describe("one public origin", () => {
  it("never writes a forged host, in the forged response or in any later one", async () => {
    const honest = new Map<string, string>();
    for (const path of paths()) {
      const first = await get(path, forged);
      expect(first.status, path).toBe(200);
      expect(first.body, `${path} (forged request)`).not.toContain(EVIL);
      expect(JSON.stringify(first.headers), `${path} headers (forged request)`).not.toContain(EVIL);
      const later = await get(path);
      expect(later.body, `${path} (later request)`).not.toContain(EVIL);
      expect(JSON.stringify(later.headers), `${path} headers (later request)`).not.toContain(EVIL);
      honest.set(path, later.body);
      // The QR code encodes the public address whoever asks: the same image both times.
      if (path.endsWith("/qr")) expect(first.body).toBe(later.body);
    }
    const api = JSON.parse(honest.get(`/api/notices/${noticeId}`)!) as { versions: Array<{ links: { html: string; json: string } }> };
    expect(api.versions[0]!.links.html).toBe(`${PUBLIC}/notices/${noticeId}/v/1`);
    expect(honest.get("/feeds/platform/swift-eats")).toContain(`${PUBLIC}/notices/${noticeId}/v/1`);
  }, 60_000);

  it("keeps the public page cache through a refused POST, and purges it after a successful one", async () => {
    const page = `/notices/${noticeId}`;
    await get(page);
    expect((await get(page)).headers.age, "served from the cache").toBeDefined();
    // A refused feedback (no topic, no text) changes nothing, so it purges nothing.
    const origin = { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" };
    const refused = await get(page, origin, "POST", "topic=&body=");
    expect(refused.status).toBe(400);
    expect((await get(page)).headers.age, "still served from the cache after a refused POST").toBeDefined();
    const accepted = await get(page, origin, "POST", new URLSearchParams({ topic: "pieceRate", body: "单价应当公开计算方法。" }).toString());
    expect(accepted.status).toBeLessThan(400);
    expect((await get(page)).headers.age, "rendered anew after a successful POST").toBeUndefined();
  }, 60_000);
});
