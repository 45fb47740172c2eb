/**
 * Drives an agreed draft through ratification and signing over the real HTTP interface, for
 * integration tests: worker representatives with their own accounts on the roll of each covered
 * enterprise, ballots, the early close once everyone voted, both chiefs' signatures.
 */
import pg from "pg";
import * as Y from "yjs";
import { DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { TestBrowser, uniqueEmail, type Page } from "./browser.ts";
import { loginAs } from "./sessions.ts";

export async function expectStatus(page: Page, status: number, what: string): Promise<Page> {
  if (page.status !== status) throw new Error(`${what}: expected ${status}, got ${page.status}: ${page.text.slice(0, 600)}`);
  return page;
}

/** Signs up `count` worker representatives and returns their browsers and e-mails. */
export async function workerRepresentatives(baseUrl: string, count: number): Promise<Array<{ email: string; browser: TestBrowser }>> {
  const reps: Array<{ email: string; browser: TestBrowser }> = [];
  for (let index = 0; index < count; index += 1) {
    const browser = new TestBrowser(baseUrl);
    const email = uniqueEmail(`rep${index}`);
    await browser.signup({ email, displayName: `职工代表${index + 1}` });
    reps.push({ email, browser });
  }
  return reps;
}

/** The session's covered enterprises (or, when none is covered, its worker-side unions). */
export async function rollGroups(db: pg.Client, sessionId: string): Promise<string[]> {
  const covered = await db.query('SELECT "organizationId" FROM "SessionParty" WHERE "sessionId" = $1 AND covered ORDER BY "createdAt"', [sessionId]);
  if (covered.rows.length) return covered.rows.map((row) => row.organizationId as string);
  const unions = await db.query(`SELECT "organizationId" FROM "SessionParty" WHERE "sessionId" = $1 AND role = 'WORKER' ORDER BY "createdAt"`, [sessionId]);
  return unions.rows.map((row) => row.organizationId as string);
}

/** Opens the vote; how it is counted is the session's, chosen in its proposal (issue 20, item 2). */
export async function openVote(chief: TestBrowser, sessionId: string, options: { secret?: boolean; hours?: number; roll: Record<string, string[]> }) {
  const form: Record<string, string> = { intent: "openVote", closesInHours: String(options.hours ?? 72) };
  if (options.secret ?? true) form.secret = "on";
  for (const [enterpriseId, emails] of Object.entries(options.roll)) form[`roll_${enterpriseId}`] = emails.join("\n");
  return chief.post(`/sessions/${sessionId}/agreement`, form);
}

/** From DRAFT_AGREED to RATIFIED: two representatives per roll group vote yes, the worker chief closes the vote. */
export async function ratify(baseUrl: string, db: pg.Client, sessionId: string) {
  const workerChief = await loginAs(baseUrl, "unionNegotiator");
  const employerChief = await loginAs(baseUrl, "associationRepresentative");
  const groups = await rollGroups(db, sessionId);
  const reps = await workerRepresentatives(baseUrl, groups.length * 2);
  const roll = Object.fromEntries(groups.map((group, index) => [group, reps.slice(index * 2, index * 2 + 2).map((rep) => rep.email)]));
  await expectStatus(await openVote(workerChief, sessionId, { roll }), 302, "open vote");
  for (const rep of reps) await expectStatus(await rep.browser.post(`/sessions/${sessionId}/agreement`, { intent: "castBallot", choice: "YES" }), 302, "ballot");
  await expectStatus(await workerChief.post(`/sessions/${sessionId}/agreement`, { intent: "closeVote" }), 302, "close vote");
  return { workerChief, employerChief, reps };
}

/** From DRAFT_AGREED to SIGNED (and FILED with `file`): ratified, then both chiefs sign with their password. */
export async function ratifyAndSign(baseUrl: string, db: pg.Client, sessionId: string, options: { file?: boolean } = {}) {
  const ratified = await ratify(baseUrl, db, sessionId);
  for (const chief of [ratified.workerChief, ratified.employerChief]) await expectStatus(await chief.post(`/sessions/${sessionId}/agreement`, { intent: "signAgreement", password: DEMO_PASSWORD }), 302, "sign");
  if (options.file) await expectStatus(await ratified.employerChief.post(`/sessions/${sessionId}/agreement`, { intent: "file" }), 302, "file");
  return ratified;
}

/** Appends the agreement text (one paragraph per line) to the draft, as the union negotiator. */
export async function writeText(baseUrl: string, sessionId: string, lines: string[]) {
  const { YjsTestClient } = await import("./yjs-client.ts");
  const cookie = (await loginAs(baseUrl, "unionNegotiator")).cookies.get("xs_session")!;
  const client = new YjsTestClient(baseUrl, sessionId, cookie);
  try {
    const joined = await client.join();
    if (!joined.ok) throw new Error(`join failed: ${JSON.stringify(joined)}`);
    const ack = await client.change((doc) => {
      const body = doc.getXmlFragment("body");
      body.insert(
        body.length,
        lines.map((line) => {
          const paragraph = new Y.XmlElement("paragraph");
          paragraph.insert(0, [new Y.XmlText(line)]);
          return paragraph;
        }),
      );
    });
    if (!ack.ok) throw new Error(`write failed: ${JSON.stringify(ack)}`);
  } finally {
    client.close();
  }
}

/** Both chiefs agree the draft (BARGAINING → DRAFT_AGREED). */
export async function agreeDraft(baseUrl: string, sessionId: string) {
  for (const roleKey of ["unionNegotiator", "associationRepresentative"]) {
    await expectStatus(await (await loginAs(baseUrl, roleKey)).post(`/sessions/${sessionId}`, { intent: "agree", kind: "DRAFT" }), 302, "agree");
  }
}
