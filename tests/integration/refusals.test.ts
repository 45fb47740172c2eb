/**
 * Issue 15: every mutation of every route, tried by every person of a real session in bargaining
 * who, by the law table (tests/support/law.ts, written from 《集体合同规定》), may not take it — and
 * each must be refused with nothing changed. The routes come from the Remix build's manifest and
 * the intents from each route's form schema, so a new route or intent without an entry here fails
 * the suite; the forms name real seats, rounds and minutes, so a refusal is about who asks, not
 * about a made-up id. (Realtime events: tests/realtime/socket-access.test.ts, from the dispatcher's
 * table.)
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import type { ServerBuild } from "@remix-run/node";
import type { SessionAction } from "../../app/domain/capabilities.ts";
import type { Side } from "../../app/domain/procedure.ts";
import { TestBrowser, uniqueEmail } from "../support/browser.ts";
import { lawAllows, type Who } from "../support/law.ts";
import { startTestServer } from "../support/server.ts";
import { chinaMinute, demoAccount, loginAs, sessionInBargaining } from "../support/sessions.ts";

/** The cast of tests/support/sessions.ts's session, as the law table knows them. */
const CAST: Record<string, { login: () => Promise<TestBrowser>; who: Who[] }> = {
  "union negotiator, worker chief": { login: () => loginAs(server.url, "unionNegotiator"), who: ["workerChief"] },
  "union admin, worker representative": { login: () => loginAs(server.url, "unionAdmin"), who: ["workerNegotiator", "workerRepresentative"] },
  "union member, worker representative": { login: () => loginAs(server.url, "workerRepresentative"), who: ["workerRepresentative"] },
  "association negotiator, employer chief": { login: () => loginAs(server.url, "associationRepresentative"), who: ["employerChief"] },
  "platform negotiator, employer representative": { login: () => loginAs(server.url, "platformRepresentative"), who: ["employerAdmin", "employerRepresentative"] },
  "neutral recorder": { login: () => loginAs(server.url, "recorder"), who: ["recorder"] },
  "bureau reviewer": { login: () => loginAs(server.url, "bureauReviewer"), who: ["bureauReviewer"] },
  "rider on no roll": { login: () => loginAs(server.url, "worker"), who: ["rider"] },
  "member of another session only": {
    login: async () => {
      const browser = new TestBrowser(server.url);
      await browser.signup({ email: uniqueEmail("elsewhere") });
      return browser;
    },
    who: ["rider"],
  },
};

type Fixture = { sessionId: string; unionId: string; endableSeatId: string; pendingRecorderId: string; openRoundId: string; heldRoundId: string; minutesHash: string; outsiderEmail: string; disputeId: string };
type Intent = { action: SessionAction; side?: Side; form: (f: Fixture) => Record<string, string> };

