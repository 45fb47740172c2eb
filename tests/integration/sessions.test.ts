/**
 * Bargaining sessions against the real server and database: the procedure end to end, the
 * append-only audit table, caucus privacy and outsiders learning nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerDueAt, reviewEndsAt } from "../../app/domain/procedure.ts";
import pg from "pg";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { TestBrowser, uniqueEmail } from "../support/browser.ts";
import { startTestServer } from "../support/server.ts";
import { chinaMinute, writeTerms } from "../support/sessions.ts";
import { ratify, ratifyAndSign } from "../support/agreement.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let db: pg.Client;

const account = (roleKey: string, index = 0) => DEMO_ACCOUNTS.filter((candidate) => candidate.roleKey === roleKey)[index]!;

beforeAll(async () => {
  server = await startTestServer();
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await server?.close();
});

async function as(roleKey: string, index = 0) {
  const browser = new TestBrowser(server.url);
  await browser.login(account(roleKey, index).email, DEMO_PASSWORD);
  return browser;
}

async function orgId(slug: string): Promise<string> {
  return (await db.query('SELECT id FROM "Organization" WHERE slug = $1', [slug])).rows[0].id;
}

async function userId(email: string): Promise<string> {
  return (await db.query('SELECT id FROM "User" WHERE email = $1', [email])).rows[0].id;
}

async function propose(browser: TestBrowser, title = `外卖骑手计件单价集体协商 ${Date.now()}`) {
  const form = new URLSearchParams();
  form.append("proposerOrganizationId", await orgId("hz-rider-union"));
  form.append("title", title);
  form.append("industry", "FOOD_DELIVERY");
  form.append("regionCode", "330100");
  for (const topic of ["pieceRate", "workTime", "algorithm"]) form.append("topics[]", topic);
  for (const slug of ["hz-catering-association", "swift-eats", "lanshan-delivery"]) form.append("recipientOrganizationIds[]", await orgId(slug));
  for (const slug of ["swift-eats", "lanshan-delivery"]) form.append("coveredOrganizationIds[]", await orgId(slug));
  form.append("observerOrganizationIds[]", await orgId("hz-hrss-bureau"));
  form.append("representativesPerSide", "3");
  form.append("termMonths", "24");
  form.append("proposalText", "就外卖配送计件单价、工作时间和派单算法开展行业集体协商。");
  const page = await browser.request("/sessions/new", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: form.toString() });
  expect(page.status, page.text.slice(0, 500)).toBe(302);
  return page.location!.split("/").pop()!;
}

async function state(sessionId: string): Promise<string> {
  return (await db.query('SELECT state FROM "BargainingSession" WHERE id = $1', [sessionId])).rows[0].state;
}

async function act(browser: TestBrowser, sessionId: string, form: Record<string, string>, expected = 302) {
  const page = await browser.post(`/sessions/${sessionId}`, form);
  expect(page.status, page.text.slice(0, 800)).toBe(expected);
  return page;
}

/** The recorder nominated by one side and not yet confirmed by the other. */
async function pendingRecorder(sessionId: string): Promise<string> {
  const { rows } = await db.query(`SELECT id FROM "Seat" WHERE "sessionId" = $1 AND kind = 'RECORDER' AND "endedAt" IS NULL AND "confirmedAt" IS NULL`, [sessionId]);
  return rows[0].id as string;
}

/** Accept, name 3 + 3 representatives with chiefs and a recorder, start bargaining. */
async function toBargaining(sessionId: string) {
  const association = await as("associationRepresentative");
  await act(association, sessionId, { intent: "accept" });
  for (const index of [0, 1]) await act(await as("platformRepresentative", index), sessionId, { intent: "accept" });
  const unionAdmin = await as("unionAdmin");
  await act(unionAdmin, sessionId, { intent: "appointSeat", kind: "REPRESENTATIVE", side: "WORKER", email: account("unionNegotiator").email, isChief: "on" });
  await act(unionAdmin, sessionId, { intent: "appointSeat", kind: "REPRESENTATIVE", side: "WORKER", email: account("unionAdmin").email });
  await act(unionAdmin, sessionId, { intent: "appointSeat", kind: "REPRESENTATIVE", side: "WORKER", email: account("workerRepresentative").email });
  await act(association, sessionId, { intent: "appointSeat", kind: "REPRESENTATIVE", side: "EMPLOYER", email: account("associationRepresentative").email, isChief: "on" });
  await act(association, sessionId, { intent: "appointSeat", kind: "REPRESENTATIVE", side: "EMPLOYER", email: account("platformRepresentative", 0).email });
  await act(association, sessionId, { intent: "appointSeat", kind: "REPRESENTATIVE", side: "EMPLOYER", email: account("platformRepresentative", 1).email });
  await act(unionAdmin, sessionId, { intent: "appointSeat", kind: "RECORDER", email: account("recorder").email });
  // The recorder is named by both sides (《集体合同规定》第三十三条（五））: the employer side confirms.
  await act(association, sessionId, { intent: "confirmRecorder", seatId: await pendingRecorder(sessionId) });
  const workerChief = await as("unionNegotiator");
  await act(workerChief, sessionId, { intent: "startBargaining" });
  expect(await state(sessionId)).toBe("BARGAINING");
  return { association, unionAdmin, workerChief };
}

