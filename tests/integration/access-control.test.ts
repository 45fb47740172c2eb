/**
 * Access-control suite, generated from the route table of the Remix build: every route's loader
 * and action is tried anonymously, as a signed-in user outside the organization, and as a member
 * without the capability. A route added without an entry in ACCESS below fails the suite.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import type { ServerBuild } from "@remix-run/node";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { TestBrowser, uniqueEmail } from "../support/browser.ts";
import { startTestServer } from "../support/server.ts";
import { chinaMinute } from "../support/sessions.ts";

type Access =
  /** Anyone may use it. */
  | { kind: "public"; path: string; actionForm?: Record<string, string> }
  /** Needs a signed-in user; anonymous requests are sent to the login page. */
  | { kind: "signedIn"; path: string; hasAction: boolean }
  /** Needs a role in the organization of the URL. */
  | { kind: "organization"; path: string }
  /** Needs to take part in the bargaining session of the URL; outsiders get "not found". */
  | { kind: "session"; path: string; hasAction: boolean }
  /** Only for the site's operators (XS_OPERATOR_EMAILS); any other signed-in user gets "not found". */
  | { kind: "operator"; path: string; hasAction: boolean }
  /** For those who verify organizations: the operator, and members of a verified labour bureau; "not found" for anyone else. */
  | { kind: "verifier"; path: string; hasAction: boolean }
  /** Workers' pages (issue 25): anonymous requests are sent to the phone sign-in and brought back; staff accounts are refused on the action. */
  | { kind: "worker"; path: string; hasAction: boolean };

/** Every route of the app, by route id. Fill `path` placeholders from the fixtures below. */
const ACCESS: Record<string, Access> = {
  root: { kind: "public", path: "/" },
  "routes/_index": { kind: "public", path: "/" },
  "routes/login": { kind: "public", path: "/login" },
  "routes/signup": { kind: "public", path: "/signup" },
  "routes/worker.login": { kind: "public", path: "/worker/login" },
  "routes/worker._index": { kind: "signedIn", path: "/worker", hasAction: true },
  // The token is the secret; an unknown one is "not found".
  "routes/signup_.confirm.$token": { kind: "public", path: "/signup/confirm/notARealConfirmationToken00" },
  "routes/logout": { kind: "public", path: "/logout" },
  "routes/locale": { kind: "public", path: "/locale" },
  "routes/healthz": { kind: "public", path: "/healthz" },
  "routes/invite.$token": { kind: "signedIn", path: "/invite/:token", hasAction: true },
  "routes/orgs._index": { kind: "signedIn", path: "/orgs", hasAction: false },
  "routes/orgs.new": { kind: "signedIn", path: "/orgs/new", hasAction: true },
  "routes/orgs.$slug": { kind: "organization", path: "/orgs/:slug" },
  "routes/sessions._index": { kind: "signedIn", path: "/sessions", hasAction: false },
  "routes/sessions.new": { kind: "signedIn", path: "/sessions/new", hasAction: true },
  "routes/notifications": { kind: "signedIn", path: "/notifications", hasAction: true },
  "routes/settings.notifications": { kind: "signedIn", path: "/settings/notifications", hasAction: true },
  "routes/admin.jobs": { kind: "operator", path: "/admin/jobs", hasAction: true },
  "routes/admin.verifications": { kind: "verifier", path: "/admin/verifications", hasAction: true },
  // The layout of every session page (title, step, tabs); its loader refuses outsiders as the pages do.
  "routes/_session": { kind: "session", path: "/sessions/:session", hasAction: false },
  "routes/_session.sessions.$id._index": { kind: "session", path: "/sessions/:session", hasAction: true },
  "routes/_session.sessions.$id.caucus.$side": { kind: "session", path: "/sessions/:session/caucus/worker", hasAction: true },
  "routes/_session.sessions.$id.draft": { kind: "session", path: "/sessions/:session/draft", hasAction: false },
  "routes/_session.sessions.$id.versions": { kind: "session", path: "/sessions/:session/versions", hasAction: true },
  "routes/sessions.$id.versions.$versionId.text": { kind: "session", path: "/sessions/:session/versions/noSuchVersion1/text", hasAction: false },
  "routes/_session.sessions.$id.agreement": { kind: "session", path: "/sessions/:session/agreement", hasAction: true },
  "routes/_session.sessions.$id.disputes": { kind: "session", path: "/sessions/:session/disputes", hasAction: true },
  // Public notices, their JSON API and feeds: anyone may read them, no sign-in (issue 6). The one
  // action (workers' anonymous feedback) is throttled per address; see tests/integration/notices.test.ts.
  "routes/notices._index": { kind: "public", path: "/notices" },
  "routes/notices.$id._index": { kind: "public", path: "/notices/:notice", actionForm: { topic: "pieceRate", body: "x" } },
  "routes/notices.$id.v.$version": { kind: "public", path: "/notices/:notice/v/1", actionForm: { topic: "pieceRate", body: "x" } },
  "routes/notices.$id.verify": { kind: "public", path: "/notices/:notice/verify" },
  "routes/notices.$id.qr": { kind: "public", path: "/notices/:notice/qr" },
  "routes/api.notices._index": { kind: "public", path: "/api/notices" },
  "routes/api.notices.in-force": { kind: "public", path: "/api/notices/in-force" },
  "routes/api.notices.$id._index": { kind: "public", path: "/api/notices/:notice" },
  "routes/api.notices.$id.versions.$version": { kind: "public", path: "/api/notices/:notice/versions/1" },
  "routes/api.notices.$id.in-force": { kind: "public", path: "/api/notices/:notice/in-force" },
  "routes/api.notices.$id.verify": { kind: "public", path: "/api/notices/:notice/verify" },
  "routes/feeds.$kind.$key": { kind: "public", path: "/feeds/industry/FOOD_DELIVERY" },
  // Complaint cases (issue 25): filed by workers; a case is seen by its worker, the platform and the
  // union only (others get "not found", tests/integration/complaints.test.ts and complaint-privacy.test.ts);
  // the receipt code's page is public and throttled per address.
  "routes/notices.$id.complain": { kind: "worker", path: "/notices/noSuchNotice01/complain", hasAction: true },
  "routes/complaints._index": { kind: "signedIn", path: "/complaints", hasAction: false },
  "routes/complaints.$id": { kind: "signedIn", path: "/complaints/noSuchCase0001", hasAction: true },
  "routes/complaints.$id.photos.$photoId": { kind: "signedIn", path: "/complaints/noSuchCase0001/photos/noSuchPhoto01", hasAction: false },
  "routes/complaints.track": { kind: "public", path: "/complaints/track", actionForm: { receipt: "ABCD-EFGH-JKMN" } },
  "routes/notices.$id.complaints[.]csv": { kind: "signedIn", path: "/notices/noSuchNotice01/complaints.csv", hasAction: false },
};

