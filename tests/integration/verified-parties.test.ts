/**
 * Notices workers can trust (issue 18): verified organizations, every party's own consent, a
 * notice series that belongs to its parties, terms re-checked at filing and publication, and the
 * provenance a rider sees. Everything over the real HTTP interface of a real server and database,
 * as a signed-up stranger, the organizations' own people, the bureau and the operator would use it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reviewEndsAt } from "../../app/domain/procedure.ts";
import pg from "pg";
import * as Y from "yjs";
import { DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { TestBrowser, uniqueEmail } from "../support/browser.ts";
import { startTestServer } from "../support/server.ts";
import { loginAs, sessionInBargaining, VALID_TERMS, writeTerms } from "../support/sessions.ts";
import { agreeDraft, expectStatus, ratifyAndSign, writeText } from "../support/agreement.ts";
import { creditCodeCheckCharacter } from "../../app/domain/credit-code.ts";

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

const idOf = async (slug: string) => (await db.query('SELECT id FROM "Organization" WHERE slug = $1', [slug])).rows[0].id as string;
const state = async (sessionId: string) => (await db.query('SELECT state FROM "BargainingSession" WHERE id = $1', [sessionId])).rows[0].state as string;
const verificationOf = async (slug: string) => (await db.query('SELECT verification, "creditCode" FROM "Organization" WHERE slug = $1', [slug])).rows[0] as { verification: string; creditCode: string | null };
const orgTrail = async (slug: string) => (await db.query('SELECT e.type, e.payload FROM "OrganizationAuditEvent" e JOIN "Organization" o ON o.id = e."organizationId" WHERE o.slug = $1 ORDER BY e.seq', [slug])).rows as Array<{ type: string; payload: Record<string, unknown> }>;
const sessionTrail = async (sessionId: string) => (await db.query('SELECT type, payload FROM "AuditEvent" WHERE "sessionId" = $1 ORDER BY seq', [sessionId])).rows as Array<{ type: string; payload: Record<string, unknown> }>;
const versionsOf = async (sessionId: string) => (await db.query('SELECT "noticeId", version, parties FROM "NoticeVersion" WHERE "sessionId" = $1', [sessionId])).rows as Array<{ noticeId: string; version: number; parties: Array<Record<string, unknown>> }>;

/** A digest of everything verification and consent touch, to show a refusal changed nothing. */
async function digest(): Promise<string> {
  const rows = await Promise.all([
    db.query('SELECT slug, name, verification, "creditCode" FROM "Organization" ORDER BY slug'),
    db.query('SELECT count(*)::int AS n FROM "OrganizationVerification"'),
    db.query('SELECT count(*)::int AS n FROM "OrganizationAuditEvent"'),
    db.query('SELECT id, consent FROM "SessionParty" ORDER BY id'),
    db.query('SELECT count(*)::int AS n FROM "NoticeVersion"'),
    db.query('SELECT count(*)::int AS n FROM "BargainingSession"'),
  ]);
  return JSON.stringify(rows.map((result) => result.rows));
}

async function signedUpStranger(): Promise<TestBrowser> {
  const browser = new TestBrowser(server.url);
  await browser.signup({ email: uniqueEmail("stranger"), displayName: "冒名者" });
  return browser;
}

async function createOrganization(browser: TestBrowser, input: { name: string; type: string; slug?: string }) {
  const slug = input.slug ?? `org-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6)}`;
  await expectStatus(await browser.post("/orgs/new", { name: input.name, slug, type: input.type, regionCode: "330100" }), 302, "create organization");
  return { slug, id: await idOf(slug) };
}

/** A session taken to filing over HTTP; `publish` lets the review lapse. */
async function filedSession(title: string, options: { beforeFiling?: (sessionId: string) => Promise<void> } = {}) {
  const sessionId = await sessionInBargaining(server.url, db, title);
  await writeTerms(server.url, sessionId, VALID_TERMS);
  await writeText(server.url, sessionId, ["第一条 计件单价按条款执行。"]);
  await agreeDraft(server.url, sessionId);
  await ratifyAndSign(server.url, db, sessionId);
  await options.beforeFiling?.(sessionId);
  await expectStatus(await (await loginAs(server.url, "associationRepresentative")).post(`/sessions/${sessionId}/agreement`, { intent: "file" }), 302, "file");
  return sessionId;
}