/** Each route with an action: its path, and each intent as the projection's action it is. */
const ROUTES: Record<string, { path: (f: Fixture) => string; intents: Record<string, Intent> }> = {
  "routes/_session.sessions.$id._index": {
    path: (f) => `/sessions/${f.sessionId}`,
    intents: {
      accept: { action: "accept", form: () => ({}) },
      decline: { action: "decline", form: () => ({ reasons: "不接受" }) },
      withdraw: { action: "withdraw", form: () => ({}) },
      startBargaining: { action: "startBargaining", form: () => ({}) },
      agree: { action: "agreeDraft", form: () => ({ kind: "DRAFT" }) },
      suspend: { action: "suspend", form: () => ({ resumesAt: "2027-12-20T10:00", meetingAt: "2027-12-20T10:00", location: "会议室", agenda: "议程" }) },
      resume: { action: "resume", form: () => ({}) },
      reopen: { action: "reopen", form: () => ({ reason: "重新协商" }) },
      file: { action: "file", form: () => ({}) },
      object: { action: "object", form: () => ({ "clause[]": "第四条", "reason[]": "异议" }) },
      requestRenewal: { action: "requestRenewal", form: () => ({}) },
      appointSeat: { action: "appointRepresentative", side: "WORKER", form: () => ({ kind: "REPRESENTATIVE", side: "WORKER", email: demoAccount("workerRepresentative").email }) },
      "appointSeat (outside professional)": {
        action: "appointOutsider",
        side: "WORKER",
        form: (f) => ({ intent: "appointSeat", kind: "REPRESENTATIVE", side: "WORKER", email: f.outsiderEmail, outsideProfessional: "on" }),
      },
      "appointSeat (recorder)": { action: "nominateRecorder", form: (f) => ({ intent: "appointSeat", kind: "RECORDER", email: f.outsiderEmail }) },
      endSeat: { action: "endSeat", side: "WORKER", form: (f) => ({ seatId: f.endableSeatId, reason: "撤换" }) },
      confirmRecorder: { action: "confirmRecorder", form: (f) => ({ seatId: f.pendingRecorderId }) },
      scheduleRound: { action: "scheduleRound", form: () => ({ scheduledAt: chinaMinute(10 * 24 * 60), location: "会议室", agenda: "议程" }) },
      recordRound: { action: "recordRound", form: (f) => ({ roundId: f.openRoundId, minutes: "记录" }) },
      signMinutes: { action: "signMinutes", form: (f) => ({ roundId: f.heldRoundId, minutesHash: f.minutesHash }) },
    },
  },
  "routes/_session.sessions.$id.agreement": {
    path: (f) => `/sessions/${f.sessionId}/agreement`,
    intents: {
      openVote: { action: "openRatification", form: (f) => ({ secret: "on", closesInHours: "24", [`roll_${f.unionId}`]: demoAccount("workerRepresentative").email }) },
      castBallot: { action: "vote", form: () => ({ choice: "YES" }) },
      closeVote: { action: "closeVote", form: () => ({}) },
      signAgreement: { action: "sign", form: () => ({ password: "xieshang-demo-2026" }) },
      file: { action: "file", form: () => ({}) },
      object: { action: "object", form: () => ({ "clause[]": "第四条", "reason[]": "异议" }) },
      moderateFeedback: { action: "moderateFeedback", form: () => ({ feedbackId: "unknownFeedback1", status: "PUBLISHED" }) },
    },
  },
  // Disputes (issue 20, item 7): the fixture's dispute was applied for by the worker side.
  "routes/_session.sessions.$id.disputes": {
    path: (f) => `/sessions/${f.sessionId}/disputes`,
    intents: {
      apply: { action: "applyDispute", side: "WORKER", form: () => ({ side: "WORKER", statement: "计件单价争议" }) },
      referRefusal: { action: "referRefusal", form: () => ({ statement: "拒绝协商" }) },
      referPerformance: { action: "referPerformance", side: "WORKER", form: () => ({ side: "WORKER", statement: "未履行", referredTo: "杭州市劳动人事争议仲裁委员会" }) },
      accept: { action: "acceptDispute", form: (f) => ({ disputeId: f.disputeId }) },
      recordParticipants: { action: "recordDisputeParticipants", form: (f) => ({ disputeId: f.disputeId, "role[]": "TRADE_UNION", "organization[]": "杭州市总工会", "people[]": "" }) },
      extend: { action: "extendDispute", form: (f) => ({ disputeId: f.disputeId, days: "5", reason: "调查" }) },
      conclude: { action: "concludeDispute", form: (f) => ({ disputeId: f.disputeId, settlementText: "协调处理协议书" }) },
      withdraw: { action: "withdrawDispute", side: "WORKER", form: (f) => ({ disputeId: f.disputeId }) },
    },
  },
  "routes/_session.sessions.$id.caucus.$side": {
    path: (f) => `/sessions/${f.sessionId}/caucus/worker`,
    intents: { "note (worker caucus)": { action: "writeCaucus", side: "WORKER", form: () => ({ body: "本方内部意见" }) } },
  },
};

/** Routes whose actions are not about one session (organizations, sign-in, public feedback): tests/integration/access-control.test.ts. */
const NOT_SESSION_ROUTES = ["routes/login", "routes/signup", "routes/worker.login", "routes/worker._index", "routes/signup_.confirm.$token", "routes/logout", "routes/locale", "routes/invite.$token", "routes/orgs.new", "routes/orgs.$slug", "routes/sessions.new", "routes/notifications", "routes/settings.notifications", "routes/admin.jobs", "routes/admin.verifications", "routes/notices.$id._index", "routes/notices.$id.v.$version", "routes/_session.sessions.$id.versions", "routes/notices.$id.complain", "routes/complaints.$id", "routes/complaints.track"];