/** Every mutation of the agreement page (vote, signatures, filing, corrections, feedback moderation). */
const AGREEMENT_INTENTS: Record<string, () => Record<string, string>> = {
  openVote: () => ({ secret: "on", closesInHours: "24", roll_unknownOrg0001: "negotiator@union.demo" }),
  castBallot: () => ({ choice: "YES" }),
  closeVote: () => ({}),
  signAgreement: () => ({ password: "xieshang-demo-2026" }),
  file: () => ({}),
  object: () => ({ "clause[]": "第四条", "reason[]": "异议" }),
  moderateFeedback: () => ({ feedbackId: "unknownFeedback1", status: "PUBLISHED" }),
};

/** Every mutation of the disputes page (issue 20, item 7), with a well-formed form. */
const DISPUTE_INTENTS: Record<string, () => Record<string, string>> = {
  apply: () => ({ side: "WORKER", statement: "争议" }),
  referRefusal: () => ({ statement: "拒绝协商" }),
  referPerformance: () => ({ side: "WORKER", statement: "未履行", referredTo: "杭州市劳动人事争议仲裁委员会", referenceNumber: "杭劳人仲案字〔2026〕1号" }),
  accept: () => ({ disputeId: "unknownDispute1" }),
  recordParticipants: () => ({ disputeId: "unknownDispute1", "role[]": "TRADE_UNION", "organization[]": "总工会", "people[]": "" }),
  extend: () => ({ disputeId: "unknownDispute1", days: "5", reason: "调查" }),
  conclude: () => ({ disputeId: "unknownDispute1", settlementText: "协调处理协议书" }),
  withdraw: () => ({ disputeId: "unknownDispute1" }),
};

