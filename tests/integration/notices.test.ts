/**
 * From an agreed draft to a public notice, against the real server and PostgreSQL: the vote
 * (thresholds at their edges, secret ballot, hidden results, closing by the clock), signatures
 * (password, content hash), publication by the clock, immutability in the database, corrections as
 * linked versions, "in force on a date" across three versions, verification of a tampered chain,
 * anonymous throttled feedback, caching (ETag / 304), the JSON API and the Atom feeds.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileDueAt, reviewEndsAt } from "../../app/domain/procedure.ts";
import pg from "pg";
import fc from "fast-check";
import * as Y from "yjs";
import { DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { TestBrowser } from "../support/browser.ts";
import { startTestServer } from "../support/server.ts";
import { expectStatus, openVote, ratify, ratifyAndSign, workerRepresentatives, writeText } from "../support/agreement.ts";
import { loginAs, sessionInBargaining, VALID_TERMS, writeTerms } from "../support/sessions.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let db: pg.Client;
const DAY = 24 * 3600 * 1000;
/**
 * Node's fetch marks a request carrying If-None-Match as "no-store" and adds Cache-Control:
 * no-cache, which asks the server for a full answer; a browser revalidating sends max-age=0.
 */
const REVALIDATE = { "Cache-Control": "max-age=0" };

beforeAll(async () => {
  server = await startTestServer();
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await server?.close();
});

/** A platform of its own per test, so that each test publishes into its own notice series. */
async function newPlatform(): Promise<{ id: string; slug: string }> {
  const slug = `platform-${randomBytes(4).toString("hex")}`;
  const id = randomBytes(12).toString("base64url");
  await db.query(`INSERT INTO "Organization" (id, slug, name, type, "regionCode", verification, "createdAt", "updatedAt") VALUES ($1, $2, $3, 'PLATFORM', '330100', 'VERIFIED', now(), now())`, [id, slug, `测试平台 ${slug}`]);
  // Its negotiator answers the proposal for it (every party consents for itself).
  await db.query(`INSERT INTO "Membership" (id, "userId", "organizationId", role, "createdAt", "updatedAt") SELECT $1, u.id, $2, 'NEGOTIATOR', now(), now() FROM "User" u WHERE u.email = 'rep@swifteats.demo'`, [randomBytes(12).toString("base64url"), id]);
  return { id, slug };
}

const state = async (sessionId: string) => (await db.query('SELECT state FROM "BargainingSession" WHERE id = $1', [sessionId])).rows[0].state as string;

/** A session of its own covering `platform`, with terms and text, agreed by both chiefs. */
async function agreedSession(platform: { slug: string }, extraCovered: string[] = [], observers?: string[], ratificationPractice?: "ORDINARY" | "AGREED_PER_ENTERPRISE") {
  const sessionId = await sessionInBargaining(server.url, db, `外卖规则 ${platform.slug}`, { recipients: [platform.slug], covered: [platform.slug, ...extraCovered], observers, ratificationPractice });
  await writeTerms(server.url, sessionId, VALID_TERMS);
  await writeText(server.url, sessionId, ["第一条 计件单价按条款执行。", "第二条 连续送单 4 小时后休息 20 分钟。"]);
  const workerChief = await loginAs(server.url, "unionNegotiator");
  const employerChief = await loginAs(server.url, "associationRepresentative");
  for (const chief of [workerChief, employerChief]) await expectStatus(await chief.post(`/sessions/${sessionId}`, { intent: "agree", kind: "DRAFT" }), 302, "agree");
  expect(await state(sessionId)).toBe("DRAFT_AGREED");
  return { sessionId, workerChief, employerChief };
}

/** Files the signed agreement and lets the clock run past the review: published, in its notice period. */
async function publish(sessionId: string) {
  const filedAt: Date = (await db.query('SELECT "filedAt" FROM "BargainingSession" WHERE id = $1', [sessionId])).rows[0].filedAt;
  await server.sweep(reviewEndsAt(filedAt));
  const row = (await db.query('SELECT id, "noticeId", version, "effectiveFrom", "publishedAt" FROM "NoticeVersion" WHERE "sessionId" = $1 ORDER BY "publishedAt" DESC LIMIT 1', [sessionId])).rows[0];
  expect(row, "published notice").toBeTruthy();
  return row as { id: string; noticeId: string; version: number; effectiveFrom: Date; publishedAt: Date };
}

