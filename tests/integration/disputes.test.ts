/**
 * The disputes track (issue 20, item 7; docs/disputes.md) over HTTP against the real server and
 * PostgreSQL, read against 《集体合同规定》 (劳动和社会保障部令第22号): a bargaining dispute applied
 * for (第四十九条), accepted by the observing bureau, its participants recorded (第五十条),
 * extended by exactly 15 days and no more (第五十二条), concluded within its clock with a
 * 协调处理协议书 (第五十三条、第五十四条); a coordination that runs out notified once by the clock
 * sweep; a refusal and a missing answer referred by the worker side (第三十二条、第五十六条); a
 * performance dispute recorded with its arbitration reference (第五十五条); outsiders and the wrong
 * side refused; bad input answered with a localized message and nothing changed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDeadline } from "../../app/components/names.ts";
import { coordinationDueAt, extendedDueAt } from "../../app/domain/disputes.ts";
import pg from "pg";
import { TestBrowser, uniqueEmail } from "../support/browser.ts";
import { startTestServer } from "../support/server.ts";
import { expectStatus, ratifyAndSign, writeText } from "../support/agreement.ts";
import { loginAs, sessionInBargaining, VALID_TERMS, writeTerms } from "../support/sessions.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let db: pg.Client;
const DAY = 24 * 3600 * 1000;
const TRIPARTITE = {
  "role[]": ["LABOUR_BUREAU", "TRADE_UNION", "ENTERPRISE_ORGANIZATION", "OTHER"],
  "organization[]": ["杭州市人力资源和社会保障局", "杭州市总工会", "杭州市企业联合会", ""],
  "people[]": ["周海涛", "工会代表甲", "企联代表乙", ""],
};

beforeAll(async () => {
  server = await startTestServer();
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await server?.close();
});

/** A form with repeated fields (the participants' rows), as a browser posts it. */
function repeated(fields: Record<string, string | string[]>): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(name, item);
  return body.toString();
}
const postRows = (browser: TestBrowser, path: string, fields: Record<string, string | string[]>) =>
  browser.request(path, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: repeated(fields) });

const idOf = async (slug: string) => (await db.query('SELECT id FROM "Organization" WHERE slug = $1', [slug])).rows[0].id as string;
const userIdOf = async (email: string) => (await db.query('SELECT id FROM "User" WHERE email = $1', [email])).rows[0].id as string;
const disputesOf = async (sessionId: string) => (await db.query('SELECT * FROM "Dispute" WHERE "sessionId" = $1 ORDER BY "appliedAt"', [sessionId])).rows;
const auditTypes = async (sessionId: string) => (await db.query('SELECT type FROM "AuditEvent" WHERE "sessionId" = $1 ORDER BY seq', [sessionId])).rows.map((row) => row.type as string);
const notified = async (sessionId: string, type: string) => (await db.query('SELECT "userId" FROM "Notification" WHERE "sessionId" = $1 AND type = $2', [sessionId, type])).rows.map((row) => row.userId as string);
/** Everything a refused request must leave as it was. */
const digest = async (sessionId: string) =>
  JSON.stringify([
    await disputesOf(sessionId),
    (await db.query('SELECT count(*)::int AS n FROM "AuditEvent" WHERE "sessionId" = $1', [sessionId])).rows[0].n,
    (await db.query('SELECT count(*)::int AS n FROM "Notification" WHERE "sessionId" = $1', [sessionId])).rows[0].n,
  ]);
/** The text of the page's alert (form error or field error), or of the error page. */
const alertOf = (text: string) => /role="alert"[^>]*>([\s\S]*?)<\/(p|ul)>/.exec(text)?.[1] ?? /<main[^>]*class="error-page"[^>]*>([\s\S]*?)<\/main>/.exec(text)?.[1] ?? "";