/** Every mutation of a session page, with a well-formed form (so refusals are about access). */
const SESSION_INTENTS: Record<string, (f: Fixture) => Record<string, string>> = {
  accept: () => ({}),
  decline: () => ({ reasons: "不接受" }),
  withdraw: () => ({}),
  startBargaining: () => ({}),
  agree: () => ({ kind: "DRAFT" }),
  suspend: () => ({ resumesAt: "2027-12-20T10:00", meetingAt: "2027-12-20T10:00", location: "会议室", agenda: "议程" }),
  resume: () => ({}),
  reopen: () => ({ reason: "重新协商" }),
  file: () => ({}),
  object: () => ({ "clause[]": "第四条", "reason[]": "异议" }),
  requestRenewal: () => ({}),
  appointSeat: () => ({ kind: "REPRESENTATIVE", side: "WORKER", email: "negotiator@union.demo", isChief: "on" }),
  endSeat: () => ({ seatId: "unknownSeat0001", reason: "x" }),
  confirmRecorder: () => ({ seatId: "unknownSeat0001" }),
  scheduleRound: () => ({ scheduledAt: chinaMinute(24 * 60), location: "x", agenda: "y" }),
  recordRound: () => ({ roundId: "unknownRound001", minutes: "x" }),
  signMinutes: () => ({ roundId: "unknownRound001", minutesHash: "a".repeat(64) }),
};

/** Every mutation of an organization page and the least role that may perform it. */
const ORGANIZATION_INTENTS: Array<{ intent: string; minimumRole: "MEMBER" | "ADMIN"; form: (ids: Fixture) => Record<string, string> }> = [
  { intent: "changeRole", minimumRole: "ADMIN", form: (f) => ({ membershipId: f.memberMembershipId, role: "ADMIN" }) },
  { intent: "removeMember", minimumRole: "ADMIN", form: (f) => ({ membershipId: f.memberMembershipId }) },
  { intent: "createInvitation", minimumRole: "ADMIN", form: () => ({ role: "ADMIN", expiresInDays: "7" }) },
  { intent: "revokeInvitation", minimumRole: "ADMIN", form: (f) => ({ invitationId: f.invitationId }) },
  { intent: "leave", minimumRole: "MEMBER", form: () => ({}) },
];

type Fixture = { slug: string; organizationId: string; memberMembershipId: string; invitationId: string; token: string; sessionId: string };

let server: Awaited<ReturnType<typeof startTestServer>>;
let db: pg.Client;
let fixture: Fixture;
let member: TestBrowser;
let outsider: TestBrowser;
let reviewer: TestBrowser;

async function sessionSnapshot(sessionId: string) {
  const session = await db.query('SELECT state, "updatedAt" FROM "BargainingSession" WHERE id = $1', [sessionId]);
  const counts = await db.query(
    `SELECT (SELECT count(*) FROM "Seat" WHERE "sessionId" = $1) AS seats, (SELECT count(*) FROM "Round" WHERE "sessionId" = $1) AS rounds,
            (SELECT count(*) FROM "AuditEvent" WHERE "sessionId" = $1) AS audit, (SELECT count(*) FROM "CaucusNote" WHERE "sessionId" = $1) AS notes`,
    [sessionId],
  );
  return JSON.stringify([session.rows, counts.rows]);
}

async function snapshot(organizationId: string) {
  const memberships = await db.query('SELECT id, role FROM "Membership" WHERE "organizationId" = $1 ORDER BY id', [organizationId]);
  const invitations = await db.query('SELECT id, "revokedAt", "acceptedAt" FROM "Invitation" WHERE "organizationId" = $1 ORDER BY id', [organizationId]);
  return JSON.stringify([memberships.rows, invitations.rows]);
}