let server: Awaited<ReturnType<typeof startTestServer>>;
let db: pg.Client;
let fixture: Fixture;
const browsers = new Map<string, TestBrowser>();

/** Everything a session mutation could change. */
async function digest(sessionId: string): Promise<string> {
  const { rows } = await db.query(
    `SELECT s.state, s."updatedAt", s.agreements, s.signatures,
            (SELECT json_agg(json_build_object('id', id, 'ended', "endedAt", 'confirmed', "confirmedAt") ORDER BY id) FROM "Seat" WHERE "sessionId" = $1) AS seats,
            (SELECT json_agg(json_build_object('id', id, 'status', status, 'minutes', "minutesHash") ORDER BY id) FROM "Round" WHERE "sessionId" = $1) AS rounds,
            (SELECT count(*) FROM "MinutesSignature" m JOIN "Round" r ON r.id = m."roundId" WHERE r."sessionId" = $1) AS minutes_signatures,
            (SELECT count(*) FROM "AuditEvent" WHERE "sessionId" = $1) AS audit,
            (SELECT count(*) FROM "CaucusNote" WHERE "sessionId" = $1) AS notes,
            (SELECT count(*) FROM "RatificationVote" WHERE "sessionId" = $1) AS votes,
            (SELECT count(*) FROM "NoticeCorrection" WHERE "sessionId" = $1) AS corrections,
            (SELECT json_agg(json_build_object('id', id, 'state', state, 'due', "dueAt", 'extension', "extensionDays", 'participants', participants) ORDER BY id) FROM "Dispute" WHERE "sessionId" = $1) AS disputes
       FROM "BargainingSession" s WHERE s.id = $1`,
    [sessionId],
  );
  return JSON.stringify(rows);
}

beforeAll(async () => {
  server = await startTestServer();
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  const sessionId = await sessionInBargaining(server.url, db, "拒绝测试协商");
  const seatOf = async (email: string) =>
    (await db.query(`SELECT s.id FROM "Seat" s JOIN "User" u ON u.id = s."userId" WHERE s."sessionId" = $1 AND u.email = $2 AND s."endedAt" IS NULL`, [sessionId, email])).rows[0].id as string;
  const ok = (page: { status: number; location?: string | null }, what: string) => expect(page.status, what).toBe(302);
  const unionAdmin = await loginAs(server.url, "unionAdmin");
  const chief = await loginAs(server.url, "unionNegotiator");
  const recorder = await loginAs(server.url, "recorder");
  // A vacancy on the worker side (so that naming a representative there could succeed) ...
  ok(await unionAdmin.post(`/sessions/${sessionId}`, { intent: "endSeat", seatId: await seatOf(demoAccount("workerRepresentative").email), reason: "辞任" }), "end a seat");
  // ... a replacement recorder nominated by the worker side, waiting for the employer side ...
  const outsider = new TestBrowser(server.url);
  const outsiderEmail = uniqueEmail("professional");
  await outsider.signup({ email: outsiderEmail });
  const nominee = new TestBrowser(server.url);
  const nomineeEmail = uniqueEmail("nominee");
  await nominee.signup({ email: nomineeEmail });
  ok(await unionAdmin.post(`/sessions/${sessionId}`, { intent: "appointSeat", kind: "RECORDER", email: nomineeEmail, replacesSeatId: await seatOf(demoAccount("recorder").email) }), "nominate a recorder");
  const pendingRecorderId = (await db.query(`SELECT id FROM "Seat" WHERE "sessionId" = $1 AND kind = 'RECORDER' AND "confirmedAt" IS NULL`, [sessionId])).rows[0].id as string;
  // ... a round held with minutes to sign, and a round still to be held.
  ok(await chief.post(`/sessions/${sessionId}`, { intent: "scheduleRound", scheduledAt: chinaMinute(), location: "会议室", agenda: "第一轮" }), "schedule");
  ok(await chief.post(`/sessions/${sessionId}`, { intent: "scheduleRound", scheduledAt: chinaMinute(24 * 60), location: "会议室", agenda: "第二轮" }), "schedule");
  const rounds = (await db.query(`SELECT id FROM "Round" WHERE "sessionId" = $1 ORDER BY number`, [sessionId])).rows.map((row) => row.id as string);
  ok(await recorder.post(`/sessions/${sessionId}`, { intent: "recordRound", roundId: rounds[0]!, minutes: "双方就计件单价交换意见。" }), "minutes");
  const minutesHash = (await db.query(`SELECT "minutesHash" FROM "Round" WHERE id = $1`, [rounds[0]])).rows[0].minutesHash as string;
  const unionId = (await db.query(`SELECT id FROM "Organization" WHERE slug = 'hz-rider-union'`)).rows[0].id as string;
  // ... and a dispute the worker side brought to the bureau (第四十九条), still to be accepted.
  ok(await chief.post(`/sessions/${sessionId}/disputes`, { intent: "apply", side: "WORKER", statement: "计件单价争议" }), "apply for coordination");
  const disputeId = (await db.query(`SELECT id FROM "Dispute" WHERE "sessionId" = $1`, [sessionId])).rows[0].id as string;
  fixture = { sessionId, unionId, endableSeatId: await seatOf(demoAccount("unionAdmin").email), pendingRecorderId, openRoundId: rounds[1]!, heldRoundId: rounds[0]!, minutesHash, outsiderEmail, disputeId };
  for (const [name, person] of Object.entries(CAST)) browsers.set(name, await person.login());
});