/** A proposal of the union to the association, observed by the bureau unless `observed` is false. */
async function proposal(observed = true): Promise<{ sessionId: string; union: TestBrowser; association: TestBrowser }> {
  const union = await loginAs(server.url, "unionNegotiator");
  const form: Record<string, string> = {
    proposerOrganizationId: await idOf("hz-rider-union"),
    title: `拒绝测试 ${Date.now()}`,
    industry: "FOOD_DELIVERY",
    regionCode: "330100",
    "topics[]": "pieceRate",
    "recipientOrganizationIds[]": await idOf("hz-catering-association"),
    representativesPerSide: "3",
    termMonths: "24",
    proposalText: "就计件单价开展协商。",
  };
  if (observed) form["observerOrganizationIds[]"] = await idOf("hz-hrss-bureau");
  const proposed = await expectStatus(await union.post("/sessions/new", form), 302, "proposal");
  return { sessionId: proposed.location!.split("/").pop()!, union, association: await loginAs(server.url, "associationRepresentative") };
}

describe("a bargaining dispute coordinated by the bureau within its clock (第四十九条至第五十四条)", () => {
  let sessionId: string;
  let workerChief: TestBrowser;
  let employerChief: TestBrowser;
  let reviewer: TestBrowser;
  let disputeId: string;
  const page = () => `/sessions/${sessionId}/disputes`;

  beforeAll(async () => {
    sessionId = await sessionInBargaining(server.url, db, `争议协调 ${Date.now()}`);
    workerChief = await loginAs(server.url, "unionNegotiator");
    employerChief = await loginAs(server.url, "associationRepresentative");
    reviewer = await loginAs(server.url, "bureauReviewer");
  });

  it("offers the tab and the application to the sides; the worker side applies in writing; the bureau and the other side are told", async () => {
    const overview = await expectStatus(await workerChief.get(`/sessions/${sessionId}`), 200, "overview");
    expect(overview.text).toContain(`href="/sessions/${sessionId}/disputes"`);
    const before = await expectStatus(await workerChief.get(page()), 200, "disputes page");
    expect(before.text).toContain('name="intent" value="apply"');
    expect(before.text).not.toContain('name="intent" value="referPerformance"');
    // The bureau coordinates; it does not apply.
    expect((await reviewer.get(page())).text).not.toContain('name="intent" value="apply"');

    await expectStatus(await workerChief.post(page(), { intent: "apply", side: "WORKER", statement: "双方就计件单价分歧较大，多轮协商不能解决，申请协调处理。" }), 302, "apply");
    const [dispute] = await disputesOf(sessionId);
    disputeId = dispute.id;
    expect(dispute).toMatchObject({ kind: "BARGAINING", state: "APPLIED", applicantSide: "WORKER", bureauOrganizationId: await idOf("hz-hrss-bureau"), dueAt: null });
    expect((await auditTypes(sessionId)).at(-1)).toBe("dispute.applied");
    const told = await notified(sessionId, "dispute.applied");
    expect(told).toContain(await userIdOf("reviewer@bureau.demo"));
    expect(told).toContain(await userIdOf("rep@association.demo"));
    expect(told, "not the applicant themself").not.toContain(await userIdOf("negotiator@union.demo"));
    expect((await reviewer.get("/notifications")).text).toContain("职工方已书面申请人社部门协调处理协商争议");
    // One open application per side at a time.
    const again = await workerChief.post(page(), { intent: "apply", side: "WORKER", statement: "再次申请" });
    expect(again.status).toBe(409);
    expect(alertOf(again.text)).toContain("你方已有一项正在处理的协调处理申请");
  });

  it("refuses the other side, the applicant and outsiders the bureau's steps, and the other side the applicant's withdrawal", async () => {
    const before = await digest(sessionId);
    for (const [browser, intent] of [[employerChief, "accept"], [workerChief, "accept"], [employerChief, "withdraw"]] as const) {
      const refused = await browser.post(page(), { intent, disputeId });
      expect(refused.status, intent).toBe(403);
      expect(alertOf(refused.text)).toMatch(/[\u4e00-\u9fff]/);
    }
    // The employer side cannot apply in the worker side's name.
    expect((await employerChief.post(page(), { intent: "apply", side: "WORKER", statement: "冒名申请" })).status).toBe(403);
    const outsider = new TestBrowser(server.url);
    await outsider.signup({ email: uniqueEmail("outsider") });
    expect((await outsider.get(page())).status).toBe(404);
    expect((await outsider.post(page(), { intent: "accept", disputeId })).status).toBe(404);
    expect(await digest(sessionId)).toBe(before);
  });

  it("the bureau accepts: coordination is due 30 days later, shown in China Standard Time", async () => {
    expect((await reviewer.get(page())).text).toContain('name="intent" value="accept"');
    await expectStatus(await reviewer.post(page(), { intent: "accept", disputeId }), 302, "accept");
    const [dispute] = await disputesOf(sessionId);
    expect(dispute.state).toBe("COORDINATING");
    expect(dispute.acceptedById).toBe(await userIdOf("reviewer@bureau.demo"));
    // 24:00 China time of the 30th day after acceptance, past rest days (app/domain/periods.ts).
    expect(dispute.dueAt).toEqual(coordinationDueAt(dispute.acceptedAt));
    expect(dispute.dueAt.getTime() - dispute.acceptedAt.getTime()).toBeGreaterThanOrEqual(30 * DAY);
    const shown = await workerChief.get(page());
    // The last day at 24:00 China time (《民法典》第二百零三条), as the page writes it.
    expect(shown.text).toContain(formatDeadline(dispute.dueAt, "zh-CN"));
    expect(formatDeadline(dispute.dueAt, "zh-CN")).toMatch(/ 24:00$/);
    expect(shown.text).toContain("北京时间");
    expect(await notified(sessionId, "dispute.accepted")).toContain(await userIdOf("negotiator@union.demo"));
  });

  it("conclusion waits for the union and the enterprise organization (第五十条), which the bureau records", async () => {
    const before = await digest(sessionId);
    const early = await reviewer.post(page(), { intent: "conclude", disputeId, settlementText: "协调结果" });
    expect(early.status).toBe(400);
    expect(alertOf(early.text)).toContain("第五十条");
    expect(await digest(sessionId)).toBe(before);
    await expectStatus(await postRows(reviewer, page(), { intent: "recordParticipants", disputeId, ...TRIPARTITE }), 302, "participants");
    const [dispute] = await disputesOf(sessionId);
    expect(dispute.participants).toEqual([
      { role: "LABOUR_BUREAU", organization: "杭州市人力资源和社会保障局", people: "周海涛" },
      { role: "TRADE_UNION", organization: "杭州市总工会", people: "工会代表甲" },
      { role: "ENTERPRISE_ORGANIZATION", organization: "杭州市企业联合会", people: "企联代表乙" },
    ]);
    expect((await workerChief.get(page())).text).toContain("杭州市企业联合会");
  });

  it("extends by 15 days and no more, once (第五十二条: 延长期限不得超过15日)", async () => {
    const before = await digest(sessionId);
    const tooLong = await reviewer.post(page(), { intent: "extend", disputeId, days: "16", reason: "争议复杂" });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain("不能大于 15");
    expect(await digest(sessionId)).toBe(before);
    // The applicant side cannot extend the bureau's period.
    expect((await workerChief.post(page(), { intent: "extend", disputeId, days: "15", reason: "我方要求" })).status).toBe(403);

    const { dueAt: due30 } = (await disputesOf(sessionId))[0];
    await expectStatus(await reviewer.post(page(), { intent: "extend", disputeId, days: "15", reason: "需进一步调查平台订单数据" }), 302, "extend");
    const [extended] = await disputesOf(sessionId);
    expect(extended.extensionDays).toBe(15);
    expect(extended.dueAt).toEqual(extendedDueAt(due30, 15));
    expect(extended.dueAt.getTime() - due30.getTime()).toBeGreaterThanOrEqual(15 * DAY);
    const again = await reviewer.post(page(), { intent: "extend", disputeId, days: "1", reason: "再延" });
    expect(again.status).toBe(409);
    expect(alertOf(again.text)).toContain("已延长过一次");
  });

  it("concludes within its clock with the 协调处理协议书, in the session's audit chain", async () => {
    const settlement = "协调处理申请：职工方 2026 年申请协调计件单价争议。\n争议的事实：双方对基础单价相差 0.8 元。\n协调结果：基础单价按 6.5 元执行。\n继续协商事项：恶劣天气补贴。";
    await expectStatus(await reviewer.post(page(), { intent: "conclude", disputeId, settlementText: settlement }), 302, "conclude");
    const [dispute] = await disputesOf(sessionId);
    expect(dispute).toMatchObject({ state: "CONCLUDED", settlementText: settlement, concludedById: await userIdOf("reviewer@bureau.demo") });
    expect(dispute.concludedAt.getTime()).toBeLessThan(dispute.dueAt.getTime());
    const shown = await employerChief.get(page());
    expect(shown.text).toContain("协调处理协议书");
    expect(shown.text).toContain("基础单价按 6.5 元执行");
    expect(shown.text).not.toContain('name="intent" value="withdraw"');
    expect((await auditTypes(sessionId)).filter((type) => type.startsWith("dispute."))).toEqual(["dispute.applied", "dispute.accepted", "dispute.participantsRecorded", "dispute.extended", "dispute.concluded"]);
    const overview = await workerChief.get(`/sessions/${sessionId}`);
    expect(overview.text).toMatch(/class="notice" role="status" data-testid="audit-verdict"/);
    // Nothing more to do once concluded.
    expect((await reviewer.post(page(), { intent: "withdraw", disputeId })).status).toBe(403);
    expect((await workerChief.post(page(), { intent: "withdraw", disputeId })).status).toBe(409);
  });

  it("a coordination that runs out is notified once by the clock sweep; it can no longer be extended", async () => {
    await expectStatus(await employerChief.post(page(), { intent: "apply", side: "EMPLOYER", statement: "对工作时间条款有争议。" }), 302, "employer applies");
    const id = (await disputesOf(sessionId)).find((row) => row.applicantSide === "EMPLOYER")!.id as string;
    await expectStatus(await reviewer.post(page(), { intent: "accept", disputeId: id }), 302, "accept");
    const accepted = (await disputesOf(sessionId)).find((row) => row.id === id)!;
    const overdueNotices = async () => (await db.query(`SELECT "userId", payload FROM "Notification" WHERE "sessionId" = $1 AND type = 'dispute.overdue'`, [sessionId])).rows;

    await server.sweep(new Date(accepted.dueAt.getTime() - 1000));
    expect(await overdueNotices()).toHaveLength(0);
    await server.sweep(new Date(accepted.dueAt.getTime() + 60_000));
    const first = await overdueNotices();
    const recipients = first.map((row) => row.userId);
    for (const email of ["reviewer@bureau.demo", "negotiator@union.demo", "rep@association.demo"]) expect(recipients, email).toContain(await userIdOf(email));
    expect(first[0].payload.href).toBe(`/sessions/${sessionId}/disputes`);
    const marked = (await disputesOf(sessionId)).find((row) => row.id === id)!;
    expect(marked.overdueNotifiedAt).not.toBeNull();
    expect((await auditTypes(sessionId)).filter((type) => type === "dispute.overdue")).toHaveLength(1);
    // Swept again, later: nothing is sent twice.
    await server.sweep(new Date(accepted.dueAt.getTime() + 2 * DAY));
    expect(await overdueNotices()).toHaveLength(first.length);
    expect((await auditTypes(sessionId)).filter((type) => type === "dispute.overdue")).toHaveLength(1);
    expect((await reviewer.get("/notifications")).text).toContain("协调处理已超过期限");

    // Past its due moment (moved into the past here: requests run on the real clock), the
    // period cannot be extended any more; the page says it is overdue.
    await db.query(`UPDATE "Dispute" SET "dueAt" = now() - interval '1 minute' WHERE id = $1`, [id]);
    const late = await reviewer.post(page(), { intent: "extend", disputeId: id, days: "5", reason: "延期" });
    expect(late.status).toBe(409);
    expect(alertOf(late.text)).toContain("期限已届满");
    expect((await reviewer.get(page())).text).toContain("已超过协调处理期限");
    // The applicant side may still withdraw it.
    await expectStatus(await employerChief.post(page(), { intent: "withdraw", disputeId: id }), 302, "withdraw");
    expect((await disputesOf(sessionId)).find((row) => row.id === id)!.state).toBe("WITHDRAWN");
  });

  it("answers bad input with a localized message and changes nothing", async () => {
    const before = await digest(sessionId);
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ intent: "apply", side: "WORKER", statement: "长".repeat(4001) }, 400, "最多 4000 个字符"],
      // Huge: refused at the door, before any parsing (FORM_BODY_LIMIT, decision 037).
      [{ intent: "apply", side: "WORKER", statement: "长".repeat(200_000) }, 413, "超过本站接受的大小"],
      [{ intent: "apply", side: "BOTH", statement: "x" }, 400, "请从列表中选择"],
      [{ intent: "apply", side: "WORKER", statement: "   " }, 400, "此项必填"],
      [{ intent: "extend", disputeId, days: "abc", reason: "x" }, 400, "请输入整数"],
      [{ intent: "extend", disputeId: "../../etc", days: "5", reason: "x" }, 400, "标识格式不正确"],
      [{ intent: "arbitrate" }, 400, "请从列表中选择"],
      [{ intent: "conclude", disputeId: "noSuchDispute1", settlementText: "x" }, 404, "找不到"],
      [{ intent: "referPerformance", side: "WORKER", statement: "x", referredTo: "仲裁委" }, 409, "当前程序阶段不能提出这类争议"],
    ];
    for (const [form, status, message] of cases) {
      const answer = await workerChief.post(page(), form);
      expect(answer.status, JSON.stringify(form).slice(0, 80)).toBe(status);
      expect(answer.text).toContain(message);
    }
    // A list where one value is expected (two statements), and an English speaker's message.
    const twice = await workerChief.request(page(), { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "intent=apply&side=WORKER&statement=a&statement=b" });
    expect(twice.status).toBe(400);
    const english = await loginAs(server.url, "unionNegotiator");
    english.acceptLanguage = "en";
    const tooLong = await english.post(page(), { intent: "apply", side: "WORKER", statement: "x".repeat(4001) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain("At most 4000 characters");
    expect(await digest(sessionId)).toBe(before);
  });
});

