/**
 * Property-based fuzzing of every form action (issue 8, item 3), generated from the route table of
 * the Remix build as the access-control suite is: a route with an action and no entry in FORMS
 * below fails the suite. Each case posts random values (unicode, huge, empty, numbers, injection
 * and script payloads) for the route's fields, as a user allowed to use the form, so that what is
 * tested is validation and not only authorization. Never a 5xx; a 4xx carries a localized message
 * (the form's alert, the error page, or a JSON `error` in Chinese) and changes nothing in the
 * database (a digest of every table but the login sessions, the throttle counters and the deliveries,
 * which the job queue moves on by itself). Seeded (XS_FUZZ_SEED; printed).
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import pg from "pg";
import type { ServerBuild } from "@remix-run/node";
import type { z } from "zod";
import { TestBrowser, uniqueEmail } from "../support/browser.ts";
import { startTestServer } from "../support/server.ts";
import { loginAs, sessionInBargaining } from "../support/sessions.ts";

const SEED = Number(process.env.XS_FUZZ_SEED ?? 0x0f022) | 0;
const RUNS_PER_FORM = 40;

/** The intents (discriminator values) and field names of a zod form schema. */
function formsOf(schema: z.ZodTypeAny): Array<{ intent: string | null; fields: string[] }> {
  const def = schema._def as { typeName: string; schema?: z.ZodTypeAny; options?: z.ZodTypeAny[] | Map<unknown, z.ZodTypeAny>; innerType?: z.ZodTypeAny; in?: z.ZodTypeAny };
  switch (def.typeName) {
    case "ZodObject": {
      const shape = (schema as z.AnyZodObject).shape as Record<string, z.ZodTypeAny>;
      const literal = shape.intent?._def as { typeName: string; value?: string } | undefined;
      return [{ intent: literal?.typeName === "ZodLiteral" ? String(literal.value) : null, fields: Object.keys(shape).filter((key) => key !== "intent") }];
    }
    case "ZodDiscriminatedUnion":
    case "ZodUnion":
      return [...(def.options instanceof Map ? def.options.values() : def.options!)].flatMap((option) => formsOf(option));
    case "ZodEffects":
      return formsOf(def.schema!);
    case "ZodPipeline":
      return formsOf(def.in!);
    default:
      return formsOf(def.innerType!);
  }
}

type Form = {
  /** Path with :session / :slug / :token placeholders. */
  path: string;
  /** Who posts: a role key of the demo accounts, "anonymous" or "newcomer" (a fresh account). */
  as: string;
  /** Field names per intent (`null`: no intent field). */
  forms: () => Promise<Array<{ intent: string | null; fields: string[] }>>;
};

const domain = (file: string) => import(/* @vite-ignore */ path.resolve(`app/domain/${file}`));
const fields = (...names: string[]) => async () => [{ intent: null, fields: names }];

