/**
 * Issue 23, item 1: an action list to trust. One session is walked through the whole procedure
 * over HTTP with the demo accounts (proposal, answers, seats, recorder, bargaining, both chiefs
 * agreeing the draft, the vote, signatures, filing, the bureau's review opinion, renegotiation,
 * refiling answering it, the review lapsing, moderation of workers' feedback), and at every step
 * every demo user's dashboard is read as that user sees it: the actions listed for this session
 * are exactly those that wait on them, with their deadline, and the header counts them. Observers
 * are never asked to act; a chief is asked to agree only what the other chief agreed; a voter only
 * while their ballot is unvoted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { TestBrowser, uniqueEmail, type Page } from "../support/browser.ts";
import { startTestServer } from "../support/server.ts";
import { demoAccount, VALID_TERMS, writeTerms } from "../support/sessions.ts";
import { expectStatus, writeText } from "../support/agreement.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let db: pg.Client;

/** Everyone whose list is checked: the demo accounts of the food-delivery parties, the bureau, the recorder, a rider. */
const PEOPLE = [
  "negotiator@union.demo",
  "admin@union.demo",
  "workerrep@union.demo",
  "rep@association.demo",
  "admin@association.demo",
  "rep@swifteats.demo",
  "admin@swifteats.demo",
  "rep@lanshan.demo",
  "admin@lanshan.demo",
  "reviewer@bureau.demo",
  "admin@bureau.demo",
  "recorder@xieshang.demo",
  "rider@worker.demo",
] as const;
type Person = (typeof PEOPLE)[number];
const browsers = new Map<string, TestBrowser>();

async function as(email: string): Promise<TestBrowser> {
  let browser = browsers.get(email);
  if (!browser) {
    browser = new TestBrowser(server.url);
    await browser.login(email, DEMO_PASSWORD);
    browsers.set(email, browser);
  }
  return browser;
}

/** The actions the dashboard lists for this session, as the user sees them, and the header's count. */
async function listed(email: string, sessionId: string): Promise<{ actions: string[]; dated: string[]; count: number }> {
  const page = await (await as(email)).get("/sessions");
  expect(page.status).toBe(200);
  const card = new RegExp(`<li[^>]*data-session="${sessionId}"[^>]*>([\\s\\S]*?)</ul></li>`).exec(page.text)?.[1] ?? "";
  const actions = [...card.matchAll(/data-action="([^"]+)"/g)].map((match) => match[1]!);
  const dated = [...card.matchAll(/data-action="([^"]+)"><a [^>]*>[^<]*<\/a><span class="meta">/g)].map((match) => match[1]!);
  const count = Number(/data-testid="action-count"[^>]*>(\d+)/.exec(page.text)?.[1] ?? "0");
  return { actions, dated, count };
}

/** Every person's list for the session must be exactly `expected` (absent: nothing). */
async function expectLists(sessionId: string, expected: Partial<Record<Person | string, string[]>>, step: string) {
  const actual: Record<string, string[]> = {};
  for (const email of [...PEOPLE, ...Object.keys(expected).filter((email) => !(PEOPLE as readonly string[]).includes(email))]) {
    actual[email] = (await listed(email, sessionId)).actions;
  }
  const wanted = Object.fromEntries(Object.keys(actual).map((email) => [email, expected[email] ?? []]));
  expect(actual, step).toEqual(wanted);
}

const post = async (email: string, path: string, fields: Record<string, string>, what: string): Promise<Page> => expectStatus(await (await as(email)).post(path, fields), 302, what);

beforeAll(async () => {
  server = await startTestServer();
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
}, 60_000);

afterAll(async () => {
  await db?.end();
  await server?.close();
});

