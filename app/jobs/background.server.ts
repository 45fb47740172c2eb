/**
 * Background work on a PostgreSQL job queue, pg-boss (issue 17, decision 034): the procedure's
 * clock sweep, the outbox relay and e-mail deliveries run as jobs that every process shares.
 *
 * - clock-sweep and outbox-relay are "stately" queues: at most one job waiting and one running,
 *   whichever process sends or works it, so a sweep never runs twice at once and each due
 *   deadline is acted on once (the sweep itself re-checks each session under its row lock).
 *   Every process with workers offers the next run on a timer; the queue keeps one.
 * - deliver: one job per e-mail delivery, put on the queue by the relay in the same transaction
 *   that marks the delivery handed. A failed attempt is retried with exponential back-off; a job
 *   whose process died mid-run expires (XS_JOB_EXPIRE_SECONDS) and is run again by any process.
 *   The handler is idempotent (app/models/outbox.server.ts), so a job run again sends nothing twice.
 * - minimum-wage-recheck (issue 22): at start-up each process records the minimum-wage standards of
 *   the data its database has not seen; when any is new, a re-check of the agreements in force is
 *   queued (stately: one at a time). The re-check tells each breach once (MinimumWageBreach).
 */
import PgBoss from "pg-boss";
import type { Env } from "~/infra/env.server.ts";
import type { Prisma } from "~/infra/db.server.ts";
import { deliver, relayPendingDeliveries } from "~/models/outbox.server.ts";
import { recheckAgreementsInForce, recordMinimumWageStandards } from "~/models/minimum-wage.server.ts";
import { runClockSweep } from "~/models/sweep.server.ts";

export const QUEUES = { sweep: "clock-sweep", relay: "outbox-relay", deliver: "deliver", minimumWage: "minimum-wage-recheck" } as const;

export type Background = {
  boss: PgBoss;
  /** Offers a relay run now (after a change wrote to the outbox, say); the queue keeps at most one waiting. */
  kickRelay(): Promise<void>;
  stop(): Promise<void>;
};

type DeliverJob = { deliveryId: string };

/** pg-boss's statements on a Prisma transaction, so that a job is queued only if the transaction commits. */
function onTransaction(tx: Prisma.TransactionClient): PgBoss.Db {
  return { executeSql: async (text: string, values: unknown[]) => ({ rows: await tx.$queryRawUnsafe<unknown[]>(text, ...values) }) };
}

/**
 * Starts the queue on `databaseUrl` (creating its schema, pgboss, on first use) and, unless this is
 * a web-only process, the workers. Returns the handle the server stops on shutdown.
 */
export async function startBackground(options: { databaseUrl: string; env: Env; workers: boolean }): Promise<Background> {
  const { env } = options;
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    schema: "pgboss",
    max: 3,
    application_name: "xieshang-jobs",
    supervise: options.workers,
    schedule: false,
    maintenanceIntervalSeconds: env.XS_JOB_SUPERVISE_SECONDS,
  });
  boss.on("error", (error: Error) => console.warn(`job queue: ${error.message}`));
  await boss.start();
  const expireInSeconds = env.XS_JOB_EXPIRE_SECONDS;
  await boss.createQueue(QUEUES.sweep, { name: QUEUES.sweep, policy: "stately", retryLimit: 0, expireInSeconds });
  await boss.createQueue(QUEUES.relay, { name: QUEUES.relay, policy: "stately", retryLimit: 0, expireInSeconds });
  await boss.createQueue(QUEUES.minimumWage, { name: QUEUES.minimumWage, policy: "stately", retryLimit: 3, retryDelay: 30, expireInSeconds: Math.max(expireInSeconds, 600) });
  await boss.createQueue(QUEUES.deliver, { name: QUEUES.deliver, policy: "standard", retryLimit: env.XS_DELIVERY_RETRIES, retryDelay: env.XS_DELIVERY_RETRY_SECONDS, retryBackoff: true, expireInSeconds });

  const offer = async (queue: string) => {
    try {
      await boss.send(queue, {}, { singletonKey: queue });
    } catch (error) {
      console.warn(`job queue: could not offer ${queue}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const timers: NodeJS.Timeout[] = [];

  if (options.workers) {
    await boss.work(QUEUES.sweep, { pollingIntervalSeconds: 1 }, async () => {
      await runClockSweep(new Date());
    });
    await boss.work(QUEUES.relay, { pollingIntervalSeconds: 1 }, async () => {
      await relayPendingDeliveries(async (tx, deliveries) => {
        // A text message (a sign-in code someone is waiting for) is taken before queued e-mails.
        for (const { id, channel } of deliveries) await boss.send(QUEUES.deliver, { deliveryId: id } satisfies DeliverJob, { db: onTransaction(tx), priority: channel === "SMS" ? 10 : 0 });
      });
    });
    await boss.work<DeliverJob>(QUEUES.deliver, { pollingIntervalSeconds: 1, batchSize: 1, includeMetadata: true }, async ([job]) => {
      if (!job) return;
      const retries = (job as PgBoss.JobWithMetadata<DeliverJob>).retryCount ?? 0;
      const limit = (job as PgBoss.JobWithMetadata<DeliverJob>).retryLimit ?? env.XS_DELIVERY_RETRIES;
      await deliver(job.data.deliveryId, { finalAttempt: retries >= limit });
    });
    await boss.work(QUEUES.minimumWage, { pollingIntervalSeconds: 1 }, async () => {
      const report = await recheckAgreementsInForce(new Date());
      console.log(`minimum-wage re-check: ${report.checked} agreements in force checked, ${report.breaches.length} new breaches told to their parties`);
    });
    // Standards added to the data since this database last saw it: re-check what is in force.
    const added = await recordMinimumWageStandards();
    if (added.length > 0) {
      console.log(`minimum-wage data: ${added.length} standards not seen before; re-checking the agreements in force`);
      await offer(QUEUES.minimumWage);
    }
    const sweepTimer = setInterval(() => void offer(QUEUES.sweep), env.XS_CLOCK_SWEEP_SECONDS * 1000);
    const relayTimer = setInterval(() => void offer(QUEUES.relay), env.XS_OUTBOX_RELAY_SECONDS * 1000);
    sweepTimer.unref();
    relayTimer.unref();
    timers.push(sweepTimer, relayTimer);
    await offer(QUEUES.sweep);
    await offer(QUEUES.relay);
  }

  return {
    boss,
    kickRelay: () => offer(QUEUES.relay),
    async stop() {
      for (const timer of timers) clearInterval(timer);
      // Running jobs get a moment to finish; a job cut off here expires and runs again elsewhere.
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