/** Every route with an action. */
const FORMS: Record<string, Form> = {
  "routes/login": { path: "/login", as: "anonymous", forms: async () => formsOf((await domain("validation.ts")).loginSchema) },
  "routes/signup": { path: "/signup", as: "anonymous", forms: async () => formsOf((await domain("validation.ts")).signupSchema) },
  "routes/worker.login": { path: "/worker/login", as: "anonymous", forms: async () => formsOf((await domain("worker-auth.ts")).workerSignInSchema) },
  "routes/worker._index": { path: "/worker", as: "newcomer", forms: async () => formsOf((await domain("worker-auth.ts")).workerProfileSchema) },
  "routes/logout": { path: "/logout", as: "anonymous", forms: fields() },
  "routes/locale": { path: "/locale", as: "anonymous", forms: async () => formsOf((await domain("validation.ts")).localeSchema) },
  "routes/invite.$token": { path: "/invite/:token", as: "newcomer", forms: fields() },
  // An unknown confirmation token: a valid (empty) form gets a localized 404.
  "routes/signup_.confirm.$token": { path: "/signup/confirm/notARealConfirmationToken00", as: "anonymous", forms: fields() },
  "routes/orgs.new": { path: "/orgs/new", as: "unionAdmin", forms: async () => formsOf((await domain("validation.ts")).organizationCreateSchema) },
  "routes/orgs.$slug": {
    path: "/orgs/:slug",
    as: "unionAdmin",
    forms: async () => [
      { intent: "changeRole", fields: ["membershipId", "role"] },
      { intent: "removeMember", fields: ["membershipId"] },
      { intent: "revokeInvitation", fields: ["invitationId"] },
      { intent: "leave", fields: [] },
      { intent: "createInvitation", fields: Object.keys((await domain("validation.ts")).invitationCreateSchema.shape) },
      { intent: "createWorkerCode", fields: Object.keys((await domain("worker-auth.ts")).workerCodeCreateSchema.shape) },
      { intent: "submitVerification", fields: Object.keys((await domain("validation.ts")).verificationRequestSchema.shape) },
      { intent: "withdrawVerification", fields: [] },
      { intent: "updateOrganization", fields: Object.keys((await domain("validation.ts")).organizationUpdateSchema.shape) },
    ],
  },
  "routes/sessions.new": { path: "/sessions/new", as: "unionNegotiator", forms: async () => formsOf((await domain("session-validation.ts")).proposalSchema) },
  "routes/notifications": { path: "/notifications", as: "unionNegotiator", forms: fields() },
  "routes/settings.notifications": { path: "/settings/notifications", as: "unionNegotiator", forms: async () => formsOf((await domain("outbox.ts")).preferencesSchema) },
  "routes/admin.jobs": { path: "/admin/jobs", as: "operator", forms: async () => [{ intent: "retry", fields: ["deliveryId"] }] },
  "routes/admin.verifications": { path: "/admin/verifications", as: "operator", forms: async () => formsOf((await domain("validation.ts")).verificationDecisionSchema) },
  "routes/_session.sessions.$id._index": { path: "/sessions/:session", as: "unionNegotiator", forms: async () => formsOf((await domain("session-validation.ts")).sessionActionSchema) },
  "routes/_session.sessions.$id.caucus.$side": { path: "/sessions/:session/caucus/worker", as: "unionNegotiator", forms: async () => formsOf((await domain("session-validation.ts")).caucusNoteSchema) },
  "routes/_session.sessions.$id.versions": { path: "/sessions/:session/versions", as: "unionNegotiator", forms: fields("name") },
  // Public feedback on a notice; the notice does not exist here, so a valid form gets a 404.
  "routes/notices.$id._index": { path: "/notices/noticeNotReal0001", as: "anonymous", forms: async () => formsOf((await domain("agreement-validation.ts")).feedbackSchema) },
  "routes/notices.$id.v.$version": { path: "/notices/noticeNotReal0001/v/1", as: "anonymous", forms: async () => formsOf((await domain("agreement-validation.ts")).feedbackSchema) },
  "routes/_session.sessions.$id.agreement": { path: "/sessions/:session/agreement", as: "unionNegotiator", forms: async () => formsOf((await domain("agreement-validation.ts")).agreementActionSchema) },
  "routes/_session.sessions.$id.disputes": { path: "/sessions/:session/disputes", as: "unionNegotiator", forms: async () => formsOf((await domain("dispute-validation.ts")).disputeActionSchema) },
  // Complaint cases (issue 25): a filing on a notice that does not exist (a newcomer is not a worker
  // either), the steps of a case that does not exist, and the receipt code's look-up.
  "routes/notices.$id.complain": { path: "/notices/noticeNotReal0001/complain", as: "newcomer", forms: async () => formsOf((await domain("complaints.ts")).complaintFilingSchema) },
  "routes/complaints.$id": {
    path: "/complaints/noSuchCase0001",
    as: "unionNegotiator",
    forms: async () => ["answer", "accept", "escalateToUnion", "resolve", "escalateToBureau", "recordOutcome"].map((intent) => ({ intent, fields: ["answer", "outcome"] })),
  },
  "routes/complaints.track": { path: "/complaints/track", as: "anonymous", forms: async () => formsOf((await domain("complaints.ts")).receiptCodeSchema) },
};

const PAYLOADS = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "' OR '1'='1",
  "'; DROP TABLE \"User\"; --",
  "1; SELECT pg_sleep(5)",
  "${7*7}{{7*7}}",
  "../../etc/passwd",
  "\u0000",
  "\u202e",
  "-1",
  "1e309",
  "NaN",
  "2026-02-30T25:61",
  "   ",
];

const value = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom(...PAYLOADS) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.constant("") },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((n) => "长".repeat(n)) },
);

let server: Awaited<ReturnType<typeof startTestServer>>;
let db: pg.Client;
let build: ServerBuild;
const placeholders: Record<string, string> = {};
const browsers = new Map<string, TestBrowser>();
let digestQuery = "";
const ran: Record<string, number> = {};
const statuses: Record<string, number> = {};

/**
 * Every table but the login sessions (a request may refresh its own session's expiry), the known
 * devices (a login records its browser), the rate limiter's counters (counting attempts, refused
 * ones included, is their job) and the deliveries (worked on in the background).
 */
async function digest(): Promise<string> {
  const { rows } = await db.query(digestQuery);
  return JSON.stringify(rows);
}

async function browserFor(as: string): Promise<TestBrowser> {
  if (as === "anonymous") return new TestBrowser(server.url);
  let browser = browsers.get(as);
  if (!browser) {
    if (as === "newcomer") {
      browser = new TestBrowser(server.url);
      await browser.signup({ email: uniqueEmail("fuzz") });
    } else {
      browser = await loginAs(server.url, as);
    }
    browsers.set(as, browser);
  }
  return browser;
}

const CJK = /[\u4e00-\u9fff]/;
const RAW_KEY = />\s*(errors|validation|http)\.[A-Za-z.]+\s*</;