describe("a refusal or a missing answer, referred by the worker side (第三十二条、第五十六条)", () => {
  it("a declined proposal: the session page points the worker side to the referral; the bureau sees it", async () => {
    const { sessionId, union, association } = await proposal();
    await expectStatus(await association.post(`/sessions/${sessionId}`, { intent: "decline", reasons: "目前不宜开展协商" }), 302, "decline");
    expect((await db.query('SELECT state FROM "BargainingSession" WHERE id = $1', [sessionId])).rows[0].state).toBe("DECLINED");

    const overview = await union.get(`/sessions/${sessionId}`);
    expect(overview.text).toContain('data-testid="refusal-pointer"');
    expect(overview.text).toContain(`href="/sessions/${sessionId}/disputes"`);
    expect((await association.get(`/sessions/${sessionId}`)).text).not.toContain('data-testid="refusal-pointer"');
    const form = await union.get(`/sessions/${sessionId}/disputes`);
    expect(form.text).toContain('name="intent" value="referRefusal"');
    expect(form.text).toContain("第五十六条");

    // Only the worker side refers it.
    expect((await association.post(`/sessions/${sessionId}/disputes`, { intent: "referRefusal", statement: "x" })).status).toBe(403);
    await expectStatus(await union.post(`/sessions/${sessionId}/disputes`, { intent: "referRefusal", statement: "协会以“目前不宜”为由拒绝协商，无正当理由。" }), 302, "refer");
    const [dispute] = await disputesOf(sessionId);
    const bureauName = (await db.query(`SELECT name FROM "Organization" WHERE slug = 'hz-hrss-bureau'`)).rows[0].name as string;
    expect(dispute).toMatchObject({ kind: "REFUSAL", state: "REFERRED", applicantSide: "WORKER", referredTo: bureauName, bureauOrganizationId: await idOf("hz-hrss-bureau") });
    expect((await auditTypes(sessionId)).at(-1)).toBe("dispute.referred");
    expect(await notified(sessionId, "dispute.referred")).toContain(await userIdOf("reviewer@bureau.demo"));

    const reviewer = await loginAs(server.url, "bureauReviewer");
    const seen = await expectStatus(await reviewer.get(`/sessions/${sessionId}/disputes`), 200, "the bureau's view");
    expect(seen.text).toContain("无正当理由");
    expect(seen.text).toContain("拒绝协商");
    // One referral per session; the form is gone.
    const again = await union.post(`/sessions/${sessionId}/disputes`, { intent: "referRefusal", statement: "再次" });
    expect(again.status).toBe(409);
    expect((await union.get(`/sessions/${sessionId}/disputes`)).text).not.toContain('name="intent" value="referRefusal"');
  });

  it("no answer: refused before the 20 days are over, referred after", async () => {
    const { sessionId, union } = await proposal();
    const early = await union.post(`/sessions/${sessionId}/disputes`, { intent: "referRefusal", statement: "对方未回应" });
    expect(early.status).toBe(409);
    expect(alertOf(early.text)).toContain("尚未届满");
    expect((await union.get(`/sessions/${sessionId}`)).text).not.toContain('data-testid="refusal-pointer"');
    // The proposal was sent 35 days ago (requests run on the real clock): whatever rest days the 20
    // days end on (a move past a holiday is at most 9 days), they are over.
    await db.query(`UPDATE "BargainingSession" SET "proposedAt" = now() - interval '35 days' WHERE id = $1`, [sessionId]);
    expect((await union.get(`/sessions/${sessionId}`)).text).toContain('data-testid="refusal-pointer"');
    await expectStatus(await union.post(`/sessions/${sessionId}/disputes`, { intent: "referRefusal", statement: "对方收到要约后 20 日内未书面回应。" }), 302, "refer");
    expect((await disputesOf(sessionId))[0]).toMatchObject({ kind: "NO_ANSWER", state: "REFERRED" });
  });

  it("without an observing bureau, it is refused clearly", async () => {
    const { sessionId, union, association } = await proposal(false);
    await expectStatus(await association.post(`/sessions/${sessionId}`, { intent: "decline", reasons: "不协商" }), 302, "decline");
    const before = await digest(sessionId);
    const refused = await union.post(`/sessions/${sessionId}/disputes`, { intent: "referRefusal", statement: "拒绝协商" });
    expect(refused.status).toBe(409);
    expect(alertOf(refused.text)).toContain("没有列席的人社部门");
    expect(await digest(sessionId)).toBe(before);
    expect((await union.get(`/sessions/${sessionId}/disputes`)).text).toContain("没有列席的人社部门");
  });
});

