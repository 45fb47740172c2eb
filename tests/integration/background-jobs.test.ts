/**
 * Background work on the job queue (issue 17), with real processes (`node build/index.js`, as
 * `npm start` runs it) sharing one database, and a real SMTP server (tests/support/smtp-sink.ts):
 * - a change that rolls back leaves no outbox row;
 * - a kind of message the recipient turned off is skipped by e-mail (in-app it still arrives);
 *   a kind the procedure requires is always sent;
 * - an e-mail delivery arrives once, also when the mail server first refuses it (451) and then
 *   accepts: the failed attempt is recorded and retried with back-off;
 * - two processes share the queue: when a deadline comes due (the bureau's review lapsing) the
 *   agreement is published once, each party is told once, and each mail arrives once;
 * - a process SIGKILLed while a delivery job is running (the mail server holding the message)
 *   leaves the job to another process, which delivers it, once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { workerDatabaseUrl } from "../support/database.ts";
import { startChildServer, type ChildServer } from "../support/child-server.ts";
import { SmtpSink } from "../support/smtp-sink.ts";
import { sessionInBargaining, writeTerms, VALID_TERMS } from "../support/sessions.ts";
import { agreeDraft, ratifyAndSign, writeText } from "../support/agreement.ts";
import { TestBrowser } from "../support/browser.ts";
import { DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";

let databaseUrl: string;
let db: pg.Client;
let sink: SmtpSink;
const children: ChildServer[] = [];

async function child(): Promise<ChildServer> {
  const started = await startChildServer({
    DATABASE_URL: databaseUrl,
    XS_DEMO: "true",
    XS_SMTP_HOST: "127.0.0.1",
    XS_SMTP_PORT: String(sink.port),
    XS_SMTP_TIMEOUT_MS: "20000",
    XS_CLOCK_SWEEP_SECONDS: "1",
    XS_OUTBOX_RELAY_SECONDS: "1",
    XS_JOB_EXPIRE_SECONDS: "3",
    XS_JOB_SUPERVISE_SECONDS: "1",
    XS_DELIVERY_RETRY_SECONDS: "1",
    XS_DELIVERY_RETRIES: "5",
  });
  children.push(started);
  return started;
}

async function until<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const userId = async (email: string) => (await db.query('SELECT id FROM "User" WHERE email = $1', [email])).rows[0].id as string;

/** Writes one message to the outbox as the app does (committed), returning its e-mail delivery's id. */
async function outboxMessage(email: string, kind = "session.proposed"): Promise<string> {
  const { getDb } = await import("../../app/infra/db.server.ts");
  const { writeOutbox } = await import("../../app/models/outbox.server.ts");
  const recipient = await userId(email);
  await getDb().$transaction((tx) => writeOutbox(tx, { userIds: [recipient], sessionId: null, kind, payload: { title: `测试 ${Date.now()}`, days: 20 } }));
  const row = await db.query(
    `SELECT d.id FROM "Delivery" d JOIN "OutboxMessage" m ON m.id = d."messageId" WHERE m."userId" = $1 AND d.channel = 'EMAIL' ORDER BY m."createdAt" DESC LIMIT 1`,
    [recipient],
  );
  return row.rows[0].id as string;
}

const deliveryStatus = async (id: string) => (await db.query('SELECT status FROM "Delivery" WHERE id = $1', [id])).rows[0]?.status as string | undefined;

beforeAll(async () => {
  databaseUrl = await workerDatabaseUrl();
  process.env.DATABASE_URL = databaseUrl;
  db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  sink = await new SmtpSink().start();
}, 60_000);

afterAll(async () => {
  for (const started of children) await started.kill();
  await sink?.stop();
  await db?.end();
  const { disconnectDb } = await import("../../app/infra/db.server.ts");
  await disconnectDb();
});