afterAll(async () => {
  await db?.end();
  await server?.close();
});

describe("coverage", () => {
  it("names every route of the build that takes a form, and every intent of each session route's schema", async () => {
    const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
    const withAction = Object.keys(build.routes).filter((id) => build.routes[id]!.module.action);
    const missing = withAction.filter((id) => !(id in ROUTES) && !NOT_SESSION_ROUTES.includes(id));
    expect(missing, `routes with an action but no entry in tests/integration/refusals.test.ts: ${missing.join(", ")}`).toEqual([]);
    const { sessionActionSchema } = await import("../../app/domain/session-validation.ts");
    const { agreementActionSchema } = await import("../../app/domain/agreement-validation.ts");
    const intentsOf = (schema: typeof sessionActionSchema | typeof agreementActionSchema) => schema.options.map((option) => option.shape.intent.value as string).sort();
    const named = (id: string) => [...new Set(Object.entries(ROUTES[id]!.intents).map(([name, intent]) => intent.form(fixture).intent ?? name))].sort();
    expect(named("routes/_session.sessions.$id._index")).toEqual(intentsOf(sessionActionSchema));
    expect(named("routes/_session.sessions.$id.agreement")).toEqual(intentsOf(agreementActionSchema));
    const { DISPUTE_INTENTS } = await import("../../app/domain/dispute-validation.ts");
    expect(named("routes/_session.sessions.$id.disputes")).toEqual([...DISPUTE_INTENTS].sort());
  });
});

const cases = Object.entries(ROUTES).flatMap(([route, { intents }]) =>
  Object.entries(intents).flatMap(([name, intent]) =>
    Object.entries(CAST)
      .filter(([, person]) => !lawAllows(person.who, intent.action, "BARGAINING", intent.side))
      .map(([personName]) => ({ route, name, personName })),
  ),
);

describe("every mutation, by everyone the law does not allow it in bargaining", () => {
  it.each(cases)("$route $name: refused to the $personName, nothing changed", async ({ route, name, personName }) => {
    const entry = ROUTES[route]!;
    const intent = entry.intents[name]!;
    const before = await digest(fixture.sessionId);
    const page = await browsers.get(personName)!.post(entry.path(fixture), { intent: name, ...intent.form(fixture) });
    // A refusal (not a malformed form: every form here is valid), and the page says which.
    expect([403, 404, 409], `${page.status} ${page.text.slice(0, 200)}`).toContain(page.status);
    expect(await digest(fixture.sessionId)).toBe(before);
  });

  it("the table is not empty: someone may take each intent the step allows, so the refusals above are about who asks", () => {
    const allowedSomewhere = Object.values(ROUTES).flatMap(({ intents }) => Object.values(intents)).filter((intent) => Object.values(CAST).some((person) => lawAllows(person.who, intent.action, "BARGAINING", intent.side)));
    expect(allowedSomewhere.length).toBeGreaterThanOrEqual(12);
  });
});
