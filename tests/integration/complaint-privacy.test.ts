/**
 * A worker's identity on a complaint case (issue 25, item 2; decision 045): "A test seeds a worker
 * with a unique marker in every personal field and proves that no page, feed, export, API answer
 * or outbox message a platform account can reach contains it unless that worker consented."
 *
 * Two phone-only workers are made with markers of their own: a name with a random token, a random
 * mobile number, their account id, and a photo whose file name and EXIF fields carry the markers.
 * Worker A files a case without letting the platform see who they are; worker B files one and
 * says yes. Every platform account of the demo then crawls what it can reach (pages, their loader
 * data, photos, feeds, the JSON API, the CSV export, session pages, notifications), and the
 * outbox, the in-app notifications, the e-mails the platforms' staff received and the cases'
 * audit chains are read: marker A is in none of them. The positive controls keep the test from
 * passing on empty pages: the union sees A's name, the platform sees B's name and A's case number.
 */
import { randomBytes, randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import sharp from "sharp";
import { DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { DEMO_IN_FORCE_TITLE } from "../../prisma/demo-scenario.ts";
import { TestBrowser, type Page } from "../support/browser.ts";
import { startTestServer } from "../support/server.ts";
import { SmtpSink, type SunkMail } from "../support/smtp-sink.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;
type Marked = {
  label: string;
  userId: string;
  name: string;
  token: string;
  e164: string;
  /** The 11 digits, as typed. */
  local: string;
  /** The 8 random digits after 139. */
  digits: string;
  masked: string;
  browser: TestBrowser;
};
type Finding = { where: string; marker: string };

let server: Server;
let sink: SmtpSink;
let db: pg.Client;
let noticeId: string;
let versions: number[];
let workerA: Marked;
let workerB: Marked;
const filed: Record<"A" | "B", { id: string; number: string; receipt: string; photoIds: string[] }> = {} as never;

/** A China date (YYYY-MM-DD) of now. */
const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** A phone-only worker (no e-mail, no password) with a marker in every personal field, signed in. */
async function markedWorker(label: string): Promise<Marked> {
  const token = randomBytes(6).toString("hex");
  const digits = String(randomInt(0, 100_000_000)).padStart(8, "0");
  const local = `139${digits}`;
  const userId = randomBytes(12).toString("base64url");
  const name = `隐私标记-${label}-${token}`;
  await db.query(`INSERT INTO "User" (id, email, "displayName", "passwordHash", phone, locale, "createdAt", "updatedAt") VALUES ($1, NULL, $2, NULL, $3, NULL, now(), now())`, [userId, name, `+86${local}`]);
  await db.query(`INSERT INTO "WorkerProfile" ("userId", industry, "regionCode", "updatedAt") VALUES ($1, 'FOOD_DELIVERY', '330100', now())`, [userId]);
  // A login session as lucia (v3) keeps it: the cookie's value is the session row's id.
  const sessionId = randomBytes(20).toString("hex");
  await db.query(`INSERT INTO "Session" (id, "userId", "expiresAt", "createdAt") VALUES ($1, $2, now() + interval '30 days', now())`, [sessionId, userId]);
  const browser = new TestBrowser(server.url);
  browser.cookies.set("xs_session", sessionId);
  return { label, userId, name, token, e164: `+86${local}`, local, digits, masked: `139****${digits.slice(-4)}`, browser };
}

/** Every form of a worker's identity that must not reach a platform without consent. */
function markersOf(worker: Marked): Record<string, string> {
  return {
    [`${worker.label}.name`]: worker.name,
    [`${worker.label}.nameToken`]: worker.token,
    [`${worker.label}.phoneE164`]: worker.e164,
    [`${worker.label}.phone11`]: worker.local,
    [`${worker.label}.phoneSpaced`]: `${worker.local.slice(0, 3)} ${worker.local.slice(3, 7)} ${worker.local.slice(7)}`,
    [`${worker.label}.phoneDashed`]: `${worker.local.slice(0, 3)}-${worker.local.slice(3, 7)}-${worker.local.slice(7)}`,
    [`${worker.label}.phoneDigits`]: worker.digits,
    [`${worker.label}.phoneMasked`]: worker.masked,
    [`${worker.label}.userId`]: worker.userId,
  };
}

/** The markers found in `text` (also JSON- and URL-escaped forms of the name). */
function leaks(where: string, text: string, markers: Record<string, string>): Finding[] {
  const found: Finding[] = [];
  for (const [marker, value] of Object.entries(markers)) {
    const forms = [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value), JSON.stringify(value).slice(1, -1).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)];
    if (forms.some((form) => text.includes(form))) found.push({ where, marker });
  }
  return found;
}

