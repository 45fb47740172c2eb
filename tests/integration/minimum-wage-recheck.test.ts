/**
 * Issue 22, item 1: a minimum-wage standard added to the data re-checks the agreements in force,
 * and the public notice shows the standard in force against pay at the agreed quota. Against the
 * real server (the demo scenario: food-delivery, ride-hailing and courier agreements in force in
 * Hangzhou) and PostgreSQL:
 * - the standards the database has not seen are recorded once (the start-up queues the re-check);
 * - with the data as shipped, no agreement in force is below its standards;
 * - a standard added for Zhejiang at 30.00 an hour from next month is found above pay at quota for
 *   each agreement in force: recorded once per agreement, written to its activity record, told to
 *   both sides and the bureau through the outbox (mail in both languages, nothing unfilled); run
 *   again, nothing new; a standard below pay changes nothing;
 * - the notice pages show the standard, its tier and that it is unverified, pay at quota and the
 *   difference, with the industry's own term names, in both languages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { startTestServer } from "../support/server.ts";
import { DEMO_COURIER_TITLE, DEMO_IN_FORCE_TITLE, DEMO_RIDE_HAILING_TITLE } from "../../prisma/demo-scenario.ts";
import { MINIMUM_WAGE_DATA, standardKey, type MinimumWageData, type MinimumWageRow } from "../../app/domain/minimum-wage.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let db: pg.Client;
const DAY = 24 * 3600 * 1000;

const chinaDay = (instant: Date) => new Date(instant.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);

/** The data as shipped plus one Zhejiang first-tier standard from `from` at `hourlyFen`. */
function withStandard(from: string, hourlyFen: number): { data: MinimumWageData; row: MinimumWageRow } {
  const template = MINIMUM_WAGE_DATA.rows.find((row) => row.provinceCode === "330000")!;
  const row: MinimumWageRow = { ...template, tier: { zh: "第一档（测试新增）", en: "Tier 1 (added by the test)" }, hourlyFen, monthlyFen: hourlyFen * 100, effectiveFrom: from, verified: false };
  return { data: { ...MINIMUM_WAGE_DATA, rows: [...MINIMUM_WAGE_DATA.rows, row] }, row };
}

const noticeOf = async (title: string) =>
  (await db.query('SELECT v."noticeId", v."sessionId" FROM "NoticeVersion" v JOIN "BargainingSession" s ON s.id = v."sessionId" WHERE s.title = $1', [title])).rows[0] as { noticeId: string; sessionId: string };

beforeAll(async () => {
  server = await startTestServer({ XS_DEMO_SCENARIO: "true" });
  process.env.DATABASE_URL = server.databaseUrl;
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
}, 120_000);

afterAll(async () => {
  await db?.end();
  await server?.close();
  const { disconnectDb } = await import("../../app/infra/db.server.ts");
  await disconnectDb();
});