describe("the procedure over HTTP", () => {
  it("runs from proposal to a round whose minutes both chiefs sign, with an intact audit chain", async () => {
    const negotiator = await as("unionNegotiator");
    const sessionId = await propose(negotiator);
    expect(await state(sessionId)).toBe("PROPOSED");

    // The recipients are notified and see it as needing their answer.
    const association = await as("associationRepresentative");
    const dashboard = await association.get("/sessions");
    expect(dashboard.text).toContain("回应要约");
    // E-mail addresses of other people are not handed to a reviewer or a plain member.
    const reviewerView = await (await as("bureauReviewer")).get(`/sessions/${sessionId}`);
    expect(reviewerView.text).not.toContain(account("associationRepresentative").email);
    expect((await association.get("/notifications")).text).toContain("收到协商要约");

    // The proposer cannot answer its own proposal.
    const refused = await negotiator.post(`/sessions/${sessionId}`, { intent: "accept" });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("你在本次协商中的身份不能进行此操作");

    // Starting before the delegations are complete is refused with the reason.
    // Each named organization answers for itself (issue 18): the association's acceptance is not
    // the platforms'; the session is accepted when the last of them has accepted.
    await act(association, sessionId, { intent: "accept" });
    expect(await state(sessionId)).toBe("PROPOSED");
    expect((await association.post(`/sessions/${sessionId}`, { intent: "accept" })).status).toBe(409);
    await act(await as("platformRepresentative", 0), sessionId, { intent: "accept" });
    expect(await state(sessionId)).toBe("PROPOSED");
    await act(await as("platformRepresentative", 1), sessionId, { intent: "accept" });
    expect(await state(sessionId)).toBe("ACCEPTED");
    const consents = (await db.query(`SELECT o.slug, p.consent FROM "SessionParty" p JOIN "Organization" o ON o.id = p."organizationId" WHERE p."sessionId" = $1 AND p.role <> 'OBSERVER' ORDER BY o.slug`, [sessionId])).rows;
    expect(consents.every((row) => row.consent === "ACCEPTED"), JSON.stringify(consents)).toBe(true);
    const early = await negotiator.post(`/sessions/${sessionId}`, { intent: "startBargaining" });
    expect(early.status).toBe(403); // not yet a chief
    const unionAdmin = await as("unionAdmin");
    await act(unionAdmin, sessionId, { intent: "appointSeat", kind: "REPRESENTATIVE", side: "WORKER", email: account("unionNegotiator").email, isChief: "on" });
    const incomplete = await negotiator.post(`/sessions/${sessionId}`, { intent: "startBargaining" });
    expect(incomplete.status).toBe(409);
    expect(incomplete.text).toContain("双方协商代表尚未确定");
    expect(await state(sessionId)).toBe("ACCEPTED");
    // A platform negotiator may not name representatives for the worker side.
    const platform = await as("platformRepresentative");
    const wrongSide = await platform.post(`/sessions/${sessionId}`, { intent: "appointSeat", kind: "REPRESENTATIVE", side: "WORKER", email: account("workerRepresentative").email });
    expect(wrongSide.status).toBe(403);
    // A representative's seat names its side: without one, the membership check would be skipped
    // and an outsider would get into the session (issue 15).
    const outsider = new TestBrowser(server.url);
    const outsiderEmail = uniqueEmail("outsider");
    await outsider.signup({ email: outsiderEmail });
    const sideless = await unionAdmin.post(`/sessions/${sessionId}`, { intent: "appointSeat", kind: "REPRESENTATIVE", email: outsiderEmail });
    expect(sideless.status).toBe(400);
    expect(sideless.text).toContain("协商代表席位须注明所属一方");
    expect((await db.query('SELECT count(*)::int AS n FROM "Seat" s JOIN "User" u ON u.id = s."userId" WHERE s."sessionId" = $1 AND u.email = $2', [sessionId, outsiderEmail])).rows[0].n).toBe(0);
    expect((await outsider.get(`/sessions/${sessionId}`)).status).toBe(404);
    // The recipients' negotiators and the bureau were notified; plain union members were not.
    const notified = (await db.query(`SELECT "userId" FROM "Notification" WHERE "sessionId" = $1 AND type = 'session.proposed'`, [sessionId])).rows.map((row) => row.userId);
    expect(notified).toContain(await userId(account("platformRepresentative").email));
    // The observing bureau is told it observes, never asked to answer the proposal (issue 15).
    expect(notified).not.toContain(await userId(account("bureauReviewer").email));
    const observing = (await db.query(`SELECT "userId" FROM "Notification" WHERE "sessionId" = $1 AND type = 'session.observing'`, [sessionId])).rows.map((row) => row.userId);
    expect(observing).toContain(await userId(account("bureauReviewer").email));
    const bureauInbox = (await (await as("bureauReviewer")).get("/notifications")).text;
    expect(bureauInbox).toContain("已将贵单位列为观察方");
    expect(bureauInbox).not.toContain("书面回应");
    expect(notified).not.toContain(await userId(account("workerRepresentative").email));

    const sessionId2 = await propose(negotiator);
    const { workerChief } = await toBargaining(sessionId2);

    // A meeting cannot be scheduled in the past: refused beside the field, in either language, nothing stored.
    const past = await act(workerChief, sessionId2, { intent: "scheduleRound", scheduledAt: "2020-03-01T09:00", location: "会议室", agenda: "议程" }, 400);
    expect(past.text).toContain("会议时间已过，请安排在当前时间之后。");
    expect(past.text).toContain('value="2020-03-01T09:00"');
    // The summary at the top says what and links to the field (issue 24), not just "1 problem".
    expect(past.text).toMatch(/data-testid="error-summary"[\s\S]*?<a href="#f-scheduleRound-scheduledAt">会议时间已过，请安排在当前时间之后。<\/a>/);
    workerChief.acceptLanguage = "en";
    const pastEn = await act(workerChief, sessionId2, { intent: "scheduleRound", scheduledAt: chinaMinute(-5), location: "Room", agenda: "Agenda" }, 400);
    workerChief.acceptLanguage = "zh-CN";
    expect(pastEn.text).toContain("That time has passed. Schedule the meeting for a time after now.");
    expect((await db.query('SELECT count(*)::int AS n FROM "Round" WHERE "sessionId" = $1', [sessionId2])).rows[0].n).toBe(0);

    const schedule = await act(workerChief, sessionId2, { intent: "scheduleRound", scheduledAt: chinaMinute(), location: "杭州市总工会 3 楼会议室", agenda: "计件单价与恶劣天气补贴" });
    expect(schedule.location).toContain("notice=roundScheduled");
    const round = (await db.query('SELECT id, number, "chairSide" FROM "Round" WHERE "sessionId" = $1', [sessionId2])).rows[0];
    expect(round).toMatchObject({ number: 1, chairSide: "WORKER" });

    // Only the recorder writes the minutes.
    const minutes = "双方就计件单价交换意见；企业方将在下次会议前提交测算数据。";
    const byChief = await workerChief.post(`/sessions/${sessionId2}`, { intent: "recordRound", roundId: round.id, minutes, "attendeeIds[]": await userId(account("unionNegotiator").email) });
    expect(byChief.status).toBe(403);
    const recorder = await as("recorder");
    const recordForm = new URLSearchParams({ intent: "recordRound", roundId: round.id, minutes });
    for (const roleKey of ["unionNegotiator", "associationRepresentative", "recorder"]) recordForm.append("attendeeIds[]", await userId(account(roleKey).email));
    const recorded = await recorder.request(`/sessions/${sessionId2}`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: recordForm.toString() });
    expect(recorded.status).toBe(302);

    const hash = (await db.query('SELECT "minutesHash" FROM "Round" WHERE id = $1', [round.id])).rows[0].minutesHash;

    // A meeting a week ahead has no minutes yet: the form is not offered, and a forged post is refused without marking it held.
    await act(workerChief, sessionId2, { intent: "scheduleRound", scheduledAt: chinaMinute(7 * 24 * 60), location: "线上会议", agenda: "第二次会议" });
    const ahead = (await db.query('SELECT id FROM "Round" WHERE "sessionId" = $1 AND number = 2', [sessionId2])).rows[0].id as string;
    const recorderPage = await recorder.get(`/sessions/${sessionId2}`);
    expect(recorderPage.text).toContain("会议开始（");
    expect(recorderPage.text).not.toContain(`id="minutes-${ahead}"`);
    const beforeStart = await recorder.post(`/sessions/${sessionId2}`, { intent: "recordRound", roundId: ahead, minutes: "提前写好的记录" });
    expect(beforeStart.status).toBe(409);
    expect(beforeStart.text).toContain("会议尚未到安排的开始时间，开始后才能记录会议内容。");
    recorder.acceptLanguage = "en";
    const earlyEn = await recorder.post(`/sessions/${sessionId2}`, { intent: "recordRound", roundId: ahead, minutes: "Written ahead" });
    recorder.acceptLanguage = "zh-CN";
    expect(earlyEn.text).toContain("The meeting has not reached its scheduled start.");
    expect((await db.query('SELECT status, minutes FROM "Round" WHERE id = $1', [ahead])).rows[0]).toEqual({ status: "SCHEDULED", minutes: null });
    expect((await db.query(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE "sessionId" = $1 AND type = 'round.held'`, [sessionId2])).rows[0].n).toBe(1);
    // A member who is not a chief cannot sign; each chief signs once.
    const member = await as("workerRepresentative");
    expect((await member.post(`/sessions/${sessionId2}`, { intent: "signMinutes", roundId: round.id, minutesHash: hash })).status).toBe(403);
    await act(workerChief, sessionId2, { intent: "signMinutes", roundId: round.id, minutesHash: hash });
    expect((await workerChief.post(`/sessions/${sessionId2}`, { intent: "signMinutes", roundId: round.id, minutesHash: hash })).status).toBe(409);
    await act(association, sessionId2, { intent: "signMinutes", roundId: round.id, minutesHash: hash });
    const signatures = (await db.query('SELECT side, "contentHash" FROM "MinutesSignature" WHERE "roundId" = $1 ORDER BY side::text', [round.id])).rows;
    expect(signatures).toEqual([
      { side: "EMPLOYER", contentHash: hash },
      { side: "WORKER", contentHash: hash },
    ]);
    // Signed minutes can no longer be rewritten.
    const rewrite = await recorder.post(`/sessions/${sessionId2}`, { intent: "recordRound", roundId: round.id, minutes: "改写" });
    expect(rewrite.status).toBe(409);

    const page = await workerChief.get(`/sessions/${sessionId2}`);
    expect(page.text).toContain("操作留痕记录完整");
    const types = (await db.query('SELECT type FROM "AuditEvent" WHERE "sessionId" = $1 ORDER BY seq', [sessionId2])).rows.map((row) => row.type);
    expect(types).toEqual([
      "session.proposed",
      // Each of the three invited organizations answers for itself; the last acceptance moves the step.
      "party.answered",
      "party.answered",
      "party.answered",
      "session.transition",
      ...Array(7).fill("seat.appointed"),
      "seat.confirmed",
      "session.transition",
      "round.scheduled",
      "round.held",
      "minutes.written",
      // The second round, a week ahead, whose minutes were refused.
      "round.scheduled",
      "minutes.signed",
      "minutes.signed",
    ]);
    const audit = (await db.query('SELECT ip, "userAgent", "actorId" FROM "AuditEvent" WHERE "sessionId" = $1 ORDER BY seq LIMIT 1', [sessionId2])).rows[0];
    expect(audit.ip).toBe(negotiator.ip);
    expect(audit.actorId).toBe(await userId(account("unionNegotiator").email));
  });

  it("refuses a malformed proposal with localized errors, keeps the input and creates nothing", async () => {
    const negotiator = await as("unionNegotiator");
    const before = (await db.query('SELECT count(*)::int AS n FROM "BargainingSession"')).rows[0].n;
    const page = await negotiator.post("/sessions/new", {
      proposerOrganizationId: await orgId("hz-rider-union"),
      title: "保留这个标题",
      industry: "SPACE",
      regionCode: "330100",
      representativesPerSide: "2",
      termMonths: "48",
      proposalText: "",
    });
    expect(page.status).toBe(400);
    expect(page.text).toContain('value="保留这个标题"');
    expect(page.text).toContain("请至少选择一项");
    expect(page.text).toContain("不能小于 3");
    expect(page.text).toContain("不能大于 36");
    expect((await db.query('SELECT count(*)::int AS n FROM "BargainingSession"')).rows[0].n).toBe(before);
  });

  it("names the recorder with both sides: one side's nominee takes office only when the other side confirms (issue 15)", async () => {
    const sessionId = await propose(await as("unionNegotiator"));
    const { association, unionAdmin, workerChief } = await toBargaining(sessionId);
    const recorderSeat = async () => (await db.query(`SELECT s.id, u.email FROM "Seat" s JOIN "User" u ON u.id = s."userId" WHERE s."sessionId" = $1 AND s.kind = 'RECORDER' AND s."endedAt" IS NULL AND s."confirmedAt" IS NOT NULL`, [sessionId])).rows;
    const [current] = await recorderSeat();
    expect(current.email).toBe(account("recorder").email);
    // The union alone nominates a replacement: the current recorder stays in office.
    const newcomer = new TestBrowser(server.url);
    const newcomerEmail = uniqueEmail("recorder");
    await newcomer.signup({ email: newcomerEmail });
    const nominated = await unionAdmin.post(`/sessions/${sessionId}`, { intent: "appointSeat", kind: "RECORDER", email: newcomerEmail, replacesSeatId: current.id });
    expect(nominated.status).toBe(302);
    expect(nominated.location).toContain("notice=recorderNominated");
    expect((await recorderSeat()).map((row) => row.email)).toEqual([account("recorder").email]);
    // The nominee has no recorder's rights (cannot even see the session yet); the union cannot confirm its own nominee.
    expect((await newcomer.get(`/sessions/${sessionId}`)).status).toBe(404);
    const nominee = await pendingRecorder(sessionId);
    expect((await unionAdmin.post(`/sessions/${sessionId}`, { intent: "confirmRecorder", seatId: nominee })).status).toBe(403);
    expect((await workerChief.post(`/sessions/${sessionId}`, { intent: "confirmRecorder", seatId: nominee })).status).toBe(403);
    // A second nomination waits for the first to be settled.
    const second = await unionAdmin.post(`/sessions/${sessionId}`, { intent: "appointSeat", kind: "RECORDER", email: account("worker").email, replacesSeatId: current.id });
    expect(second.status).toBe(409);
    // The employer side is told on its dashboard that a confirmation waits on it; the union is not.
    const confirmLabel = "确认对方提名的记录员";
    expect((await association.get("/sessions")).text).toContain(confirmLabel);
    expect((await unionAdmin.get("/sessions")).text).not.toContain(confirmLabel);
    // The employer side confirms: the newcomer takes office, the previous recorder leaves it.
    await act(association, sessionId, { intent: "confirmRecorder", seatId: nominee });
    expect((await association.get("/sessions")).text).not.toContain(confirmLabel);
    expect((await recorderSeat()).map((row) => row.email)).toEqual([newcomerEmail]);
    expect((await newcomer.get(`/sessions/${sessionId}`)).status).toBe(200);
    const events = (await db.query(`SELECT type FROM "AuditEvent" WHERE "sessionId" = $1 AND type LIKE 'seat.%' ORDER BY seq`, [sessionId])).rows.map((row) => row.type);
    expect(events.slice(-2)).toEqual(["seat.ended", "seat.confirmed"]);
  });

  it("lets a chief seat outside professionals, at most a third of the side and never as chief (《集体合同规定》第二十三条、第二十四条)", async () => {
    const sessionId = await propose(await as("unionNegotiator"));
    const { unionAdmin, workerChief } = await toBargaining(sessionId);
    const seatOf = async (email: string) =>
      (await db.query(`SELECT s.id FROM "Seat" s JOIN "User" u ON u.id = s."userId" WHERE s."sessionId" = $1 AND u.email = $2 AND s."endedAt" IS NULL`, [sessionId, email])).rows[0].id as string;
    // Two vacancies on the worker side.
    await act(unionAdmin, sessionId, { intent: "endSeat", seatId: await seatOf(account("workerRepresentative").email), reason: "辞任" });
    await act(unionAdmin, sessionId, { intent: "endSeat", seatId: await seatOf(account("unionAdmin").email), reason: "辞任" });
    const professional = async () => {
      const email = uniqueEmail("lawyer");
      await new TestBrowser(server.url).signup({ email });
      return email;
    };
    const seats = async () => (await db.query(`SELECT count(*)::int AS n FROM "Seat" WHERE "sessionId" = $1 AND "outsideProfessional" AND "endedAt" IS NULL`, [sessionId])).rows[0].n as number;
    const appoint = (browser: TestBrowser, email: string, extra: Record<string, string> = {}) =>
      browser.post(`/sessions/${sessionId}`, { intent: "appointSeat", kind: "REPRESENTATIVE", side: "WORKER", email, outsideProfessional: "on", ...extra });

    // Only the side's chief appoints one (in writing, 第二十三条): the union's admin may not, and the form is the chief's.
    const lawyer = await professional();
    expect((await appoint(unionAdmin, lawyer)).status).toBe(403);
    expect((await unionAdmin.get(`/sessions/${sessionId}`)).text).not.toContain('name="outsideProfessional"');
    expect((await workerChief.get(`/sessions/${sessionId}`)).text).toContain('name="outsideProfessional"');
    // Never as chief; never someone of the side's own organizations or of the other side (第二十四条).
    const asChief = await appoint(workerChief, lawyer, { isChief: "on" });
    expect(asChief.status).toBe(400);
    expect(asChief.text).toContain("外聘专业人员不得担任首席代表");
    const member = await appoint(workerChief, account("workerRepresentative").email);
    expect(member.status).toBe(400);
    expect(member.text).toContain("请作为本方协商代表任命");
    const otherSide = await appoint(workerChief, account("platformRepresentative", 1).email);
    expect(otherSide.status).toBe(400);
    expect(otherSide.text).toContain("任何人不得同时作为双方协商代表");
    expect(await seats()).toBe(0);
    // One third of 3 seats is 1: the first is seated, the second refused with the limit named.
    expect((await appoint(workerChief, lawyer)).status).toBe(302);
    expect(await seats()).toBe(1);
    const second = await appoint(workerChief, await professional());
    expect(second.status).toBe(409);
    expect(second.text).toContain("外聘专业人员不得超过本方代表的三分之一，本次至多 1 人");
    expect(await seats()).toBe(1);
    const page = await workerChief.get(`/sessions/${sessionId}`);
    expect(page.text).toContain("外聘专业人员");
    const event = (await db.query(`SELECT payload FROM "AuditEvent" WHERE "sessionId" = $1 AND type = 'seat.appointed' ORDER BY seq DESC LIMIT 1`, [sessionId])).rows[0].payload;
    expect(event).toMatchObject({ side: "WORKER", isChief: false, outsideProfessional: true });
  });

  it("offers the proposal button only to those who may propose (issue 15)", async () => {
    // A rider with no organization, a bureau reviewer and a plain member may not propose: no button.
    for (const roleKey of ["worker", "bureauReviewer", "recorder", "workerRepresentative"]) {
      const page = await (await as(roleKey)).get("/sessions");
      expect(page.status, roleKey).toBe(200);
      expect(page.text, `${roleKey} sees no proposal button`).not.toContain('href="/sessions/new"');
    }
    const negotiatorPage = await (await as("unionNegotiator")).get("/sessions");
    expect(negotiatorPage.text).toContain('href="/sessions/new"');
  });

  it("refuses recipients on the proposer's own side", async () => {
    const negotiator = await as("unionNegotiator");
    const page = await negotiator.post("/sessions/new", {
      proposerOrganizationId: await orgId("hz-rider-union"),
      title: "错误的对象",
      industry: "FOOD_DELIVERY",
      regionCode: "330100",
      "topics[]": "pieceRate",
      "recipientOrganizationIds[]": await orgId("hz-federation"),
      representativesPerSide: "3",
      termMonths: "24",
      proposalText: "x",
    });
    expect(page.status).toBe(400);
    expect(page.text).toContain("要约对象必须全部属于对方");
  });

  it("lets the clock finish a review nobody objected to: in force and published at once when the 15 days end (第四十七条、第四十八条), no notice period", async () => {
    const negotiator = await as("unionNegotiator");
    const sessionId = await propose(negotiator);
    const { association, workerChief } = await toBargaining(sessionId);
    await writeTerms(server.url, sessionId);
    await act(workerChief, sessionId, { intent: "agree", kind: "DRAFT" });
    expect(await state(sessionId)).toBe("BARGAINING");
    await act(association, sessionId, { intent: "agree", kind: "DRAFT" });
    expect(await state(sessionId)).toBe("DRAFT_AGREED");
    await ratifyAndSign(server.url, db, sessionId);
    expect(await state(sessionId)).toBe("SIGNED");
    await act(association, sessionId, { intent: "file" });
    expect(await state(sessionId)).toBe("FILED");

    // The reviewer sees it; a platform representative cannot object.
    const platform = await as("platformRepresentative");
    expect((await platform.post(`/sessions/${sessionId}`, { intent: "object", "clause[]": "第一条", "reason[]": "不同意" })).status).toBe(403);

    const filedAt: Date = (await db.query('SELECT "filedAt" FROM "BargainingSession" WHERE id = $1', [sessionId])).rows[0].filedAt;
    // 24:00 China time of the 15th day after filing (《民法典》第二百零一条、第二百零三条; app/domain/periods.ts).
    const reviewEnd = reviewEndsAt(filedAt);
    const notices = async () => (await db.query('SELECT count(*)::int AS n FROM "NoticeVersion" WHERE "sessionId" = $1', [sessionId])).rows[0].n as number;
    await server.sweep(new Date(reviewEnd.getTime() - 1));
    expect(await state(sessionId)).toBe("FILED");
    expect(await notices()).toBe(0);
    await server.sweep(reviewEnd);
    // 即行生效: in force the moment review ends, and published to everyone it covers.
    expect(await state(sessionId)).toBe("IN_FORCE");
    expect(await notices()).toBe(1);
    const dates = (await db.query('SELECT "effectiveFrom" FROM "BargainingSession" WHERE id = $1', [sessionId])).rows[0];
    expect(dates.effectiveFrom.getTime()).toBe(reviewEnd.getTime());
    const clock = (await db.query(`SELECT payload, "actorId" FROM "AuditEvent" WHERE "sessionId" = $1 AND type = 'session.clock' ORDER BY seq`, [sessionId])).rows;
    expect(clock.map((row) => row.payload.to)).toEqual(["APPROVED", "IN_FORCE"]);
    expect(clock.every((row) => row.actorId === null)).toBe(true);
  });

  it("refuses signing while a rule check on a legal floor fails on the draft", async () => {
    const negotiator = await as("unionNegotiator");
    const sessionId = await propose(negotiator);
    const { association, workerChief } = await toBargaining(sessionId);
    // No fatigue limit, no daily maximum, no appeal window: legal floors are breached.
    await writeTerms(server.url, sessionId, { pieceRateBaseFen: 650 });
    for (const browser of [workerChief, association]) await act(browser, sessionId, { intent: "agree", kind: "DRAFT" });
    await ratify(server.url, db, sessionId);
    const refused = await workerChief.post(`/sessions/${sessionId}/agreement`, { intent: "signAgreement", password: DEMO_PASSWORD });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("违反法定底线的规则检查未通过，不能签署");
    expect(await state(sessionId)).toBe("RATIFIED");
    expect((await db.query(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE "sessionId" = $1 AND payload->>'event' = 'SIGN'`, [sessionId])).rows[0].n).toBe(0);
  });

  it("records the bureau's structured review opinion, shows it to both sides, and requires an answer to each item when refiling; review restarts", async () => {
    const negotiator = await as("unionNegotiator");
    const sessionId = await propose(negotiator);
    const { association, workerChief } = await toBargaining(sessionId);
    await writeTerms(server.url, sessionId);
    for (const browser of [workerChief, association]) await act(browser, sessionId, { intent: "agree", kind: "DRAFT" });
    await ratifyAndSign(server.url, db, sessionId);
    // The employer side files (《集体合同规定》第四十二条); the worker chief may not.
    expect((await workerChief.post(`/sessions/${sessionId}`, { intent: "file" })).status).toBe(403);
    await act(association, sessionId, { intent: "file" });
    const firstFiledAt: Date = (await db.query('SELECT "filedAt" FROM "BargainingSession" WHERE id = $1', [sessionId])).rows[0].filedAt;
    const reviewer = await as("bureauReviewer");
    // An opinion names at least one clause with its reason; a half-filled item is refused; nothing changes.
    for (const form of [{ "clause[]": " ", "reason[]": " " }, { "clause[]": "第四条", "reason[]": "" }, { "clause[]": "x".repeat(301), "reason[]": "理由" }]) {
      const refused = await reviewer.post(`/sessions/${sessionId}`, { intent: "object", ...form });
      expect(refused.status, JSON.stringify(form)).toBe(400);
    }
    expect(await state(sessionId)).toBe("FILED");
    const opinionForm = new URLSearchParams({ intent: "object" });
    for (const [clause, reason] of [["第四条 恶劣天气补贴", "补贴标准低于本市规定。"], ["第七条 工作时间", "未约定每日最长工作时间。"], ["", ""]]) {
      opinionForm.append("clause[]", clause!);
      opinionForm.append("reason[]", reason!);
    }
    const objected = await reviewer.request(`/sessions/${sessionId}`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: opinionForm.toString() });
    expect(objected.status, objected.text.slice(0, 500)).toBe(302);
    expect(await state(sessionId)).toBe("BARGAINING");
    const opinion = (await db.query('SELECT * FROM "ReviewOpinion" WHERE "sessionId" = $1', [sessionId])).rows;
    expect(opinion).toHaveLength(1);
    expect(opinion[0].items).toEqual([
      { clause: "第四条 恶劣天气补贴", reason: "补贴标准低于本市规定。" },
      { clause: "第七条 工作时间", reason: "未约定每日最长工作时间。" },
    ]);
    expect(opinion[0].receivedAt.getTime()).toBe(firstFiledAt.getTime());
    expect(opinion[0].answer).toBeNull();
    // In the activity record, in both sides' notifications (through the outbox), on both pages.
    const audit = (await db.query(`SELECT payload FROM "AuditEvent" WHERE "sessionId" = $1 AND type = 'review.opinion'`, [sessionId])).rows;
    expect(audit[0].payload.items).toHaveLength(2);
    const told = (await db.query(`SELECT DISTINCT u.email FROM "Notification" n JOIN "User" u ON u.id = n."userId" WHERE n."sessionId" = $1 AND n.type = 'review.opinion'`, [sessionId])).rows.map((row) => row.email);
    expect(told).toEqual(expect.arrayContaining([account("unionNegotiator").email, account("associationRepresentative").email]));
    for (const browser of [workerChief, association]) {
      for (const path of [`/sessions/${sessionId}`, `/sessions/${sessionId}/agreement`]) {
        const page = await browser.get(path);
        expect(page.text, path).toContain("劳动保障行政部门审查意见书");
        expect(page.text, path).toContain("未约定每日最长工作时间。");
      }
    }
    // Renegotiated, agreed, ratified and signed again; refiling without answering every item is refused.
    for (const browser of [workerChief, association]) await act(browser, sessionId, { intent: "agree", kind: "DRAFT" });
    await ratifyAndSign(server.url, db, sessionId);
    expect((await association.post(`/sessions/${sessionId}`, { intent: "file" })).status).toBe(400);
    const oneAnswer = await association.post(`/sessions/${sessionId}`, { intent: "file", "answers[]": "已将补贴提高到本市标准。" });
    expect(oneAnswer.status).toBe(400);
    expect(oneAnswer.text).toContain("请逐项回应劳动保障行政部门的审查意见");
    expect(await state(sessionId)).toBe("SIGNED");
    const answers = new URLSearchParams({ intent: "file" });
    answers.append("answers[]", "已将补贴提高到本市标准。");
    answers.append("answers[]", "已约定每日最长工作 12 小时。");
    const refiled = await association.request(`/sessions/${sessionId}`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: answers.toString() });
    expect(refiled.status, refiled.text.slice(0, 500)).toBe(302);
    expect(await state(sessionId)).toBe("FILED");
    const after = (await db.query('SELECT answer, "answeredAt" FROM "ReviewOpinion" WHERE "sessionId" = $1', [sessionId])).rows[0];
    expect(after.answer).toEqual(["已将补贴提高到本市标准。", "已约定每日最长工作 12 小时。"]);
    const refiledAt: Date = (await db.query('SELECT "filedAt" FROM "BargainingSession" WHERE id = $1', [sessionId])).rows[0].filedAt;
    expect(refiledAt.getTime()).toBeGreaterThan(firstFiledAt.getTime());
    expect((await db.query(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE "sessionId" = $1 AND type = 'review.answered'`, [sessionId])).rows[0].n).toBe(1);
    // The review period restarts from the refiling.
    await server.sweep(new Date(reviewEndsAt(refiledAt).getTime() - 1));
    expect(await state(sessionId)).toBe("FILED");
    await server.sweep(reviewEndsAt(refiledAt));
    expect(await state(sessionId)).toBe("IN_FORCE");
  });

  it("takes effect on the later start date both chiefs wrote in, published then and not before", async () => {
    const negotiator = await as("unionNegotiator");
    const sessionId = await propose(negotiator);
    const { association, workerChief } = await toBargaining(sessionId);
    await writeTerms(server.url, sessionId);
    const startsOn = new Date(Date.now() + 60 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    // A start date in the past is refused.
    const past = await workerChief.post(`/sessions/${sessionId}`, { intent: "agree", kind: "DRAFT", startsOn: "2020-01-01" });
    expect(past.status).toBe(400);
    expect(past.text).toContain("生效日期不能早于今天");
    await act(workerChief, sessionId, { intent: "agree", kind: "DRAFT", startsOn });
    // The other chief's form carries the proposed date; agreeing another date is a counter-proposal.
    expect((await association.get(`/sessions/${sessionId}`)).text).toContain(`value="${startsOn}"`);
    await act(association, sessionId, { intent: "agree", kind: "DRAFT", startsOn });
    expect(await state(sessionId)).toBe("DRAFT_AGREED");
    const planned = (await db.query('SELECT "plannedEffectiveFrom" FROM "BargainingSession" WHERE id = $1', [sessionId])).rows[0].plannedEffectiveFrom as Date;
    expect(planned.toISOString()).toBe(new Date(`${startsOn}T00:00:00+08:00`).toISOString());
    await ratifyAndSign(server.url, db, sessionId, { file: true });
    const filedAt: Date = (await db.query('SELECT "filedAt" FROM "BargainingSession" WHERE id = $1', [sessionId])).rows[0].filedAt;
    await server.sweep(reviewEndsAt(filedAt));
    expect(await state(sessionId)).toBe("APPROVED");
    expect((await db.query('SELECT count(*)::int AS n FROM "NoticeVersion" WHERE "sessionId" = $1', [sessionId])).rows[0].n).toBe(0);
    await server.sweep(new Date(planned.getTime() - 1));
    expect(await state(sessionId)).toBe("APPROVED");
    await server.sweep(planned);
    expect(await state(sessionId)).toBe("IN_FORCE");
    const notice = (await db.query('SELECT "effectiveFrom", "publishedAt" FROM "NoticeVersion" WHERE "sessionId" = $1', [sessionId])).rows;
    expect(notice).toHaveLength(1);
    expect(notice[0].effectiveFrom.getTime()).toBe(planned.getTime());
  });

  it("suspends only on both chiefs' identical plan (第三十五条), schedules the agreed meeting, resumes on the agreed date or early only when both agree", async () => {
    const negotiator = await as("unionNegotiator");
    const sessionId = await propose(negotiator);
    const { association, workerChief } = await toBargaining(sessionId);
    const china = (date: Date) => new Date(date.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 16);
    const resumesAt = new Date(Math.ceil((Date.now() + 10 * 24 * 3600 * 1000) / 60_000) * 60_000);
    const plan = { intent: "suspend", resumesAt: china(resumesAt), meetingAt: china(resumesAt), location: "市总工会三楼会议室", agenda: "继续协商计件单价" };
    // Bad plans change nothing.
    expect((await workerChief.post(`/sessions/${sessionId}`, { ...plan, resumesAt: "2020-01-01T10:00", meetingAt: "2020-01-01T10:00" })).status).toBe(400);
    expect((await workerChief.post(`/sessions/${sessionId}`, { ...plan, meetingAt: china(new Date(resumesAt.getTime() - 3600_000)) })).status).toBe(400);
    expect((await workerChief.post(`/sessions/${sessionId}`, { ...plan, location: "" })).status).toBe(400);
    await act(workerChief, sessionId, plan);
    expect(await state(sessionId)).toBe("BARGAINING");
    // A different place from the other chief is a counter-proposal, not a suspension.
    await act(association, sessionId, { ...plan, location: "餐饮行业协会会议室" });
    expect(await state(sessionId)).toBe("BARGAINING");
    await act(workerChief, sessionId, { ...plan, location: "餐饮行业协会会议室" });
    expect(await state(sessionId)).toBe("SUSPENDED");
    const stored = (await db.query('SELECT suspension FROM "BargainingSession" WHERE id = $1', [sessionId])).rows[0].suspension;
    expect(stored).toMatchObject({ resumesAt: resumesAt.toISOString(), location: "餐饮行业协会会议室" });
    const round = (await db.query('SELECT "scheduledAt", location, agenda FROM "Round" WHERE "sessionId" = $1 ORDER BY number DESC LIMIT 1', [sessionId])).rows[0];
    expect(round).toMatchObject({ location: "餐饮行业协会会议室", agenda: "继续协商计件单价" });
    expect(round.scheduledAt.getTime()).toBe(resumesAt.getTime());
    // One chief cannot resume early; both can.
    await act(workerChief, sessionId, { intent: "resume" });
    expect(await state(sessionId)).toBe("SUSPENDED");
    expect((await workerChief.post(`/sessions/${sessionId}`, { intent: "resume" })).status).toBe(409);
    await server.sweep(new Date(resumesAt.getTime() - 1));
    expect(await state(sessionId)).toBe("SUSPENDED");
    // The agreed date comes: talks resume by the clock.
    await server.sweep(resumesAt);
    expect(await state(sessionId)).toBe("BARGAINING");
    expect((await db.query('SELECT suspension FROM "BargainingSession" WHERE id = $1', [sessionId])).rows[0].suspension).toBeNull();
    const clock = (await db.query(`SELECT payload FROM "AuditEvent" WHERE "sessionId" = $1 AND type = 'session.clock'`, [sessionId])).rows.map((row) => row.payload);
    expect(clock).toEqual([{ event: "RESUMED", from: "SUSPENDED", to: "BARGAINING" }]);
    // Suspended again, resumed early by both chiefs.
    const later = new Date(resumesAt.getTime() + 20 * 24 * 3600 * 1000);
    const second = { ...plan, resumesAt: china(later), meetingAt: china(later) };
    for (const chief of [workerChief, association]) await act(chief, sessionId, second);
    expect(await state(sessionId)).toBe("SUSPENDED");
    await act(association, sessionId, { intent: "resume" });
    expect(await state(sessionId)).toBe("SUSPENDED");
    await act(workerChief, sessionId, { intent: "resume" });
    expect(await state(sessionId)).toBe("BARGAINING");
  });
});

describe("the audit table", () => {
  it("refuses UPDATE, DELETE and TRUNCATE at the database", async () => {
    const negotiator = await as("unionNegotiator");
    const sessionId = await propose(negotiator);
    const before = (await db.query('SELECT * FROM "AuditEvent" WHERE "sessionId" = $1', [sessionId])).rows;
    expect(before.length).toBeGreaterThan(0);
    await expect(db.query(`UPDATE "AuditEvent" SET type = 'forged' WHERE "sessionId" = $1`, [sessionId])).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM "AuditEvent" WHERE "sessionId" = $1`, [sessionId])).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE "AuditEvent" CASCADE`)).rejects.toThrow(/append-only/);
    expect((await db.query('SELECT * FROM "AuditEvent" WHERE "sessionId" = $1', [sessionId])).rows).toEqual(before);
  });

  it("reports a tampered chain on the session page (an event inserted with a forged hash)", async () => {
    const negotiator = await as("unionNegotiator");
    const sessionId = await propose(negotiator);
    const last = (await db.query('SELECT seq, hash FROM "AuditEvent" WHERE "sessionId" = $1 ORDER BY seq DESC LIMIT 1', [sessionId])).rows[0];
    await db.query(
      `INSERT INTO "AuditEvent"(id, "sessionId", seq, type, payload, at, "prevHash", hash) VALUES ($1, $2, $3, 'session.transition', '{"event":"ANSWER","from":"PROPOSED","to":"ACCEPTED"}', now(), $4, $5)`,
      [`forged-${Date.now()}`, sessionId, last.seq + 1, last.hash, "f".repeat(64)],
    );
    const page = await negotiator.get(`/sessions/${sessionId}`);
    const verdict = /data-testid="audit-verdict">([^<]*)</.exec(page.text)?.[1];
    expect(verdict).toBe(`操作留痕记录在第 ${last.seq + 1} 条记录处断开：记录可能被篡改。`);
  });
});

/** Appends `count` correctly chained events to a session's trail (as appendAudit would). */
async function appendValidEvents(sessionId: string, count: number) {
  const { eventHash } = await import("../../app/domain/audit.ts");
  let last = (await db.query('SELECT seq, hash FROM "AuditEvent" WHERE "sessionId" = $1 ORDER BY seq DESC LIMIT 1', [sessionId])).rows[0] as { seq: number; hash: string };
  for (let i = 0; i < count; i += 1) {
    const event = { sessionId, seq: last.seq + 1, type: "session.clock", payload: { event: "TICK", from: "PROPOSED", to: "PROPOSED" }, actorId: null, at: new Date(Date.now() + i), ip: null, userAgent: null, prevHash: last.hash };
    const hash = eventHash(event);
    await db.query(`INSERT INTO "AuditEvent"(id, "sessionId", seq, type, payload, at, "prevHash", hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [`valid-${sessionId}-${event.seq}`, sessionId, event.seq, event.type, JSON.stringify(event.payload), event.at, event.prevHash, hash]);
    last = { seq: event.seq, hash };
  }
  return last.seq;
}

