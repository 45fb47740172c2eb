import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { TestBrowser, uniqueEmail } from "../support/browser.ts";
import { startTestServer } from "../support/server.ts";

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

let slugCounter = 0;
function uniqueSlug(prefix = "org") {
  slugCounter += 1;
  return `${prefix}-${process.pid}-${slugCounter}`;
}

async function signedIn(prefix: string) {
  const browser = new TestBrowser(server.url);
  const email = uniqueEmail(prefix).toLowerCase();
  await browser.signup({ email, displayName: `${prefix} 用户` });
  return { browser, email };
}

async function createOrg(browser: TestBrowser, overrides: Record<string, string> = {}) {
  const slug = overrides.slug ?? uniqueSlug();
  const page = await browser.post("/orgs/new", { name: "测试骑手工会", slug, type: "UNION", regionCode: "330100", ...overrides });
  expect(page.status, page.text.slice(0, 300)).toBe(302);
  const { rows } = await db.query('SELECT id FROM "Organization" WHERE slug = $1', [slug]);
  return { slug, id: rows[0].id as string };
}

async function membershipOf(email: string, organizationId: string) {
  const { rows } = await db.query(
    'SELECT m.id, m.role FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1 AND m."organizationId" = $2',
    [email, organizationId],
  );
  return rows[0] as { id: string; role: string } | undefined;
}