describe("a standard added to the data", () => {
  it("is recorded once: the server recorded every shipped standard at start-up; only a new key is new", async () => {
    const { recordMinimumWageStandards } = await import("../../app/models/minimum-wage.server.ts");
    const known = (await db.query('SELECT count(*)::int AS n FROM "KnownMinimumWageStandard"')).rows[0].n as number;
    expect(known).toBe(new Set(MINIMUM_WAGE_DATA.rows.map(standardKey)).size);
    expect(await recordMinimumWageStandards()).toEqual([]);
    const { data, row } = withStandard("2031-01-01", 3500);
    expect(await recordMinimumWageStandards(data)).toEqual([standardKey(row)]);
    expect(await recordMinimumWageStandards(data)).toEqual([]);
  });

  it("with the data as shipped, every agreement in force pays at least its standards", async () => {
    const { recheckAgreementsInForce } = await import("../../app/models/minimum-wage.server.ts");
    const report = await recheckAgreementsInForce(new Date());
    // Food delivery (with its amendment), ride-hailing and courier agreements in force.
    expect(report.checked).toBeGreaterThanOrEqual(3);
    expect(report.breaches).toEqual([]);
    expect((await db.query('SELECT count(*)::int AS n FROM "MinimumWageBreach"')).rows[0].n).toBe(0);
  });

  it("a standard above pay at quota, from next month: each agreement in force is found, recorded, logged and its parties told once", async () => {
    const { recheckAgreementsInForce } = await import("../../app/models/minimum-wage.server.ts");
    const now = new Date();
    const from = chinaDay(new Date(now.getTime() + 30 * DAY));
    const { data, row } = withStandard(from, 3000);
    const report = await recheckAgreementsInForce(now, data);
    // The food-delivery series (its amendment is the version in force), ride-hailing and couriers: three agreements.
    expect(report.breaches).toHaveLength(3);
    // The ride-hailing agreement pays 28.08 an hour of working time at quota, the courier one 27.00: both below 30.00.
    for (const title of [DEMO_RIDE_HAILING_TITLE, DEMO_COURIER_TITLE]) {
      const { sessionId } = await noticeOf(title);
      const breach = report.breaches.find((candidate) => candidate.sessionId === sessionId);
      expect(breach, title).toMatchObject({ standardKey: standardKey(row), minimumFen: 3000 });
      expect(breach!.payPerHourFen).toBeLessThan(3000);
      // The activity record says so, and the chain still verifies.
      const audit = (await db.query(`SELECT payload FROM "AuditEvent" WHERE "sessionId" = $1 AND type = 'minimumWage.breachFound'`, [sessionId])).rows;
      expect(audit).toHaveLength(1);
      expect(audit[0].payload).toMatchObject({ standardKey: standardKey(row), minimumFen: 3000, effectiveFrom: from });
      // Both sides' negotiators and chiefs, and the bureau, are told through the outbox.
      const told = (await db.query(`SELECT DISTINCT u.email FROM "OutboxMessage" m JOIN "User" u ON u.id = m."userId" WHERE m."sessionId" = $1 AND m.kind = 'minimumWage.breach'`, [sessionId])).rows.map((r) => r.email as string);
      expect(told.length, title).toBeGreaterThanOrEqual(3);
      expect(told).toEqual(expect.arrayContaining(["admin@bureau.demo"]));
    }
    expect((await db.query('SELECT count(*)::int AS n FROM "MinimumWageBreach"')).rows[0].n).toBe(report.breaches.length);

    // Run again (a restart, a retried job): nothing new is recorded or sent.
    const messages = (await db.query(`SELECT count(*)::int AS n FROM "OutboxMessage" WHERE kind = 'minimumWage.breach'`)).rows[0].n as number;
    expect((await recheckAgreementsInForce(now, data)).breaches).toEqual([]);
    expect((await db.query(`SELECT count(*)::int AS n FROM "OutboxMessage" WHERE kind = 'minimumWage.breach'`)).rows[0].n).toBe(messages);
  });

  it("a standard below pay at quota changes nothing", async () => {
    const { recheckAgreementsInForce } = await import("../../app/models/minimum-wage.server.ts");
    const now = new Date();
    const { data } = withStandard(chinaDay(new Date(now.getTime() + 40 * DAY)), 2600);
    const before = (await db.query('SELECT count(*)::int AS n FROM "MinimumWageBreach"')).rows[0].n as number;
    expect((await recheckAgreementsInForce(now, data)).breaches).toEqual([]);
    expect((await db.query('SELECT count(*)::int AS n FROM "MinimumWageBreach"')).rows[0].n).toBe(before);
  });

  it("the message reads in both languages, every value filled", async () => {
    const { composeMail } = await import("../../app/models/outbox.server.ts");
    const message = (await db.query(`SELECT payload FROM "OutboxMessage" WHERE kind = 'minimumWage.breach' LIMIT 1`)).rows[0].payload as Record<string, unknown>;
    for (const [locale, expected] of [
      ["zh-CN", /每小时报酬 \d+\.\d\d 元，低于 \d{4}-\d\d-\d\d 起执行的小时最低工资标准 30\.00 元（第一档（测试新增））/],
      ["en", /pays \d+\.\d\d yuan an hour at its labour quota, below the hourly minimum wage of 30\.00 yuan \(Tier 1 \(added by the test\)\)/],
    ] as const) {
      const mail = composeMail({ deliveryId: "d", kind: "minimumWage.breach", payload: message, sessionId: null, sessionTitle: null, to: { email: "x@example.com", displayName: "X", locale } });
      expect(mail.text).toMatch(expected);
      expect(mail.text).not.toMatch(/\{\{|minimumWage\.breach/);
    }
  });
});

describe("the public notice against the minimum wage", () => {
  it("the ride-hailing notice: the standard, unverified, pay at quota above it, and the drivers' own term names", async () => {
    const { noticeId } = await noticeOf(DEMO_RIDE_HAILING_TITLE);
    const zh = await fetch(`${server.url}/notices/${noticeId}`).then((response) => response.text());
    expect(zh).toContain("与最低工资标准对照");
    expect(zh).toMatch(/杭州市在本协议生效日 \d{4}-\d\d-\d\d 适用的小时最低工资标准为每小时 25\.00 元/);
    expect(zh).toContain("此数据尚未与官方文件核对");
    expect(zh).toMatch(/每小时工作时间的报酬为 28\.08 元/);
    expect(zh).toContain("比最低工资标准每小时高 3.08 元");
    expect(zh).toContain("起步价（司机所得价格，含起步里程）");
    expect(zh).toContain("平台抽成上限");
    expect(zh).not.toContain("计件单价表");
    const en = await fetch(`${server.url}/notices/${noticeId}`, { headers: { "Accept-Language": "en" } }).then((response) => response.text());
    expect(en).toContain("Against the minimum wage");
    expect(en).toMatch(/25\.00 yuan an hour/);
    expect(en).toContain("has not yet been checked against the official notice");
    expect(en).toContain("Starting fare (driver&#x27;s price, incl. the starting distance)");
    expect(en).toContain("Longest continuous driving");
  });

  it("the courier notice names the fee per parcel; the food-delivery notice keeps its piece rates", async () => {
    const courier = await fetch(`${server.url}/notices/${(await noticeOf(DEMO_COURIER_TITLE)).noticeId}`).then((response) => response.text());
    expect(courier).toContain("每件派费");
    expect(courier).toMatch(/每小时工作时间的报酬为 27\.00 元/);
    const delivery = await fetch(`${server.url}/notices/${(await noticeOf(DEMO_IN_FORCE_TITLE)).noticeId}`).then((response) => response.text());
    expect(delivery).toContain("基础计件单价");
    expect(delivery).toContain("与最低工资标准对照");
  });
});