beforeAll(async () => {
  server = await startTestServer();
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  const admin = new TestBrowser(server.url);
  const unionAdmin = DEMO_ACCOUNTS.find((account) => account.roleKey === "unionAdmin")!;
  await admin.login(unionAdmin.email, DEMO_PASSWORD);
  const slug = "hz-rider-union";
  const organizationId = (await db.query('SELECT id FROM "Organization" WHERE slug = $1', [slug])).rows[0].id;
  const created = await admin.post(`/orgs/${slug}`, { intent: "createInvitation", role: "MEMBER", expiresInDays: "7" });
  const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(created.text)![1]!;
  const invitationId = (await db.query('SELECT id FROM "Invitation" WHERE "organizationId" = $1 ORDER BY "createdAt" DESC LIMIT 1', [organizationId])).rows[0].id;

  member = new TestBrowser(server.url);
  const workerRep = DEMO_ACCOUNTS.find((account) => account.roleKey === "workerRepresentative")!;
  await member.login(workerRep.email, DEMO_PASSWORD);
  const memberMembershipId = (
    await db.query('SELECT m.id FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1 AND m."organizationId" = $2', [workerRep.email, organizationId])
  ).rows[0].id;

  outsider = new TestBrowser(server.url);
  await outsider.signup({ email: uniqueEmail("outsider") });

  // A session proposed by the union to the association, observed by the labour bureau.
  const negotiator = new TestBrowser(server.url);
  await negotiator.login("negotiator@union.demo", DEMO_PASSWORD);
  const idOf = async (orgSlug: string) => (await db.query('SELECT id FROM "Organization" WHERE slug = $1', [orgSlug])).rows[0].id as string;
  const proposal = await negotiator.post("/sessions/new", {
    proposerOrganizationId: await idOf("hz-rider-union"),
    title: "访问控制测试协商",
    industry: "FOOD_DELIVERY",
    regionCode: "330100",
    "topics[]": "pieceRate",
    "recipientOrganizationIds[]": await idOf("hz-catering-association"),
    "observerOrganizationIds[]": await idOf("hz-hrss-bureau"),
    representativesPerSide: "3",
    termMonths: "24",
    proposalText: "要约",
  });
  const sessionId = proposal.location!.split("/").pop()!;
  reviewer = new TestBrowser(server.url);
  await reviewer.login("reviewer@bureau.demo", DEMO_PASSWORD);
  fixture = { slug, organizationId, memberMembershipId, invitationId, token, sessionId };
});

afterAll(async () => {
  await db?.end();
  await server?.close();
});

function concretePath(template: string): string {
  return template.replace(":slug", fixture.slug).replace(":token", fixture.token).replace(":session", fixture.sessionId);
}

describe("route table coverage", () => {
  it("has an access rule for every route of the build, with the right action flag", async () => {
    const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
    for (const [id, access] of Object.entries(ACCESS)) {
      if ("hasAction" in access && build.routes[id]) expect(Boolean(build.routes[id]!.module.action), `${id} action flag`).toBe(access.hasAction);
    }
    const missing = Object.keys(build.routes).filter((id) => !(id in ACCESS));
    expect(missing, `routes without an access rule in tests/integration/access-control.test.ts: ${missing.join(", ")}`).toEqual([]);
    const stale = Object.keys(ACCESS).filter((id) => !(id in build.routes));
    expect(stale, "access rules for routes that no longer exist").toEqual([]);
  });
});

describe("anonymous visitors", () => {
  const signedInRoutes = Object.entries(ACCESS).filter(([, access]) => access.kind !== "public" && access.kind !== "worker");
  const workerRoutes = Object.entries(ACCESS).filter(([, access]) => access.kind === "worker");
  it.each(workerRoutes)("%s: GET is sent to the workers' sign-in and brought back; POST changes nothing", async (_id, access) => {
    const page = await new TestBrowser(server.url).get(`${access.path}?clause=pieceRateTable`);
    expect(page.status).toBe(302);
    expect(page.location).toBe(`/worker/login?redirectTo=${encodeURIComponent(`${access.path}?clause=pieceRateTable`)}`);
    const before = (await db.query(`SELECT count(*) FROM "ComplaintCase"`)).rows[0];
    const post = await new TestBrowser(server.url).post(access.path, { kind: "COMPLAINT", clause: "pieceRateTable", happenedOn: "2026-12-01", body: "x" });
    expect(post.status).toBe(302);
    expect(post.location).toMatch(/^\/worker\/login/);
    expect((await db.query(`SELECT count(*) FROM "ComplaintCase"`)).rows[0]).toEqual(before);
  });
  it.each(signedInRoutes)("%s: GET is sent to the login page", async (id, access) => {
    if (id === "routes/invite.$token") return; // the invitation page itself is readable; accepting is not (below)
    const page = await new TestBrowser(server.url).get(concretePath(access.path));
    expect(page.status).toBe(302);
    expect(page.location).toMatch(/^\/login\?redirectTo=/);
  });

  it.each(signedInRoutes.filter(([, access]) => access.kind === "organization" || ((access.kind === "session" || access.kind === "signedIn" || access.kind === "operator" || access.kind === "verifier") && access.hasAction)))(
    "%s: POST is sent to the login page and changes nothing",
    async (_id, access) => {
      const before = await snapshot(fixture.organizationId);
      const page = await new TestBrowser(server.url).post(concretePath(access.path), { intent: "leave", name: "x", slug: "anon-org", type: "UNION", regionCode: "330100" });
      expect(page.status).toBe(302);
      expect(page.location).toMatch(/^\/login/);
      expect(await snapshot(fixture.organizationId)).toBe(before);
      expect((await db.query(`SELECT 1 FROM "Organization" WHERE slug = 'anon-org'`)).rows).toHaveLength(0);
    },
  );
});

