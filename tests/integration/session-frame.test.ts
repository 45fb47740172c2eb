/**
 * The layout of every session page (app/routes/_session.tsx, issue 16): the title, the step and
 * the tabs to the session's pages, each offered only to whom the projection allows it. A chief sees
 * the overview, the draft, the versions and their own side's caucus, never the other side's; the
 * agreement tab appears once there is an agreed text; a worker representative on the vote's roll
 * who is not a participant sees only the agreement (and the overview stays "not found" to them).
 * Posting to /sessions/:id still reaches the overview's action, as before the layout existed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { startTestServer } from "../support/server.ts";
import { loginAs, sessionInBargaining } from "../support/sessions.ts";
import { expectStatus, openVote, rollGroups, workerRepresentatives } from "../support/agreement.ts";
import type { TestBrowser } from "../support/browser.ts";

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

/** The frame's navigation on a page: its text and the session links it offers. */
async function frameOf(browser: TestBrowser, path: string) {
  const page = await expectStatus(await browser.get(path), 200, `GET ${path}`);
  const nav = /<nav class="session-frame"[^>]*>([\s\S]*?)<\/nav>/.exec(page.text);
  expect(nav, `the session frame on ${path}`).toBeTruthy();
  const links = [...nav![1]!.matchAll(/href="(\/sessions\/[^"]*)"/g)].map((match) => match[1]!);
  return { html: nav![1]!, links: new Set(links), page };
}

describe("the session frame", () => {
  it("offers each side its pages and only its own caucus, on every page of the session", async () => {
    const title = `框架 ${Date.now()}`;
    const sessionId = await sessionInBargaining(server.url, db, title);
    const base = `/sessions/${sessionId}`;
    const workerChief = await loginAs(server.url, "unionNegotiator");
    const employerChief = await loginAs(server.url, "associationRepresentative");

    for (const path of [base, `${base}/draft`, `${base}/versions`, `${base}/caucus/worker`]) {
      const frame = await frameOf(workerChief, path);
      expect(frame.html).toContain(title);
      expect(frame.html).toContain("协商中"); // the step, in the user's language
      for (const link of [base, `${base}/draft`, `${base}/versions`, `${base}/caucus/worker`]) expect(frame.links, `${path} links ${link}`).toContain(link);
      expect(frame.links).not.toContain(`${base}/caucus/employer`);
      expect(frame.links, "no agreement before the draft is agreed").not.toContain(`${base}/agreement`);
      expect(frame.html).toContain("概况");
    }
    const employer = await frameOf(employerChief, `${base}/draft`);
    expect(employer.links).toContain(`${base}/caucus/employer`);
    expect(employer.links).not.toContain(`${base}/caucus/worker`);

    // Someone with no part in the session gets "not found" from the frame as from the pages.
    const outsider = (await workerRepresentatives(server.url, 1))[0]!.browser;
    for (const path of [base, `${base}/draft`, `${base}/versions`]) expect((await outsider.get(path)).status, path).toBe(404);

    // The overview's forms still post to /sessions/:id (no ?index): the layout has no action.
    for (const chief of [workerChief, employerChief]) await expectStatus(await chief.post(base, { intent: "agree", kind: "DRAFT" }), 302, "agree the draft");
    const agreed = await frameOf(workerChief, base);
    expect(agreed.links, "the agreement tab once the text is agreed").toContain(`${base}/agreement`);
  });

  it("shows a representative on the roll only the agreement they vote on", async () => {
    const sessionId = await sessionInBargaining(server.url, db, `表决框架 ${Date.now()}`);
    const base = `/sessions/${sessionId}`;
    const workerChief = await loginAs(server.url, "unionNegotiator");
    const employerChief = await loginAs(server.url, "associationRepresentative");
    for (const chief of [workerChief, employerChief]) await expectStatus(await chief.post(base, { intent: "agree", kind: "DRAFT" }), 302, "agree the draft");
    const groups = await rollGroups(db, sessionId);
    const [voter, other] = await workerRepresentatives(server.url, 2);
    await expectStatus(await openVote(workerChief, sessionId, { roll: { [groups[0]!]: [voter!.email, other!.email] } }), 302, "open the vote");

    voter!.browser.acceptLanguage = "en";
    const frame = await frameOf(voter!.browser, `${base}/agreement`);
    expect([...frame.links]).toEqual([`${base}/agreement`]);
    expect(frame.html).toMatch(/Agreement and vote|协议与表决/);
    for (const path of [base, `${base}/draft`, `${base}/versions`, `${base}/caucus/worker`]) expect((await voter!.browser.get(path)).status, path).toBe(404);
  });
});