describe("ratification vote", { timeout: 120_000 }, () => {
  it("hides results until the vote closes, keeps a secret ballot secret, and records tally and rule", async () => {
    const platform = await newPlatform();
    const { sessionId, workerChief } = await agreedSession(platform);
    const reps = await workerRepresentatives(server.url, 3);
    const swift = (await db.query(`SELECT id FROM "Organization" WHERE slug = 'swift-eats'`)).rows[0].id;
    void swift;
    await expectStatus(await openVote(workerChief, sessionId, { secret: true, roll: { [platform.id]: reps.map((rep) => rep.email) } }), 302, "open");
    expect(await state(sessionId)).toBe("RATIFICATION");
    // A representative who is not a session member reads the frozen text and votes.
    const asRep = await reps[0]!.browser.get(`/sessions/${sessionId}/agreement`);
    expect(asRep.status).toBe(200);
    expect(asRep.text).toContain("第一条 计件单价按条款执行。");
    for (const rep of reps.slice(0, 2)) await expectStatus(await rep.browser.post(`/sessions/${sessionId}/agreement`, { intent: "castBallot", choice: "YES" }), 302, "ballot");
    const twice = await reps[0]!.browser.post(`/sessions/${sessionId}/agreement`, { intent: "castBallot", choice: "NO" });
    expect(twice.status).toBe(409);
    // Still open: nobody sees a result, and the chief may not close early while someone has not voted.
    const page = await workerChief.get(`/sessions/${sessionId}/agreement`);
    expect(page.text).toContain("已投票 2 / 3 人");
    expect(page.text).not.toContain('data-testid="vote-result"');
    expect((await workerChief.post(`/sessions/${sessionId}/agreement`, { intent: "closeVote" })).status).toBe(409);
    // Secret ballot: who voted is known, how is not.
    const voters = (await db.query('SELECT choice, "votedAt" FROM "RatificationVoter" v JOIN "RatificationVote" r ON r.id = v."voteId" WHERE r."sessionId" = $1', [sessionId])).rows;
    expect(voters.filter((voter) => voter.votedAt)).toHaveLength(2);
    expect(voters.every((voter) => voter.choice === null)).toBe(true);
    // The clock closes it at its time: 2 of 3 attended (= 2/3), 2 approved (> 3/2): passed.
    await server.sweep(new Date(Date.now() + 73 * 3600 * 1000));
    expect(await state(sessionId)).toBe("RATIFIED");
    const closed = (await db.query(`SELECT payload, "actorId" FROM "AuditEvent" WHERE "sessionId" = $1 AND type = 'ratification.closed'`, [sessionId])).rows[0];
    expect(closed.actorId).toBeNull();
    expect(closed.payload).toMatchObject({ passed: true, early: false, tally: { roll: 3, attended: 2, yes: 2, attendanceNeeded: 2, approvalNeeded: 2 }, rule: { scope: "ORDINARY" } });
    const after = await workerChief.get(`/sessions/${sessionId}/agreement`);
    expect(after.text).toContain("表决通过。");
    expect(after.text).toContain("出席 2 / 3 人");
  });

  it("under the parties' agreed per-enterprise practice, passes with exactly half of an enterprise approving (半数以上) and fails with less", async () => {
    const platform = await newPlatform();
    const { sessionId, workerChief } = await agreedSession(platform, ["swift-eats"], undefined, "AGREED_PER_ENTERPRISE");
    const swift = (await db.query(`SELECT id FROM "Organization" WHERE slug = 'swift-eats'`)).rows[0].id as string;
    const reps = await workerRepresentatives(server.url, 7);
    // New platform: 4 representatives, all approve. Swift: 3 representatives, 1 approves (less than half).
    const roll = { [platform.id]: reps.slice(0, 4).map((rep) => rep.email), [swift]: reps.slice(4).map((rep) => rep.email) };
    await expectStatus(await openVote(workerChief, sessionId, { secret: false, roll }), 302, "open");
    const choices = ["YES", "YES", "YES", "YES", "YES", "NO", "NO"];
    for (const [index, rep] of reps.entries()) await expectStatus(await rep.browser.post(`/sessions/${sessionId}/agreement`, { intent: "castBallot", choice: choices[index]! }), 302, "ballot");
    await expectStatus(await workerChief.post(`/sessions/${sessionId}/agreement`, { intent: "closeVote" }), 302, "close");
    // 7 of 7 attended, 5 of 7 approved overall, but one enterprise below half: not ratified.
    expect(await state(sessionId)).toBe("BARGAINING");
    const closed = (await db.query(`SELECT payload FROM "AuditEvent" WHERE "sessionId" = $1 AND type = 'ratification.closed'`, [sessionId])).rows[0].payload;
    expect(closed).toMatchObject({ passed: false, early: true, tally: { roll: 7, attended: 7, yes: 5 }, rule: { scope: "AGREED_PER_ENTERPRISE" } });
    expect(closed.tally.enterprises.find((enterprise: { enterpriseId: string }) => enterprise.enterpriseId === swift)).toMatchObject({ roll: 3, yes: 1, approved: false });
    // An open ballot names each choice once closed.
    const open = (await db.query('SELECT choice FROM "RatificationVoter" v JOIN "RatificationVote" r ON r.id = v."voteId" WHERE r."sessionId" = $1', [sessionId])).rows;
    expect(open.map((row) => row.choice).sort()).toEqual(["NO", "NO", "YES", "YES", "YES", "YES", "YES"]);

    // Agreed again and put to a new roll: the platform's 2 split 1–1 (exactly half, 半数以上 includes
    // it), Swift's 2 both approve: ratified.
    for (const chief of [workerChief, await loginAs(server.url, "associationRepresentative")]) await expectStatus(await chief.post(`/sessions/${sessionId}`, { intent: "agree", kind: "DRAFT" }), 302, "agree again");
    const again = await workerRepresentatives(server.url, 4);
    await expectStatus(await openVote(workerChief, sessionId, { secret: false, roll: { [platform.id]: [again[0]!.email, again[1]!.email], [swift]: [again[2]!.email, again[3]!.email] } }), 302, "open again");
    for (const [index, rep] of again.entries()) await expectStatus(await rep.browser.post(`/sessions/${sessionId}/agreement`, { intent: "castBallot", choice: ["YES", "NO", "YES", "YES"][index]! }), 302, "ballot");
    await expectStatus(await workerChief.post(`/sessions/${sessionId}/agreement`, { intent: "closeVote" }), 302, "close");
    expect(await state(sessionId)).toBe("RATIFIED");
    const second = (await db.query(`SELECT payload FROM "AuditEvent" WHERE "sessionId" = $1 AND type = 'ratification.closed' ORDER BY seq DESC LIMIT 1`, [sessionId])).rows[0].payload;
    expect(second.tally.enterprises.find((enterprise: { enterpriseId: string }) => enterprise.enterpriseId === platform.id)).toMatchObject({ roll: 2, yes: 1, approved: true });
  });

  it("counts an industry-wide agreement under art. 36 alone unless the proposal chose the per-enterprise practice", async () => {
    const platform = await newPlatform();
    const { sessionId, workerChief } = await agreedSession(platform, ["swift-eats"]);
    const swift = (await db.query(`SELECT id FROM "Organization" WHERE slug = 'swift-eats'`)).rows[0].id as string;
    const reps = await workerRepresentatives(server.url, 4);
    // Swift's 2 both refuse; the platform's 2 approve: 2 of 4 = 全体半数以上 — ratified, no per-enterprise count.
    await expectStatus(await openVote(workerChief, sessionId, { secret: false, roll: { [platform.id]: [reps[0]!.email, reps[1]!.email], [swift]: [reps[2]!.email, reps[3]!.email] } }), 302, "open");
    for (const [index, rep] of reps.entries()) await expectStatus(await rep.browser.post(`/sessions/${sessionId}/agreement`, { intent: "castBallot", choice: ["YES", "YES", "NO", "NO"][index]! }), 302, "ballot");
    await expectStatus(await workerChief.post(`/sessions/${sessionId}/agreement`, { intent: "closeVote" }), 302, "close");
    expect(await state(sessionId)).toBe("RATIFIED");
    const closed = (await db.query(`SELECT payload FROM "AuditEvent" WHERE "sessionId" = $1 AND type = 'ratification.closed'`, [sessionId])).rows[0].payload;
    expect(closed).toMatchObject({ passed: true, tally: { roll: 4, attended: 4, yes: 2, approvalNeeded: 2 }, rule: { scope: "ORDINARY" } });
  });

  it("refuses a roll with an unknown account or an enterprise without representatives, changing nothing", async () => {
    const platform = await newPlatform();
    const { sessionId, workerChief } = await agreedSession(platform, ["swift-eats"], undefined, "AGREED_PER_ENTERPRISE");
    const unknown = await openVote(workerChief, sessionId, { roll: { [platform.id]: ["nobody-here@example.test"] } });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain("nobody-here@example.test");
    const reps = await workerRepresentatives(server.url, 1);
    const missing = await openVote(workerChief, sessionId, { roll: { [platform.id]: [reps[0]!.email] } });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain("还没有代表");
    const malformed = await openVote(workerChief, sessionId, { roll: { [platform.id]: ["not-an-address"] } });
    expect(malformed.status).toBe(400);
    expect(await state(sessionId)).toBe("DRAFT_AGREED");
    expect((await db.query('SELECT count(*)::int AS n FROM "RatificationVote" WHERE "sessionId" = $1', [sessionId])).rows[0].n).toBe(0);
  });
});