describe("the operator's pages", () => {
  const operatorRoutes = Object.entries(ACCESS).filter(([, access]) => access.kind === "operator");
  it.each(operatorRoutes)("%s: not found for every signed-in user who is not an operator, GET and POST", async (_id, access) => {
    for (const browser of [outsider, member, reviewer]) {
      expect((await browser.get(concretePath(access.path))).status).toBe(404);
      expect((await browser.post(concretePath(access.path), { intent: "retry", deliveryId: "x" })).status).toBe(404);
    }
  });

  it.each(operatorRoutes)("%s: open to the operator (demo mode: operator@xieshang.demo)", async (_id, access) => {
    const operator = new TestBrowser(server.url);
    await operator.login("operator@xieshang.demo", DEMO_PASSWORD);
    const page = await operator.get(concretePath(access.path));
    expect(page.status).toBe(200);
    expect(page.text).toContain("后台任务与投递");
  });
});

describe("the verifiers' page", () => {
  const verifierRoutes = Object.entries(ACCESS).filter(([, access]) => access.kind === "verifier");
  it.each(verifierRoutes)("%s: not found for users who verify nothing, GET and POST", async (_id, access) => {
    for (const browser of [outsider, member]) {
      expect((await browser.get(concretePath(access.path))).status).toBe(404);
      expect((await browser.post(concretePath(access.path), { requestId: "x", decision: "approve" })).status).toBe(404);
    }
  });

  it.each(verifierRoutes)("%s: open to the operator and to a verified labour bureau's member", async (_id, access) => {
    const operator = new TestBrowser(server.url);
    await operator.login("operator@xieshang.demo", DEMO_PASSWORD);
    for (const browser of [operator, reviewer]) {
      const page = await browser.get(concretePath(access.path));
      expect(page.status).toBe(200);
      expect(page.text).toContain("组织核验");
    }
  });
});

describe("organization capabilities", () => {
  it.each(ORGANIZATION_INTENTS)("$intent is refused to a user outside the organization", async ({ intent, form }) => {
    const before = await snapshot(fixture.organizationId);
    const page = await outsider.post(`/orgs/${fixture.slug}`, { intent, ...form(fixture) });
    expect(page.status).toBe(403);
    expect(page.text).toContain("你没有执行此操作的权限");
    expect(await snapshot(fixture.organizationId)).toBe(before);
  });

  it.each(ORGANIZATION_INTENTS.filter((entry) => entry.minimumRole === "ADMIN"))(
    "$intent is refused to a plain member",
    async ({ intent, form }) => {
      const before = await snapshot(fixture.organizationId);
      const page = await member.post(`/orgs/${fixture.slug}`, { intent, ...form(fixture) });
      expect(page.status).toBe(403);
      expect(await snapshot(fixture.organizationId)).toBe(before);
    },
  );

  it("hides members and invitations from outsiders, invitations from plain members", async () => {
    const asOutsider = await outsider.get(`/orgs/${fixture.slug}`);
    expect(asOutsider.text).not.toContain("workerrep@union.demo");
    expect(asOutsider.text).not.toContain('name="intent" value="revokeInvitation"');
    const asMember = await member.get(`/orgs/${fixture.slug}`);
    expect(asMember.text).toContain("workerrep@union.demo");
    expect(asMember.text).not.toContain('name="intent" value="revokeInvitation"');
  });
});

