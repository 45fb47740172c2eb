/**
 * Complaint and penalty-appeal cases tied to a clause (issue 25, items 2 and 3), walked end to end
 * over HTTP against the real server, its database and its job queue: a rider signs in by SMS (a
 * real HTTP receiver as the gateway), files an appeal with a photo from a notice in force; the
 * platform does not answer in time, so the clock sweep (a job on the queue) takes the case to the
 * union and tells it; the platform's late answer is recorded as late; the union takes the case to
 * the labour bureau and records its outcome; every step is in the case's audit chain. The
 * figures reach the notice, the JSON API and the union's CSV with small counts hidden. Bad input
 * (an agreement not in force, a clause it does not have, wrong or oversized photos, a guessed
 * receipt code) is refused in the person's language and stores nothing.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import sharp from "sharp";
import { clauseFigures } from "../../app/domain/complaints.ts";
import { TestBrowser } from "../support/browser.ts";
import { startTestServer } from "../support/server.ts";
import { loginAs } from "../support/sessions.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let gateway: http.Server;
let db: pg.Client;
const texts: Array<{ to: string; text: string }> = [];
let noticeId = "";
let terminatedNoticeId = "";

const IN_FORCE_TITLE = "杭州市外卖配送行业骑手计件单价集体协议（2025—2027年度）";

beforeAll(async () => {
  gateway = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      texts.push(JSON.parse(body) as { to: string; text: string });
      response.writeHead(200, { "Content-Type": "application/json" }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  server = await startTestServer({
    XS_SMS_HTTP_URL: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/send`,
    XS_OUTBOX_RELAY_SECONDS: "1",
    XS_CLOCK_SWEEP_SECONDS: "1",
    XS_DEMO_SCENARIO: "true",
  });
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  noticeId = (await db.query<{ noticeId: string }>(`SELECT "noticeId" FROM "NoticeVersion" WHERE title = $1 LIMIT 1`, [IN_FORCE_TITLE])).rows[0]!.noticeId;
  // The demo's special agreement, ended by agreement: its series' latest version is a termination.
  terminatedNoticeId = (await db.query<{ noticeId: string }>(`SELECT "noticeId" FROM "NoticeVersion" WHERE kind = 'TERMINATION' LIMIT 1`)).rows[0]!.noticeId;
}, 180_000);

afterAll(async () => {
  await db?.end();
  await server?.close();
  await new Promise((resolve) => gateway?.close(resolve));
});

let phones = 0;
/** A rider signed in by the code the gateway received. */
async function signedInRider(): Promise<{ browser: TestBrowser; phone: string }> {
  phones += 1;
  const phone = `+86137${String(process.pid % 10_000).padStart(4, "0")}${String(phones).padStart(4, "0")}`;
  const browser = new TestBrowser(server.url);
  expect((await browser.post("/worker/login", { intent: "send", phone, redirectTo: "/" })).status).toBe(200);
  let sms: { text: string } | undefined;
  for (let waited = 0; !sms && waited < 30_000; waited += 100) {
    sms = texts.find((text) => text.to === phone);
    if (!sms) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const code = /(\d{6})/.exec(sms!.text)![1]!;
  expect((await browser.post("/worker/login", { intent: "verify", phone, code, redirectTo: "/" })).status).toBe(302);
  return { browser, phone };
}

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** A filing as the browser sends it: multipart, with files for `photos`. */
function filing(fields: Record<string, string>, photos: Array<{ bytes: Buffer; name: string; type: string }> = []) {
  const form = new FormData();
  for (const [name, value] of Object.entries({ kind: "PENALTY_APPEAL", clause: "penaltyRules:LATE_DELIVERY", happenedOn: today(), body: "小区禁止电动车进入，步行送达超时，被扣 2 元。", shareIdentity: "no", platform: "swift-eats", ...fields })) form.append(name, value);
  for (const photo of photos) form.append("photos", new Blob([new Uint8Array(photo.bytes)], { type: photo.type }), photo.name);
  return form;
}

async function file(browser: TestBrowser, form: FormData, id = noticeId) {
  return browser.request(`/notices/${id}/complain`, { method: "POST", body: form });
}

const countCases = async () => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM "ComplaintCase"`)).rows[0]!.n);

/** A JPEG carrying EXIF with a recognisable marker (where a phone would put its GPS position). */
async function photoWithExif(marker: string): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 200, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .jpeg()
    .withExif({ IFD0: { Artist: marker, ImageDescription: `GPS ${marker}`, Make: "RiderPhone" } })
    .toBuffer();
}

describe("a case from filing to the bureau's outcome", () => {
  it("files with a photo stripped of its metadata, goes to the union by the clock, records the late answer, the bureau's outcome and every step", async () => {
    const { browser: rider, phone: riderPhone } = await signedInRider();
    const marker = `LOC-${process.pid}-${Date.now()}`;
    const photo = await photoWithExif(marker);
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    expect(photo.includes(Buffer.from(marker))).toBe(true);

    const filed = await file(rider, filing({ reference: "PD20261207031" }, [{ bytes: photo, name: "evidence.jpg", type: "image/jpeg" }]));
    expect(filed.status).toBe(200);
    const receipt = /data-testid="receipt-code"[^>]*>([0-9A-Z-]{14})</.exec(filed.text)?.[1];
    expect(receipt).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const caseId = /href="\/complaints\/([A-Za-z0-9_-]+)"/.exec(filed.text)![1]!;

    // Stored: the receipt only as its hash; the answer time is the agreement's 24 hours; the photo re-encoded without EXIF.
    const { rows } = await db.query<{ receiptHash: string; state: string; dueAt: Date; filedAt: Date; responseSource: string; identityShared: boolean }>(`SELECT "receiptHash", state, "dueAt", "filedAt", "responseSource", "identityShared" FROM "ComplaintCase" WHERE id = $1`, [caseId]);
    const stored = rows[0]!;
    expect(stored.receiptHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.receiptHash).not.toContain(receipt!.replace(/-/g, ""));
    expect(stored).toMatchObject({ state: "FILED", responseSource: "AGREEMENT", identityShared: false });
    expect(stored.dueAt.getTime() - stored.filedAt.getTime()).toBe(24 * 3_600_000);
    const { rows: photos } = await db.query<{ id: string; bytes: Buffer; contentType: string }>(`SELECT id, bytes, "contentType" FROM "ComplaintPhoto" WHERE "caseId" = $1`, [caseId]);
    expect(photos).toHaveLength(1);
    expect(photos[0]!.contentType).toBe("image/jpeg");
    expect(photos[0]!.bytes.includes(Buffer.from(marker))).toBe(false);
    const metadata = await sharp(photos[0]!.bytes).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    expect([metadata.width, metadata.height]).toEqual([320, 200]);

    // The platform's handler is told, by case number only.
    const platform = await loginAs(server.url, "platformRepresentative", 0);
    const platformCase = await platform.get(`/complaints/${caseId}`);
    expect(platformCase.status).toBe(200);
    expect(platformCase.text).toContain("未同意向平台显示（仅显示案件编号）");
    const served = await platform.get(`/complaints/${caseId}/photos/${photos[0]!.id}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/jpeg");
    // Another rider cannot see the case or its photo.
    const { browser: stranger } = await signedInRider();
    expect((await stranger.get(`/complaints/${caseId}`)).status).toBe(404);
    expect((await stranger.get(`/complaints/${caseId}/photos/${photos[0]!.id}`)).status).toBe(404);
    // The rider cannot answer their own case, nor the platform accept it.
    expect((await rider.post(`/complaints/${caseId}`, { intent: "answer", answer: "自己回应" })).status).toBe(403);
    expect((await platform.post(`/complaints/${caseId}`, { intent: "accept" })).status).toBe(403);

    // The answer time runs out (moved into the past here, as 24 hours passing would): the clock
    // sweep, a job on the queue, takes the case to the union and tells the union's staff.
    await db.query(`UPDATE "ComplaintCase" SET "dueAt" = now() - interval '1 minute', "filedAt" = now() - interval '1441 minutes' WHERE id = $1`, [caseId]);
    let state = "FILED";
    for (let waited = 0; state === "FILED" && waited < 30_000; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      state = (await db.query<{ state: string }>(`SELECT state FROM "ComplaintCase" WHERE id = $1`, [caseId])).rows[0]!.state;
    }
    expect(state).toBe("WITH_UNION");
    const { rows: told } = await db.query<{ email: string; type: string }>(
      `SELECT u.email, n.type FROM "Notification" n JOIN "User" u ON u.id = n."userId" WHERE n.type = 'complaint.overdue' AND n.payload->>'href' = $1`,
      [`/complaints/${caseId}`],
    );
    expect(told.map((row) => row.email).sort()).toEqual(["admin@union.demo", "negotiator@union.demo"]);

    // The platform answers late: recorded, marked late, the case stays with the union.
    const late = await platform.post(`/complaints/${caseId}`, { intent: "answer", answer: "经核实为楼宇禁止进入，已撤销扣款。" });
    expect(late.status).toBe(302);
    const afterAnswer = await rider.get(`/complaints/${caseId}`);
    expect(afterAnswer.text).toContain("工会处理中");
    expect(afterAnswer.text).toContain("超过处理期限");
    expect(afterAnswer.text).toContain("经核实为楼宇禁止进入，已撤销扣款。");
    // The rider, who has no e-mail, is told by a text message naming the case only.
    const number = /C-[0-9A-Z]{8}/.exec(afterAnswer.text)![0];
    let told2: { text: string } | undefined;
    for (let waited = 0; !told2 && waited < 20_000; waited += 100) {
      told2 = texts.find((text) => text.to === riderPhone && text.text.includes(number) && text.text.includes("平台已处理"));
      if (!told2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(told2?.text).toBe(`【协商】你的投诉案件 ${number} 平台已处理，请登录协商平台查看处理意见。`);
    // Answered once only.
    expect((await platform.post(`/complaints/${caseId}`, { intent: "answer", answer: "再说一次" })).status).toBe(409);

    // The union sees who filed, takes the case to the bureau and records the outcome.
    const union = await loginAs(server.url, "unionNegotiator", 0);
    const unionCase = await union.get(`/complaints/${caseId}`);
    expect(unionCase.text).toMatch(/137\d{8}/);
    const empty = await union.post(`/complaints/${caseId}`, { intent: "recordOutcome", outcome: "   " });
    expect(empty.status).toBe(400);
    expect((await union.post(`/complaints/${caseId}`, { intent: "escalateToBureau" })).status).toBe(302);
    expect((await union.post(`/complaints/${caseId}`, { intent: "escalateToBureau" })).status).toBe(409);
    expect((await union.post(`/complaints/${caseId}`, { intent: "recordOutcome", outcome: "劳动保障行政部门认定扣款不当，平台已退还。" })).status).toBe(302);

    // Every step, timestamped, in the case's chain; the chain checks; the rider's steps carry no account.
    const { rows: events } = await db.query<{ type: string; actorId: string | null; payload: { by: string; late?: boolean }; ip: string | null }>(`SELECT type, "actorId", payload, ip FROM "ComplaintAuditEvent" WHERE "caseId" = $1 ORDER BY seq`, [caseId]);
    expect(events.map((event) => event.type)).toEqual(["case.filed", "case.overdue", "case.answered", "case.escalatedToBureau", "case.outcomeRecorded"]);
    expect(events.map((event) => event.payload.by)).toEqual([undefined, "CLOCK", "PLATFORM", "UNION", "UNION"]);
    expect(events[2]!.payload.late).toBe(true);
    expect(events[0]!.actorId).toBeNull();
    expect(events.every((event) => event.ip === null)).toBe(true);
    const closed = await rider.get(`/complaints/${caseId}`);
    expect(closed.text).toContain("行政部门已处理完毕");
    expect(closed.text).toContain("共 5 步，逐条校验无误。");
    // The chain is append-only in the database.
    await expect(db.query(`UPDATE "ComplaintAuditEvent" SET type = 'x' WHERE "caseId" = $1`, [caseId])).rejects.toThrow(/append-only/);

    // The receipt code follows it without signing in, and never shows who filed or what they wrote.
    const anonymous = new TestBrowser(server.url);
    const tracked = await anonymous.post("/complaints/track", { receipt: receipt!.toLowerCase().replace(/-/g, " ") });
    expect(tracked.status).toBe(200);
    expect(tracked.text).toContain("行政部门已处理完毕");
    expect(tracked.text).toContain("劳动保障行政部门认定扣款不当，平台已退还。");
    expect(tracked.text).not.toContain("小区禁止电动车进入");
    expect(tracked.text).not.toMatch(/137\d{8}/);
  }, 120_000);
});