/** A 4xx must say what went wrong, in the visitor's language (zh-CN here). */
function expectLocalizedRefusal(page: { status: number; headers: Headers; text: string }, what: string) {
  const type = page.headers.get("content-type") ?? "";
  if (type.includes("json")) {
    const body = JSON.parse(page.text) as { error?: unknown };
    expect(typeof body.error === "string" && CJK.test(body.error), `${what}: JSON error in Chinese, got ${page.text.slice(0, 200)}`).toBe(true);
    return;
  }
  const alert = /role="alert"[^>]*>([\s\S]*?)<\/(p|ul)>/.exec(page.text)?.[1] ?? /<main[^>]*class="error-page"[^>]*>([\s\S]*?)<\/main>/.exec(page.text)?.[1] ?? "";
  expect(CJK.test(alert), `${what}: a localized alert or error page, got ${page.text.slice(0, 300)}`).toBe(true);
  expect(RAW_KEY.test(page.text), `${what}: an untranslated message key`).toBe(false);
}

beforeAll(async () => {
  console.log(`form fuzz: seed ${SEED} (replay with XS_FUZZ_SEED=${SEED})`);
  server = await startTestServer();
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  // Deliveries and their attempts move on by themselves (the job queue delivers earlier messages);
  // a refused request that wrote a message would still show in OutboxMessage and Notification.
  const { rows } = await db.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('Session', 'RateLimiterFlexible', 'KnownDevice', 'Delivery', 'DeliveryAttempt') ORDER BY tablename`);
  digestQuery = rows.map(({ tablename }) => `SELECT '${tablename}' AS t, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS d FROM "${tablename}" x`).join(" UNION ALL ");
  placeholders[":session"] = await sessionInBargaining(server.url, db, `模糊测试 ${Date.now()}`);
  placeholders[":slug"] = "hz-rider-union";
  const admin = await browserFor("unionAdmin");
  const created = await admin.post("/orgs/hz-rider-union", { intent: "createInvitation", role: "MEMBER", expiresInDays: "7" });
  placeholders[":token"] = /\/invite\/([A-Za-z0-9_-]+)/.exec(created.text)![1]!;
}, 90_000);

afterAll(async () => {
  await db?.end();
  await server?.close();
  const total = Object.values(ran).reduce((sum, count) => sum + count, 0);
  console.log(`form fuzz (seed ${SEED}): ${total} cases over ${Object.keys(ran).length} form routes; statuses ${JSON.stringify(statuses)}`);
});

describe("form fuzzing", () => {
  it("has a fuzz entry for every route with an action", () => {
    const withAction = Object.keys(build.routes).filter((id) => build.routes[id]!.module.action);
    const missing = withAction.filter((id) => !(id in FORMS));
    expect(missing, `routes with an action but no entry in tests/integration/form-fuzz.test.ts: ${missing.join(", ")}`).toEqual([]);
  });

  it("answers random field values on every form with a 4xx and a localized message (never a 5xx), changing nothing when refused", async () => {
    const routes = Object.entries(FORMS).filter(([id]) => build.routes[id]?.module.action);
    for (const [id, form] of routes) {
      const forms = await form.forms();
      const target = form.path.replace(/:session|:slug|:token/g, (name) => placeholders[name]!);
      const intents = forms.map((entry) => entry.intent);
      const allFields = [...new Set(forms.flatMap((entry) => entry.fields))];
      const caseArbitrary = fc.record({
        intent: intents[0] === null ? fc.constant(null) : fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...(intents as string[])) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }),
        values: allFields.length ? fc.dictionary(fc.constantFrom(...allFields), value, { maxKeys: allFields.length }) : fc.constant({} as Record<string, string>),
        extra: fc.option(fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), value), { freq: 4 }),
      });
      await fc.assert(
        fc.asyncProperty(caseArbitrary, async ({ intent, values, extra }) => {
          const body: Record<string, string> = { ...values };
          if (intent !== null) body.intent = intent;
          if (extra && !(extra[0] in body)) body[extra[0]] = extra[1];
          // The poster first (a newcomer's account is made on first use), then the state to compare.
          const poster = await browserFor(form.as);
          const before = await digest();
          const what = `${id} ${JSON.stringify(body, (_key, field: unknown) => (typeof field === "string" && field.length > 60 ? `${field.slice(0, 20)}…(${field.length} chars)` : field))} (seed ${SEED})`;
          const page = await poster.post(target, body).catch((error: Error) => {
            throw new Error(`${what}: ${error.message} (${(error.cause as Error | undefined)?.message ?? ""})`);
          });
          statuses[page.status] = (statuses[page.status] ?? 0) + 1;
          expect(page.status, `${what}: status`).toBeLessThan(500);
          if (page.status >= 400) {
            expectLocalizedRefusal(page, what);
            expect(await digest(), `${what}: refused but changed the database`).toBe(before);
          }
          ran[id] = (ran[id] ?? 0) + 1;
        }),
        { seed: SEED, numRuns: id === "routes/_session.sessions.$id._index" ? 3 * RUNS_PER_FORM : RUNS_PER_FORM },
      );
    }
    expect(Object.keys(ran).length).toBe(routes.length);
  }, 240_000);
});
