/**
 * Bargaining sessions for the benchmarks, through the real HTTP interface: the same steps as
 * tests/support/sessions.ts sessionInBargaining (proposal, acceptance, 3 + 3 representatives, the
 * recorder, bargaining started), but logging each role in once for all the sessions, since a
 * login (password hashing) is what makes creating many sessions slow.
 */
import pg from "pg";
import { demoAccount, loginAs } from "../support/sessions.ts";
import type { TestBrowser } from "../support/browser.ts";

export async function createSessionsInBargaining(baseUrl: string, db: pg.Client, count: number): Promise<string[]> {
  const idOf = async (slug: string) => (await db.query('SELECT id FROM "Organization" WHERE slug = $1', [slug])).rows[0].id as string;
  const [negotiator, association, unionAdmin] = await Promise.all([loginAs(baseUrl, "unionNegotiator"), loginAs(baseUrl, "associationRepresentative"), loginAs(baseUrl, "unionAdmin")]);
  // Every named organization answers for itself: the platforms through their representatives.
  const platforms = await Promise.all([loginAs(baseUrl, "platformRepresentative", 0), loginAs(baseUrl, "platformRepresentative", 1)]);
  const proposer = await idOf("hz-rider-union");
  const recipients = await Promise.all(["hz-catering-association", "swift-eats", "lanshan-delivery"].map(idOf));
  const observer = await idOf("hz-hrss-bureau");
  const expectRedirect = (page: { status: number; text: string }, what: string) => {
    if (page.status !== 302) throw new Error(`${what} failed with ${page.status}: ${page.text.slice(0, 400)}`);
  };
  const sessions: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const form = new URLSearchParams({
      proposerOrganizationId: proposer,
      title: `Benchmark ${index + 1} ${Date.now()}`,
      industry: "FOOD_DELIVERY",
      regionCode: "330100",
      representativesPerSide: "3",
      termMonths: "24",
      proposalText: "就计件单价开展协商。",
    });
    form.append("topics[]", "pieceRate");
    for (const id of recipients) form.append("recipientOrganizationIds[]", id);
    form.append("observerOrganizationIds[]", observer);
    const proposed = await negotiator.request("/sessions/new", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: form.toString() });
    expectRedirect(proposed, "proposal");
    const sessionId = proposed.location!.split("/").pop()!;
    const post = async (browser: TestBrowser, fields: Record<string, string>) => expectRedirect(await browser.post(`/sessions/${sessionId}`, fields), fields.intent!);
    const seat = (side: string, roleKey: string, seatIndex = 0, chief = false) => ({
      intent: "appointSeat",
      kind: "REPRESENTATIVE",
      side,
      email: demoAccount(roleKey, seatIndex).email,
      ...(chief ? { isChief: "on" } : {}),
    });
    await post(association, { intent: "accept" });
    for (const platform of platforms) await post(platform, { intent: "accept" });
    await post(unionAdmin, seat("WORKER", "unionNegotiator", 0, true));
    await post(unionAdmin, seat("WORKER", "unionAdmin"));
    await post(unionAdmin, seat("WORKER", "workerRepresentative"));
    await post(association, seat("EMPLOYER", "associationRepresentative", 0, true));
    await post(association, seat("EMPLOYER", "platformRepresentative", 0));
    await post(association, seat("EMPLOYER", "platformRepresentative", 1));
    await post(unionAdmin, { intent: "appointSeat", kind: "RECORDER", email: demoAccount("recorder").email });
    // Both sides name the recorder: the employer side confirms the union's nominee.
    const nominee = (await db.query(`SELECT id FROM "Seat" WHERE "sessionId" = $1 AND kind = 'RECORDER' AND "endedAt" IS NULL AND "confirmedAt" IS NULL`, [sessionId])).rows[0]?.id as string;
    await post(association, { intent: "confirmRecorder", seatId: nominee });
    await post(negotiator, { intent: "startBargaining" });
    sessions.push(sessionId);
  }
  return sessions;
}