function pageText(page: Page): string {
  return [page.location ?? "", JSON.stringify([...page.headers]), page.text].join("\n");
}

/** A demo account, signed in with the demo password. */
async function signIn(email: string): Promise<TestBrowser> {
  const browser = new TestBrowser(server.url);
  await browser.login(email, DEMO_PASSWORD);
  return browser;
}

const SKIP = /^\/(logout|locale|invite\/|signup\/confirm|build\/|admin\/)|\.(css|js|mjs|map|ico|svg|woff2?|webmanifest)$/;

/**
 * Every page the browser reaches from the seeds by GET, following same-origin links (href, src,
 * action) breadth-first, at most `limit` addresses; what each answered.
 */
async function crawl(browser: TestBrowser, seeds: string[], limit: number): Promise<Map<string, Page>> {
  const origin = new URL(server.url).origin;
  const seen = new Set<string>();
  const queue: string[] = [];
  const enqueue = (raw: string, base: string) => {
    let url: URL;
    try {
      url = new URL(raw.replaceAll("&amp;", "&"), new URL(base, origin));
    } catch {
      return;
    }
    if (url.origin !== origin) return;
    url.hash = "";
    const path = `${url.pathname}${url.search}`;
    if (SKIP.test(url.pathname) || seen.has(path)) return;
    seen.add(path);
    queue.push(path);
  };
  for (const seed of seeds) enqueue(seed, "/");
  const pages = new Map<string, Page>();
  while (queue.length && pages.size < limit) {
    const path = queue.shift()!;
    const page = await browser.get(path);
    pages.set(path, page);
    if (page.location) enqueue(page.location, path);
    if ((page.headers.get("content-type") ?? "").includes("html")) {
      for (const match of page.text.matchAll(/\s(?:href|src|action)="([^"]+)"/g)) enqueue(match[1]!, path);
    }
  }
  return pages;
}

/** A mail's text with its base64 and quoted-printable parts and encoded-word headers decoded. */
function decodeMail(mail: SunkMail): string {
  const words = mail.raw.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset, encoding: string, text: string) =>
    encoding.toUpperCase() === "B" ? Buffer.from(text, "base64").toString("utf8") : Buffer.from(text.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), "latin1").toString("utf8"),
  );
  const parts = mail.raw.split(/\r?\n--[^\r\n]+\r?\n/).map((section) => {
    const split = section.search(/\r?\n\r?\n/);
    if (split < 0) return "";
    const head = section.slice(0, split);
    const body = section.slice(split).trim();
    if (/content-transfer-encoding:\s*base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
      const bytes = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      return Buffer.from(bytes, "latin1").toString("utf8");
    }
    return body;
  });
  return [words, ...parts].join("\n");
}

async function until<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A photo whose EXIF carries the worker's name and number (the upload must not keep them). */
async function markedPhoto(worker: Marked): Promise<Buffer> {
  return sharp({ create: { width: 96, height: 64, channels: 3, background: { r: 180, g: 60, b: 40 } } })
    .jpeg()
    .withExif({ IFD0: { Artist: `${worker.token} ${worker.local}`, ImageDescription: `${worker.token} ${worker.e164}`, Copyright: worker.token } })
    .toBuffer();
}

/** The platform accounts of the demo (staff and members of every PLATFORM organization). */
async function platformAccounts(): Promise<Array<{ email: string; slugs: string[] }>> {
  const { rows } = await db.query<{ email: string; slugs: string[] }>(
    `SELECT u.email, array_agg(DISTINCT o.slug) AS slugs FROM "User" u JOIN "Membership" m ON m."userId" = u.id JOIN "Organization" o ON o.id = m."organizationId"
     WHERE o.type = 'PLATFORM' AND u.email IS NOT NULL AND u."passwordHash" IS NOT NULL GROUP BY u.email ORDER BY u.email`,
  );
  return rows;
}