describe("refused filings change nothing", () => {
  it("refuses an agreement not in force, a clause it lacks, a non-worker, bad dates and bad photos, in the person's language", async () => {
    const { browser: rider } = await signedInRider();
    const before = await countCases();

    const ended = await file(rider, filing({}), terminatedNoticeId);
    expect(ended.status).toBe(409);
    const noClause = await file(rider, filing({ clause: "penaltyRules:BAD_REVIEW" }));
    expect(noClause.status).toBe(400);
    expect(noClause.text).toContain("这份协议没有这一条款，请从列表中选择。");
    expect(noClause.text).toMatch(/id="f-clause"[^>]*aria-invalid="true"/);
    const forged = await file(rider, filing({ clause: "__proto__" }));
    expect(forged.status).toBe(400);
    const appealOfPay = await file(rider, filing({ clause: "pieceRateTable" }));
    expect(appealOfPay.status).toBe(400);
    expect(appealOfPay.text).toContain("扣罚申诉须选择一条扣罚规则。");
    const future = await file(rider, filing({ happenedOn: "2099-01-01" }));
    expect(future.status).toBe(400);
    const notADay = await file(rider, filing({ happenedOn: "2026-02-30" }));
    expect(notADay.status).toBe(400);
    const noBody = await file(rider, filing({ body: "  " }));
    expect(noBody.status).toBe(400);
    // The late-delivery penalty may be appealed within the agreement's 7 days, counted in calendar days past rest days.
    const monthAgo = new Date(Date.now() + 8 * 3_600_000 - 30 * 86_400_000).toISOString().slice(0, 10);
    const tooLate = await file(rider, filing({ happenedOn: monthAgo }));
    expect(tooLate.status).toBe(400);
    expect(tooLate.text).toContain("协议规定的申诉期限为 7 日");

    const text = await file(rider, filing({}, [{ bytes: Buffer.from("not an image at all"), name: "photo.jpg", type: "image/jpeg" }]));
    expect(text.status).toBe(400);
    expect(text.text).toContain("第 1 张照片不是 JPG、PNG 或 WebP 图片。");
    const svg = await file(rider, filing({}, [{ bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'), name: "a.svg", type: "image/svg+xml" }]));
    expect(svg.status).toBe(400);
    const small = await sharp({ create: { width: 8, height: 8, channels: 3, background: "white" } }).png().toBuffer();
    const four = await file(rider, filing({}, Array.from({ length: 4 }, (_, index) => ({ bytes: small, name: `p${index}.png`, type: "image/png" }))));
    expect(four.status).toBe(400);
    expect(four.text).toContain("最多上传 3 张照片。");
    const huge = await file(rider, filing({}, [{ bytes: Buffer.alloc(4 * 1024 * 1024 + 10, 1), name: "big.jpg", type: "image/jpeg" }]));
    expect(huge.status).toBe(413);
    expect(huge.text).toContain("每张不超过 4 MB");
    // A request body over the filing's whole limit is refused at the edge.
    const tooMuch = await file(rider, filing({}, Array.from({ length: 4 }, (_, index) => ({ bytes: Buffer.alloc(3_500_000, index), name: `b${index}.jpg`, type: "image/jpeg" }))));
    expect(tooMuch.status).toBe(413);

    // In English for a reader who chose English.
    expect((await rider.post("/locale", { locale: "en", redirectTo: "/" })).status).toBeLessThan(400);
    const english = await file(rider, filing({ clause: "nope" }));
    expect(english.status).toBe(400);
    expect(english.text).toContain("This agreement has no such clause: choose one from the list.");

    // Staff of an organization are not workers: they cannot file.
    const staff = await loginAs(server.url, "unionNegotiator", 0);
    const refused = await file(staff, filing({}));
    expect(refused.status).toBe(403);

    expect(await countCases()).toBe(before);
  }, 60_000);

  it("refuses a guessed receipt code, and an address that keeps guessing", async () => {
    const guesser = new TestBrowser(server.url);
    const guess = await guesser.post("/complaints/track", { receipt: "ABCD-EFGH-JKMN" });
    expect(guess.status).toBe(404);
    expect(guess.text).toContain("没有找到这个查询码对应的案件");
    expect(guess.text).toMatch(/id="f-receipt"[^>]*aria-invalid="true"/);
    const malformed = await guesser.post("/complaints/track", { receipt: "x".repeat(41) });
    expect(malformed.status).toBe(400);
    let last = 0;
    for (let index = 0; index < 10; index++) last = (await guesser.post("/complaints/track", { receipt: `ABCD-EFGH-${String(index).padStart(4, "0")}` })).status;
    expect(last).toBe(429);
  }, 60_000);
});

describe("figures on the notice, in the API and in the union's CSV", () => {
  it("shows per clause received, in time and the median, counts under 5 as fewer than 5", async () => {
    const api = await new TestBrowser(server.url).get(`/api/notices/${noticeId}`);
    expect(api.status).toBe(200);
    const figures = (JSON.parse(api.text) as { complaintFigures: Array<{ clause: string; received: { exact?: number; fewerThan?: number }; answeredInTime: { exact?: number; fewerThan?: number }; medianHoursToAnswer: number | null }> }).complaintFigures;
    // The grouped query behind the figures gives what the rule written out gives over the same cases.
    const { rows: cases } = await db.query<{ clause: string; filedAt: Date; answeredAt: Date | null; dueAt: Date | null }>(`SELECT clause, "filedAt", "answeredAt", "dueAt" FROM "ComplaintCase" WHERE "noticeId" = $1`, [noticeId]);
    const expected = clauseFigures(cases);
    expect(expected.some((row) => row.medianHoursToAnswer !== null)).toBe(true);
    for (const row of expected) expect(figures.find((candidate) => candidate.clause === row.clause), row.clause).toEqual(row);
    const late = figures.find((row) => row.clause === "penaltyRules:LATE_DELIVERY")!;
    const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM "ComplaintCase" WHERE "noticeId" = $1 AND clause = 'penaltyRules:LATE_DELIVERY'`, [noticeId]);
    expect(late.received).toEqual({ exact: Number(rows[0]!.n) });
    expect(late.medianHoursToAnswer).not.toBeNull();
    const rest = figures.find((row) => row.clause === "restDaysPerMonth")!;
    expect(rest.received).toEqual({ fewerThan: 5 });
    expect(rest.medianHoursToAnswer).toBeNull();
    // Every clause of the agreement has a row, so a worker can complain about any of them.
    expect(figures.map((row) => row.clause)).toEqual(expect.arrayContaining(["pieceRateTable", "commissionCapBp", "penaltyRules:LATE_DELIVERY", "appealResponseHours"]));

    const page = await new TestBrowser(server.url).get(`/notices/${noticeId}`);
    expect(page.text).toContain('data-testid="complaint-figures"');
    expect(page.text).toContain("少于 5 件");
    expect(page.text).toContain(`href="/notices/${noticeId}/complain?clause=penaltyRules%3ALATE_DELIVERY&amp;kind=PENALTY_APPEAL"`);

    const union = await loginAs(server.url, "unionNegotiator", 0);
    const csv = await union.get(`/notices/${noticeId}/complaints.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.text.startsWith("条款编号,条款,收到,按时处理,处理用时中位数")).toBe(true);
    // A byte-order mark first, so spreadsheet programs read the Chinese as UTF-8.
    const raw = await fetch(new URL(`/notices/${noticeId}/complaints.csv`, server.url), { headers: { Cookie: [...union.cookies].map(([name, value]) => `${name}=${value}`).join("; ") } });
    expect([...new Uint8Array(await raw.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.text).toContain(`penaltyRules:LATE_DELIVERY,扣罚规则：超时送达,${late.received.exact},`);
    expect(csv.text).toContain("restDaysPerMonth,每月休息天数,少于 5 件,少于 5 件,");
    const platform = await loginAs(server.url, "platformRepresentative", 0);
    expect((await platform.get(`/notices/${noticeId}/complaints.csv`)).status).toBe(404);
  }, 60_000);
});