describe("signatures", { timeout: 120_000 }, () => {
  it("refuses a wrong password and content changed since the vote; records who, when and the hash", async () => {
    const platform = await newPlatform();
    const { sessionId } = await agreedSession(platform);
    const { workerChief, employerChief } = await ratify(server.url, db, sessionId);
    const wrong = await workerChief.post(`/sessions/${sessionId}/agreement`, { intent: "signAgreement", password: "not-the-password" });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain("密码不正确");
    expect((await db.query('SELECT count(*)::int AS n FROM "AgreementSignature" WHERE "sessionId" = $1', [sessionId])).rows[0].n).toBe(0);

    // Someone changes the stored draft behind everyone's back: signing must refuse.
    const { appendUpdate } = await import("../../app/models/document-store.server.ts");
    const { id: documentId } = (await db.query('SELECT id FROM "DraftDocument" WHERE "sessionId" = $1', [sessionId])).rows[0];
    const { loadDocument } = await import("../../app/models/document-store.server.ts");
    const { doc } = await loadDocument(sessionId);
    const before = Y.encodeStateVector(doc);
    doc.getMap("terms").set("pieceRateBaseFen", 1);
    await appendUpdate(documentId, Y.encodeStateAsUpdate(doc, before), null);
    doc.destroy();
    const changed = await workerChief.post(`/sessions/${sessionId}/agreement`, { intent: "signAgreement", password: DEMO_PASSWORD });
    expect(changed.status).toBe(409);
    expect(changed.text).toContain("与表决通过的版本不一致");
    expect(await state(sessionId)).toBe("RATIFIED");
    void employerChief;
  });

  it("signs the exact ratified hash, both chiefs, then files", async () => {
    const platform = await newPlatform();
    const { sessionId } = await agreedSession(platform);
    await ratifyAndSign(server.url, db, sessionId, { file: true });
    expect(await state(sessionId)).toBe("FILED");
    const vote = (await db.query('SELECT id, "contentHash" FROM "RatificationVote" WHERE "sessionId" = $1', [sessionId])).rows[0];
    const signatures = (await db.query('SELECT side, "contentHash", "userId", "signedAt" FROM "AgreementSignature" WHERE "voteId" = $1 ORDER BY side', [vote.id])).rows;
    expect(signatures.map((row) => row.side).sort()).toEqual(["EMPLOYER", "WORKER"]);
    expect(signatures.every((row) => row.contentHash === vote.contentHash && row.signedAt instanceof Date)).toBe(true);
    // Signatures are evidence: the database refuses to change them.
    await expect(db.query('UPDATE "AgreementSignature" SET "contentHash" = $1 WHERE "voteId" = $2', ["f".repeat(64), vote.id])).rejects.toThrow(/immutable/);
    // The bureau is told about the filing.
    const reviewerNotes = (await db.query(`SELECT n.type FROM "Notification" n JOIN "User" u ON u.id = n."userId" WHERE u.email = 'reviewer@bureau.demo' AND n."sessionId" = $1`, [sessionId])).rows;
    expect(reviewerNotes.map((row) => row.type)).toContain("session.stateChanged");
  });
});