describe("the outbox and the job queue", () => {
  it("delivers an e-mail once, after the mail server first refuses it and then accepts", async () => {
    await child();
    sink.refuse(1);
    const deliveryId = await outboxMessage("negotiator@union.demo");
    await until(async () => (await deliveryStatus(deliveryId)) === "SENT", "the delivery to be sent");
    expect(sink.refused).toBe(1);
    expect(sink.forDelivery(deliveryId)).toHaveLength(1);
    expect(sink.forDelivery(deliveryId)[0]!.to).toEqual(["negotiator@union.demo"]);
    const attempts = (await db.query('SELECT ok, error FROM "DeliveryAttempt" WHERE "deliveryId" = $1 ORDER BY at', [deliveryId])).rows;
    expect(attempts.map((attempt) => attempt.ok)).toEqual([false, true]);
    expect(attempts[0].error).toMatch(/451|try again/i);
  }, 90_000);

  it("skips the e-mail of a kind the recipient turned off, never one the procedure requires", async () => {
    const [server] = children as [ChildServer];
    const browser = new TestBrowser(server.url);
    await browser.login("admin@union.demo", DEMO_PASSWORD);
    const page = await browser.get("/settings/notifications");
    expect(page.status).toBe(200);
    // The required kinds are shown checked and cannot be unticked.
    expect(page.text).toContain('<input type="checkbox" name="email[]" disabled="" checked="" value="session.proposed"/>');
    // Messages about the account itself (a sign-in code, a confirmation link) are not a choice.
    expect(page.text).not.toContain('value="account.'); 
    // Everything optional off (no box ticked); the form tries to turn the required kind off too.
    expect((await browser.post("/settings/notifications", {})).status).toBe(302);
    const optional = await outboxMessage("admin@union.demo", "round.scheduled");
    const required = await outboxMessage("admin@union.demo", "session.proposed");
    await until(async () => (await deliveryStatus(optional)) === "SKIPPED" && (await deliveryStatus(required)) === "SENT", "the optional mail skipped and the required one sent");
    expect(sink.forDelivery(optional)).toHaveLength(0);
    expect(sink.forDelivery(required)).toHaveLength(1);
    // In-app, both arrived.
    expect((await db.query(`SELECT count(*)::int AS n FROM "Notification" n JOIN "User" u ON u.id = n."userId" WHERE u.email = 'admin@union.demo' AND n.type IN ('round.scheduled', 'session.proposed')`)).rows[0].n).toBeGreaterThanOrEqual(2);
    // Back on: the next one is sent.
    expect((await browser.post("/settings/notifications", { "email[]": "round.scheduled" })).status).toBe(302);
    const again = await outboxMessage("admin@union.demo", "round.scheduled");
    await until(async () => (await deliveryStatus(again)) === "SENT", "the optional mail sent once turned back on");
  }, 60_000);

  it("leaves nothing in the outbox when the change rolls back", async () => {
    const { getDb } = await import("../../app/infra/db.server.ts");
    const { writeOutbox } = await import("../../app/models/outbox.server.ts");
    const before = (await db.query('SELECT (SELECT count(*) FROM "OutboxMessage")::int AS messages, (SELECT count(*) FROM "Delivery")::int AS deliveries, (SELECT count(*) FROM "Notification")::int AS notifications')).rows[0];
    const recipient = await userId("negotiator@union.demo");
    await expect(
      getDb().$transaction(async (tx) => {
        await writeOutbox(tx, { userIds: [recipient], sessionId: null, kind: "session.proposed", payload: { title: "回滚" } });
        throw new Error("the change failed after writing its message");
      }),
    ).rejects.toThrow("the change failed");
    const after = (await db.query('SELECT (SELECT count(*) FROM "OutboxMessage")::int AS messages, (SELECT count(*) FROM "Delivery")::int AS deliveries, (SELECT count(*) FROM "Notification")::int AS notifications')).rows[0];
    expect(after).toEqual(before);
  }, 30_000);

  it("with two processes sharing the queue, acts on a due deadline once and sends each mail once", async () => {
    const [first] = children as [ChildServer];
    const second = await child();
    // An agreement filed with the bureau, built through the first process's pages.
    const sessionId = await sessionInBargaining(first.url, db, `两个进程 ${Date.now()}`, { covered: ["swift-eats"] });
    await writeTerms(first.url, sessionId, VALID_TERMS);
    await writeText(first.url, sessionId, ["第一条 测试条款。"]);
    await agreeDraft(first.url, sessionId);
    await ratifyAndSign(first.url, db, sessionId, { file: true });
    // The bureau's 15 days pass without an objection (《集体合同规定》第四十七条): both processes sweep every second.
    await db.query(`UPDATE "BargainingSession" SET "filedAt" = "filedAt" - interval '30 days' WHERE id = $1`, [sessionId]);
    await until(async () => (await db.query('SELECT 1 FROM "NoticeVersion" WHERE "sessionId" = $1', [sessionId])).rows.length > 0, "the notice to be published", 60_000);
    // Let both processes sweep a few more times: nothing may happen twice.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await db.query('SELECT count(*)::int AS n FROM "NoticeVersion" WHERE "sessionId" = $1', [sessionId])).rows[0].n).toBe(1);
    const published = (await db.query(`SELECT "userId", count(*)::int AS n FROM "OutboxMessage" WHERE "sessionId" = $1 AND kind = 'notice.published' GROUP BY "userId"`, [sessionId])).rows;
    expect(published.length).toBeGreaterThan(0);
    for (const row of published) expect(row.n, `notice.published for ${row.userId}`).toBe(1);
    // Every e-mail of the session goes out once, whichever process sends it.
    const deliveries = await until(async () => {
      const rows = (await db.query(`SELECT d.id, d.status FROM "Delivery" d JOIN "OutboxMessage" m ON m.id = d."messageId" WHERE m."sessionId" = $1 AND d.channel = 'EMAIL'`, [sessionId])).rows;
      return rows.length > 0 && rows.every((row) => row.status !== "PENDING") ? rows : null;
    }, "every e-mail of the session to be delivered", 60_000);
    for (const delivery of deliveries) {
      if (delivery.status === "SENT") expect(sink.forDelivery(delivery.id), `mails of delivery ${delivery.id}`).toHaveLength(1);
      else expect(delivery.status).toBe("SKIPPED");
    }
    const workers = new Set((await db.query(`SELECT DISTINCT a.worker FROM "DeliveryAttempt" a JOIN "Delivery" d ON d.id = a."deliveryId" JOIN "OutboxMessage" m ON m.id = d."messageId" WHERE m."sessionId" = $1`, [sessionId])).rows.map((row) => row.worker as string));
    expect(workers.size, "attempts come from the processes sharing the queue").toBeGreaterThanOrEqual(1);
    await second.stop();
  }, 240_000);

  it("runs a job again in another process when the process running it is killed", async () => {
    const [doomed] = children as [ChildServer];
    const held = sink.hold();
    const deliveryId = await outboxMessage("rep@association.demo");
    // The first process is inside the delivery job, the mail server holding the message.
    await Promise.race([held, new Promise((_, reject) => setTimeout(() => reject(new Error("the delivery never reached the mail server")), 30_000))]);
    await doomed.kill();
    expect(await deliveryStatus(deliveryId)).toBe("PENDING");
    const rescuer = await child();
    await until(async () => (await deliveryStatus(deliveryId)) === "SENT", "the delivery to be sent by the other process", 60_000);
    expect(sink.forDelivery(deliveryId)).toHaveLength(1);
    const attempts = (await db.query('SELECT ok, worker FROM "DeliveryAttempt" WHERE "deliveryId" = $1', [deliveryId])).rows;
    expect(attempts).toEqual([{ ok: true, worker: expect.stringMatching(new RegExp(`:${rescuer.child.pid}$`)) }]);
  }, 120_000);
});