async function lapseReview(sessionId: string) {
  const filedAt: Date = (await db.query('SELECT "filedAt" FROM "BargainingSession" WHERE id = $1', [sessionId])).rows[0].filedAt;
  await server.sweep(reviewEndsAt(filedAt));
}

/** A real published code (Huawei, 华为技术有限公司; tests/unit/credit-code.test.ts cites it). */
const REAL_CODE = "914403001922038216";
const SECOND_REAL_CODE = "91370000728611939A";

describe("verifying an organization", () => {
  it("refuses a wrong credit code with a localized message beside the field, keeps what was typed and changes nothing", async () => {
    const admin = await signedUpStranger();
    const org = await createOrganization(admin, { name: "测试平台甲", type: "PLATFORM" });
    const before = await digest();
    const valid = { intent: "submitVerification", registrationAuthority: "杭州市市场监督管理局", contactName: "张三", contactPhone: "0571-88000000", contactEmail: "contact@example.test" };
    const wrong: Array<[string, string]> = [
      ["9144030019220382", "统一社会信用代码应为 18 位"],
      ["91440300192203821I", "只含数字和大写字母"],
      [`${REAL_CODE.slice(0, 17)}7`, "校验位不符"],
      [`${REAL_CODE.slice(0, 5)}5${REAL_CODE.slice(6)}`, "校验位不符"],
    ];
    for (const [code, message] of wrong) {
      const page = await admin.post(`/orgs/${org.slug}`, { ...valid, creditCode: code });
      expect(page.status, code).toBe(400);
      expect(page.text).toContain(message);
      expect(page.text).toContain(`value="${code}"`);
    }
    await admin.post("/locale", { locale: "en", redirectTo: "/" });
    const english = await admin.post(`/orgs/${org.slug}`, { ...valid, creditCode: `${REAL_CODE.slice(0, 17)}7` });
    expect(english.text).toContain("The check character does not match");
    expect(await digest()).toBe(before);
  });

  it("takes a request from the organization's own administrator to the operator's decision, each step in the organization's own chain", async () => {
    const admin = await signedUpStranger();
    const org = await createOrganization(admin, { name: "测试配送平台乙", type: "PLATFORM" });
    expect((await admin.get(`/orgs/${org.slug}`)).text).toContain("未核验");

    // A member who is not the administrator may not submit; neither may a stranger.
    const stranger = await signedUpStranger();
    expect((await stranger.post(`/orgs/${org.slug}`, { intent: "submitVerification", creditCode: REAL_CODE, registrationAuthority: "x", contactName: "x", contactPhone: "0571-88000000", contactEmail: "x@example.test" })).status).toBe(403);

    await expectStatus(await admin.post(`/orgs/${org.slug}`, { intent: "submitVerification", creditCode: ` ${REAL_CODE.toLowerCase()} `, registrationAuthority: "深圳市市场监督管理局", contactName: "张三", contactPhone: "0755-88000000", contactEmail: "contact@example.test" }), 302, "submit");
    expect(await verificationOf(org.slug)).toEqual({ verification: "PENDING", creditCode: null });
    expect((await admin.post(`/orgs/${org.slug}`, { intent: "submitVerification", creditCode: REAL_CODE, registrationAuthority: "x", contactName: "x", contactPhone: "0571-88000000", contactEmail: "x@example.test" })).status).toBe(409);

    // The queue: the operator sees it; a signed-up stranger gets "not found".
    expect((await stranger.get("/admin/verifications")).status).toBe(404);
    const operator = new TestBrowser(server.url);
    await operator.login("operator@xieshang.demo", DEMO_PASSWORD);
    const queue = await operator.get("/admin/verifications");
    expect(queue.status).toBe(200);
    expect(queue.text).toContain("测试配送平台乙");
    expect(queue.text).toContain(REAL_CODE);
    const requestId = (await db.query('SELECT id FROM "OrganizationVerification" WHERE "organizationId" = $1 AND status = $2', [org.id, "PENDING"])).rows[0].id as string;

    // A rejection needs a reason; the administrator cannot decide on their own organization.
    expect((await operator.post("/admin/verifications", { requestId, decision: "reject" })).status).toBe(400);
    expect((await admin.post("/admin/verifications", { requestId, decision: "approve" })).status).toBe(404);
    await expectStatus(await operator.post("/admin/verifications", { requestId, decision: "approve", reason: "营业执照核对一致" }), 302, "approve");
    expect(await verificationOf(org.slug)).toEqual({ verification: "VERIFIED", creditCode: REAL_CODE });
    expect((await admin.get(`/orgs/${org.slug}`)).text).toContain(REAL_CODE);
    // Its administrator is told, with a link to the organization's verification.
    const told = await admin.get("/notifications");
    expect(told.text).toContain("你的组织“测试配送平台乙”已通过身份核验。");
    expect(told.text).toContain(`href="/orgs/${org.slug}#verification"`);
    // Decided once: a replayed decision is refused.
    expect((await operator.post("/admin/verifications", { requestId, decision: "reject", reason: "重放" })).status).toBe(409);

    // One verified organization per code: another organization claiming it is refused on approval.
    const copycat = await signedUpStranger();
    const other = await createOrganization(copycat, { name: "冒用代码的平台", type: "PLATFORM" });
    await expectStatus(await copycat.post(`/orgs/${other.slug}`, { intent: "submitVerification", creditCode: REAL_CODE, registrationAuthority: "x", contactName: "x", contactPhone: "0571-88000000", contactEmail: "x@example.test" }), 302, "submit copy");
    const copyRequest = (await db.query('SELECT id FROM "OrganizationVerification" WHERE "organizationId" = $1', [other.id])).rows[0].id as string;
    const taken = await operator.post("/admin/verifications", { requestId: copyRequest, decision: "approve" });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain("已有另一个已核验的组织使用此统一社会信用代码");
    expect((await verificationOf(other.slug)).verification).toBe("PENDING");

    // Renamed: back to review, with a new request carrying the evidence and the new name.
    await expectStatus(await admin.post(`/orgs/${org.slug}`, { intent: "updateOrganization", name: "测试配送平台乙（更名）" }), 302, "rename");
    expect((await verificationOf(org.slug)).verification).toBe("PENDING");
    expect((await operator.get("/admin/verifications")).text).toContain("测试配送平台乙（更名）");

    expect((await orgTrail(org.slug)).map((event) => event.type)).toEqual(["organization.registered", "verification.submitted", "verification.approved", "organization.updated", "verification.reopened"]);
    const page = await admin.get(`/orgs/${org.slug}`);
    expect(page.text).toContain("操作留痕记录完整：共 5 条记录");
    // Append-only at the database, like a session's chain.
    await expect(db.query(`UPDATE "OrganizationAuditEvent" SET type = 'x' WHERE "organizationId" = $1`, [org.id])).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM "OrganizationAuditEvent" WHERE "organizationId" = $1`, [org.id])).rejects.toThrow(/append-only/);
  });

  it("lets a verified labour bureau verify the associations and enterprises of its region, not unions", async () => {
    const founder = await signedUpStranger();
    const association = await createOrganization(founder, { name: "测试行业协会", type: "ASSOCIATION" });
    const union = await createOrganization(founder, { name: "测试工会", type: "UNION" });
    const form = { intent: "submitVerification", creditCode: SECOND_REAL_CODE, registrationAuthority: "杭州市民政局", contactName: "李四", contactPhone: "0571-88000001", contactEmail: "x@example.test" };
    await expectStatus(await founder.post(`/orgs/${association.slug}`, form), 302, "association submits");
    // A union names the higher-level union that registered its legal personality.
    const unionCode = `81330100MA0000001${creditCodeCheckCharacter("81330100MA0000001")}`;
    const missingParent = await founder.post(`/orgs/${union.slug}`, { ...form, creditCode: unionCode });
    expect(missingParent.status).toBe(400);
    expect(missingParent.text).toContain("须填写办理其法人资格登记的上级工会");
    await expectStatus(await founder.post(`/orgs/${union.slug}`, { ...form, creditCode: unionCode, parentUnionName: "杭州市总工会" }), 302, "union submits");

    const reviewer = await loginAs(server.url, "bureauReviewer");
    // The directory leads a verifier to the queue, and nobody else.
    expect((await reviewer.get("/orgs")).text).toContain('href="/admin/verifications"');
    expect((await founder.get("/orgs")).text).not.toContain('href="/admin/verifications"');
    const queue = await reviewer.get("/admin/verifications");
    expect(queue.status).toBe(200);
    expect(queue.text).toContain("测试行业协会");
    expect(queue.text).not.toContain("测试工会");
    const unionRequest = (await db.query('SELECT id FROM "OrganizationVerification" WHERE "organizationId" = $1', [union.id])).rows[0].id as string;
    expect((await reviewer.post("/admin/verifications", { requestId: unionRequest, decision: "approve" })).status).toBe(403);
    const associationRequest = (await db.query('SELECT id FROM "OrganizationVerification" WHERE "organizationId" = $1', [association.id])).rows[0].id as string;
    await expectStatus(await reviewer.post("/admin/verifications", { requestId: associationRequest, decision: "approve" }), 302, "bureau approves");
    expect((await verificationOf(association.slug)).verification).toBe("VERIFIED");
    const approved = (await orgTrail(association.slug)).find((event) => event.type === "verification.approved")!;
    expect(approved.payload.decidedAs).toBe(`BUREAU:${await idOf("hz-hrss-bureau")}`);
  });
});

describe("every party consents for itself", () => {
  it("keeps a session proposed until each named organization accepted through its own people; a refusal with reasons is the answer", async () => {
    const negotiator = await loginAs(server.url, "unionNegotiator");
    const propose = async (title: string) => {
      const form = new URLSearchParams({ proposerOrganizationId: await idOf("hz-rider-union"), title, industry: "FOOD_DELIVERY", regionCode: "330100", representativesPerSide: "3", termMonths: "24", proposalText: "就计件单价开展协商。" });
      form.append("topics[]", "pieceRate");
      for (const slug of ["hz-catering-association", "swift-eats"]) form.append("recipientOrganizationIds[]", await idOf(slug));
      form.append("coveredOrganizationIds[]", await idOf("swift-eats"));
      const page = await negotiator.request("/sessions/new", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: form.toString() });
      expect(page.status, page.text.slice(0, 300)).toBe(302);
      return page.location!.split("/").pop()!;
    };
    const sessionId = await propose(`各方同意 ${Date.now()}`);
    // Someone who is not the invited organization's admin or negotiator cannot answer for it.
    const before = await digest();
    expect((await (await signedUpStranger()).post(`/sessions/${sessionId}`, { intent: "accept" })).status).toBe(404);
    expect((await (await loginAs(server.url, "workerRepresentative")).post(`/sessions/${sessionId}`, { intent: "accept" })).status).toBe(403);
    expect(await digest()).toBe(before);

    const association = await loginAs(server.url, "associationRepresentative");
    await expectStatus(await association.post(`/sessions/${sessionId}`, { intent: "accept" }), 302, "association accepts");
    expect(await state(sessionId)).toBe("PROPOSED");
    const page = await negotiator.get(`/sessions/${sessionId}`);
    expect(page.text).toContain("已同意参加");
    expect(page.text).toContain("待该组织回应");
    // The association has answered: it is offered no answer any more.
    expect((await association.get(`/sessions/${sessionId}`)).text).not.toContain("接受要约");
    // The platform's own administrator answers for it.
    const platformAdmin = new TestBrowser(server.url);
    await platformAdmin.login("admin@swifteats.demo", DEMO_PASSWORD);
    await expectStatus(await platformAdmin.post(`/sessions/${sessionId}`, { intent: "accept" }), 302, "platform accepts");
    expect(await state(sessionId)).toBe("ACCEPTED");

    const declined = await propose(`一方拒绝 ${Date.now()}`);
    await expectStatus(await association.post(`/sessions/${declined}`, { intent: "accept" }), 302, "association accepts");
    await expectStatus(await platformAdmin.post(`/sessions/${declined}`, { intent: "decline", reasons: "本平台不在该区域经营" }), 302, "platform declines");
    expect(await state(declined)).toBe("DECLINED");
    const parties = (await db.query(`SELECT o.slug, p.consent, p."declineReason" FROM "SessionParty" p JOIN "Organization" o ON o.id = p."organizationId" WHERE p."sessionId" = $1 ORDER BY o.slug`, [declined])).rows;
    expect(parties).toContainEqual({ slug: "swift-eats", consent: "DECLINED", declineReason: "本平台不在该区域经营" });
    expect((await sessionTrail(declined)).filter((event) => event.type === "party.answered").map((event) => event.payload.accept)).toEqual([true, false]);
  });
});

describe("the forged union (issue 18's scenario)", () => {
  it("is marked unverified, cannot accept for the real parties, cannot join the real series, and an unverified party never publishes", async () => {
    // A genuine agreement, published into its own series with every party verified.
    const genuine = await filedSession(`真实协议 ${Date.now()}`);
    await lapseReview(genuine);
    const [published] = await versionsOf(genuine);
    expect(published, "the genuine agreement is published").toBeTruthy();
    const series = published!.noticeId;

    // A stranger registers an "industry union" and proposes to the real association and platform.
    const forger = await signedUpStranger();
    const fake = await createOrganization(forger, { name: "杭州市外卖配送行业工会", type: "UNION" });
    const proposal = () => {
      const form = new URLSearchParams({ proposerOrganizationId: fake.id, title: "冒名协商", industry: "FOOD_DELIVERY", regionCode: "330100", representativesPerSide: "3", termMonths: "24", proposalText: "冒名要约。" });
      form.append("topics[]", "pieceRate");
      return form;
    };
    const form = proposal();
    form.append("recipientOrganizationIds[]", await idOf("hz-catering-association"));
    form.append("recipientOrganizationIds[]", await idOf("swift-eats"));
    form.append("coveredOrganizationIds[]", await idOf("swift-eats"));
    form.append("observerOrganizationIds[]", await idOf("hz-hrss-bureau"));
    const proposed = await forger.request("/sessions/new", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: form.toString() });
    expect(proposed.status, proposed.text.slice(0, 300)).toBe(302);
    const forged = proposed.location!.split("/").pop()!;
    // Marked wherever it appears: the session page, the directory, the organization page.
    const association = await loginAs(server.url, "associationRepresentative");
    const seen = await association.get(`/sessions/${forged}`);
    expect(seen.text).toMatch(/杭州市外卖配送行业工会<\/a> <span class="badge badge-warn"[^>]*data-verification="UNVERIFIED">未核验/);
    expect((await association.get("/orgs?type=UNION")).text).toContain("未核验");
    // The forger cannot answer for the parties it named; one recipient's acceptance is only its own.
    expect((await forger.post(`/sessions/${forged}`, { intent: "accept" })).status).toBe(403);
    await expectStatus(await association.post(`/sessions/${forged}`, { intent: "accept" }), 302, "association accepts");
    expect(await state(forged)).toBe("PROPOSED");

    // It cannot continue the genuine series: its parties do not include the series' parties.
    const renewal = proposal();
    renewal.append("recipientOrganizationIds[]", await idOf("hz-catering-association"));
    renewal.append("continuesNoticeId", series);
    const refusedRenewal = await forger.request("/sessions/new", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: renewal.toString() });
    expect(refusedRenewal.status).toBe(409);
    expect(refusedRenewal.text).toContain("续订协议的各方须包括原公布系列的全部当事方");
    const unknown = proposal();
    unknown.append("recipientOrganizationIds[]", await idOf("hz-catering-association"));
    unknown.append("continuesNoticeId", "no-such-series");
    expect((await forger.request("/sessions/new", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: unknown.toString() })).status).toBe(404);

    // A later agreement that is not a renewal starts its own series, whatever its industry, region and platforms.
    const second = await filedSession(`第二份协议 ${Date.now()}`);
    await lapseReview(second);
    const [secondVersion] = await versionsOf(second);
    expect(secondVersion!.noticeId).not.toBe(series);
    expect(secondVersion!.version).toBe(1);

    // An unverified party never publishes: the union renamed (back to review) before the review lapses.
    const held = await filedSession(`待核验方的协议 ${Date.now()}`);
    const unionAdmin = await loginAs(server.url, "unionAdmin");
    await expectStatus(await unionAdmin.post("/orgs/hz-rider-union", { intent: "updateOrganization", name: "杭州市外卖配送行业工会（演示，更名）", nameEn: "Hangzhou Food-Delivery Riders' Industry Union (demo)" }), 302, "rename");
    expect((await verificationOf("hz-rider-union")).verification).toBe("PENDING");
    await lapseReview(held);
    expect(await state(held)).toMatch(/APPROVED|IN_FORCE/);
    expect(await versionsOf(held)).toEqual([]);
    const refusal = (await sessionTrail(held)).find((event) => event.type === "notice.publicationRefused")!;
    expect(refusal.payload).toMatchObject({ reason: "unverifiedParty", organizationIds: [await idOf("hz-rider-union")] });
    expect((await orgTrail("hz-rider-union")).map((event) => event.type)).toContain("publication.refused");
    expect((await fetch(`${server.url}/notices`).then((response) => response.text()))).not.toContain("待核验方的协议");
    // Verified again by the operator: the agreement that waited is published.
    const operator = new TestBrowser(server.url);
    await operator.login("operator@xieshang.demo", DEMO_PASSWORD);
    const requestId = (await db.query(`SELECT id FROM "OrganizationVerification" WHERE "organizationId" = $1 AND status = 'PENDING'`, [await idOf("hz-rider-union")])).rows[0].id as string;
    await expectStatus(await operator.post("/admin/verifications", { requestId, decision: "approve", reason: "更名核对一致" }), 302, "approve");
    expect(await versionsOf(held)).toHaveLength(1);
  });
});

describe("a renewal continues its series", () => {
  it("adds the renewal's agreement as the series' next version and tells the series' people", async () => {
    const first = await filedSession(`续订前 ${Date.now()}`);
    await lapseReview(first);
    const [v1] = await versionsOf(first);
    const negotiator = await loginAs(server.url, "unionNegotiator");
    // The proposal form offers the series.
    expect((await negotiator.get("/sessions/new")).text).toContain(v1!.noticeId);
    const renewal = await sessionInBargaining(server.url, db, `续订 ${Date.now()}`, { continuesNoticeId: v1!.noticeId });
    expect((await db.query('SELECT "continuesNoticeId" FROM "BargainingSession" WHERE id = $1', [renewal])).rows[0].continuesNoticeId).toBe(v1!.noticeId);
    const told = (await db.query(`SELECT count(*)::int AS n FROM "Notification" n JOIN "User" u ON u.id = n."userId" WHERE n."sessionId" = $1 AND n.type = 'series.renewalProposed' AND u.email = 'rep@swifteats.demo'`, [renewal])).rows[0].n;
    expect(told).toBe(1);
    await writeTerms(server.url, renewal, VALID_TERMS);
    await writeText(server.url, renewal, ["第一条 续订。"]);
    await agreeDraft(server.url, renewal);
    await ratifyAndSign(server.url, db, renewal, { file: true });
    await lapseReview(renewal);
    const [v2] = await versionsOf(renewal);
    expect(v2).toMatchObject({ noticeId: v1!.noticeId, version: 2 });
    const verify = (await fetch(`${server.url}/api/notices/${v1!.noticeId}/verify`).then((response) => response.json())) as { ok: boolean };
    expect(verify.ok).toBe(true);
  });
});

describe("provenance on the notice", () => {
  it("shows each party's verification and code on the notice page, the verify page and the JSON API", async () => {
    const sessionId = await filedSession(`出处 ${Date.now()}`);
    await lapseReview(sessionId);
    const [version] = await versionsOf(sessionId);
    const union = await verificationOf("hz-rider-union");
    expect(union.verification).toBe("VERIFIED");
    const page = await fetch(`${server.url}/notices/${version!.noticeId}/v/${version!.version}`).then((response) => response.text());
    expect(page).toContain(`统一社会信用代码 ${union.creditCode}`);
    expect(page).toContain('data-verification="VERIFIED"');
    const api = (await fetch(`${server.url}/api/notices/${version!.noticeId}/versions/${version!.version}`).then((response) => response.json())) as { parties: Array<{ slug: string; verification: { status: string; creditCode: string } }> };
    expect(api.parties.find((party) => party.slug === "hz-rider-union")!.verification).toMatchObject({ status: "VERIFIED", creditCode: union.creditCode });
    expect(api.parties.every((party) => party.verification.status === "VERIFIED")).toBe(true);
    const verifyApi = (await fetch(`${server.url}/api/notices/${version!.noticeId}/verify`).then((response) => response.json())) as { versions: Array<{ parties: Array<{ verification: { creditCode: string } }> }> };
    expect(verifyApi.versions[0]!.parties.map((party) => party.verification.creditCode)).toContain(union.creditCode);
    const verifyPage = await fetch(`${server.url}/notices/${version!.noticeId}/verify`).then((response) => response.text());
    expect(verifyPage).toContain(union.creditCode!);
  });
});

describe("terms re-checked at filing and publication (issue 18, item 4)", () => {
  /** Writes a negative piece rate straight into the stored document, behind the app's back. */
  async function corruptDocument(sessionId: string) {
    const { appendUpdate, loadDocument } = await import("../../app/models/document-store.server.ts");
    const { id: documentId } = (await db.query('SELECT id FROM "DraftDocument" WHERE "sessionId" = $1', [sessionId])).rows[0];
    const { doc } = await loadDocument(sessionId);
    const before = Y.encodeStateVector(doc);
    doc.getMap("terms").set("pieceRateBaseFen", -5);
    await appendUpdate(documentId, Y.encodeStateAsUpdate(doc, before), null);
    doc.destroy();
  }

  it("refuses filing when the stored terms cannot be read", async () => {
    let sessionId = "";
    await expect(
      filedSession(`归档复核 ${Date.now()}`, {
        beforeFiling: async (id) => {
          sessionId = id;
          await corruptDocument(id);
        },
      }),
    ).rejects.toThrow(/file: expected 302, got 409/);
    const again = await (await loginAs(server.url, "associationRepresentative")).post(`/sessions/${sessionId}/agreement`, { intent: "file" });
    expect(again.status).toBe(409);
    expect(again.text).toContain("结构化条款无法读取");
    expect(await state(sessionId)).toBe("SIGNED");
  });

  it("refuses publication when the ratified terms were corrupted in the database, and records it", async () => {
    const sessionId = await filedSession(`公示复核 ${Date.now()}`);
    await db.query(`UPDATE "DraftVersion" SET terms = jsonb_set(terms, '{pieceRateBaseFen}', '-5') WHERE id = (SELECT "versionId" FROM "RatificationVote" WHERE "sessionId" = $1 AND passed)`, [sessionId]);
    await lapseReview(sessionId);
    expect(await versionsOf(sessionId)).toEqual([]);
    expect((await sessionTrail(sessionId)).find((event) => event.type === "notice.publicationRefused")!.payload).toMatchObject({ reason: "termsUnreadable" });
  });
});