describe("filing", { timeout: 120_000 }, () => {
  it("reminds the chiefs once when filing is 3 days from due (10 days after signing)", async () => {
    const platform = await newPlatform();
    const { sessionId } = await agreedSession(platform);
    await ratifyAndSign(server.url, db, sessionId);
    expect(await state(sessionId)).toBe("SIGNED");
    const signedAt: Date = (await db.query('SELECT "signedAt" FROM "BargainingSession" WHERE id = $1', [sessionId])).rows[0].signedAt;
    const reminders = async () => (await db.query(`SELECT n."userId" FROM "Notification" n WHERE n."sessionId" = $1 AND n.type = 'agreement.fileDue'`, [sessionId])).rows;
    // Three days before the due moment (24:00 China time of the 10th day, past rest days).
    const remindAt = new Date(fileDueAt(signedAt).getTime() - 3 * DAY);
    await server.sweep(new Date(remindAt.getTime() - 1000));
    expect(await reminders()).toHaveLength(0);
    await server.sweep(remindAt);
    await server.sweep(new Date(remindAt.getTime() + DAY));
    const sent = await reminders();
    const chief = (await db.query(`SELECT id FROM "User" WHERE email = 'negotiator@union.demo'`)).rows[0].id;
    expect(sent.map((row) => row.userId)).toContain(chief);
    expect(new Set(sent.map((row) => row.userId)).size).toBe(sent.length);
  });
});

describe("filing without a bureau", { timeout: 120_000 }, () => {
  it("refuses to file an agreement of a session no labour bureau observes", async () => {
    const platform = await newPlatform();
    const { sessionId } = await agreedSession(platform, [], []);
    const { employerChief } = await ratifyAndSign(server.url, db, sessionId);
    const refused = await employerChief.post(`/sessions/${sessionId}/agreement`, { intent: "file" });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("没有列席的人社部门");
    expect(await state(sessionId)).toBe("SIGNED");
  });
});