describe("a performance dispute, recorded with its arbitration reference (第五十五条)", () => {
  it("after signing, either side records it; no bargaining dispute any more", async () => {
    const sessionId = await sessionInBargaining(server.url, db, `履行争议 ${Date.now()}`);
    await writeTerms(server.url, sessionId, VALID_TERMS);
    await writeText(server.url, sessionId, ["第一条 计件单价按条款执行。"]);
    const workerChief = await loginAs(server.url, "unionNegotiator");
    const employerChief = await loginAs(server.url, "associationRepresentative");
    for (const chief of [workerChief, employerChief]) await expectStatus(await chief.post(`/sessions/${sessionId}`, { intent: "agree", kind: "DRAFT" }), 302, "agree the draft");
    await ratifyAndSign(server.url, db, sessionId);
    expect((await db.query('SELECT state FROM "BargainingSession" WHERE id = $1', [sessionId])).rows[0].state).toBe("SIGNED");

    const page = `/sessions/${sessionId}/disputes`;
    const form = await workerChief.get(page);
    expect(form.text).toContain('name="intent" value="referPerformance"');
    expect(form.text).not.toContain('name="intent" value="apply"');
    const applied = await workerChief.post(page, { intent: "apply", side: "WORKER", statement: "协商争议" });
    expect(applied.status).toBe(409);

    await expectStatus(
      await workerChief.post(page, { intent: "referPerformance", side: "WORKER", statement: "平台未按协议执行恶劣天气补贴。", referredTo: "杭州市劳动人事争议仲裁委员会", referenceNumber: "杭劳人仲案字〔2026〕第 128 号" }),
      302,
      "record",
    );
    const [dispute] = await disputesOf(sessionId);
    expect(dispute).toMatchObject({ kind: "PERFORMANCE", state: "REFERRED", applicantSide: "WORKER", referredTo: "杭州市劳动人事争议仲裁委员会", referenceNumber: "杭劳人仲案字〔2026〕第 128 号" });
    expect((await auditTypes(sessionId)).at(-1)).toBe("dispute.referred");
    const shown = await employerChief.get(page);
    expect(shown.text).toContain("杭劳人仲案字〔2026〕第 128 号");
    // Recorded, not arbitrated: the bureau has no step to take on it.
    const reviewer = await loginAs(server.url, "bureauReviewer");
    expect((await reviewer.get(page)).text).not.toContain('name="intent" value="accept"');
    expect((await reviewer.post(page, { intent: "accept", disputeId: dispute.id })).status).toBe(409);
  });
});