async function invite(admin: TestBrowser, slug: string, role = "MEMBER") {
  const page = await admin.post(`/orgs/${slug}`, { intent: "createInvitation", role, expiresInDays: "7" });
  expect(page.status).toBe(200);
  const link = /data-testid="invitation-link" value="([^"]+)"/.exec(page.text) ?? /value="([^"]+)" data-testid="invitation-link"/.exec(page.text);
  expect(link, "the page shows the new invitation link").not.toBeNull();
  return new URL(link![1]!.replace(/&amp;/g, "&")).pathname;
}

describe("organizations", () => {
  it("registers an unverified organization with its creator as administrator", async () => {
    const { browser, email } = await signedIn("creator");
    const { slug, id } = await createOrg(browser);
    expect((await membershipOf(email, id))?.role).toBe("ADMIN");
    const page = await browser.get(`/orgs/${slug}`);
    expect(page.text).toContain("测试骑手工会");
    expect(page.text).toContain("未核验");
    expect(page.text).toContain("你的角色：管理员");
  });

  it("refuses a taken slug and keeps what was typed", async () => {
    const { browser } = await signedIn("slug");
    const { slug } = await createOrg(browser);
    const page = await browser.post("/orgs/new", { name: "另一个组织", slug, type: "PLATFORM", regionCode: "330100" });
    expect(page.status).toBe(409);
    expect(page.text).toContain("该网址标识已被使用");
    expect(page.text).toContain('value="另一个组织"');
  });

  it("refuses malformed input with localized field errors and creates nothing", async () => {
    const { browser } = await signedIn("badorg");
    const { rows: before } = await db.query('SELECT count(*)::int AS n FROM "Organization"');
    const page = await browser.post("/orgs/new", { name: "x".repeat(121), slug: "-Bad Slug-", type: "GUILD", regionCode: "999999" });
    expect(page.status).toBe(400);
    expect(page.text).toContain("最多 120 个字符");
    expect(page.text).toContain("只能使用 3 到 48 个小写字母");
    expect(page.text).toContain("请从列表中选择");
    const { rows: after } = await db.query('SELECT count(*)::int AS n FROM "Organization"');
    expect(after[0].n).toBe(before[0].n);
  });

  it("shows the member list to members only", async () => {
    const { browser: admin } = await signedIn("owner");
    const { slug } = await createOrg(admin);
    const { browser: outsider } = await signedIn("outsider");
    const page = await outsider.get(`/orgs/${slug}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("只有本组织成员可以查看成员名单");
    expect(page.text).not.toContain("owner 用户");
  });

  it("filters the directory by type and ignores unknown filter values", async () => {
    const { browser } = await signedIn("dir");
    const platforms = await browser.get("/orgs?type=PLATFORM");
    expect(platforms.text).toContain("速达外卖（演示）");
    expect(platforms.text).not.toContain("杭州市外卖配送行业工会（演示）");
    const unknown = await browser.get("/orgs?type=%27%3BDROP%20TABLE&region=x");
    expect(unknown.status).toBe(200);
    expect(unknown.text).toContain("杭州市外卖配送行业工会（演示）");
  });
});

describe("invitations", () => {
  it("admits one person by link with the invited role; the link then stops working", async () => {
    const { browser: admin } = await signedIn("inviter");
    const { slug, id } = await createOrg(admin);
    const path = await invite(admin, slug, "NEGOTIATOR");

    const { browser: invitee, email } = await signedIn("invitee");
    const offer = await invitee.get(path);
    expect(offer.status).toBe(200);
    expect(offer.text).toContain("协商工作人员");
    const accepted = await invitee.post(path, {});
    expect(accepted.status).toBe(302);
    expect(accepted.location).toBe(`/orgs/${slug}`);
    expect((await membershipOf(email, id))?.role).toBe("NEGOTIATOR");

    const { browser: latecomer, email: lateEmail } = await signedIn("late");
    const reused = await latecomer.post(path, {});
    expect(reused.status).toBe(410);
    expect(reused.text).toContain("邀请链接已被使用");
    expect(await membershipOf(lateEmail, id)).toBeUndefined();
  });

  it("asks anonymous visitors to log in first, and comes back to the invitation", async () => {
    const { browser: admin } = await signedIn("inviter2");
    const { slug } = await createOrg(admin);
    const path = await invite(admin, slug);
    const anonymous = new TestBrowser(server.url);
    const offer = await anonymous.get(path);
    expect(offer.text).toContain("请先登录或注册");
    const accept = await anonymous.post(path, {});
    expect(accept.status).toBe(302);
    expect(accept.location).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
  });

  it("refuses expired and revoked links with a localized explanation", async () => {
    const { browser: admin } = await signedIn("inviter3");
    const { slug, id } = await createOrg(admin);
    const expiredPath = await invite(admin, slug);
    await db.query(`UPDATE "Invitation" SET "expiresAt" = now() - interval '1 second' WHERE "organizationId" = $1`, [id]);
    const { browser: invitee, email } = await signedIn("invitee3");
    const expired = await invitee.post(expiredPath, {});
    expect(expired.status).toBe(410);
    expect(expired.text).toContain("邀请链接已过期");

    const revokedPath = await invite(admin, slug);
    const { rows } = await db.query(`SELECT id FROM "Invitation" WHERE "organizationId" = $1 AND "revokedAt" IS NULL AND "expiresAt" > now()`, [id]);
    const revoke = await admin.post(`/orgs/${slug}`, { intent: "revokeInvitation", invitationId: rows[0].id });
    expect(revoke.status).toBe(302);
    const revoked = await invitee.get(revokedPath);
    expect(revoked.status).toBe(410);
    expect(revoked.text).toContain("邀请链接已被撤销");
    expect(await membershipOf(email, id)).toBeUndefined();
  });

  it("refuses a malformed or unknown token", async () => {
    const browser = new TestBrowser(server.url);
    expect((await browser.get("/invite/short")).status).toBe(404);
    expect((await browser.get(`/invite/${"A".repeat(43)}`)).status).toBe(404);
  });

  it("lets only administrators create invitations", async () => {
    const { browser: admin } = await signedIn("inviter4");
    const { slug, id } = await createOrg(admin);
    const path = await invite(admin, slug, "MEMBER");
    const { browser: member } = await signedIn("member4");
    await member.post(path, {});
    const before = (await db.query('SELECT count(*)::int AS n FROM "Invitation" WHERE "organizationId" = $1', [id])).rows[0].n;
    const page = await member.post(`/orgs/${slug}`, { intent: "createInvitation", role: "ADMIN", expiresInDays: "7" });
    expect(page.status).toBe(403);
    expect(page.text).toContain("你没有执行此操作的权限");
    const after = (await db.query('SELECT count(*)::int AS n FROM "Invitation" WHERE "organizationId" = $1', [id])).rows[0].n;
    expect(after).toBe(before);
  });
});

describe("member management", () => {
  it("changes roles and removes members, but never the last administrator", async () => {
    const { browser: admin, email: adminEmail } = await signedIn("boss");
    const { slug, id } = await createOrg(admin);
    const path = await invite(admin, slug);
    const { browser: member, email: memberEmail } = await signedIn("staff");
    await member.post(path, {});

    const memberMembership = (await membershipOf(memberEmail, id))!;
    const promote = await admin.post(`/orgs/${slug}`, { intent: "changeRole", membershipId: memberMembership.id, role: "NEGOTIATOR" });
    expect(promote.status).toBe(302);
    expect((await membershipOf(memberEmail, id))?.role).toBe("NEGOTIATOR");

    const adminMembership = (await membershipOf(adminEmail, id))!;
    const demoteSelf = await admin.post(`/orgs/${slug}`, { intent: "changeRole", membershipId: adminMembership.id, role: "MEMBER" });
    expect(demoteSelf.status).toBe(409);
    expect(demoteSelf.text).toContain("组织至少需要一名管理员");
    expect((await membershipOf(adminEmail, id))?.role).toBe("ADMIN");

    const leave = await admin.post(`/orgs/${slug}`, { intent: "leave" });
    expect(leave.status).toBe(409);
    expect(await membershipOf(adminEmail, id)).toBeDefined();

    const remove = await admin.post(`/orgs/${slug}`, { intent: "removeMember", membershipId: memberMembership.id });
    expect(remove.status).toBe(302);
    expect(await membershipOf(memberEmail, id)).toBeUndefined();
  });

  it("does not let a member of another organization touch memberships here", async () => {
    const { browser: adminA } = await signedIn("adminA");
    const { slug: slugA, id: idA } = await createOrg(adminA);
    const { browser: adminB, email: emailB } = await signedIn("adminB");
    const { id: idB } = await createOrg(adminB);
    const membershipB = (await membershipOf(emailB, idB))!;
    // Admin of A tries to remove admin of B through A's page (a membership id from another organization).
    const page = await adminA.post(`/orgs/${slugA}`, { intent: "removeMember", membershipId: membershipB.id });
    expect(page.status).toBe(404);
    expect(await membershipOf(emailB, idB)).toBeDefined();
    expect(page.text).toContain("找不到该页面或对象");
    void idA;
  });

  it("refuses an unknown intent with a localized error", async () => {
    const { browser } = await signedIn("intent");
    const { slug } = await createOrg(browser);
    const page = await browser.post(`/orgs/${slug}`, { intent: "dropDatabase" });
    expect(page.status).toBe(400);
  });
});