beforeAll(async () => {
  sink = await new SmtpSink().start();
  server = await startTestServer({
    XS_DEMO_SCENARIO: "true",
    XS_SMTP_HOST: "127.0.0.1",
    XS_SMTP_PORT: String(sink.port),
    XS_SMTP_TIMEOUT_MS: "20000",
    XS_OUTBOX_RELAY_SECONDS: "1",
    XS_DELIVERY_RETRY_SECONDS: "1",
  });
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  const { rows } = await db.query<{ noticeId: string }>(`SELECT DISTINCT "noticeId" FROM "NoticeVersion" WHERE title = $1`, [DEMO_IN_FORCE_TITLE]);
  expect(rows).toHaveLength(1);
  noticeId = rows[0]!.noticeId;
  versions = (await db.query<{ version: number }>(`SELECT version FROM "NoticeVersion" WHERE "noticeId" = $1 ORDER BY version`, [noticeId])).rows.map((row) => row.version);
  workerA = await markedWorker("A");
  workerB = await markedWorker("B");
}, 180_000);

afterAll(async () => {
  await db?.end();
  await server?.close();
  await sink?.stop();
});

describe("a worker's identity on a complaint case reaches a platform only with the worker's consent", () => {
  it("files a case as each marked worker through the filing form, with a marked photo", async () => {
    for (const [key, worker, share] of [["A", workerA, "no"], ["B", workerB, "yes"]] as const) {
      const photo = await markedPhoto(worker);
      // The upload itself carries the markers (so that their absence later means something).
      expect(photo.toString("latin1")).toContain(worker.token);
      expect(photo.toString("latin1")).toContain(worker.local);
      const form = new FormData();
      form.set("kind", "PENALTY_APPEAL");
      form.set("clause", "penaltyRules:LATE_DELIVERY");
      form.set("platform", "swift-eats");
      form.set("happenedOn", chinaToday());
      form.set("body", "小区禁止电动车进入，步行送达超时，被扣 2 元，按协议不应扣罚。");
      form.set("reference", `PD-${randomInt(100_000, 999_999)}`);
      form.set("shareIdentity", share);
      form.append("photos", new Blob([new Uint8Array(photo)], { type: "image/jpeg" }), `${worker.name}-${worker.local}.jpg`);
      const page = await worker.browser.request(`/notices/${noticeId}/complain`, { method: "POST", body: form });
      expect(page.status, page.text.slice(0, 500)).toBe(200);
      const receipt = /data-testid="receipt-code">([0-9A-Z-]+)</.exec(page.text)?.[1];
      expect(receipt).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      const { rows } = await db.query<{ id: string; number: string; identityShared: boolean; body: string }>(`SELECT id, number, "identityShared", body FROM "ComplaintCase" WHERE "workerId" = $1`, [worker.userId]);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.identityShared).toBe(share === "yes");
      const photos = await db.query<{ id: string; bytes: Buffer }>(`SELECT id, bytes FROM "ComplaintPhoto" WHERE "caseId" = $1`, [rows[0]!.id]);
      expect(photos.rows).toHaveLength(1);
      // Stored re-encoded, without the EXIF fields (nor anything else that names the worker).
      expect(leaks(`stored photo ${key}`, photos.rows[0]!.bytes.toString("latin1"), markersOf(worker))).toEqual([]);
      filed[key] = { id: rows[0]!.id, number: rows[0]!.number, receipt: receipt!, photoIds: photos.rows.map((row) => row.id) };
      // The worker sees their own name and number on their case.
      const own = await worker.browser.get(`/complaints/${rows[0]!.id}`);
      expect(own.status).toBe(200);
      expect(own.text).toContain(worker.name);
      expect(own.text).toContain(worker.e164);
    }
    expect(filed.A.number).not.toBe(filed.B.number);
  }, 60_000);

  it("moves case A through the platform's answer and the union, the worker's steps recorded without their account", async () => {
    const platform = await signIn("rep@swifteats.demo");
    const answered = await platform.post(`/complaints/${filed.A.id}`, { intent: "answer", answer: "经核实，当日小区禁止电动车进入，已撤销该笔扣款。" });
    expect(answered.status, answered.text.slice(0, 400)).toBe(302);
    const escalated = await workerA.browser.post(`/complaints/${filed.A.id}`, { intent: "escalateToUnion" });
    expect(escalated.status, escalated.text.slice(0, 400)).toBe(302);
    const union = await signIn("negotiator@union.demo");
    const resolved = await union.post(`/complaints/${filed.A.id}`, { intent: "resolve", outcome: "工会与平台核对后，平台已退还扣款。" });
    expect(resolved.status, resolved.text.slice(0, 400)).toBe(302);
    const { rows } = await db.query<{ state: string }>(`SELECT state FROM "ComplaintCase" WHERE id = $1`, [filed.A.id]);
    expect(rows[0]!.state).toBe("RESOLVED");
    // The chain is shown to the platform: no step of it names worker A.
    const events = await db.query(`SELECT * FROM "ComplaintAuditEvent" WHERE "caseId" IN ($1, $2) ORDER BY "caseId", seq`, [filed.A.id, filed.B.id]);
    expect(events.rows.map((row) => row.type)).toEqual(expect.arrayContaining(["case.filed", "case.answered", "case.escalatedToUnion", "case.resolved"]));
    expect(events.rows.filter((row) => row.actorId === workerA.userId || row.actorId === workerB.userId)).toEqual([]);
    expect(leaks("ComplaintAuditEvent", JSON.stringify(events.rows), { ...markersOf(workerA), ...markersOf(workerB) })).toEqual([]);
  }, 60_000);

  it("shows who filed to the union always, and to the platform only on the case whose worker said yes", async () => {
    // The union's negotiator sees worker A's name and number.
    const union = await signIn("negotiator@union.demo");
    const unionA = await union.get(`/complaints/${filed.A.id}`);
    expect(unionA.status).toBe(200);
    expect(unionA.text).toContain(workerA.name);
    expect(unionA.text).toContain(workerA.local);
    // The platform sees case A, its number and body, and that the worker is not named.
    const platform = await signIn("rep@swifteats.demo");
    const caseA = await platform.get(`/complaints/${filed.A.id}`);
    expect(caseA.status).toBe(200);
    expect(caseA.text).toContain(filed.A.number);
    expect(caseA.text).toContain("小区禁止电动车进入");
    expect(caseA.text).toContain('data-testid="case-identity">未同意向平台显示（仅显示案件编号）<');
    expect(leaks("platform case A", pageText(caseA), markersOf(workerA))).toEqual([]);
    // ... and worker B's name on the case B, where B said yes.
    const caseB = await platform.get(`/complaints/${filed.B.id}`);
    expect(caseB.status).toBe(200);
    expect(caseB.text).toContain(workerB.name);
    expect(caseB.text).toContain(workerB.local);
    // The leak check finds what is there (so that finding nothing elsewhere means something).
    expect(leaks("platform case B", pageText(caseB), markersOf(workerB)).map((finding) => finding.marker)).toEqual(expect.arrayContaining(["B.name", "B.nameToken", "B.phone11", "B.phoneE164", "B.phoneDigits"]));
    // The list names both cases, neither worker.
    const list = await platform.get("/complaints");
    expect(list.text).toContain(filed.A.number);
    expect(list.text).toContain(filed.B.number);
    expect(leaks("platform /complaints", pageText(list), { ...markersOf(workerA), ...markersOf(workerB) })).toEqual([]);
    // Another platform does not see the cases at all, nor their photos.
    const other = await signIn("rep@lanshan.demo");
    for (const key of ["A", "B"] as const) {
      expect((await other.get(`/complaints/${filed[key].id}`)).status).toBe(404);
      expect((await other.get(`/complaints/${filed[key].id}/photos/${filed[key].photoIds[0]}`)).status).toBe(404);
    }
    expect((await other.get("/complaints")).text).not.toContain(filed.A.number);
  }, 60_000);

  it("refuses the platform the union's CSV export, which names nobody anyway", async () => {
    const union = await signIn("negotiator@union.demo");
    const csv = await union.get(`/notices/${noticeId}/complaints.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    expect(leaks("union CSV", pageText(csv), { ...markersOf(workerA), ...markersOf(workerB) })).toEqual([]);
    for (const email of ["rep@swifteats.demo", "admin@swifteats.demo", "rep@lanshan.demo"]) {
      const platform = await signIn(email);
      const refused = await platform.get(`/notices/${noticeId}/complaints.csv`);
      expect(refused.status, email).toBeGreaterThanOrEqual(400);
      expect(leaks(`${email} CSV`, pageText(refused), markersOf(workerA))).toEqual([]);
    }
  }, 60_000);

  it("keeps worker A's identity out of every page, feed, export, photo and API answer a platform account reaches", async () => {
    const markers = markersOf(workerA);
    const accounts = await platformAccounts();
    expect(accounts.map((account) => account.email)).toEqual(expect.arrayContaining(["rep@swifteats.demo", "admin@swifteats.demo", "rep@lanshan.demo"]));
    const caseIds = (await db.query<{ id: string }>(`SELECT id FROM "ComplaintCase" WHERE "noticeId" = $1 ORDER BY "filedAt" DESC`, [noticeId])).rows.map((row) => row.id);
    const photoUrls = (await db.query<{ caseId: string; id: string }>(`SELECT "caseId", id FROM "ComplaintPhoto"`)).rows.map((row) => `/complaints/${row.caseId}/photos/${row.id}`);
    const { rows: slugs } = await db.query<{ slug: string; type: string }>(`SELECT slug, type FROM "Organization" ORDER BY slug`);
    const findings: Finding[] = [];
    let reachedCaseA = 0;
    for (const account of accounts) {
      const browser = await signIn(account.email);
      const sessions = (
        await db.query<{ sessionId: string }>(`SELECT DISTINCT sp."sessionId" FROM "SessionParty" sp JOIN "Organization" o ON o.id = sp."organizationId" WHERE o.slug = ANY($1)`, [account.slugs])
      ).rows.map((row) => row.sessionId);
      const seeds = [
        "/complaints",
        ...caseIds.map((id) => `/complaints/${id}`),
        ...caseIds.slice(0, 3).map((id) => `/complaints/${id}?_data=${encodeURIComponent("routes/complaints.$id")}`),
        "/complaints?_data=" + encodeURIComponent("routes/complaints._index"),
        ...photoUrls,
        "/complaints/track",
        "/notifications",
        "/notifications?_data=routes%2Fnotifications",
        "/settings/notifications",
        "/worker",
        "/",
        "/notices",
        `/notices/${noticeId}`,
        ...versions.map((version) => `/notices/${noticeId}/v/${version}`),
        `/notices/${noticeId}/verify`,
        `/notices/${noticeId}/complain`,
        `/notices/${noticeId}/complaints.csv`,
        `/notices/${noticeId}/qr`,
        "/api/notices",
        `/api/notices/in-force?date=${chinaToday()}`,
        `/api/notices/${noticeId}`,
        `/api/notices/${noticeId}/in-force`,
        `/api/notices/${noticeId}/verify`,
        ...versions.map((version) => `/api/notices/${noticeId}/versions/${version}`),
        "/feeds/industry/FOOD_DELIVERY",
        "/feeds/industry/FOOD_DELIVERY?lang=en",
        "/feeds/region/330100",
        ...slugs.filter((org) => org.type === "PLATFORM").map((org) => `/feeds/platform/${org.slug}`),
        "/orgs",
        ...slugs.map((org) => `/orgs/${org.slug}`),
        "/sessions",
        ...sessions.flatMap((id) => [`/sessions/${id}`, `/sessions/${id}/agreement`, `/sessions/${id}/draft`, `/sessions/${id}/versions`, `/sessions/${id}/disputes`, `/sessions/${id}/caucus/EMPLOYER`]),
      ];
      const limit = account.slugs.includes("swift-eats") ? 300 : 150;
      const pages = await crawl(browser, seeds, limit);
      // The seeds are all visited before anything found by following links.
      expect(pages.size, account.email).toBeGreaterThanOrEqual(Math.min(seeds.length, limit));
      for (const [path, page] of pages) {
        expect(page.status, `${account.email} ${path}`).toBeLessThan(500);
        findings.push(...leaks(`${account.email} GET ${path} (${page.status})`, pageText(page), markers));
      }
      // The same pages in English.
      browser.acceptLanguage = "en";
      for (const path of ["/complaints", `/complaints/${filed.A.id}`, "/notifications", `/notices/${noticeId}`]) {
        const page = await browser.get(path);
        findings.push(...leaks(`${account.email} GET ${path} (en, ${page.status})`, pageText(page), markers));
      }
      const caseA = pages.get(`/complaints/${filed.A.id}`);
      if (account.slugs.includes("swift-eats")) {
        // Positive control: the platform that answers reaches case A, its photo, and its number.
        expect(caseA?.status, account.email).toBe(200);
        expect(caseA?.text).toContain(filed.A.number);
        expect(pages.get(`/complaints/${filed.A.id}/photos/${filed.A.photoIds[0]}`)?.status).toBe(200);
        expect(pages.get("/notifications")?.text).toContain(filed.A.number);
        reachedCaseA++;
      } else {
        expect(caseA?.status, account.email).toBe(404);
      }
    }
    expect(reachedCaseA).toBeGreaterThanOrEqual(2);
    expect(findings).toEqual([]);
  }, 600_000);

  it("names worker A to nobody who holds the receipt code", async () => {
    const platform = await signIn("rep@swifteats.demo");
    const tracked = await platform.post("/complaints/track", { receipt: filed.A.receipt });
    expect(tracked.status).toBe(200);
    expect(tracked.text).toContain(filed.A.number);
    expect(leaks("tracked by receipt", pageText(tracked), markersOf(workerA))).toEqual([]);
  });

  it("keeps worker A's identity out of every outbox message, notification and e-mail of a platform account", async () => {
    const markers = markersOf(workerA);
    const platformUsers = `SELECT m."userId" FROM "Membership" m JOIN "Organization" o ON o.id = m."organizationId" WHERE o.type = 'PLATFORM'`;
    const outbox = await db.query(`SELECT * FROM "OutboxMessage" WHERE "userId" IN (${platformUsers})`);
    // Positive control: the platform's staff were told of both cases.
    const filedMessages = outbox.rows.filter((row) => row.kind === "complaint.filed");
    expect(JSON.stringify(filedMessages)).toContain(filed.A.number);
    expect(JSON.stringify(filedMessages)).toContain(filed.B.number);
    expect(leaks("OutboxMessage", JSON.stringify(outbox.rows), markers)).toEqual([]);
    const notifications = await db.query(`SELECT * FROM "Notification" WHERE "userId" IN (${platformUsers})`);
    expect(JSON.stringify(notifications.rows)).toContain(filed.A.number);
    expect(leaks("Notification", JSON.stringify(notifications.rows), markers)).toEqual([]);
    // Messages addressed to a platform's people by address rather than account.
    const { rows: emails } = await db.query<{ email: string }>(`SELECT u.email FROM "User" u WHERE u.id IN (${platformUsers}) AND u.email IS NOT NULL`);
    const addresses = emails.map((row) => row.email);
    const byAddress = await db.query(`SELECT * FROM "OutboxMessage" WHERE "toEmail" = ANY($1)`, [addresses]);
    expect(leaks("OutboxMessage by address", JSON.stringify(byAddress.rows), markers)).toEqual([]);
    // The e-mails the platform staff received about case A: sent, and without worker A.
    const { rows: deliveries } = await db.query<{ id: string }>(
      `SELECT d.id FROM "Delivery" d JOIN "OutboxMessage" m ON m.id = d."messageId" WHERE d.channel = 'EMAIL' AND m."userId" IN (${platformUsers}) AND m.kind LIKE 'complaint.%' AND m.payload->>'number' = $1`,
      [filed.A.number],
    );
    expect(deliveries.length).toBeGreaterThanOrEqual(2);
    await until(async () => {
      const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM "Delivery" WHERE id = ANY($1) AND status <> 'SENT'`, [deliveries.map((row) => row.id)]);
      return Number(rows[0]!.n) === 0;
    }, "the platform staff's e-mails about case A to be sent");
    const mails = sink.accepted.filter((mail) => mail.to.some((to) => addresses.includes(to)));
    const aboutA = mails.filter((mail) => deliveries.some((delivery) => delivery.id === mail.deliveryId));
    for (const delivery of deliveries) expect(aboutA.some((mail) => mail.deliveryId === delivery.id), delivery.id).toBe(true);
    for (const mail of aboutA) expect(decodeMail(mail)).toContain(filed.A.number);
    const findings = mails.flatMap((mail) => leaks(`e-mail to ${mail.to.join(",")}: ${mail.subject}`, decodeMail(mail), markers));
    expect(findings).toEqual([]);
  }, 90_000);
});