describe("session capabilities", () => {
  it("covers every intent of the session page", async () => {
    const { sessionActionSchema } = await import("../../app/domain/session-validation.ts");
    const intents = sessionActionSchema.options.map((option) => option.shape.intent.value as string);
    expect(Object.keys(SESSION_INTENTS).sort(), "session intents without an access test").toEqual([...intents].sort());
  });

  const sessionRoutes = Object.entries(ACCESS).filter(([, access]) => access.kind === "session");
  it.each(sessionRoutes)("%s: a user outside the session gets 404 and learns nothing", async (_id, access) => {
    const page = await outsider.get(concretePath(access.path));
    expect(page.status).toBe(404);
    expect(page.text).not.toContain("访问控制测试协商");
  });

  it.each(Object.entries(SESSION_INTENTS))("%s: refused to an outsider (404) and to an observer without the capability, nothing changed", async (intent, form) => {
    const before = await sessionSnapshot(fixture.sessionId);
    const asOutsider = await outsider.post(`/sessions/${fixture.sessionId}`, { intent, ...form(fixture) });
    expect(asOutsider.status).toBe(404);
    const asReviewer = await reviewer.post(`/sessions/${fixture.sessionId}`, { intent, ...form(fixture) });
    expect([403, 404, 409]).toContain(asReviewer.status);
    expect(await sessionSnapshot(fixture.sessionId)).toBe(before);
  });

  it("covers every intent of the agreement page", async () => {
    const { agreementActionSchema } = await import("../../app/domain/agreement-validation.ts");
    const intents = agreementActionSchema.options.map((option) => option.shape.intent.value as string);
    expect(Object.keys(AGREEMENT_INTENTS).sort(), "agreement intents without an access test").toEqual([...intents].sort());
  });

  it.each(Object.entries(AGREEMENT_INTENTS))("agreement %s: refused to an outsider (404) and to an observer without the capability, nothing changed", async (intent, form) => {
    const before = await sessionSnapshot(fixture.sessionId);
    const votes = async () => (await db.query('SELECT count(*)::int AS n FROM "RatificationVote" WHERE "sessionId" = $1', [fixture.sessionId])).rows[0].n;
    const asOutsider = await outsider.post(`/sessions/${fixture.sessionId}/agreement`, { intent, ...form() });
    expect(asOutsider.status).toBe(404);
    expect(asOutsider.text).not.toContain("访问控制测试协商");
    const asReviewer = await reviewer.post(`/sessions/${fixture.sessionId}/agreement`, { intent, ...form() });
    expect([403, 404, 409]).toContain(asReviewer.status);
    expect(await sessionSnapshot(fixture.sessionId)).toBe(before);
    expect(await votes()).toBe(0);
  });

  it("covers every intent of the disputes page", async () => {
    const { DISPUTE_INTENTS: intents } = await import("../../app/domain/dispute-validation.ts");
    expect(Object.keys(DISPUTE_INTENTS).sort(), "dispute intents without an access test").toEqual([...intents].sort());
  });

  it.each(Object.entries(DISPUTE_INTENTS))("disputes %s: refused to an outsider (404), to an observer and to a member without the capability, nothing changed", async (intent, form) => {
    const before = await sessionSnapshot(fixture.sessionId);
    const disputes = async () => (await db.query('SELECT count(*)::int AS n FROM "Dispute" WHERE "sessionId" = $1', [fixture.sessionId])).rows[0].n;
    const asOutsider = await outsider.post(`/sessions/${fixture.sessionId}/disputes`, { intent, ...form() });
    expect(asOutsider.status).toBe(404);
    expect(asOutsider.text).not.toContain("访问控制测试协商");
    for (const browser of [reviewer, member]) {
      const page = await browser.post(`/sessions/${fixture.sessionId}/disputes`, { intent, ...form() });
      expect([403, 404, 409]).toContain(page.status);
    }
    expect(await sessionSnapshot(fixture.sessionId)).toBe(before);
    expect(await disputes()).toBe(0);
  });

  it("keeps each caucus to its own side", async () => {
    const before = await sessionSnapshot(fixture.sessionId);
    for (const side of ["worker", "employer"]) {
      expect((await reviewer.get(`/sessions/${fixture.sessionId}/caucus/${side}`)).status).toBe(403);
      expect((await reviewer.post(`/sessions/${fixture.sessionId}/caucus/${side}`, { body: "observer note" })).status).toBe(403);
      expect((await outsider.post(`/sessions/${fixture.sessionId}/caucus/${side}`, { body: "outsider note" })).status).toBe(404);
    }
    expect((await reviewer.get(`/sessions/${fixture.sessionId}/caucus/nobody`)).status).toBe(404);
    expect(await sessionSnapshot(fixture.sessionId)).toBe(before);
  });
});