/** A privileged rewrite that bypasses the append-only trigger (what only a database superuser could do). */
async function rewriteEvent(sessionId: string, seq: number, type: string) {
  await db.query("BEGIN");
  await db.query("SET LOCAL session_replication_role = replica");
  await db.query(`UPDATE "AuditEvent" SET type = $3 WHERE "sessionId" = $1 AND seq = $2`, [sessionId, seq, type]);
  await db.query("COMMIT");
}

const verdictOf = (html: string) => /data-testid="audit-verdict">([^<]*)</.exec(html)?.[1];

describe("the audit trail at length (decision 027)", () => {
  it("shows the newest 50 events with a link to earlier ones, and counts and verifies the whole chain", async () => {
    const negotiator = await as("unionNegotiator");
    const sessionId = await propose(negotiator);
    const total = await appendValidEvents(sessionId, 120);
    const page = await negotiator.get(`/sessions/${sessionId}`);
    expect(verdictOf(page.text)).toBe(`操作留痕记录完整：共 ${total} 条记录，哈希逐条核验一致。`);
    expect(page.text).toContain(`显示第 ${total - 49}–${total} 条，共 ${total} 条。`);
    const rows = [...page.text.matchAll(/<tr><td data-label="#">(\d+)<\/td>/g)].map((match) => Number(match[1]));
    expect(rows).toEqual(Array.from({ length: 50 }, (_, i) => total - 49 + i));
    expect(page.text).toContain(`href="?auditBefore=${total - 49}#audit"`);
    const earlier = await negotiator.get(`/sessions/${sessionId}?auditBefore=${total - 49}`);
    expect(earlier.text).toContain(`显示第 ${total - 99}–${total - 50} 条，共 ${total} 条。`);
    const first = await negotiator.get(`/sessions/${sessionId}?auditBefore=51`);
    expect([...first.text.matchAll(/<tr><td data-label="#">(\d+)<\/td>/g)].map((match) => Number(match[1]))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(first.text).not.toContain("auditBefore=1#");
    // A malformed page number is ignored: the newest page.
    const bad = await negotiator.get(`/sessions/${sessionId}?auditBefore=abc`);
    expect(bad.status).toBe(200);
    expect(bad.text).toContain(`显示第 ${total - 49}–${total} 条`);
  });

  it("sees a rewrite of the event the last check ended on at the next view, and a rewrite of an older one when the whole chain is recomputed", async () => {
    const negotiator = await as("unionNegotiator");
    const sessionId = await propose(negotiator);
    const total = await appendValidEvents(sessionId, 5);
    expect(verdictOf((await negotiator.get(`/sessions/${sessionId}`)).text)).toMatch(/^操作留痕记录完整/);

    // An older event rewritten behind the trigger's back: only a whole-chain recomputation sees it.
    await rewriteEvent(sessionId, 2, "session.forged");
    expect(verdictOf((await negotiator.get(`/sessions/${sessionId}?auditFull=1`)).text)).toBe("操作留痕记录在第 2 条记录处断开：记录可能被篡改。");
    // It stays broken on the next ordinary view (no checkpoint is kept for a broken chain).
    expect(verdictOf((await negotiator.get(`/sessions/${sessionId}`)).text)).toBe("操作留痕记录在第 2 条记录处断开：记录可能被篡改。");

    const other = await propose(negotiator);
    const last = await appendValidEvents(other, 3);
    expect(verdictOf((await negotiator.get(`/sessions/${other}`)).text)).toMatch(/^操作留痕记录完整/);
    // The last verified event rewritten: seen by the very next view, without asking for a recheck.
    await rewriteEvent(other, last, "session.forged");
    expect(verdictOf((await negotiator.get(`/sessions/${other}`)).text)).toBe(`操作留痕记录在第 ${last} 条记录处断开：记录可能被篡改。`);
    expect(total).toBeGreaterThan(5);
  });

  it("recomputes the whole chain in the background once the last recomputation is older than the recheck interval", async () => {
    const { auditChainVerdict, AUDIT_FULL_RECHECK_MS } = await import("../../app/models/audit-chain.server.ts");
    const negotiator = await as("unionNegotiator");
    const sessionId = await propose(negotiator);
    await appendValidEvents(sessionId, 4);
    const first = await auditChainVerdict(sessionId);
    expect(first).toMatchObject({ ok: true, scope: "full" });
    await rewriteEvent(sessionId, 1, "session.forged");
    // Within the interval: answered from the checkpoint (the rewrite of event 1 is not looked at).
    expect(await auditChainVerdict(sessionId)).toMatchObject({ ok: true, scope: "sinceCheckpoint" });
    // Past it: the view still answers at once, and starts the recomputation that finds the rewrite.
    const later = new Date(Date.now() + AUDIT_FULL_RECHECK_MS + 1000);
    expect(await auditChainVerdict(sessionId, { now: later })).toMatchObject({ ok: true, scope: "sinceCheckpoint" });
    let verdict = await auditChainVerdict(sessionId);
    for (let i = 0; i < 50 && verdict.ok; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      verdict = await auditChainVerdict(sessionId);
    }
    expect(verdict).toMatchObject({ ok: false, brokenAt: 1, reason: "hash" });
  });
});

describe("privacy", () => {
  it("keeps the union caucus from the platform side, observers and outsiders, by every route", async () => {
    const negotiator = await as("unionNegotiator");
    const sessionId = await propose(negotiator);
    const secret = `底线：单价不低于 6.8 元 ${Date.now()}`;
    const posted = await negotiator.post(`/sessions/${sessionId}/caucus/worker`, { body: secret });
    expect(posted.status).toBe(302);
    const own = await negotiator.get(`/sessions/${sessionId}/caucus/worker`);
    expect(own.text).toContain(secret);
    expect(own.headers.get("cache-control")).toContain("no-store");

    const platform = await as("platformRepresentative");
    const reviewer = await as("bureauReviewer");
    const outsider = new TestBrowser(server.url);
    await outsider.signup({ email: uniqueEmail("outsider") });
    for (const [browser, expectedStatus] of [[platform, 403], [reviewer, 403], [outsider, 404]] as const) {
      const caucus = await browser.get(`/sessions/${sessionId}/caucus/worker`);
      expect(caucus.status).toBe(expectedStatus);
      expect(caucus.text).not.toContain(secret);
      const write = await browser.post(`/sessions/${sessionId}/caucus/worker`, { body: "混入" });
      expect(write.status).toBe(expectedStatus);
      for (const path of [`/sessions/${sessionId}`, "/sessions", "/notifications", `/sessions/${sessionId}?_data=routes%2F_session.sessions.%24id._index`, `/sessions/${sessionId}/caucus/worker?_data=routes%2F_session.sessions.%24id.caucus.%24side`]) {
        expect((await browser.get(path)).text).not.toContain(secret);
      }
    }
    // The employer side has its own caucus, which the union cannot read either.
    await platform.post(`/sessions/${sessionId}/caucus/employer`, { body: "企业方内部意见" });
    expect((await negotiator.get(`/sessions/${sessionId}/caucus/employer`)).status).toBe(403);
    expect((await db.query(`SELECT count(*)::int AS n FROM "CaucusNote" WHERE "sessionId" = $1 AND body = '混入'`, [sessionId])).rows[0].n).toBe(0);
  });

  it("gives a user outside the session nothing about it", async () => {
    const negotiator = await as("unionNegotiator");
    const title = `外人不可见的协商 ${Date.now()}`;
    const sessionId = await propose(negotiator, title);
    const outsider = new TestBrowser(server.url);
    await outsider.signup({ email: uniqueEmail("stranger") });
    const page = await outsider.get(`/sessions/${sessionId}`);
    expect(page.status).toBe(404);
    expect(page.text).not.toContain(title);
    expect((await outsider.get(`/sessions/${sessionId}?_data=routes%2F_session.sessions.%24id._index`)).status).toBe(404);
    expect((await outsider.get("/sessions")).text).not.toContain(title);
    expect((await outsider.post(`/sessions/${sessionId}`, { intent: "accept" })).status).toBe(404);
    expect((await outsider.post(`/sessions/${sessionId}`, { intent: "scheduleRound", scheduledAt: "2026-12-01T10:00", location: "x", agenda: "y" })).status).toBe(404);
    expect(await state(sessionId)).toBe("PROPOSED");
  });
});

describe("reminders", () => {
  it("reminds the recipients once when an answer is 3 days from due", async () => {
    const negotiator = await as("unionNegotiator");
    const sessionId = await propose(negotiator);
    const proposedAt: Date = (await db.query('SELECT "proposedAt" FROM "BargainingSession" WHERE id = $1', [sessionId])).rows[0].proposedAt;
    const reminders = async () => (await db.query(`SELECT "userId" FROM "Notification" WHERE "sessionId" = $1 AND type = 'session.answerDue'`, [sessionId])).rows;
    // Three days before the due moment (24:00 China time of the 20th day, past rest days).
    const remindAt = new Date(answerDueAt(proposedAt).getTime() - 3 * 24 * 3600 * 1000);
    await server.sweep(new Date(remindAt.getTime() - 1000));
    expect(await reminders()).toHaveLength(0);
    await server.sweep(remindAt);
    const first = await reminders();
    expect(first.length).toBeGreaterThan(0);
    expect(first.map((row) => row.userId)).toContain(await userId(account("associationRepresentative").email));
    expect(first.map((row) => row.userId)).not.toContain(await userId(account("unionNegotiator").email));
    await server.sweep(new Date(remindAt.getTime() + 24 * 3600 * 1000));
    expect(await reminders()).toHaveLength(first.length);
    const association = await as("associationRepresentative");
    expect((await association.get("/notifications")).text).toContain("回应期限即将届满");
  });
});