describe("public notices", { timeout: 120_000 }, () => {
  it("publishes when the agreement takes effect at the end of review; the database refuses to update or delete a published notice", async () => {
    const platform = await newPlatform();
    const { sessionId } = await agreedSession(platform);
    await ratifyAndSign(server.url, db, sessionId, { file: true });
    const notice = await publish(sessionId);
    expect(await state(sessionId)).toBe("IN_FORCE");
    expect(new Date(notice.effectiveFrom).getTime()).toBe(new Date(notice.publishedAt).getTime());
    const before = (await db.query('SELECT * FROM "NoticeVersion" WHERE id = $1', [notice.id])).rows;
    await expect(db.query(`UPDATE "NoticeVersion" SET title = 'forged' WHERE id = $1`, [notice.id])).rejects.toThrow(/immutable/);
    await expect(db.query(`DELETE FROM "NoticeVersion" WHERE id = $1`, [notice.id])).rejects.toThrow(/immutable/);
    await expect(db.query(`TRUNCATE "NoticeVersion" CASCADE`)).rejects.toThrow(/immutable/);
    await expect(db.query(`UPDATE "Notice" SET "regionCode" = '110000' WHERE id = $1`, [notice.noticeId])).rejects.toThrow(/immutable/);
    await expect(db.query(`DELETE FROM "Notice" WHERE id = $1`, [notice.noticeId])).rejects.toThrow(/immutable/);
    expect((await db.query('SELECT * FROM "NoticeVersion" WHERE id = $1', [notice.id])).rows).toEqual(before);

    // Public: no sign-in needed, found by platform; the clock ran ahead of today, so not yet in force today.
    const anonymous = new TestBrowser(server.url);
    const list = await anonymous.get(`/notices?platform=${platform.slug}`);
    expect(list.status).toBe(200);
    expect(list.text).toContain(`外卖规则 ${platform.slug}`);
    const page = await anonymous.get(`/notices/${notice.noticeId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("尚未生效");
    expect(page.text).not.toContain("公示期");
    expect(page.text).toContain("第二条 连续送单 4 小时后休息 20 分钟。");
  });

  it("answers 'in force on a date' across three versions (an agreement and two amendments made through the procedure), by page and API", async () => {
    // Each version bargained, ratified, signed, filed and reviewed at its own time (issue 20, item 5).
    const { throughTheProcedure, demoActors } = await import("../../prisma/demo-scenario.ts");
    const { getDb } = await import("../../app/infra/db.server.ts");
    const actors = await demoActors(getDb());
    const start = new Date(Date.now() - 400 * DAY);
    const title = `外卖规则三版 ${Date.now()}`;
    const first = await throughTheProcedure(getDb(), actors, { title, proposalText: "协商。", at: start, terms: VALID_TERMS });
    await server.sweep(new Date(start.getTime() + 60 * DAY));
    const v1 = (await db.query('SELECT id, "noticeId", version, "effectiveFrom" FROM "NoticeVersion" WHERE "sessionId" = $1', [first])).rows[0];
    const amend = async (days: number, pieceRateBaseFen: number) => {
      const id = await throughTheProcedure(getDb(), actors, { title: `${title} 变更 ${pieceRateBaseFen}`, proposalText: "变更计件单价。", at: new Date(start.getTime() + days * DAY), purpose: "AMENDMENT", continuesNoticeId: v1.noticeId, terms: { pieceRateBaseFen } });
      await server.sweep(new Date(start.getTime() + (days + 60) * DAY));
      return (await db.query('SELECT id, "noticeId", version, kind, "effectiveFrom" FROM "NoticeVersion" WHERE "sessionId" = $1', [id])).rows[0];
    };
    const v2 = await amend(100, 700);
    const v3 = await amend(200, 720);
    const e1 = new Date(v1.effectiveFrom);
    const e2 = new Date(v2.effectiveFrom);
    const e3 = new Date(v3.effectiveFrom);
    expect([v1.version, v2.version, v3.version]).toEqual([1, 2, 3]);
    expect([v2.kind, v3.kind]).toEqual(["AMENDMENT", "AMENDMENT"]);
    const rows = (await db.query('SELECT version, "previousId", id, "effectiveFrom", "effectiveUntil" FROM "NoticeVersion" WHERE "noticeId" = $1 ORDER BY version', [v1.noticeId])).rows;
    expect(rows[1].previousId).toBe(rows[0].id);
    expect(rows[2].previousId).toBe(rows[1].id);
    // An amendment keeps the term of the agreement it changes.
    expect(rows[2].effectiveUntil.getTime()).toBe(rows[0].effectiveUntil.getTime());
    // The first agreement's session was amended, then the first amendment's.
    const states = (await db.query('SELECT state FROM "BargainingSession" WHERE id IN (SELECT "sessionId" FROM "NoticeVersion" WHERE "noticeId" = $1) ORDER BY "proposedAt"', [v1.noticeId])).rows.map((row) => row.state);
    expect(states).toEqual(["AMENDED", "AMENDED", "IN_FORCE"]);

    const inForce = async (date: Date) => {
      const page = await new TestBrowser(server.url).get(`/api/notices/${v1.noticeId}/in-force?date=${encodeURIComponent(date.toISOString())}`);
      expect(page.status).toBe(200);
      return (JSON.parse(page.text) as { inForce: { version: number } | null }).inForce?.version ?? null;
    };
    expect(await inForce(new Date(e1.getTime() - 1))).toBeNull();
    expect(await inForce(e1)).toBe(1);
    expect(await inForce(new Date(e2.getTime() - 1))).toBe(1);
    expect(await inForce(e2)).toBe(2);
    expect(await inForce(new Date(e3.getTime() - 1))).toBe(2);
    expect(await inForce(e3)).toBe(3);
    expect(await inForce(new Date(new Date(rows[2].effectiveUntil).getTime()))).toBeNull();

    // The version JSON carries the structured terms, the register and what changed.
    const v2json = JSON.parse((await new TestBrowser(server.url).get(`/api/notices/${v1.noticeId}/versions/2`)).text);
    expect(v2json).toMatchObject({ schema: "xieshang.notice/1", version: 2, kind: "AMENDMENT", terms: { pieceRateBaseFen: 700 }, correctionReason: null });
    expect(v2json.whatChanged.terms).toEqual([{ key: "pieceRateBaseFen", before: 650, after: 700 }]);
    expect(Array.isArray(v2json.algorithmRegister)).toBe(true);
    expect(v2json.signatures.map((signature: { side: string }) => signature.side).sort()).toEqual(["EMPLOYER", "WORKER"]);
    // The page answers the same question for a day, and says what changed in words.
    const day = new Date(e2.getTime() + 8 * 3600 * 1000 + DAY).toISOString().slice(0, 10);
    const page = await new TestBrowser(server.url).get(`/notices/${v1.noticeId}/v/2?on=${day}`);
    expect(page.text).toContain(`${day} 适用第 2 版`);
    expect(page.text).toContain("基础计件单价：由 6.50 元 改为 7.00 元");
    const bad = await new TestBrowser(server.url).get(`/api/notices/${v1.noticeId}/in-force?date=yesterday`);
    expect(bad.status).toBe(400);
    // Strict calendar dates (issue 19): 31 February is refused, not rolled over to March.
    for (const date of ["2026-02-31", "2026-02-29", "2026-13-01", "2026-04-31T10:00:00+08:00", "2026-04-30T24:00:00Z"]) {
      const refused = await new TestBrowser(server.url).get(`/api/notices/${v1.noticeId}/in-force?date=${encodeURIComponent(date)}`);
      expect(refused.status, date).toBe(400);
      expect(JSON.parse(refused.text).error, date).toMatch(/[\u4e00-\u9fff]/);
      expect((await new TestBrowser(server.url).get(`/api/notices/in-force?date=${encodeURIComponent(date)}`)).status, date).toBe(400);
    }
    expect((await new TestBrowser(server.url).get(`/api/notices/${v1.noticeId}/in-force?date=2028-02-29`)).status).toBe(200);
    // Literal search (issue 19): LIKE's wildcards match only themselves.
    const search = async (q: string) => (JSON.parse((await new TestBrowser(server.url).get(`/api/notices?q=${encodeURIComponent(q)}`)).text) as { notices: unknown[] }).notices.length;
    expect(await search("计件单价")).toBeGreaterThan(0);
    expect(await search("%")).toBe(0);
    expect(await search("_")).toBe(0);
    expect(await search("计件%单价")).toBe(0);
    expect(await search("\\")).toBe(0);
  });

  it("fails verification of a tampered notice, by page and API", async () => {
    const platform = await newPlatform();
    const { sessionId } = await agreedSession(platform);
    await ratifyAndSign(server.url, db, sessionId, { file: true });
    const notice = await publish(sessionId);
    const ok = JSON.parse((await new TestBrowser(server.url).get(`/api/notices/${notice.noticeId}/verify`)).text);
    expect(ok).toMatchObject({ ok: true, brokenAt: null });
    // Tampering needs the trigger switched off (a superuser at the console): verification notices.
    await db.query('ALTER TABLE "NoticeVersion" DISABLE TRIGGER "NoticeVersion_no_update_or_delete"');
    try {
      await db.query(`UPDATE "NoticeVersion" SET terms = jsonb_set(terms, '{pieceRateBaseFen}', '1') WHERE id = $1`, [notice.id]);
    } finally {
      await db.query('ALTER TABLE "NoticeVersion" ENABLE TRIGGER "NoticeVersion_no_update_or_delete"');
    }
    const broken = JSON.parse((await new TestBrowser(server.url).get(`/api/notices/${notice.noticeId}/verify`)).text);
    expect(broken).toMatchObject({ ok: false, brokenAt: notice.version });
    expect(broken.versions.find((check: { version: number }) => check.version === notice.version)).toMatchObject({ contentOk: false });
    const page = await new TestBrowser(server.url).get(`/notices/${notice.noticeId}/verify`);
    expect(page.text).toContain(`第 ${notice.version} 版核验失败`);
  });

  it("answers a repeat request with 304 when unchanged, keeps signed-in pages private, and serves feeds and the QR code", async () => {
    const platform = await newPlatform();
    const { sessionId } = await agreedSession(platform);
    await ratifyAndSign(server.url, db, sessionId, { file: true });
    const notice = await publish(sessionId);
    const anonymous = new TestBrowser(server.url);
    const first = await anonymous.get(`/notices/${notice.noticeId}`);
    const etag = first.headers.get("etag");
    expect(etag).toBeTruthy();
    expect(first.headers.get("cache-control")).toMatch(/public/);
    const repeat = await anonymous.get(`/notices/${notice.noticeId}`, { headers: { "If-None-Match": etag!, ...REVALIDATE } });
    expect(repeat.headers.get("etag"), "same ETag on repeat").toBe(etag);
    expect(repeat.status).toBe(304);
    expect(repeat.text).toBe("");
    const other = await anonymous.get(`/notices/${notice.noticeId}`, { headers: { "If-None-Match": 'W/"something-else"' } });
    expect(other.status).toBe(200);
    const signedIn = await (await loginAs(server.url, "worker")).get(`/notices/${notice.noticeId}`);
    expect(signedIn.headers.get("cache-control")).toMatch(/private/);
    expect(signedIn.headers.get("etag")).toBeNull();

    const api = await anonymous.get(`/api/notices?platform=${platform.slug}`);
    const apiTag = api.headers.get("etag")!;
    expect(JSON.parse(api.text).notices).toHaveLength(1);
    expect((await anonymous.get(`/api/notices?platform=${platform.slug}`, { headers: { "If-None-Match": apiTag, ...REVALIDATE } })).status).toBe(304);

    for (const path of [`/feeds/platform/${platform.slug}`, "/feeds/industry/FOOD_DELIVERY", "/feeds/region/330100"]) {
      const feed = await anonymous.get(path);
      expect(feed.status).toBe(200);
      expect(feed.headers.get("content-type")).toMatch(/application\/atom\+xml/);
      expect(feed.text).toContain(`/notices/${notice.noticeId}/v/${notice.version}`);
    }
    expect((await anonymous.get("/feeds/planet/mars")).status).toBe(404);
    const qr = await anonymous.get(`/notices/${notice.noticeId}/qr`);
    expect(qr.headers.get("content-type")).toMatch(/image\/svg\+xml/);
    expect(qr.text).toMatch(/^<svg/);
    expect((await anonymous.get(`/notices/unknownNotice0000`)).status).toBe(404);
  });
});

describe("in force on a date, for every series at once", { timeout: 120_000 }, () => {
  it("picks in each series the version versionInForceOn picks, on generated series and dates (ties and expiries included)", async () => {
    const { noticesInForceOn } = await import("../../app/models/notice.server.ts");
    const { versionInForceOn } = await import("../../app/domain/notice.ts");
    const sessionId = await sessionInBargaining(server.url, db, `在某日生效 ${Date.now()}`);
    const platform = `inforce-${randomBytes(4).toString("hex")}`;
    const base = Date.UTC(2026, 0, 1);
    // 25 series of 1 to 4 versions; effective dates from a small range of days, so that ties
    // (the same effectiveFrom) and gaps (expired before the next) both happen.
    const shapes = fc.sample(fc.array(fc.record({ fromDay: fc.integer({ min: 0, max: 40 }), days: fc.integer({ min: 1, max: 60 }) }), { minLength: 1, maxLength: 4 }), { numRuns: 25, seed: 20261201 });
    const rows: Array<{ id: string; noticeId: string; version: number; effectiveFrom: Date; effectiveUntil: Date }> = [];
    for (const [s, shape] of shapes.entries()) {
      const noticeId = `if${randomBytes(6).toString("hex")}`;
      await db.query(`INSERT INTO "Notice" (id, "seriesKey", industry, "regionCode", "platformSlugs", "createdAt") VALUES ($1, $2, 'FOOD_DELIVERY', '330100', $3, now())`, [noticeId, `FOOD_DELIVERY/330100/${platform}-${s}`, [platform]]);
      for (const [v, version] of shape.entries()) {
        const row = { id: `${noticeId}v${v + 1}`, noticeId, version: v + 1, effectiveFrom: new Date(base + version.fromDay * DAY), effectiveUntil: new Date(base + (version.fromDay + version.days) * DAY) };
        rows.push(row);
        await db.query(
          `INSERT INTO "NoticeVersion" (id, "noticeId", version, "sessionId", kind, title, text, terms, industry, "regionCode", "platformSlugs", parties, signatures, ratification, "agreementHash", "publishedAt", "effectiveFrom", "effectiveUntil", "contentHash", "prevHash", hash)
           VALUES ($1, $2, $3, $4, 'AGREEMENT', '生成的公示', '正文', '{}', 'FOOD_DELIVERY', '330100', $5, '[]', '[]', '{}', 'h', $6, $6, $7, 'c', 'p', 'h')`,
          [row.id, noticeId, row.version, sessionId, [platform], row.effectiveFrom, row.effectiveUntil],
        );
      }
    }
    for (const day of [-1, 0, 1, 7, 20, 33, 40, 41, 55, 70, 99, 101]) {
      const date = new Date(base + day * DAY + (day % 2) * 3_600_000);
      const got = (await noticesInForceOn({ date, filters: { platform } })).map((row) => row.id).sort();
      const bySeries = new Map<string, typeof rows>();
      for (const row of rows) bySeries.set(row.noticeId, [...(bySeries.get(row.noticeId) ?? []), row]);
      const expected = [...bySeries.values()].map((versions) => versionInForceOn(versions, date)?.id).filter((id): id is string => id !== undefined).sort();
      expect(got, `in force on day ${day}`).toEqual(expected);
    }
    // Filters narrow: another region has none of these.
    expect(await noticesInForceOn({ date: new Date(base + 20 * DAY), filters: { platform, regionCode: "110100" } })).toEqual([]);
  });
});

describe("the notice page without scripts", { timeout: 120_000 }, () => {
  it("carries no script and computes the pay calculator's form on the server, keeping what was typed on an error", async () => {
    const { calculatePay } = await import("../../app/domain/pay.ts");
    const { WORKER_PROFILES } = await import("../../app/domain/worker-profiles.ts");
    const platform = await newPlatform();
    const { sessionId } = await agreedSession(platform);
    await ratifyAndSign(server.url, db, sessionId, { file: true });
    const notice = await publish(sessionId);
    const anonymous = new TestBrowser(server.url);
    const path = `/notices/${notice.noticeId}`;
    const net = (html: string) => /data-total="net"><th[^>]*>[^<]*<\/th><td[^>]*>([^<]*)</.exec(html)?.[1];

    const plain = await anonymous.get(path);
    expect(plain.status).toBe(200);
    // No page of the public notices carries a script (decision 026).
    for (const page of [plain, await anonymous.get("/notices"), await anonymous.get(`${path}/verify`), await anonymous.get(`${path}/v/${notice.version}?print=1`)]) {
      expect(page.status).toBe(200);
      expect(page.text).not.toMatch(/<script/);
      expect(page.text).not.toMatch(/modulepreload/);
    }
    // A signed-in page still loads the app.
    expect((await (await loginAs(server.url, "worker")).get("/sessions")).text).toMatch(/<script/);
    // As first opened: the first example profile.
    expect(net(plain.text)).toBe((calculatePay(VALID_TERMS, WORKER_PROFILES[0]!.period).netFen / 100).toFixed(2));

    // A submitted month: two order rows (a blank one dropped), one penalty, no commission typed.
    const query = new URLSearchParams([
      ["calc", "1"], ["days", "22"], ["online", "176"], ["taking", "150.5"], ["commission", ""],
      ["ot", "STANDARD"], ["tb", "ALL_DAY"], ["km", "2.5"], ["n", "400"], ["hol", "10"], ["bw", "20"],
      ["ot", "URGENT"], ["tb", "NIGHT"], ["km", "4"], ["n", "30"], ["hol", ""], ["bw", ""],
      ["ot", "STANDARD"], ["tb", "ALL_DAY"], ["km", ""], ["n", ""], ["hol", ""], ["bw", ""],
      ["pk", "LATE_DELIVERY"], ["pn", "2"], ["pc", ""],
    ]);
    const computed = await anonymous.get(`${path}?${query}`);
    expect(computed.status).toBe(200);
    const expected = calculatePay(VALID_TERMS, {
      days: 22, onlineMinutes: 176 * 60, orderTakingMinutes: 9030, commissionBp: null,
      orders: [
        { orderType: "STANDARD", timeBand: "ALL_DAY", distanceMetres: 2500, count: 400, holidayCount: 10, badWeatherCount: 20 },
        { orderType: "URGENT", timeBand: "NIGHT", distanceMetres: 4000, count: 30, holidayCount: 0, badWeatherCount: 0 },
      ],
      penalties: [{ kind: "LATE_DELIVERY", count: 2, cause: null }],
    });
    expect(net(computed.text)).toBe((expected.netFen / 100).toFixed(2));
    expect(computed.text).toContain('value="150.5"');
    // Its own ETag: a reader who saw the plain page is not told "304" for a computed one.
    expect(computed.headers.get("etag")).not.toBe(plain.headers.get("etag"));
    const revalidated = await anonymous.get(`${path}?${query}`, { headers: { "If-None-Match": plain.headers.get("etag")!, ...REVALIDATE } });
    expect(revalidated.status).toBe(200);

    // Bad input: a localized error, the typed value back in its field, nothing computed.
    const bad = await anonymous.get(`${path}?calc=1&days=%E4%BA%8C%E5%8D%81&online=100&taking=90&ot=STANDARD&tb=ALL_DAY&km=2&n=10`);
    expect(bad.status).toBe(200);
    // The message names the field, which is marked and points at it (issue 24).
    expect(bad.text).toMatch(/data-testid="pay-error">“工作天数”：请输入整数。/);
    expect(bad.text).toMatch(/aria-invalid="true" aria-describedby="pay-error" name="days"/);
    expect(bad.text).toContain('value="二十"');
    expect(net(bad.text)).toBeUndefined();
    const english = await anonymous.get(`${path}?calc=1&days=x&online=100&taking=90`, { headers: { "Accept-Language": "en" } });
    expect(english.text).toMatch(/data-testid="pay-error">“[A-Z][^”]+”: Enter a whole number/);
    // Out of range: the bound in the unit typed, never "at most 0".
    const tooLong = await anonymous.get(`${path}?calc=1&days=40&online=100&taking=90`);
    expect(tooLong.text).toMatch(/data-testid="pay-error">“工作天数”：不能大于 31。/);
    const far = await anonymous.get(`${path}?calc=1&days=10&online=100&taking=90&ot=STANDARD&tb=ALL_DAY&km=250&n=10`);
    expect(far.text).toMatch(/data-testid="pay-error">订单第 1 行的“距离（公里）”：不能大于 100。/);
    // Taking orders longer than online is refused by the calculator's own schema.
    const longer = await anonymous.get(`${path}?calc=1&days=10&online=10&taking=20`);
    expect(longer.text).toMatch(/data-testid="pay-error">“[^”]+”：接单时长不能超过在线时长。/);
    // Too many rows: refused with the limit, not computed.
    const many = new URLSearchParams([["calc", "1"], ["days", "1"], ["online", "1"], ["taking", "1"]]);
    for (let i = 0; i < 21; i += 1) for (const [key, value] of [["ot", "STANDARD"], ["tb", "ALL_DAY"], ["km", "1"], ["n", "1"], ["hol", "0"], ["bw", "0"]]) many.append(key!, value!);
    const tooMany = await anonymous.get(`${path}?${many}`);
    expect(tooMany.status).toBe(200);
    expect(tooMany.text).toMatch(/data-testid="pay-error">最多 20 行订单/);
    // An example profile chosen by its link.
    const evenings = await anonymous.get(`${path}?profile=evenings`);
    expect(net(evenings.text)).toBe((calculatePay(VALID_TERMS, WORKER_PROFILES.find((p) => p.id === "evenings")!.period).netFen / 100).toFixed(2));
  });
});

describe("feedback in the notice period", { timeout: 120_000 }, () => {
  it("is anonymous, throttled, moderated by the union and counted by topic for both sides", async () => {
    const platform = await newPlatform();
    const { sessionId } = await agreedSession(platform);
    await ratifyAndSign(server.url, db, sessionId, { file: true });
    const notice = await publish(sessionId);
    const rider = new TestBrowser(server.url);
    const empty = await rider.post(`/notices/${notice.noticeId}`, { topic: "pieceRate", body: "   " });
    expect(empty.status).toBe(400);
    for (let index = 0; index < 5; index += 1) {
      const sent = await rider.post(`/notices/${notice.noticeId}`, { topic: index < 3 ? "pieceRate" : "workTime", body: `意见 ${index}` });
      expect(sent.status).toBe(302);
    }
    const throttled = await rider.post(`/notices/${notice.noticeId}`, { topic: "pieceRate", body: "第六条意见" });
    expect(throttled.status).toBe(429);
    const stored = (await db.query('SELECT * FROM "NoticeFeedback" WHERE "noticeVersionId" = $1', [notice.id])).rows;
    expect(stored).toHaveLength(5);
    // Nothing that identifies the sender is stored: no user, no address.
    expect(Object.keys(stored[0]).sort()).toEqual(["body", "createdAt", "id", "moderatedAt", "moderatedById", "noticeVersionId", "status", "topic"]);
    expect(JSON.stringify(stored)).not.toContain(rider.ip);
    // The limiter's key is not a plain hash of the address (reversible by hashing every IPv4
    // address) but an HMAC under a random key of the day, and no key of an earlier day is kept.
    const limiterKeys = (await db.query(`SELECT key FROM "RateLimiterFlexible" WHERE key LIKE 'feedback-ip%'`)).rows.map((row) => row.key as string);
    expect(limiterKeys.length).toBeGreaterThan(0);
    const { createHash, createHmac } = await import("node:crypto");
    const plain = createHash("sha256").update(`xs-feedback:${rider.ip}`).digest("hex");
    expect(limiterKeys.some((key) => key.includes(plain))).toBe(false);
    const keys = (await db.query('SELECT day, key FROM "DailyKey"')).rows as Array<{ day: string; key: string }>;
    expect(keys).toHaveLength(1);
    const keyed = createHmac("sha256", keys[0]!.key).update(`feedback\u0000${rider.ip}`).digest("hex");
    expect(limiterKeys.some((key) => key.endsWith(keyed))).toBe(true);

    const union = await loginAs(server.url, "unionAdmin");
    const platformSide = await loginAs(server.url, "platformRepresentative");
    const unionView = await union.get(`/sessions/${sessionId}/agreement`);
    expect(unionView.text).toContain("意见 0");
    const platformView = await platformSide.get(`/sessions/${sessionId}/agreement`);
    expect(platformView.text).toContain("共收到 5 条意见");
    expect(platformView.text).not.toContain("意见 0");
    // Feedback waiting for moderation is on the union's action list (issue 23, item 1), never on the platform side's.
    const actionsOn = async (browser: TestBrowser) => {
      const page = await browser.get("/sessions");
      const card = new RegExp(`<li[^>]*data-session="${sessionId}"[^>]*>([\\s\\S]*?)</ul></li>`).exec(page.text)?.[1] ?? "";
      return [...card.matchAll(/data-action="([^"]+)"/g)].map((match) => match[1]!);
    };
    expect(await actionsOn(union)).toEqual(["moderateFeedback"]);
    expect(await actionsOn(platformSide)).toEqual([]);
    // The platform side cannot moderate; the union releases one text.
    const first = stored.find((row) => row.body === "意见 0");
    expect((await platformSide.post(`/sessions/${sessionId}/agreement`, { intent: "moderateFeedback", feedbackId: first.id, status: "PUBLISHED" })).status).toBe(403);
    await expectStatus(await union.post(`/sessions/${sessionId}/agreement`, { intent: "moderateFeedback", feedbackId: first.id, status: "PUBLISHED" }), 302, "moderate");
    const released = await platformSide.get(`/sessions/${sessionId}/agreement`);
    expect(released.text).toContain("意见 0");
    expect(released.text).not.toContain("意见 1");
    // Once every item is decided, nothing is left to do.
    for (const row of stored.filter((candidate) => candidate.id !== first.id)) {
      await expectStatus(await union.post(`/sessions/${sessionId}/agreement`, { intent: "moderateFeedback", feedbackId: row.id, status: "REJECTED" }), 302, "moderate");
    }
    expect(await actionsOn(union)).toEqual([]);

    // Feedback stays open for the whole term (issue 20, item 3), and closes when it ends.
    const { submitFeedback } = await import("../../app/models/feedback.server.ts");
    const until = (await db.query('SELECT "effectiveUntil" FROM "NoticeVersion" WHERE id = $1', [notice.id])).rows[0].effectiveUntil as Date;
    await submitFeedback({ noticeId: notice.noticeId, version: notice.version, ip: "10.9.9.10", input: { topic: "pieceRate", body: "生效一年后仍可提意见" }, now: new Date(until.getTime() - 1000) });
    await expect(
      submitFeedback({ noticeId: notice.noticeId, version: notice.version, ip: "10.9.9.9", input: { topic: "pieceRate", body: "晚了" }, now: until }),
    ).rejects.toMatchObject({ code: "notice.notInNoticePeriod" });
  });
});
