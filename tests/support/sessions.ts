/** Builds bargaining sessions through the real HTTP interface, for realtime and e2e-like tests. */
import pg from "pg";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { TestBrowser } from "./browser.ts";

export const demoAccount = (roleKey: string, index = 0) => DEMO_ACCOUNTS.filter((candidate) => candidate.roleKey === roleKey)[index]!;

export async function loginAs(baseUrl: string, roleKey: string, index = 0): Promise<TestBrowser> {
  const browser = new TestBrowser(baseUrl);
  await browser.login(demoAccount(roleKey, index).email, DEMO_PASSWORD);
  return browser;
}

async function expectRedirect(page: { status: number; text: string }, what: string) {
  if (page.status !== 302) throw new Error(`${what} failed with ${page.status}: ${page.text.slice(0, 400)}`);
}

/**
 * A food-delivery session proposed by the union to the association and two platforms, observed by
 * the bureau, accepted, with 3 + 3 representatives (chiefs: union negotiator, association rep),
 * the neutral recorder, and bargaining started.
 */
export async function sessionInBargaining(
  baseUrl: string,
  db: pg.Client,
  title = `协商 ${Date.now()}`,
  /**
   * Extra employer-side recipients and the enterprises the agreement covers (organization slugs).
   * An extra recipient must have the first platform representative among its negotiators or
   * administrators, who answers for it.
   */
  options: { recipients?: string[]; covered?: string[]; observers?: string[]; continuesNoticeId?: string; ratificationPractice?: "ORDINARY" | "AGREED_PER_ENTERPRISE"; industry?: string } = {},
): Promise<string> {
  const idOf = async (slug: string) => (await db.query('SELECT id FROM "Organization" WHERE slug = $1', [slug])).rows[0].id as string;
  const negotiator = await loginAs(baseUrl, "unionNegotiator");
  const form = new URLSearchParams({
    proposerOrganizationId: await idOf("hz-rider-union"),
    title,
    industry: options.industry ?? "FOOD_DELIVERY",
    regionCode: "330100",
    representativesPerSide: "3",
    termMonths: "24",
    proposalText: "就计件单价开展协商。",
  });
  form.append("topics[]", "pieceRate");
  for (const slug of ["hz-catering-association", "swift-eats", "lanshan-delivery", ...(options.recipients ?? [])]) form.append("recipientOrganizationIds[]", await idOf(slug));
  for (const slug of options.covered ?? []) form.append("coveredOrganizationIds[]", await idOf(slug));
  for (const slug of options.observers ?? ["hz-hrss-bureau"]) form.append("observerOrganizationIds[]", await idOf(slug));
  if (options.continuesNoticeId) form.append("continuesNoticeId", options.continuesNoticeId);
  if (options.ratificationPractice) form.append("ratificationPractice", options.ratificationPractice);
  const proposed = await negotiator.request("/sessions/new", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: form.toString() });
  await expectRedirect(proposed, "proposal");
  const sessionId = proposed.location!.split("/").pop()!;
  const post = async (browser: TestBrowser, fields: Record<string, string>) => expectRedirect(await browser.post(`/sessions/${sessionId}`, fields), fields.intent!);
  // Every named organization answers for itself (issue 18): the association and each platform.
  const association = await loginAs(baseUrl, "associationRepresentative");
  await post(association, { intent: "accept" });
  await post(await loginAs(baseUrl, "platformRepresentative", 0), { intent: "accept" });
  await post(await loginAs(baseUrl, "platformRepresentative", 1), { intent: "accept" });
  const unionAdmin = await loginAs(baseUrl, "unionAdmin");
  const seat = (side: string, roleKey: string, index = 0, chief = false) => ({
    intent: "appointSeat",
    kind: "REPRESENTATIVE",
    side,
    email: demoAccount(roleKey, index).email,
    ...(chief ? { isChief: "on" } : {}),
  });
  await post(unionAdmin, seat("WORKER", "unionNegotiator", 0, true));
  await post(unionAdmin, seat("WORKER", "unionAdmin"));
  await post(unionAdmin, seat("WORKER", "workerRepresentative"));
  await post(association, seat("EMPLOYER", "associationRepresentative", 0, true));
  await post(association, seat("EMPLOYER", "platformRepresentative", 0));
  await post(association, seat("EMPLOYER", "platformRepresentative", 1));
  await post(unionAdmin, { intent: "appointSeat", kind: "RECORDER", email: demoAccount("recorder").email });
  // Both sides name the recorder (《集体合同规定》第三十三条（五））: the employer side confirms.
  const nominee = (await db.query(`SELECT id FROM "Seat" WHERE "sessionId" = $1 AND kind = 'RECORDER' AND "endedAt" IS NULL AND "confirmedAt" IS NULL`, [sessionId])).rows[0]?.id as string;
  await post(association, { intent: "confirmRecorder", seatId: nominee });
  await post(negotiator, { intent: "startBargaining" });
  return sessionId;
}

/** Terms that pass every blocking rule check (a realistic food-delivery draft). */
export const VALID_TERMS = {
  pieceRateBaseFen: 650,
  pieceRateNightSurchargeFen: 100,
  badWeatherSubsidyFen: 200,
  holidayMultiplierBp: 20_000,
  commissionCapBp: 0,
  maxContinuousMinutes: 240,
  restAfterContinuousMinutes: 20,
  maxDailyMinutes: 600,
  waitingAllowanceMinutes: 30,
  penaltyCapFen: 5000,
  appealWindowDays: 7,
} as const;

/** Writes terms into a session's draft through the realtime channel, as the union negotiator. */
export async function writeTerms(baseUrl: string, sessionId: string, terms: Record<string, unknown> = VALID_TERMS): Promise<void> {
  const { YjsTestClient } = await import("./yjs-client.ts");
  const cookie = (await loginAs(baseUrl, "unionNegotiator")).cookies.get("xs_session")!;
  const client = new YjsTestClient(baseUrl, sessionId, cookie);
  try {
    const joined = await client.join();
    if (!joined.ok) throw new Error(`joining the draft failed: ${JSON.stringify(joined)}`);
    const ack = await client.change((doc) => {
      for (const [key, value] of Object.entries(terms)) doc.getMap("terms").set(key, value);
    });
    if (!ack.ok) throw new Error(`writing terms failed: ${JSON.stringify(ack)}`);
  } finally {
    client.close();
  }
}

/**
 * A meeting time as the session form takes it ("YYYY-MM-DDTHH:mm", China Standard Time): the
 * current minute plus `offsetMinutes`. The current minute is the earliest a round may be scheduled
 * for, and the one whose minutes may be recorded straight away.
 */
export function chinaMinute(offsetMinutes = 0, from = new Date()): string {
  return new Date(from.getTime() + offsetMinutes * 60_000 + 8 * 3600_000).toISOString().slice(0, 16);
}
