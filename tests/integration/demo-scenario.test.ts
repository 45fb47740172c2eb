/**
 * The demo scenario (`npm start` with XS_DEMO): a bargaining session with a realistic draft that
 * the demo accounts open at once; its terms pass every blocking rule check, and seeding it again
 * changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coordinationDueAt } from "../../app/domain/disputes.ts";
import pg from "pg";
import { startTestServer } from "../support/server.ts";
import { loginAs } from "../support/sessions.ts";
import { DEMO_COURIER_TERMS, DEMO_COURIER_TITLE, DEMO_RIDE_HAILING_TERMS, DEMO_RIDE_HAILING_TITLE } from "../../prisma/demo-scenario.ts";
import { DEMO_AMENDED_NIGHT_SURCHARGE_FEN, DEMO_AMENDMENT_TITLE, DEMO_IN_FORCE_TITLE, DEMO_IN_FORCE_TERMS, DEMO_SESSION_TITLE, DEMO_SUSPENDED_TITLE, DEMO_TERMINATED_TITLE, DEMO_TERMINATION_TITLE, DEMO_TERMS } from "../../prisma/demo-scenario.ts";
import { checkTerms } from "../../app/domain/rule-checks.ts";
import { ruleContextFor } from "../../app/domain/minimum-wage.ts";
import { readTerms } from "../../app/domain/terms.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let db: pg.Client;

beforeAll(async () => {
  server = await startTestServer({ XS_DEMO_SCENARIO: "true" });
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await server?.close();
});

describe("the demo scenario", () => {
  it("seeds a session in bargaining whose draft holds the demo terms and body", async () => {
    const rows = (await db.query('SELECT id, state FROM "BargainingSession" WHERE title = $1', [DEMO_SESSION_TITLE])).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0].state).toBe("BARGAINING");
    const { loadDocument } = await import("../../app/models/document-store.server.ts");
    const { doc } = await loadDocument(rows[0].id);
    expect(readTerms(doc.getMap("terms").toJSON())).toEqual(DEMO_TERMS);
    expect(doc.getXmlFragment("body").toString()).toContain("第一条");
    doc.destroy();
  });

  it("has terms that meet every legal floor in Hangzhou", () => {
    const results = checkTerms(DEMO_TERMS, ruleContextFor({ regionCode: "330100", industry: "FOOD_DELIVERY", plannedEffectiveFrom: new Date("2027-01-01T00:00:00+08:00"), effectiveFrom: null, termMonths: 24 }));
    expect(results.filter((result) => result.severity === "blocking")).toEqual([]);
    expect(results).toEqual([]);
  });

  it("is listed for the demo negotiator, whose session page shows every check passed", async () => {
    const negotiator = await loginAs(server.url, "unionNegotiator");
    const list = await negotiator.get("/sessions");
    expect(list.text).toContain(DEMO_SESSION_TITLE);
    const sessionId = (await db.query('SELECT id FROM "BargainingSession" WHERE title = $1', [DEMO_SESSION_TITLE])).rows[0].id;
    const page = await negotiator.get(`/sessions/${sessionId}`);
    expect(page.text).toContain("所有规则检查均已通过。");
  });

  it("has an agreement in force whose notice anyone can read, with its terms and a valid hash chain", async () => {
    const rows = (await db.query('SELECT id, state, "effectiveFrom" FROM "BargainingSession" WHERE title = $1', [DEMO_IN_FORCE_TITLE])).rows;
    expect(rows).toHaveLength(1);
    // In force since about a year, amended by the demo's amendment (below).
    expect(rows[0].state).toBe("AMENDED");
    const list = await fetch(`${server.url}/notices`).then((response) => response.text());
    expect(list).toContain(DEMO_IN_FORCE_TITLE);
    const api = (await fetch(`${server.url}/api/notices`).then((response) => response.json())) as { notices: Array<{ noticeId: string }> };
    // The food-delivery agreement (amended), the ended special agreement, and the ride-hailing and courier agreements (issue 22).
    expect(api.notices).toHaveLength(4);
    for (const notice of api.notices) {
      const verify = (await fetch(`${server.url}/api/notices/${notice.noticeId}/verify`).then((response) => response.json())) as { ok: boolean };
      expect(verify.ok, JSON.stringify(verify).slice(0, 1500)).toBe(true);
    }
    const published = (await db.query('SELECT terms FROM "NoticeVersion" WHERE "sessionId" = $1', [rows[0].id])).rows;
    expect(published).toHaveLength(1);
    expect(readTerms(published[0].terms)).toEqual(DEMO_IN_FORCE_TERMS);
  });

  it("has a ride-hailing and a courier agreement in force, each with its own parties and its industry's fields (issue 22)", async () => {
    for (const [title, industry, terms, platform] of [
      [DEMO_RIDE_HAILING_TITLE, "RIDE_HAILING", DEMO_RIDE_HAILING_TERMS, "kuaicheng-mobility"],
      [DEMO_COURIER_TITLE, "EXPRESS", DEMO_COURIER_TERMS, "shunda-express"],
    ] as const) {
      const session = (await db.query('SELECT id, state, industry FROM "BargainingSession" WHERE title = $1', [title])).rows[0];
      expect(session, title).toMatchObject({ state: "IN_FORCE", industry });
      const version = (await db.query('SELECT terms, industry, parties FROM "NoticeVersion" WHERE "sessionId" = $1', [session.id])).rows[0];
      expect(readTerms(version.terms)).toEqual(terms);
      expect((version.parties as Array<{ slug: string }>).map((party) => party.slug)).toContain(platform);
      const context = ruleContextFor({ regionCode: "330100", industry, plannedEffectiveFrom: null, effectiveFrom: new Date(), termMonths: 24 });
      expect(checkTerms(terms, context).filter((result) => result.severity !== "info"), title).toEqual([]);
    }
  });

  it("opens each notice with a rider's summary in plain words, in both languages, before the details (issue 24, item 3)", async () => {
    const noticeOf = async (title: string) => (await db.query('SELECT v."noticeId" FROM "NoticeVersion" v JOIN "BargainingSession" s ON s.id = v."sessionId" WHERE s.title = $1', [title])).rows[0].noticeId as string;
    const yuan = (fen: number) => (fen / 100).toFixed(2);
    const page = async (noticeId: string, language: string) => {
      const response = await fetch(`${server.url}/notices/${noticeId}`, { headers: { "Accept-Language": language } });
      const html = await response.text();
      // Still scriptless and small enough for a weak network.
      expect(html).not.toContain("<script");
      expect(Buffer.byteLength(html)).toBeLessThan(50 * 1024);
      const summary = /data-testid="rider-summary"[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";
      expect(html.indexOf('data-testid="rider-summary"')).toBeLessThan(html.indexOf('id="what-changed"'));
      return summary.replace(/<!-- -->/g, "");
    };
    const food = await noticeOf(DEMO_IN_FORCE_TITLE);
    const late = DEMO_IN_FORCE_TERMS.penaltyRules!.find((rule) => rule.kind === "LATE_DELIVERY")!;
    const zh = await page(food, "zh-CN");
    expect(zh).toContain(`超时送达：每次扣 ${yuan(late.amountFen)} 元，每月最多 ${yuan(late.monthlyCapFen)} 元`);
    expect(zh).toContain(`所有扣罚合计每月最多 ${yuan(DEMO_IN_FORCE_TERMS.penaltyCapFen!)} 元`);
    expect(zh).toContain(`连续工作不超过 ${DEMO_IN_FORCE_TERMS.maxContinuousMinutes} 分钟，之后至少休息 ${DEMO_IN_FORCE_TERMS.restAfterContinuousMinutes} 分钟`);
    expect(zh).toContain(`夜间每单另加 ${yuan(DEMO_AMENDED_NIGHT_SURCHARGE_FEN)} 元`);
    expect(zh).toContain("算一算我的收入");
    const en = await page(food, "en");
    expect(en).toContain(`Late delivery: ${yuan(late.amountFen)} yuan each time, at most ${yuan(late.monthlyCapFen)} yuan a month`);
    expect(en).toContain("Work out my pay");
    const ride = await page(await noticeOf(DEMO_RIDE_HAILING_TITLE), "zh-CN");
    expect(ride).toContain(`平台从每单最多抽取 ${(DEMO_RIDE_HAILING_TERMS.commissionCapBp! / 100).toFixed(2)}%`);
    expect(ride).toContain(`平台应在 ${DEMO_RIDE_HAILING_TERMS.appealResponseHours} 小时内回应申诉或投诉`);
  });

  it("has the agreement in force amended through the procedure: version 2 of the same series, same term, the original session AMENDED (第三十九条至第四十一条)", async () => {
    const original = (await db.query('SELECT id, state FROM "BargainingSession" WHERE title = $1', [DEMO_IN_FORCE_TITLE])).rows[0];
    const amendment = (await db.query('SELECT id, state, purpose FROM "BargainingSession" WHERE title = $1', [DEMO_AMENDMENT_TITLE])).rows[0];
    expect(amendment).toMatchObject({ state: "IN_FORCE", purpose: "AMENDMENT" });
    expect(original.state).toBe("AMENDED");
    const versions = (await db.query('SELECT v."noticeId", v.version, v.kind, v.terms, v."effectiveFrom", v."effectiveUntil", v."sessionId" FROM "NoticeVersion" v WHERE v."noticeId" = (SELECT "noticeId" FROM "NoticeVersion" WHERE "sessionId" = $1) ORDER BY version', [original.id])).rows;
    expect(versions.map((row) => [row.version, row.kind, row.sessionId])).toEqual([[1, "AGREEMENT", original.id], [2, "AMENDMENT", amendment.id]]);
    expect(versions[1].effectiveUntil.getTime()).toBe(versions[0].effectiveUntil.getTime());
    const amended = readTerms(versions[1].terms)!;
    expect(amended.pieceRateNightSurchargeFen).toBe(DEMO_AMENDED_NIGHT_SURCHARGE_FEN);
    // Only the amended term changed.
    expect({ ...amended, pieceRateNightSurchargeFen: DEMO_IN_FORCE_TERMS.pieceRateNightSurchargeFen }).toEqual(readTerms(versions[0].terms));
    // The rules in force today are the amended ones.
    const inForce = (await fetch(`${server.url}/api/notices/${versions[0].noticeId}/in-force?date=${encodeURIComponent(new Date().toISOString())}`).then((response) => response.json())) as { inForce: { version: number; kind: string } | null };
    expect(inForce.inForce).toMatchObject({ version: 2, kind: "AMENDMENT" });
    const clock = (await db.query(`SELECT payload FROM "AuditEvent" WHERE "sessionId" = $1 AND type = 'session.clock' ORDER BY seq DESC LIMIT 1`, [original.id])).rows[0].payload;
    expect(clock).toMatchObject({ event: "AMENDED_BY", to: "AMENDED", by: amendment.id });
  });

  it("has a special agreement ended by agreement (第三十九条): a published termination with its ground and reason, nothing in force", async () => {
    const special = (await db.query('SELECT id, state FROM "BargainingSession" WHERE title = $1', [DEMO_TERMINATED_TITLE])).rows[0];
    const termination = (await db.query('SELECT id, state, purpose FROM "BargainingSession" WHERE title = $1', [DEMO_TERMINATION_TITLE])).rows[0];
    expect(special.state).toBe("TERMINATED");
    expect(termination).toMatchObject({ state: "TERMINATED", purpose: "TERMINATION" });
    const version = (await db.query('SELECT "noticeId", version, kind, "terminationGround", "correctionReason", "effectiveFrom", "effectiveUntil" FROM "NoticeVersion" WHERE "sessionId" = $1', [termination.id])).rows[0];
    expect(version).toMatchObject({ version: 2, kind: "TERMINATION", terminationGround: "AGREED" });
    expect(version.effectiveFrom.getTime()).toBe(version.effectiveUntil.getTime());
    const inForce = (await fetch(`${server.url}/api/notices/${version.noticeId}/in-force?date=${encodeURIComponent(new Date().toISOString())}`).then((response) => response.json())) as { inForce: unknown };
    expect(inForce.inForce).toBeNull();
    const page = await fetch(`${server.url}/notices/${version.noticeId}`).then((response) => response.text());
    expect(page).toContain("已解除，不再适用");
    expect(page).toContain("本协议自");
    expect(page).toContain("《集体合同规定》（劳动和社会保障部令第22号）第三十九条");
    expect(page).toContain("赛事保障期已结束");
    const verify = (await fetch(`${server.url}/api/notices/${version.noticeId}/verify`).then((response) => response.json())) as { ok: boolean };
    expect(verify.ok).toBe(true);
  });

  it("is not seeded twice", async () => {
    const { seedDemoScenarioOnce } = await import("../../prisma/seed.ts");
    const { getDb } = await import("../../app/infra/db.server.ts");
    await seedDemoScenarioOnce(getDb());
    expect((await db.query('SELECT count(*)::int AS n FROM "BargainingSession" WHERE title = $1', [DEMO_SESSION_TITLE])).rows[0].n).toBe(1);
    expect((await db.query('SELECT count(*)::int AS n FROM "BargainingSession" WHERE title = $1', [DEMO_IN_FORCE_TITLE])).rows[0].n).toBe(1);
  });
});

describe("talks suspended with a dispute before the bureau", () => {
  it("shows the agreed suspension, the next meeting as a round, and the bureau's coordination with its due date", async () => {
    const row = (await db.query('SELECT id, state, suspension FROM "BargainingSession" WHERE title = $1', [DEMO_SUSPENDED_TITLE])).rows[0];
    expect(row.state).toBe("SUSPENDED");
    expect(new Date(row.suspension.resumesAt).getTime()).toBeGreaterThan(Date.now());
    const round = (await db.query('SELECT "scheduledAt", location FROM "Round" WHERE "sessionId" = $1 ORDER BY number DESC LIMIT 1', [row.id])).rows[0];
    expect(round.location).toBe(row.suspension.location);
    const dispute = (await db.query('SELECT state, "dueAt", "acceptedAt" FROM "Dispute" WHERE "sessionId" = $1', [row.id])).rows[0];
    expect(dispute.state).toBe("COORDINATING");
    // 24:00 China time of the 30th day after acceptance, past rest days (第五十二条; app/domain/periods.ts).
    expect(dispute.dueAt).toEqual(coordinationDueAt(dispute.acceptedAt));
    const page = await (await loginAs(server.url, "unionNegotiator")).get(`/sessions/${row.id}`);
    expect(page.text).toContain("杭州市总工会三楼会议室");
    expect(page.text).toContain("约定恢复协商时间");
  });
});

describe("proposing an amendment or a termination (第三十九条至第四十一条)", () => {
  const seriesOf = async (title: string) => (await db.query('SELECT "noticeId" FROM "NoticeVersion" WHERE "sessionId" = (SELECT id FROM "BargainingSession" WHERE title = $1)', [title])).rows[0].noticeId as string;
  const propose = async (fields: Record<string, string>) => {
    const negotiator = await loginAs(server.url, "unionNegotiator");
    const idOf = async (slug: string) => (await db.query('SELECT id FROM "Organization" WHERE slug = $1', [slug])).rows[0].id as string;
    const form = new URLSearchParams({ proposerOrganizationId: await idOf("hz-rider-union"), title: `变更 ${Date.now()}`, industry: "FOOD_DELIVERY", regionCode: "330100", representativesPerSide: "3", termMonths: "24", proposalText: "提出变更。", ...fields });
    form.append("topics[]", "pieceRate");
    for (const slug of ["hz-catering-association", "swift-eats", "lanshan-delivery"]) form.append("recipientOrganizationIds[]", await idOf(slug));
    form.append("observerOrganizationIds[]", await idOf("hz-hrss-bureau"));
    return negotiator.request("/sessions/new", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: form.toString() });
  };
  const count = async () => (await db.query('SELECT count(*)::int AS n FROM "BargainingSession"')).rows[0].n as number;

  it("refuses an amendment without its series, a termination without its ground, and a change of a series nothing is in force of, changing nothing", async () => {
    const before = await count();
    const noSeries = await propose({ purpose: "AMENDMENT" });
    expect(noSeries.status).toBe(400);
    expect(noSeries.text).toContain("须指明所涉及的协议");
    const inForce = await seriesOf(DEMO_IN_FORCE_TITLE);
    const noGround = await propose({ purpose: "TERMINATION", continuesNoticeId: inForce, terminationReason: "不再需要" });
    expect(noGround.status).toBe(400);
    expect(noGround.text).toContain("解除协商须写明依据");
    const badGround = await propose({ purpose: "TERMINATION", continuesNoticeId: inForce, terminationGround: "BECAUSE", terminationReason: "x" });
    expect(badGround.status).toBe(400);
    const ended = await seriesOf(DEMO_TERMINATED_TITLE);
    const notInForce = await propose({ purpose: "AMENDMENT", continuesNoticeId: ended });
    expect(notInForce.status).toBe(409);
    expect(notInForce.text).toContain("只能变更或解除现行有效的协议");
    expect(await count()).toBe(before);
  });

  it("offers the change from the agreement in force, presets the form, and starts the amendment's draft from the terms in force", async () => {
    const negotiator = await loginAs(server.url, "unionNegotiator");
    const amendmentSession = (await db.query('SELECT id FROM "BargainingSession" WHERE title = $1', [DEMO_AMENDMENT_TITLE])).rows[0].id as string;
    const series = await seriesOf(DEMO_IN_FORCE_TITLE);
    const agreementPage = await negotiator.get(`/sessions/${amendmentSession}/agreement`);
    expect(agreementPage.text).toContain(`/sessions/new?purpose=AMENDMENT&amp;continues=${series}`);
    expect(agreementPage.text).toContain(`/sessions/new?purpose=TERMINATION&amp;continues=${series}`);
    const form = await negotiator.get(`/sessions/new?purpose=AMENDMENT&continues=${series}`);
    expect(form.text).toMatch(/<option value="AMENDMENT" selected="">/);
    expect(form.text).toContain(`<option value="${series}" selected="">`);
    const proposed = await propose({ purpose: "AMENDMENT", continuesNoticeId: series });
    expect(proposed.status, proposed.text.slice(0, 300)).toBe(302);
    const sessionId = proposed.location!.split("/").pop()!;
    const row = (await db.query('SELECT purpose, "effectiveUntil", "continuesNoticeId" FROM "BargainingSession" WHERE id = $1', [sessionId])).rows[0];
    const inForceUntil = (await db.query('SELECT "effectiveUntil" FROM "NoticeVersion" WHERE "noticeId" = $1 ORDER BY version DESC LIMIT 1', [series])).rows[0].effectiveUntil as Date;
    expect(row).toMatchObject({ purpose: "AMENDMENT", continuesNoticeId: series });
    expect(row.effectiveUntil.getTime()).toBe(inForceUntil.getTime());
    const { loadDocument } = await import("../../app/models/document-store.server.ts");
    const { doc } = await loadDocument(sessionId);
    expect(readTerms(doc.getMap("terms").toJSON())!.pieceRateNightSurchargeFen).toBe(DEMO_AMENDED_NIGHT_SURCHARGE_FEN);
    expect(doc.getXmlFragment("body").toString()).toContain("第一条");
    doc.destroy();
  });
});