describe("what each user must do next, at every step of the procedure", () => {
  it("lists exactly what waits on each user, with its deadline, and counts it in the header", async () => {
    const idOf = async (slug: string) => (await db.query('SELECT id FROM "Organization" WHERE slug = $1', [slug])).rows[0].id as string;
    const form = new URLSearchParams({ proposerOrganizationId: await idOf("hz-rider-union"), title: `待办 ${Date.now()}`, industry: "FOOD_DELIVERY", regionCode: "330100", representativesPerSide: "3", termMonths: "24", proposalText: "就计件单价开展协商。" });
    form.append("topics[]", "pieceRate");
    for (const slug of ["hz-catering-association", "swift-eats", "lanshan-delivery"]) form.append("recipientOrganizationIds[]", await idOf(slug));
    form.append("observerOrganizationIds[]", await idOf("hz-hrss-bureau"));
    const proposed = await (await as("negotiator@union.demo")).request("/sessions/new", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: form.toString() });
    expect(proposed.status).toBe(302);
    const sessionId = proposed.location!.split("/").pop()!;
    const at = `/sessions/${sessionId}`;
    const agreement = `${at}/agreement`;

    // 1. Proposed: each invited organization's staff and administrator answer for it, with the 20-day deadline.
    const answerers = ["rep@association.demo", "admin@association.demo", "rep@swifteats.demo", "admin@swifteats.demo", "rep@lanshan.demo", "admin@lanshan.demo"];
    await expectLists(sessionId, Object.fromEntries(answerers.map((email) => [email, ["answer"]])), "proposed");
    expect((await listed("rep@association.demo", sessionId)).dated).toEqual(["answer"]);
    expect((await listed("rep@association.demo", sessionId)).count).toBeGreaterThanOrEqual(1);

    // 2. The association answers: its people are no longer asked; the platforms still are.
    await post("rep@association.demo", at, { intent: "accept" }, "accept");
    await expectLists(sessionId, Object.fromEntries(answerers.slice(2).map((email) => [email, ["answer"]])), "association answered");
    await post("rep@swifteats.demo", at, { intent: "accept" }, "accept");
    await post("rep@lanshan.demo", at, { intent: "accept" }, "accept");

    // 3. Accepted: each side names its delegation.
    const accepted = await Promise.all(PEOPLE.map(async (email) => [email, (await listed(email, sessionId)).actions] as const));
    const naming = accepted.filter(([, actions]) => actions.includes("nameRepresentatives")).map(([email]) => email);
    expect(naming).toEqual(expect.arrayContaining(["admin@union.demo", "rep@association.demo"]));
    for (const email of ["reviewer@bureau.demo", "admin@bureau.demo", "recorder@xieshang.demo", "rider@worker.demo", "workerrep@union.demo"]) expect(naming).not.toContain(email);

    const seat = (side: string, email: string, chief = false) => ({ intent: "appointSeat", kind: "REPRESENTATIVE", side, email, ...(chief ? { isChief: "on" } : {}) });
    await post("admin@union.demo", at, seat("WORKER", "negotiator@union.demo", true), "seat");
    await post("admin@union.demo", at, seat("WORKER", "admin@union.demo"), "seat");
    await post("admin@union.demo", at, seat("WORKER", "workerrep@union.demo"), "seat");
    await post("rep@association.demo", at, seat("EMPLOYER", "rep@association.demo", true), "seat");
    await post("rep@association.demo", at, seat("EMPLOYER", "rep@swifteats.demo"), "seat");
    await post("rep@association.demo", at, seat("EMPLOYER", "rep@lanshan.demo"), "seat");
    await post("admin@union.demo", at, { intent: "appointSeat", kind: "RECORDER", email: demoAccount("recorder").email }, "recorder");

    // 4. The recorder nominated by the worker side waits for the employer side's confirmation (第三十三条（五））.
    const confirming = (await listed("rep@association.demo", sessionId)).actions;
    expect(confirming).toEqual(["confirmRecorder"]);
    expect((await listed("admin@union.demo", sessionId)).actions).toEqual([]);
    const nominee = (await db.query(`SELECT id FROM "Seat" WHERE "sessionId" = $1 AND kind = 'RECORDER' AND "endedAt" IS NULL`, [sessionId])).rows[0].id as string;
    await post("rep@association.demo", at, { intent: "confirmRecorder", seatId: nominee }, "confirm recorder");

    // 5. Ready: either chief may open the first round (第三十四条: the chiefs chair the meetings in turn).
    await expectLists(sessionId, { "negotiator@union.demo": ["startBargaining"], "rep@association.demo": ["startBargaining"] }, "ready");
    await post("negotiator@union.demo", at, { intent: "startBargaining" }, "start");
    await expectLists(sessionId, {}, "bargaining");

    // 6. One chief agrees the draft: the other chief is asked, nobody else (第三十四条（四）).
    await writeTerms(server.url, sessionId, { ...VALID_TERMS, quotaMinutesPerOrder: 12 });
    await writeText(server.url, sessionId, ["第一条 计件单价按本协议执行。"]);
    await post("negotiator@union.demo", at, { intent: "agree", kind: "DRAFT" }, "agree");
    await expectLists(sessionId, { "rep@association.demo": ["agreeDraft"] }, "worker chief agreed the draft");
    await post("rep@association.demo", at, { intent: "agree", kind: "DRAFT" }, "agree");
    await expectLists(sessionId, {}, "draft agreed");

    // 7. The vote: each representative on the roll until they have voted, with the closing time.
    const voters = [uniqueEmail("voter0"), uniqueEmail("voter1")];
    for (const [index, email] of voters.entries()) {
      const browser = new TestBrowser(server.url);
      await browser.signup({ email, displayName: `职工代表${index + 1}` });
      browsers.set(email, browser);
    }
    const union = await idOf("hz-rider-union");
    await post("negotiator@union.demo", agreement, { intent: "openVote", closesInHours: "72", secret: "on", [`roll_${union}`]: voters.join("\n") }, "open vote");
    await expectLists(sessionId, { [voters[0]!]: ["vote"], [voters[1]!]: ["vote"] }, "vote open");
    expect((await listed(voters[0]!, sessionId)).dated).toEqual(["vote"]);
    // The deadline column shows the vote's closing time, not "—".
    expect((await (await as("negotiator@union.demo")).get("/sessions")).text).toMatch(new RegExp(`表决截止`));
    await post(voters[0]!, agreement, { intent: "castBallot", choice: "YES" }, "ballot");
    await expectLists(sessionId, { [voters[1]!]: ["vote"] }, "one voted");
    await post(voters[1]!, agreement, { intent: "castBallot", choice: "YES" }, "ballot");
    await post("negotiator@union.demo", agreement, { intent: "closeVote" }, "close vote");

    // 8. Ratified: both chiefs sign; then the employer side files, with the 10-day deadline (第四十二条).
    await expectLists(sessionId, { "negotiator@union.demo": ["sign"], "rep@association.demo": ["sign"] }, "ratified");
    await post("negotiator@union.demo", agreement, { intent: "signAgreement", password: DEMO_PASSWORD }, "sign");
    await expectLists(sessionId, { "rep@association.demo": ["sign"] }, "one signed");
    await post("rep@association.demo", agreement, { intent: "signAgreement", password: DEMO_PASSWORD }, "sign");
    await expectLists(sessionId, { "rep@association.demo": ["file"] }, "signed");
    expect((await listed("rep@association.demo", sessionId)).dated).toEqual(["file"]);
    await post("rep@association.demo", agreement, { intent: "file" }, "file");

    // 9. Filed: the bureau's reviewers review, within 15 days; nobody else is asked.
    const filed = await Promise.all(PEOPLE.map(async (email) => [email, (await listed(email, sessionId)).actions] as const));
    expect(Object.fromEntries(filed.filter(([, actions]) => actions.length > 0))).toEqual(expect.objectContaining({ "reviewer@bureau.demo": ["review"] }));
    for (const [email, actions] of filed) if (!email.endsWith("@bureau.demo")) expect(actions, email).toEqual([]);

    // The activity record tells each step once: one chief's half of a two-sided act is told as that
    // side's act, never as the step again ("ratified" appeared twice when the first chief signed).
    const record = async (language: string) => {
      const browser = await as("negotiator@union.demo");
      browser.acceptLanguage = language;
      const text = (await browser.get(at)).text;
      browser.acceptLanguage = "zh-CN,zh;q=0.9";
      return [...text.matchAll(/data-testid="audit-event">([^<]*)</g)].map((match) => match[1]!);
    };
    const zh = await record("zh-CN");
    expect(zh.filter((entry) => entry === "程序变更 · 审议通过")).toHaveLength(1);
    expect(zh.filter((entry) => entry === "程序变更 · 协商中")).toHaveLength(1);
    expect(zh).toContain("职工方首席代表同意草案，待对方首席代表同意");
    expect(zh).toContain("职工方首席代表签署协议，待对方首席代表签署");
    const en = await record("en");
    expect(en.filter((entry) => entry === "Procedure step · Ratified")).toHaveLength(1);
    expect(en).toContain("Worker side: the chief signed the agreement; waiting for the other chief");

    // 10. An objection: both chiefs are asked to answer it until the text is filed again (第四十五条、第四十六条).
    await post("reviewer@bureau.demo", at, { intent: "object", "clause[]": "第一条", "reason[]": "计件单价低于最低工资标准" }, "object");
    await expectLists(sessionId, { "negotiator@union.demo": ["answerObjection"], "rep@association.demo": ["answerObjection"] }, "objection served");
    // The agreement page no longer says the vote simply passed: the text was reopened by the objection (issue 23, item 2).
    const page = await (await as("negotiator@union.demo")).get(agreement);
    expect(page.text).toContain("该文本曾经表决通过，但此后已重新协商");
    expect(page.text).toContain("计件单价低于最低工资标准");
  }, 240_000);
});
